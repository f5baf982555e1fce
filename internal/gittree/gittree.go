// Package gittree writes the files of a git commit into a directory of
// their own, from git's objects (ls-tree and cat-file), for a scan of the
// code as it was at a ref (vpclint scan --compare): the user's work tree,
// index and HEAD are never touched, nothing is checked out, and
// .gitattributes (export-ignore, filters) plays no part.
//
// The commit's content is untrusted (it is a pull request's base or any
// ref): every file is created through an os.Root, so no name can write
// outside the directory, and no ".git" entry is written (a crafted one
// would make a directory look like a repository).
package gittree

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"strconv"
	"strings"
	"syscall"

	"github.com/vpclint/vpclint/internal/gitcmd"
)

// Base is the commit a ref is compared at.
type Base struct {
	// Commit is the full id of the commit to read.
	Commit string
	// MergeBase is true when Commit is the merge base of the ref and HEAD
	// (what a pull request shows); false when the clone has no merge base
	// (a shallow checkout, unrelated histories) and Commit is the ref's
	// own commit.
	MergeBase bool
}

// Resolve finds the commit of ref to compare HEAD with: the merge base of
// ref and HEAD, as a pull request compares, else ref's own commit.
func Resolve(ctx context.Context, top, ref string) (Base, error) {
	if err := gitcmd.CheckRef(ref); err != nil {
		return Base{}, err
	}
	out, err := gitcmd.Output(ctx, top, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err != nil {
		return Base{}, fmt.Errorf("%s is not a commit of this repository (fetch it first, e.g. git fetch origin main)", ref)
	}
	commit := strings.TrimSpace(string(out))
	mb, err := gitcmd.Output(ctx, top, nil, "merge-base", commit, "HEAD")
	if err != nil {
		// No common ancestor in this clone: a shallow clone of a pull
		// request's merge commit, whose first parent is the base itself.
		return Base{Commit: commit}, nil
	}
	return Base{Commit: strings.TrimSpace(string(mb)), MergeBase: true}, nil
}

// Skipped is a path of the commit that Write left out, and why.
type Skipped struct {
	Path   string
	Reason string
}

// entry is one line of ls-tree.
type entry struct {
	mode, typ, object string
	size              int64
	path              string
}

// Limits bound what Write writes: the commit is untrusted, and a tree of
// a million files or of gigabytes must fail the comparison rather than
// fill the disk.
type Limits struct {
	// File is the largest file written; larger ones are left out
	// (Skipped), as the loaders would refuse them.
	File int64
	// Total is the most bytes written, Files the most files and links:
	// a commit over either is an error.
	Total int64
	Files int
}

// Write writes the files of commit (a full id) below dest, an existing
// empty directory: regular files (mode 0644) and symbolic links. Files
// larger than lim.File are left out, as are submodules (their commit's
// files are in another repository), and paths with a ".git" component.
// A commit with more than lim.Files files or lim.Total bytes is an error.
func Write(ctx context.Context, top, commit, dest string, lim Limits) ([]Skipped, error) {
	var blobs, links []entry
	var skipped []Skipped
	var total int64
	entries := 0
	err := listTree(ctx, top, commit, func(e entry) error {
		// Every entry counts, those left out too: a listing of millions
		// of names stops here rather than filling memory.
		if entries++; entries > lim.Files {
			return fmt.Errorf("%s has more than %d files", short(commit), lim.Files)
		}
		switch {
		case gitComponent(e.path):
			skipped = append(skipped, Skipped{e.path, "a .git path is never written"})
		case e.typ == "commit":
			skipped = append(skipped, Skipped{e.path, "a submodule: its files are in another repository"})
		case e.typ != "blob":
			skipped = append(skipped, Skipped{e.path, "not a file (" + e.typ + ")"})
		case e.mode == "120000":
			links = append(links, e)
		case e.size > lim.File:
			skipped = append(skipped, Skipped{e.path, fmt.Sprintf("larger than %d bytes", lim.File)})
		default:
			blobs = append(blobs, e)
			if total += e.size; total > lim.Total {
				return fmt.Errorf("%s has more than %d bytes of files", short(commit), lim.Total)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	// Links last: a file is never written through a link made before it.
	all := append(blobs, links...)
	if err := readBlobs(ctx, top, all, func(e entry, r io.Reader) error {
		var err error
		if e.mode == "120000" {
			var target []byte
			if target, err = io.ReadAll(io.LimitReader(r, 4096)); err != nil {
				return err
			}
			err = writeLink(root, e.path, string(target))
		} else {
			err = writeFile(root, e.path, r)
		}
		// Two names one file system takes for the same (A.tf and a.tf
		// on a case-insensitive one), or a name below a link: the first
		// written stays.
		if errors.Is(err, os.ErrExist) || errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			skipped = append(skipped, Skipped{e.path, "another path of the commit is written there"})
			return nil
		}
		var pe *os.PathError
		if errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "escapes") {
			skipped = append(skipped, Skipped{e.path, "it would be written through a link that leaves the tree"})
			return nil
		}
		return err
	}); err != nil {
		return nil, err
	}
	return skipped, nil
}

// listTree streams `git ls-tree -r` of commit to each, one entry at a
// time; an error from each stops git and is listTree's.
func listTree(ctx context.Context, top, commit string, each func(entry) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "ls-tree", "-r", "-z", "-l", "--full-tree", commit)
	cmd.Dir = top
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git ls-tree: %w", err)
	}
	sc := bufio.NewScanner(stdout)
	// A record is a path (git allows 4096 bytes and more) and 80 bytes.
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	sc.Split(func(data []byte, atEOF bool) (int, []byte, error) {
		if i := bytes.IndexByte(data, 0); i >= 0 {
			return i + 1, data[:i], nil
		}
		if atEOF && len(data) > 0 {
			return len(data), data, nil
		}
		return 0, nil, nil
	})
	var ferr error
	for sc.Scan() {
		e, err := parseEntry(sc.Text())
		if err == nil {
			err = each(e)
		}
		if err != nil {
			ferr = err
			break
		}
	}
	if ferr == nil {
		if err := sc.Err(); err != nil {
			ferr = fmt.Errorf("git ls-tree: %w", err)
		}
	}
	if ferr != nil {
		cancel()
		_ = cmd.Wait()
		return ferr
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("list the files of %s: git ls-tree: %s", short(commit), strings.TrimSpace(stderr.String()+" "+err.Error()))
	}
	return nil
}

// parseEntry reads "<mode> <type> <object> <size>\t<path>".
func parseEntry(rec string) (entry, error) {
	meta, p, ok := strings.Cut(rec, "\t")
	f := strings.Fields(meta)
	if !ok || len(f) != 4 {
		return entry{}, fmt.Errorf("unexpected ls-tree line %q", rec)
	}
	e := entry{mode: f[0], typ: f[1], object: f[2], path: p}
	if f[3] != "-" {
		n, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return entry{}, fmt.Errorf("unexpected ls-tree size %q", f[3])
		}
		e.size = n
	}
	return e, nil
}

// gitComponent reports whether a path has a ".git" component, in any case
// (git itself refuses to check one out).
func gitComponent(p string) bool {
	for _, c := range strings.Split(p, "/") {
		if strings.EqualFold(c, ".git") {
			return true
		}
	}
	return false
}

// readBlobs streams the blobs' contents through one `git cat-file
// --batch`, in order, handing each to write.
func readBlobs(ctx context.Context, top string, es []entry, write func(entry, io.Reader) error) error {
	if len(es) == 0 {
		return nil
	}
	cmd := exec.CommandContext(ctx, "git", "cat-file", "--batch")
	cmd.Dir = top
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	go func() {
		w := bufio.NewWriter(stdin)
		for _, e := range es {
			if _, err := w.WriteString(e.object + "\n"); err != nil {
				break
			}
		}
		w.Flush()
		stdin.Close()
	}()
	br := bufio.NewReaderSize(stdout, 1<<16)
	var werr error
	for _, e := range es {
		header, err := br.ReadString('\n')
		if err != nil {
			werr = fmt.Errorf("git cat-file: %w", err)
			break
		}
		f := strings.Fields(header)
		if len(f) != 3 || f[1] != "blob" {
			werr = fmt.Errorf("git cat-file: unexpected answer %q for %s", strings.TrimSpace(header), e.path)
			break
		}
		size, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			werr = fmt.Errorf("git cat-file: unexpected size in %q", strings.TrimSpace(header))
			break
		}
		body := io.LimitReader(br, size)
		if err := write(e, body); err != nil {
			werr = fmt.Errorf("write %s: %w", e.path, err)
			break
		}
		// What write did not read, and the newline after the content.
		if _, err := io.Copy(io.Discard, body); err != nil {
			werr = fmt.Errorf("git cat-file: %w", err)
			break
		}
		if _, err := br.Discard(1); err != nil {
			werr = fmt.Errorf("git cat-file: %w", err)
			break
		}
	}
	if werr != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return werr
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git cat-file: %s", strings.TrimSpace(stderr.String()+" "+err.Error()))
	}
	return nil
}

func writeFile(root *os.Root, name string, r io.Reader) error {
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeLink makes a symbolic link as the commit has it, whatever it
// points at: the scan's root confinement decides what may be read
// through it, as in a work tree.
func writeLink(root *os.Root, name, target string) error {
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	if strings.ContainsRune(target, 0) {
		return errors.New("link target holds a NUL byte")
	}
	return root.Symlink(target, name)
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}
