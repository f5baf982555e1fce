package cloudformation

import (
	"bytes"
	"cmp"
	"container/heap"
	"context"
	"errors"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// set is the templates of one load call: the inputs, and every template
// they include, each read and parsed once. A template that a template of
// the set includes (directly or through templates outside the set) is read
// in its includer's context only; the others are units of their own.
type set struct {
	opts loader.Options
	// root is the scan root, absolute with its links resolved: nested
	// templates outside it are not read.
	root   string
	files  map[string]*file
	inputs []*file
	// overrides are the user's parameter values, for root templates.
	overrides map[string]*node
	errs      []model.LoadError
	// inputFiles and localFiles are the templates TemplateURLs on S3 may
	// name: the inputs, and the template files under the root (walked on
	// first need); keyMatches the answers so far; matchBudget what is
	// left of maxKeyComparisons.
	inputFiles, localFiles *candidates
	keyMatches             map[string][]string
	matchBudget            int
	// links gathers exports and imports across units.
	links links
}

// file is one template file: an input or a template an input includes.
type file struct {
	// key identifies the file (its absolute path, links resolved); path is
	// where it is read, rel how it is shown.
	key, path, rel string
	input          bool
	t              *template
	err            error
	lines          []string
	// flow is true for a template in flow style (JSON); balances are
	// its lines' bracket balances, counted on first need.
	flow     bool
	balances []int
	size     int
	// children are the templates its nested stacks include, as read
	// without a parent's context (to order the units).
	children   []*file
	discovered bool
	// reached is set once a unit has read it as a nested stack; released
	// once its parse is dropped.
	reached, released bool
}

// newSet reads the inputs and the parameter values.
func newSet(ins []loader.Input, opts loader.Options) *set {
	s := &set{opts: opts, files: map[string]*file{}, overrides: map[string]*node{}, matchBudget: maxKeyComparisons}
	s.root = rootOf(opts, ins)
	params, err := readParameterFiles(opts.ParameterFiles, opts.Parameters)
	if err != nil {
		for _, in := range ins {
			s.errs = append(s.errs, model.LoadError{File: in.Rel, Message: err.Error(), Level: model.LevelError})
		}
		params = opts.Parameters
	}
	for k, v := range params {
		s.overrides[k] = scalar(0, v)
	}
	for _, in := range ins {
		path := cmp.Or(in.Path, in.Rel)
		key := fileKey(path)
		if f, dup := s.files[key]; dup {
			// The same file named twice (a link and its target).
			f.input = true
			continue
		}
		f := s.add(key, path, in.Rel, in.Content)
		f.input = true
		s.inputs = append(s.inputs, f)
	}
	return s
}

// rootOf is the scan root the set is confined to: the loader's, else the
// directory of the first input (a template loaded on its own).
func rootOf(opts loader.Options, ins []loader.Input) string {
	root := opts.Root
	if root == "" && len(ins) > 0 && ins[0].Path != "" {
		root = filepath.Dir(ins[0].Path)
	}
	if root == "" {
		return ""
	}
	return fileKey(root)
}

// fileKey identifies a file by its absolute path with links resolved.
func fileKey(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	return abs
}

// add parses a file's content into the set.
func (s *set) add(key, path, rel string, content []byte) *file {
	f := &file{key: key, path: path, rel: rel}
	s.files[key] = f
	f.parse(content)
	return f
}

// parse reads the file's template from its content.
func (f *file) parse(content []byte) {
	f.size = len(content)
	if len(content) > loader.MaxFileSize {
		f.err = &parseError{msg: "file is too large"}
		return
	}
	root, err := parseTemplate(content)
	if err == nil {
		f.t, err = newTemplate(root)
	}
	if err != nil {
		f.err = err
		return
	}
	f.lines = strings.Split(string(content), "\n")
	f.flow = bytes.HasPrefix(bytes.TrimSpace(content), []byte("{"))
}

// release drops a file's parse, if it can be read again from disk.
func (f *file) release() {
	if f.t == nil {
		return
	}
	if st, err := os.Stat(f.path); err != nil || !st.Mode().IsRegular() {
		return
	}
	f.t, f.lines, f.balances, f.released = nil, nil, nil, true
}

// reload parses a released file again.
func (f *file) reload() {
	if !f.released {
		return
	}
	f.released = false
	content, err := loader.ReadFile(f.path)
	if err != nil {
		f.err = err
		return
	}
	f.parse(content)
}

// errOutsideRoot is a nested template that lies outside the scan root;
// errInGit one in a .git directory.
var (
	errOutsideRoot = errors.New("it lies outside the scan root")
	errInGit       = errors.New("it lies inside .git")
)

// open returns the template at a path on disk, read and parsed once;
// parent is the template that includes it.
func (s *set) open(parent *file, disk string) (*file, error) {
	key := fileKey(disk)
	if f, ok := s.files[key]; ok {
		return f, nil
	}
	if s.root != "" && !loader.Within(s.root, disk) {
		return nil, errOutsideRoot
	}
	if s.root != "" && loader.InGitDir(s.root, disk) {
		return nil, errInGit
	}
	content, err := loader.ReadFile(disk)
	if err != nil {
		return nil, err
	}
	return s.add(key, disk, s.show(parent, disk), content), nil
}

// show is how a nested template's path is shown: relative to the current
// directory or the scan root, never absolute. Without a working directory
// (a template loaded on its own) it is shown beside its parent.
func (s *set) show(parent *file, disk string) string {
	if s.opts.WorkDir == "" && parent != nil {
		from, err1 := filepath.Abs(filepath.Dir(parent.path))
		to, err2 := filepath.Abs(disk)
		if r, err := filepath.Rel(from, to); err1 == nil && err2 == nil && err == nil {
			return path.Clean(path.Join(path.Dir(parent.rel), filepath.ToSlash(r)))
		}
	}
	return loader.RelPath(s.opts.WorkDir, s.root, disk)
}

// load reads every unit of the set. Templates are visited parents first
// (children of templates still to be read wait for them; a cycle is
// broken at its first file by path); an input that no unit has read as a
// nested stack by its turn is a unit of its own.
func (s *set) load(ctx context.Context) []*model.Model {
	for _, f := range s.inputs {
		s.discover(f, 0)
	}
	all := slices.SortedFunc(maps.Values(s.files), func(a, b *file) int { return cmp.Compare(a.key, b.key) })
	indegree := map[*file]int{}
	for _, f := range all {
		for _, c := range f.children {
			indegree[c]++
		}
	}
	var units []*build
	done := map[*file]bool{}
	ready := &fileHeap{} // the files all of whose includers are done
	for _, f := range all {
		if indegree[f] == 0 {
			heap.Push(ready, f)
		}
	}
	next := 0 // the first file of all that may not be done, to break cycles
	for len(done) < len(all) {
		if ctx.Err() != nil {
			break
		}
		if ready.Len() == 0 {
			for done[all[next]] {
				next++
			}
			heap.Push(ready, all[next])
		}
		// Each file is pushed once, and only before it is done.
		f := heap.Pop(ready).(*file)
		done[f] = true
		if f.input && !f.reached {
			if b := s.unit(ctx, f); b != nil {
				units = append(units, b)
			}
		}
		if indegree[f] <= 0 {
			// Every template that includes it has been read: its parse
			// is not needed again (a parent whose URL reads otherwise in
			// context reads it anew).
			f.release()
		}
		for _, c := range f.children {
			if indegree[c]--; indegree[c] == 0 && !done[c] {
				heap.Push(ready, c)
			}
		}
	}
	s.links.resolve()
	var out []*model.Model
	for _, b := range units {
		// Nothing more changes a unit once the imports are matched to
		// exports.
		b.m.Tidy()
		out = append(out, b.m)
		s.errs = append(s.errs, b.errs...)
	}
	slices.SortStableFunc(out, func(a, b *model.Model) int { return cmp.Compare(a.Unit, b.Unit) })
	s.errs = cleanErrors(s.errs)
	return out
}

// fileHeap orders files by key, the first on top.
type fileHeap []*file

func (h fileHeap) Len() int           { return len(h) }
func (h fileHeap) Less(i, j int) bool { return h[i].key < h[j].key }
func (h fileHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *fileHeap) Push(x any)        { *h = append(*h, x.(*file)) }
func (h *fileHeap) Pop() any {
	old := *h
	f := old[len(old)-1]
	*h = old[:len(old)-1]
	return f
}

// discover finds the templates a file's nested stacks include, reading
// each stack's TemplateURL without a parent's context (parameters at their
// defaults, unknown otherwise).
func (s *set) discover(f *file, depth int) {
	if f.discovered || f.t == nil || depth > maxNesting {
		return
	}
	f.discovered = true
	r := newResolver(f.t)
	r.region, r.account = s.opts.Region, s.opts.Account
	for _, res := range f.t.resources {
		if res.typ != typeStack || r.resourceCondition(res) == triFalse {
			continue
		}
		child, _ := s.locate(f, r.resolve(res.props.val("TemplateURL")))
		if child == nil || child == f || slices.Contains(f.children, child) {
			continue
		}
		f.children = append(f.children, child)
		s.discover(child, depth+1)
	}
}

// unit reads one root template with its nested stacks. A template that
// cannot be parsed is an error entry and no unit.
func (s *set) unit(ctx context.Context, f *file) *build {
	if f.err != nil {
		s.errs = append(s.errs, loadError(f.rel, f.err))
		return nil
	}
	b := newBuild(f.rel, s)
	b.loadStack(ctx, stack{file: f.rel, src: f}, s.overrides)
	b.complete()
	return b
}

// cleanErrors drops repeated problems (a template read in several
// contexts reports its own once) and escapes what safetext.Line escapes,
// so no input byte reaches a terminal or a log as it was written.
func cleanErrors(errs []model.LoadError) []model.LoadError {
	type key struct {
		file, msg, level string
		line             int
	}
	seen := make(map[key]bool, len(errs))
	out := errs[:0]
	for _, e := range errs {
		e.Message = safetext.Line(e.Message)
		e.File = safetext.Line(e.File)
		k := key{e.File, e.Message, e.Level, e.Line}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	return out
}
