// Package pathshow is the one place that decides how a file path is
// shown to users: relative to the current directory when the file lies
// below it (CI runs from the repository root, which GitHub code scanning
// needs), else relative to the scan root, and never absolute, so no
// report, error or note names a directory of the machine that ran the
// scan.
package pathshow

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Rel gives the path to show for p, with forward slashes: relative to
// workDir when p lies below it, else relative to root (a directory, or a
// file whose directory is meant), else relative to workDir with ".."
// elements. Symbolic links are resolved on both sides when the plain
// paths do not nest, so /tmp and /private/tmp compare equal. Only a path
// on another volume than workDir (Windows) is shown by its base name.
func Rel(workDir, root, p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	wd := ""
	if workDir != "" {
		wd, _ = filepath.Abs(workDir)
	}
	// Below the file-system root, "relative to the current directory" is
	// the absolute path without its slash: the scan root says more.
	if wd != "" && filepath.Dir(wd) != wd {
		if r, ok := below(wd, abs); ok {
			return r
		}
	}
	if root != "" {
		if ra, err := filepath.Abs(root); err == nil {
			if st, err := os.Stat(ra); err == nil && !st.IsDir() {
				ra = filepath.Dir(ra)
			}
			if r, ok := below(ra, abs); ok {
				return r
			}
		}
	}
	if wd == "" {
		wd, _ = os.Getwd()
	}
	if wd != "" {
		if r, err := filepath.Rel(resolve(wd), resolve(abs)); err == nil {
			return filepath.ToSlash(r)
		}
	}
	return filepath.Base(abs)
}

// below returns p relative to dir when p is dir or lies below it,
// comparing the resolved paths when the plain ones do not nest.
func below(dir, p string) (string, bool) {
	if r, ok := Within(dir, p); ok {
		return filepath.ToSlash(r), true
	}
	if r, ok := Within(resolve(dir), resolve(p)); ok {
		return filepath.ToSlash(r), true
	}
	return "", false
}

// Within returns p relative to dir when p is dir or lies below it; both
// must be absolute and clean.
func Within(dir, p string) (string, bool) {
	r, err := filepath.Rel(dir, p)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) || filepath.IsAbs(r) {
		return "", false
	}
	return r, true
}

// resolve follows the symbolic links of p's longest existing prefix, so a
// path that does not exist yet still compares with resolved ones.
func resolve(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(resolve(parent), filepath.Base(p))
}

// Scrubber rewrites the absolute directories it knows (the scan roots,
// the current directory, the home directory) in free text as the paths
// Rel would show, for messages built by libraries that name the files
// they fail on (an *fs.PathError, a parser's diagnostic).
type Scrubber struct {
	workDir string
	// dirs maps an absolute directory to what replaces it, longest first.
	dirs []scrubDir
}

type scrubDir struct{ abs, show string }

// NewScrubber knows workDir, the roots and the user's home directory, both
// as given and with links resolved.
func NewScrubber(workDir string, roots ...string) *Scrubber {
	s := &Scrubber{workDir: workDir}
	seen := map[string]bool{}
	add := func(dir, show string) {
		for _, d := range []string{dir, resolve(dir)} {
			if d == "" || d == string(filepath.Separator) || seen[d] {
				continue
			}
			seen[d] = true
			s.dirs = append(s.dirs, scrubDir{abs: d, show: show})
		}
	}
	for _, r := range roots {
		if ra, err := filepath.Abs(r); err == nil {
			if st, err := os.Stat(ra); err == nil && !st.IsDir() {
				ra = filepath.Dir(ra)
			}
			add(ra, Rel(workDir, ra, ra))
		}
	}
	if workDir != "" {
		if wa, err := filepath.Abs(workDir); err == nil {
			add(wa, ".")
		}
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		add(home, "~")
	}
	sort.SliceStable(s.dirs, func(i, j int) bool { return len(s.dirs[i].abs) > len(s.dirs[j].abs) })
	return s
}

// Scrub replaces each known absolute directory in text: "<dir>/a/b" reads
// "a/b" (or "<shown>/a/b" when the directory is shown as something other
// than "."), "<dir>" alone reads as the directory's shown path.
func (s *Scrubber) Scrub(text string) string {
	if s == nil || !strings.Contains(text, string(filepath.Separator)) {
		return text
	}
	for _, d := range s.dirs {
		if !strings.Contains(text, d.abs) {
			continue
		}
		var b strings.Builder
		rest := text
		for {
			i := strings.Index(rest, d.abs)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			after := rest[i+len(d.abs):]
			// Only a whole path element: /tmp/ab must not match /tmp/abc.
			if after != "" && after[0] != filepath.Separator && after[0] != '/' && isPathByte(after[0]) {
				b.WriteString(rest[:i+len(d.abs)])
				rest = after
				continue
			}
			b.WriteString(rest[:i])
			switch {
			case (strings.HasPrefix(after, "/") || strings.HasPrefix(after, string(filepath.Separator))) && d.show == ".":
				after = after[1:]
			case d.show != ".":
				b.WriteString(d.show)
			default:
				b.WriteString(".")
			}
			rest = after
		}
		text = b.String()
	}
	return text
}

func isPathByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Pathless drops the path an *fs.PathError or *os.LinkError repeats, so
// the caller can name the file as users see it, never by the absolute
// path the operation used.
func Pathless(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Errorf("%s: %w", le.Op, le.Err)
	}
	return err
}
