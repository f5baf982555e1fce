package cloudformation

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vpclint/vpclint/loader"
)

// A nested stack's TemplateURL is either a path relative to the including
// template (what `aws cloudformation package` uploads), or an S3 URL. A
// repository that deploys through S3 keeps the templates it uploads: the
// quick-start layout builds the URL from a bucket and a key prefix,
// https://${Bucket}.s3.${Region}.${AWS::URLSuffix}/${KeyPrefix}templates/vpc.yaml,
// and the key's known end is the template's path in the repository.

const (
	// maxLocalFiles bounds the files listed under a scan root to map S3
	// URLs to.
	maxLocalFiles = 200_000
	// minKeySegments is the fewest path elements of an S3 key matched
	// against local paths once its leading elements (a key prefix written
	// out) are dropped: a file name alone says too little.
	minKeySegments = 2
)

// templateExt are the extensions of files an S3 key may name.
var templateExt = map[string]bool{".yaml": true, ".yml": true, ".json": true, ".template": true}

// locate finds the template a resolved TemplateURL names. It returns the
// template, or nil with the level and text of a note saying why not.
func (s *set) locate(parent *file, u *node) (*file, *locateNote) {
	if u == nil || (u.kind == kindUnknown && u.pattern() == "") || (u.kind != kindScalar && u.kind != kindUnknown) {
		return nil, &locateNote{info: true, msg: "its TemplateURL cannot be resolved; its resources are not read"}
	}
	shown := u.value
	if u.kind == kindUnknown {
		shown = u.pattern()
	}
	glob := globOf(u)
	key, isURL, onS3 := s3Key(glob)
	switch {
	case !isURL:
		return s.localTemplate(parent, glob, shown)
	case !onS3:
		return nil, &locateNote{info: true, msg: fmt.Sprintf("remote template %s is not read: it is not on S3", hostOnly(shown))}
	}
	matches := s.matchKey(key)
	switch len(matches) {
	case 0:
		if s.matchBudget < 0 {
			return nil, &locateNote{msg: fmt.Sprintf("remote template %s is not read: the scan compared more than %d paths with S3 keys", shown, maxKeyComparisons)}
		}
		return nil, &locateNote{info: true, msg: fmt.Sprintf("remote template %s is not read: no template under the scan root has a path ending like its key", shown)}
	case 1:
		f, err := s.open(parent, matches[0])
		if err != nil {
			return nil, s.openNote(shown, matches[0], err)
		}
		return f, nil
	}
	var rels []string
	for _, m := range matches {
		rels = append(rels, s.show(parent, m))
	}
	slices.Sort(rels)
	if len(rels) > 3 {
		rels = append(rels[:3], "...")
	}
	return nil, &locateNote{info: true, msg: fmt.Sprintf("remote template %s is not read: %d templates under the scan root match its key (%s)", shown, len(matches), strings.Join(rels, ", "))}
}

// locateNote says why a nested template is not read; info notes are
// expected (remote templates), the others a problem.
type locateNote struct {
	info bool
	msg  string
}

// hostOnly shortens a URL to its scheme and host: a URL that is not on S3
// is not read, and its path may be one of the machine's.
func hostOnly(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	host, _, more := strings.Cut(rest, "/")
	if more {
		return scheme + "://" + host + "/..."
	}
	return u
}

// localTemplate reads a TemplateURL that is a path, relative to the
// including template.
func (s *set) localTemplate(parent *file, p, shown string) (*file, *locateNote) {
	if strings.Contains(p, "*") {
		return nil, &locateNote{info: true, msg: fmt.Sprintf("its TemplateURL %s cannot be resolved; its resources are not read", shown)}
	}
	disk := filepath.FromSlash(p)
	if filepath.IsAbs(disk) || strings.HasPrefix(p, "/") {
		// Shown relative to the scan root when inside it; an absolute
		// path of the machine is never repeated.
		shown = "at an absolute path"
		if s.root != "" && loader.Within(s.root, disk) {
			shown = s.show(parent, disk)
		}
	} else {
		disk = filepath.Join(filepath.Dir(parent.path), disk)
	}
	f, err := s.open(parent, disk)
	if err != nil {
		return nil, s.openNote(shown, disk, err)
	}
	return f, nil
}

// openNote explains a template that could not be opened. The path shown
// is the URL as written or a path relative to the scan root, never the
// machine's.
func (s *set) openNote(shown, disk string, err error) *locateNote {
	switch {
	case errors.Is(err, errOutsideRoot):
		return &locateNote{msg: fmt.Sprintf("template %s is outside the scan root; skipped", shown)}
	case errors.Is(err, errInGit):
		return &locateNote{msg: fmt.Sprintf("template %s is inside .git, which vpclint never reads; skipped", shown)}
	case errors.Is(err, fs.ErrNotExist):
		return &locateNote{msg: fmt.Sprintf("template %s does not exist; its resources are not read", shown)}
	}
	return &locateNote{msg: fmt.Sprintf("template %s cannot be read (%v); its resources are not read", shown, err)}
}

// s3Key takes a URL glob apart: isURL is false for a path; onS3 says
// whether the host is S3's, and key is the object key (a glob). A URL whose
// beginning is unknown (${TemplatesBase}vpc.yaml) is taken as S3, as
// CloudFormation requires, with the whole of it as the key.
func s3Key(u string) (key string, isURL, onS3 bool) {
	if strings.HasPrefix(u, "*") {
		return u, true, true
	}
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return "", false, false
	}
	host, key, _ := strings.Cut(rest, "/")
	switch strings.ToLower(scheme) {
	case "s3":
		return key, true, true
	case "http", "https":
	default:
		return "", true, false
	}
	labels := strings.Split(strings.ToLower(host), ".")
	if l := labels[0]; l == "s3" || strings.HasPrefix(l, "s3-") {
		// Path style: the bucket is the key's first element.
		_, key, _ = strings.Cut(key, "/")
		return key, true, true
	}
	for _, l := range labels[1:] {
		if l == "s3" || strings.HasPrefix(l, "s3-") {
			return key, true, true
		}
	}
	// A host the scan cannot decide may be S3's (the key is matched as
	// it is, a path-style bucket being dropped with the key's prefix).
	if strings.Contains(host, "*") {
		return key, true, true
	}
	return "", true, false
}

// matchKey finds the templates whose path ends like an S3 key: the whole
// key first, then without its leading elements (a key prefix written
// out), down to minKeySegments. The set's inputs are searched first, then
// every template file under the scan root. Answers are kept per key.
func (s *set) matchKey(key string) []string {
	key = strings.TrimPrefix(path.Clean("/"+key), "/")
	if key == "" || key == "." {
		return nil
	}
	if m, ok := s.keyMatches[key]; ok {
		return m
	}
	if s.inputFiles == nil {
		paths := make([]string, 0, len(s.inputs))
		for _, f := range s.inputs {
			paths = append(paths, f.path)
		}
		s.inputFiles = newCandidates(paths, s.relToRoot)
	}
	m := s.inputFiles.match(key, &s.matchBudget)
	if len(m) == 0 {
		if s.localFiles == nil {
			s.localFiles = newCandidates(s.localTemplates(), s.relToRoot)
		}
		m = s.localFiles.match(key, &s.matchBudget)
	}
	if s.keyMatches == nil {
		s.keyMatches = map[string][]string{}
	}
	s.keyMatches[key] = m
	return m
}

// maxKeyComparisons bounds the paths compared with S3 keys in one scan
// (thousands of nested stacks, each with its own key, against a large
// repository); past it, keys match nothing.
const maxKeyComparisons = 4_000_000

// candidates are the template files an S3 key may name, with their paths
// relative to the scan root, found by file name.
type candidates struct {
	paths, rels []string
	byName      map[string][]int
}

func newCandidates(paths []string, rel func(string) string) *candidates {
	c := &candidates{paths: paths, rels: make([]string, len(paths)), byName: map[string][]int{}}
	for i, p := range paths {
		c.rels[i] = rel(p)
		name := path.Base(c.rels[i])
		c.byName[name] = append(c.byName[name], i)
	}
	return c
}

// match returns the paths that the key, or the longest shorter form of it
// that matches any, ends. Only files of the key's name are compared when
// the name is known; every comparison is paid from budget.
func (c *candidates) match(key string, budget *int) []string {
	var pool []int
	if name := path.Base(key); !strings.Contains(name, "*") {
		pool = c.byName[name]
	} else {
		pool = make([]int, len(c.paths))
		for i := range pool {
			pool[i] = i
		}
	}
	for k := key; ; {
		var out []string
		for _, i := range pool {
			if *budget--; *budget < 0 {
				return nil
			}
			if endsLike(c.rels[i], k) {
				out = append(out, c.paths[i])
			}
		}
		if len(out) > 0 {
			return out
		}
		_, shorter, ok := strings.Cut(k, "/")
		if !ok || strings.HasPrefix(k, "*") || strings.Count(shorter, "/")+1 < minKeySegments {
			return nil
		}
		k = shorter
	}
}

// endsLike reports whether rel, or its part after one of its slashes,
// matches the glob.
func endsLike(rel, glob string) bool {
	for {
		if globMatch(glob, rel) {
			return true
		}
		_, after, ok := strings.Cut(rel, "/")
		if !ok {
			return false
		}
		rel = after
	}
}

// relToRoot is a path relative to the scan root, with slashes.
func (s *set) relToRoot(p string) string {
	if s.root != "" {
		if abs, err := filepath.Abs(p); err == nil {
			if r, err := filepath.Rel(s.root, abs); err == nil && !strings.HasPrefix(r, "..") {
				return filepath.ToSlash(r)
			}
		}
	}
	return filepath.ToSlash(p)
}

// localTemplates lists the template files under the scan root once,
// skipping what the loader's walk skips.
func (s *set) localTemplates() []string {
	var paths []string
	if s.root == "" {
		return nil
	}
	_ = filepath.WalkDir(s.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if len(paths) >= maxLocalFiles {
			return filepath.SkipAll
		}
		rel := s.relToRoot(p)
		if d.IsDir() {
			if p != s.root && (loader.SkippedDir(d.Name()) || loader.Excluded(s.opts.Exclude, rel)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !templateExt[strings.ToLower(filepath.Ext(p))] || loader.Excluded(s.opts.Exclude, rel) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 && !loader.Within(s.root, p) {
			return nil
		}
		if d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0 {
			paths = append(paths, p)
		}
		return nil
	})
	return paths
}
