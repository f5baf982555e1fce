package loader

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/vpclint/vpclint/internal/pathshow"
)

// ErrOutsideRoot is the error of a read refused because the file, its
// symbolic links followed, lies outside the scan root.
var ErrOutsideRoot = errors.New("outside the scan root")

// ErrNotRegular is the error of a read refused because the path is not a
// regular file (a named pipe, socket or device would block or never end).
var ErrNotRegular = errors.New("not a regular file")

// ScanRoot is the scan root of a path a user named: the git work tree that
// holds it (the nearest directory with a .git directory, or a .git file as
// in linked work trees and submodules), else the directory itself (for a
// file, its directory). The work tree is looked for among the path's own
// parents, before its links are followed, so a link committed in a
// repository (infra -> /) cannot move the root out of it. The result is
// absolute with symbolic links resolved. The file-system root and the
// system's temporary directory are never a work tree's root, so a .git
// planted in /tmp widens nothing.
func ScanRoot(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("scan root of %s: %w", p, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("scan root of %s: %w", p, pathshow.Pathless(err))
	}
	dir := abs
	if !st.IsDir() {
		dir = filepath.Dir(abs)
	}
	if top := workTree(dir); top != "" {
		return resolveExisting(top), nil
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("scan root of %s: %w", p, pathshow.Pathless(err))
	}
	if !st.IsDir() {
		real = filepath.Dir(real)
	}
	return real, nil
}

// workTree returns the nearest directory at or above dir holding a git
// work tree's .git entry, or "".
func workTree(dir string) string {
	forbidden := map[string]bool{}
	if tmp, err := filepath.Abs(os.TempDir()); err == nil {
		forbidden[tmp] = true
		forbidden[resolveExisting(tmp)] = true
	}
	for d := dir; ; {
		if !forbidden[d] && filepath.Dir(d) != d && isGitEntry(filepath.Join(d, ".git")) {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// isGitEntry reports whether p is a repository's .git: a directory with a
// HEAD, or a file pointing at one ("gitdir: ...").
func isGitEntry(p string) bool {
	st, err := os.Lstat(p)
	if err != nil {
		return false
	}
	if st.IsDir() {
		_, err := os.Stat(filepath.Join(p, "HEAD"))
		return err == nil
	}
	if !st.Mode().IsRegular() || st.Size() > 4096 {
		return false
	}
	b, err := os.ReadFile(p)
	return err == nil && strings.HasPrefix(string(b), "gitdir:")
}

// Within reports whether p, its symbolic links followed, is root or lies
// below it (root's links followed too); an empty root holds everything. A
// path that does not exist is judged by its longest existing prefix.
func Within(root, p string) bool {
	if root == "" {
		return true
	}
	ra, err := filepath.Abs(root)
	if err != nil {
		return false
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	_, ok := pathshow.Within(resolveExisting(ra), resolveExisting(abs))
	return ok
}

// InGitDir reports whether p, as written or with its symbolic links
// followed, lies in a .git directory at or below root (where a CI checkout
// keeps the job's credentials): no input is ever read from there. Both
// forms count, against root as written and resolved: a .git that is
// itself a link to a directory of the root hides behind its target.
func InGitDir(root, p string) bool {
	ra, err := filepath.Abs(root)
	if err != nil {
		return false
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return false
	}
	for _, r := range []string{ra, resolveExisting(ra)} {
		for _, x := range []string{abs, resolveExisting(abs)} {
			rel, ok := pathshow.Within(r, x)
			if !ok {
				continue
			}
			for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
				if strings.EqualFold(part, ".git") {
					return true
				}
			}
		}
	}
	return false
}

// resolveExisting follows the links of the longest existing prefix of an
// absolute path.
func resolveExisting(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(resolveExisting(parent), filepath.Base(p))
}

// ReadFile reads an input file: a regular file (links followed) of at
// most MaxFileSize bytes. A named pipe, socket, device or directory is
// refused with ErrNotRegular before it is opened for reading, so it can
// neither block the scan nor stream without end. Errors do not repeat the
// path (the caller names the file as the user sees it).
func ReadFile(fp string) ([]byte, error) {
	st, err := os.Stat(fp)
	if err != nil {
		return nil, pathshow.Pathless(err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w (%s)", ErrNotRegular, kind(st.Mode()))
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("file is %d bytes; the limit is %d", st.Size(), MaxFileSize)
	}
	f, err := openNoBlock(fp)
	if err != nil {
		return nil, pathshow.Pathless(err)
	}
	defer f.Close()
	// The file may have been swapped between the stat and the open.
	st, err = f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	// Read into a buffer of the file's size (plus the room ReadFrom wants
	// free to see the end) rather than one grown by doubling from 512
	// bytes: a large module's files were allocated about twice over.
	buf := bytes.NewBuffer(make([]byte, 0, min(st.Size(), MaxFileSize)+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, pathshow.Pathless(err)
	}
	b := buf.Bytes()
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("file is over %d bytes, the limit", MaxFileSize)
	}
	return b, nil
}

// ReadFileIn is ReadFile confined to the scan root: a path whose location,
// links followed, lies outside root is refused with ErrOutsideRoot and not
// opened.
func ReadFileIn(root, fp string) ([]byte, error) {
	if !Within(root, fp) {
		return nil, ErrOutsideRoot
	}
	return ReadFile(fp)
}

// kind names a non-regular file mode for messages.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}
