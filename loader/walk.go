package loader

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/vpclint/vpclint/internal/pathshow"
	"github.com/vpclint/vpclint/model"
)

// skippedDirs are never descended into below a scanned path: tool caches
// and dependencies hold copies of code that is scanned where it lives.
var skippedDirs = map[string]bool{".git": true, ".terraform": true, "node_modules": true, ".terragrunt-cache": true}

// SkippedDir reports whether a directory of this name is left out of a
// walk below a scanned path (a cache, dependencies, .git), for a format
// that looks for files itself (CloudFormation's nested templates).
func SkippedDir(name string) bool { return skippedDirs[name] }

// groupKey groups a directory format's directories by scan root: a format
// loads each group with its own root.
type groupKey struct {
	format string
	root   string
}

// candidate is a file a FileFormat may read.
type candidate struct {
	path, root string
	explicit   bool // named on the command line
	from       int  // the index of the path named that led to it
}

// walk finds the inputs under the scanned paths.
type walk struct {
	l     *Loader
	opts  Options
	res   *Result
	dirs  map[groupKey]map[string][]string // dir -> files (nil = all)
	files []candidate
	// visited holds the resolved directories already walked, so a link
	// to a directory scanned elsewhere (or to a parent) is walked once.
	visited map[string]bool
	// links are the links to directories inside the root met in the
	// current path's walk, walked after its real directories.
	links []string
	// from is the index of the path being walked; found tells whether a
	// directory of a directory format was met in it.
	from  int
	found bool
	// terragrunt marks the paths in which a terragrunt.hcl was met;
	// skippedPath those that were refused or excluded as a whole (they
	// have their own note, or were meant to be left out).
	terragrunt, skippedPath map[int]bool
}

// path adds one path named by the user.
func (w *walk) path(p string) error {
	root := w.opts.Root
	if root == "" {
		var err error
		if root, err = ScanRoot(p); err != nil {
			return err
		}
	} else if r, err := filepath.Abs(root); err == nil {
		root = resolveExisting(r)
	}
	st, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("scan %s: %w", p, pathshow.Pathless(err))
	}
	// A path inside a work tree that is a link leading out of it (infra ->
	// /) is refused like any link met in the walk.
	if !Within(root, p) {
		w.note(root, p, model.LevelError, "skipped: symbolic link to a path outside the scan root")
		w.skipped()
		return nil
	}
	switch {
	case st.IsDir():
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			return fmt.Errorf("scan %s: %w", p, pathshow.Pathless(err))
		}
		w.visited[real] = true
		w.dir(p, p, root)
		// Directories reached through links come after the real tree,
		// so a directory is shown where it is, not where a link points
		// at it from.
		for len(w.links) > 0 {
			l := w.links[0]
			w.links = w.links[1:]
			if real, err := filepath.EvalSymlinks(l); err == nil && !w.visited[real] {
				w.visited[real] = true
				w.dir(p, l, root)
			}
		}
	case st.Mode().IsRegular():
		// A file named on the command line (as pre-commit names the
		// changed files) is excluded like one met in a walk.
		df := w.l.dirFormatFor(filepath.Base(p))
		if excludedPath(w.opts, "", root, p) {
			w.exclude(df, p)
			w.skipped()
			return nil
		}
		if df != nil {
			m := w.group(df, root)
			d := filepath.Dir(p)
			m[d] = append(m[d], filepath.Base(p))
			w.found = true
			return nil
		}
		w.files = append(w.files, candidate{path: p, root: root, explicit: true, from: w.from})
	default:
		w.note(root, p, model.LevelError, fmt.Sprintf("skipped: %s, not a regular file", kind(st.Mode())))
		w.skipped()
	}
	return nil
}

// exclude records an excluded file of directory format df (nil: not
// one), which lists the directory itself (OwnedFiles): it must leave the
// file out.
func (w *walk) exclude(df DirFormat, fp string) {
	if df == nil {
		return
	}
	if abs, err := filepath.Abs(fp); err == nil {
		w.opts.excluded[abs] = true
	}
}

// skipped marks the current path as refused or excluded as a whole.
func (w *walk) skipped() { w.skippedPath[w.from] = true }

func (w *walk) group(df DirFormat, root string) map[string][]string {
	k := groupKey{df.Name(), root}
	m := w.dirs[k]
	if m == nil {
		m = map[string][]string{}
		w.dirs[k] = m
	}
	return m
}

func (w *walk) note(root, p, level, msg string) {
	w.res.Errors = append(w.res.Errors, model.LoadError{File: RelPath(w.opts.WorkDir, root, p), Level: level, Message: msg})
}

// dir walks directory d (shown under the path the user named, even when
// reached through a link), in name order (os.ReadDir's).
func (w *walk) dir(scanPath, d, root string) {
	entries, err := os.ReadDir(d)
	if err != nil {
		w.note(root, d, model.LevelError, pathshow.Pathless(err).Error())
		return
	}
	for _, e := range entries {
		fp := filepath.Join(d, e.Name())
		name := e.Name()
		df := w.l.dirFormatFor(name)
		if excludedPath(w.opts, scanPath, root, fp) {
			if !e.IsDir() {
				w.exclude(df, fp)
			}
			continue
		}
		if name == "terragrunt.hcl" {
			w.terragrunt[w.from] = true
		}
		if df != nil && !e.IsDir() {
			// The format lists the directory itself (OwnedFiles), and
			// reports what it skips there.
			m := w.group(df, root)
			if _, ok := m[d]; !ok {
				m[d] = nil
			}
			w.found = true
			continue
		}
		if !e.IsDir() && !candidateExt[strings.ToLower(filepath.Ext(name))] {
			// Only a link to a directory can lead to inputs here (Stat
			// follows the link; it opens nothing).
			if st, err := os.Stat(fp); e.Type()&fs.ModeSymlink == 0 || err != nil || !st.IsDir() {
				continue
			}
		}
		switch k, why := classify(root, fp, e.Type()); k {
		case entryDir:
			if SkippedDir(name) {
				continue
			}
			if e.Type()&fs.ModeSymlink != 0 {
				w.links = append(w.links, fp)
				continue
			}
			if real, err := filepath.EvalSymlinks(fp); err == nil {
				if w.visited[real] {
					continue
				}
				w.visited[real] = true
			}
			w.dir(scanPath, fp, root)
		case entryFile:
			if candidateExt[strings.ToLower(filepath.Ext(name))] {
				w.files = append(w.files, candidate{path: fp, root: root, from: w.from})
			}
		case entrySkipped:
			w.note(root, fp, model.LevelWarning, why)
		}
	}
}

type entryKind int

const (
	entryFile entryKind = iota
	entryDir
	entrySkipped
)

// classify decides what the walk and the directory formats do with a
// directory entry of the given type: read it as a file, walk it as a
// directory, or skip it with a reason. A symbolic link is followed only
// while its target stays inside the scan root; anything that is neither a
// regular file nor a directory is never opened (a named pipe blocks a read
// forever, a device may never end).
func classify(root, fp string, mode fs.FileMode) (entryKind, string) {
	if mode&fs.ModeSymlink != 0 {
		target, err := filepath.EvalSymlinks(fp)
		if err != nil {
			return entrySkipped, "skipped: symbolic link to a missing file (or a link cycle)"
		}
		if !Within(root, target) {
			return entrySkipped, "skipped: symbolic link to a path outside the scan root"
		}
		st, err := os.Stat(target)
		if err != nil {
			return entrySkipped, "skipped: " + pathshow.Pathless(err).Error()
		}
		mode = st.Mode().Type()
	}
	switch {
	case mode.IsDir():
		return entryDir, ""
	case mode.IsRegular():
		return entryFile, ""
	}
	return entrySkipped, fmt.Sprintf("skipped: %s, not a regular file", kind(mode))
}

// OwnedFiles lists the files of dir whose names a directory format owns
// and that it may read: regular files, and symbolic links to regular files
// inside the scan root (opts.Root). The entries it skips are returned as
// warnings naming each file, for the format to report once. The names
// are in order, as os.ReadDir gives them.
func OwnedFiles(opts Options, dir string, owns func(name string) bool) ([]string, []model.LoadError, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, pathshow.Pathless(err)
	}
	root := opts.Root
	if root != "" {
		if r, err := filepath.Abs(root); err == nil {
			root = resolveExisting(r)
		}
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, err
	}
	var names []string
	var skipped []model.LoadError
	for _, e := range entries {
		if e.IsDir() || !owns(e.Name()) {
			continue
		}
		fp := filepath.Join(dir, e.Name())
		if opts.excluded[filepath.Join(absDir, e.Name())] {
			continue
		}
		switch k, why := classify(root, fp, e.Type()); k {
		case entryFile:
			names = append(names, e.Name())
		case entrySkipped:
			skipped = append(skipped, model.LoadError{File: RelPath(opts.WorkDir, opts.Root, fp), Level: model.LevelWarning, Message: why})
		}
	}
	return names, skipped, nil
}
