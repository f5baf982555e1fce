// Package compare tells what a change does to the findings: it scans the
// same paths as they are at a git ref (read from git's objects into a
// temporary tree, never checked out over the user's files) and matches the
// findings of the two scans by fingerprint, so that each finding of the
// work tree is new or unchanged and each finding of the ref that is gone
// is fixed (vpclint scan --compare REF).
//
// Fingerprints hold no line and no file path (evaluator.Fingerprint), so
// a finding survives lines moving above it and its file being renamed. The
// ref's tree is laid out so that its files are shown by the same relative
// paths as the work tree's: a unit's root, which the fingerprint includes
// when two units share an address, is then the same on both sides.
package compare

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/internal/gitcmd"
	"github.com/vpclint/vpclint/internal/gittree"
	"github.com/vpclint/vpclint/internal/pathshow"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/scan"
)

// Bounds on reading the ref's tree from git: the ref is as untrusted as
// the work tree, and git must neither hang the scan nor fill the disk.
const (
	// gitTimeout bounds finding the repository and resolving the ref;
	// writeTimeout bounds writing the ref's tree.
	gitTimeout   = time.Minute
	writeTimeout = 10 * time.Minute
	// maxTreeBytes and maxTreeFiles bound the tree written.
	maxTreeBytes = 2 << 30
	maxTreeFiles = 200_000
)

// Base is the scan of the paths at a ref.
type Base struct {
	// Ref is the ref as given; Commit and MergeBase say which commit's
	// tree was scanned (gittree.Resolve).
	Ref string
	gittree.Base
	// Findings are the ref's findings after the same post steps as the
	// work tree's (suppressions, baseline, severities shown).
	Findings []model.Finding
	// Errors are the input problems of the ref's scan.
	Errors []model.LoadError
	// Skipped are the files of the commit that were not written.
	Skipped []gittree.Skipped
	// Missing are the scanned paths, variables and parameters files that
	// the ref does not have (its scan goes without them).
	Missing []string
}

// Scan scans the paths of head as they are at ref, with head's rules,
// settings and post steps. head.Engine is built when nil, so that the
// work tree's scan uses the same engine. The temporary tree is removed
// before Scan returns.
func Scan(ctx context.Context, head *scan.Options, ref string) (*Base, error) {
	if head.Stream != nil || len(head.Units) > 0 {
		return nil, errors.New("--compare compares code: it cannot be combined with a live AWS audit")
	}
	if len(head.Paths) == 0 {
		return nil, errors.New("--compare needs paths to scan")
	}
	wd := head.Loader.WorkDir
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			return nil, fmt.Errorf("current directory: %w", err)
		}
	}
	wd = resolved(wd)
	first := absIn(wd, head.Paths[0])
	if st, err := os.Stat(first); err == nil && !st.IsDir() {
		first = filepath.Dir(first)
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("--compare %s: git is needed to read the ref: %w", ref, err)
	}
	gctx, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	top, err := gitcmd.Top(gctx, first)
	if err != nil {
		return nil, fmt.Errorf("--compare %s: %s: %w", ref, head.Paths[0], err)
	}
	top = resolved(top)
	for _, p := range head.Paths {
		if _, ok := pathshow.Within(top, resolved(absIn(wd, p))); !ok {
			return nil, fmt.Errorf("--compare %s: %s is not in the git work tree of %s", ref, p, head.Paths[0])
		}
	}
	base, err := gittree.Resolve(gctx, top, ref)
	if err != nil {
		return nil, fmt.Errorf("--compare: %w", err)
	}
	if head.Engine == nil {
		if head.Engine, err = evaluator.New(ctx, head.Evaluator); err != nil {
			return nil, err
		}
	}

	tmp, err := os.MkdirTemp("", "vpclint-compare-")
	if err != nil {
		return nil, fmt.Errorf("--compare: %w", err)
	}
	defer os.RemoveAll(tmp)
	l := newLayout(resolved(tmp), top, wd)
	for _, d := range []string{l.tree, l.wd} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("--compare: %w", err)
		}
	}
	wctx, cancelWrite := context.WithTimeout(ctx, writeTimeout)
	defer cancelWrite()
	skipped, err := gittree.Write(wctx, top, base.Commit, l.tree,
		gittree.Limits{File: loader.MaxFileSize, Total: maxTreeBytes, Files: maxTreeFiles})
	if err != nil {
		return nil, fmt.Errorf("--compare %s: %w", ref, err)
	}
	out := &Base{Ref: ref, Base: base, Skipped: skipped}

	opts, missing := l.options(head)
	out.Missing = missing
	if len(opts.Paths) == 0 {
		return out, nil // the ref has none of the paths: every finding is new
	}
	res, err := scan.Run(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("--compare %s: %w", ref, err)
	}
	out.Findings, out.Errors = res.Findings, res.Errors
	return out, nil
}

// layout places the ref's tree so that its files are shown as the work
// tree's are: the current directory's place in the repository is kept.
type layout struct {
	// top is the work tree's top directory; tree is where the ref's
	// files are written; wd is the current directory of the ref's scan.
	top, tree, wd string
	// headWD is the current directory of the work tree's scan.
	headWD string
}

func newLayout(tmp, top, wd string) *layout {
	l := &layout{top: top, headWD: wd}
	switch {
	case within(top, wd) != "":
		// Run from inside the repository: the same place in the tree.
		l.tree = filepath.Join(tmp, "tree")
		l.wd = filepath.Join(l.tree, within(top, wd))
	case within(wd, top) != "":
		// Run from above it: the tree as far below the directory.
		l.wd = filepath.Join(tmp, "wd")
		l.tree = filepath.Join(l.wd, within(wd, top))
	default:
		// Run from elsewhere: files are shown from the tree's top.
		l.tree = filepath.Join(tmp, "tree")
		l.wd = filepath.Join(tmp, "elsewhere")
	}
	return l
}

// within is p relative to dir ("." for dir itself), "" when p is not
// below dir.
func within(dir, p string) string {
	r, ok := pathshow.Within(dir, p)
	if !ok {
		return ""
	}
	return r
}

// move gives the place in the ref's tree of a path of the work tree
// (relative to the head's current directory or absolute), and whether
// it is in the repository.
func (l *layout) move(p string) (string, bool) {
	r := within(l.top, resolved(absIn(l.headWD, p)))
	if r == "" {
		return p, false
	}
	return filepath.Join(l.tree, r), true
}

// options are head's options for the ref's tree, and the scanned paths
// the ref does not have.
func (l *layout) options(head *scan.Options) (scan.Options, []string) {
	opts := scan.Options{
		Loader:      head.Loader,
		Evaluator:   head.Evaluator,
		Engine:      head.Engine,
		Loaders:     head.Loaders,
		Parallelism: head.Parallelism,
	}
	var missing []string
	for _, p := range head.Paths {
		moved, _ := l.move(p)
		if _, err := os.Lstat(moved); err != nil {
			missing = append(missing, p)
			continue
		}
		opts.Paths = append(opts.Paths, moved)
	}
	lo := &opts.Loader
	lo.WorkDir = l.wd
	lo.Root = l.tree
	if head.Loader.Root != "" {
		lo.Root, _ = l.move(head.Loader.Root)
	}
	if lo.SourceDir != "" {
		lo.SourceDir, _ = l.move(lo.SourceDir)
	}
	// Variables and parameters files of the repository are read as the
	// ref has them; one the ref does not have is left out.
	var gone []string
	lo.VarFiles, gone = l.files(head.Loader.VarFiles)
	missing = append(missing, gone...)
	lo.ParameterFiles, gone = l.files(head.Loader.ParameterFiles)
	missing = append(missing, gone...)
	if head.Post != nil {
		post := *head.Post
		post.Compare = nil
		post.WorkDir = l.wd
		post.Roots = []string{l.tree}
		if post.Now.IsZero() {
			post.Now = time.Now()
			head.Post.Now = post.Now
		}
		if head.Post.Changed != nil {
			post.Changed = map[string]bool{}
			for f := range head.Post.Changed {
				if moved, ok := l.move(f); ok {
					post.Changed[moved] = true
				}
			}
		}
		opts.Post = &post
	}
	return opts, missing
}

// files moves files of the repository into the ref's tree; those the ref
// does not have are returned apart.
func (l *layout) files(list []string) (out, missing []string) {
	for _, f := range list {
		moved, ok := l.move(f)
		if !ok {
			out = append(out, f)
			continue
		}
		if _, err := os.Stat(moved); err != nil {
			missing = append(missing, f)
			continue
		}
		out = append(out, moved)
	}
	return out, missing
}

// absIn makes p absolute against dir.
func absIn(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// resolved resolves the symbolic links of p's longest existing prefix, so that
// paths given through a link compare with git's.
func resolved(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(resolved(parent), filepath.Base(p))
}
