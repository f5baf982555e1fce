// Package hostiletest lays out the cases of the hostile suite
// (testdata/hostile/<part>/<case>/: a case's files and a want.txt of
// expectations, one a line) for the tests that run them: each front end's
// package, and the command line's. A case is written into <tmp>/repo, a
// git work tree whose .git/config holds a credential, beside
// <tmp>/outside, which holds secrets; no output of a scan may hold either,
// nor the temporary directory's path.
package hostiletest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The secrets planted by Plant: outside the scan root, and in .git.
const (
	OutsideSecret = "OUTSIDE-SECRET-5e1f0a"
	GitSecret     = "GIT-CREDENTIAL-5e1f0a"
)

// Case is one case of the suite.
type Case struct {
	Name string
	// Files maps a slash path in the case to its content. Files under
	// _parent/ go to the directory above the work tree, files under
	// _outside/ beside it; @OUTSIDE@ in a file stands for that directory.
	Files map[string]string
	// Want are the lines of want.txt, comments and blank lines left out.
	Want []string
}

// ReadCases reads every case directory under dir.
func ReadCases(t testing.TB, dir string) []Case {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []Case
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, ReadCase(t, filepath.Join(dir, e.Name())))
		}
	}
	return out
}

// ReadCase reads one case directory: its files and its want.txt.
func ReadCase(t testing.TB, dir string) Case {
	t.Helper()
	c := Case{Name: filepath.Base(dir), Files: map[string]string{}}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != "want.txt" {
			c.Files[filepath.ToSlash(rel)] = string(b)
			return nil
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
				c.Want = append(c.Want, l)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Want) == 0 {
		t.Fatalf("%s: no want.txt", dir)
	}
	return c
}

// Tree is a case laid out on disk.
type Tree struct {
	Top     string // the temporary directory
	Repo    string // the work tree, the scan root
	Outside string // beside it, with secret.txt and the _outside/ files
}

// Plant writes a case into a fresh temporary directory: the work tree
// (with .git unless the case wants "nogit"), the outside directory with
// secret.txt and the outside files given, and the case's files; then it
// makes the links ("link <name> <target>") and named pipes ("fifo
// <name>") the case wants, skipping the test where there are none.
func Plant(t testing.TB, c Case, outsideFiles map[string]string) Tree {
	t.Helper()
	top := t.TempDir()
	tr := Tree{Top: top, Repo: filepath.Join(top, "repo"), Outside: filepath.Join(top, "outside")}
	Write(t, filepath.Join(tr.Outside, "secret.txt"), OutsideSecret+"\n")
	for name, src := range outsideFiles {
		Write(t, filepath.Join(tr.Outside, filepath.FromSlash(name)), src)
	}
	if err := os.MkdirAll(tr.Repo, 0o755); err != nil {
		t.Fatal(err)
	}
	if !c.Wants("nogit") {
		Write(t, filepath.Join(tr.Repo, ".git", "HEAD"), "ref: refs/heads/main\n")
		Write(t, filepath.Join(tr.Repo, ".git", "config"), "[http]\n\textraheader = AUTHORIZATION: basic "+GitSecret+"\n")
	}
	for name, src := range c.Files {
		dst := filepath.Join(tr.Repo, filepath.FromSlash(name))
		switch {
		case strings.HasPrefix(name, "_parent/"):
			dst = filepath.Join(top, filepath.FromSlash(strings.TrimPrefix(name, "_parent/")))
		case strings.HasPrefix(name, "_outside/"):
			dst = filepath.Join(tr.Outside, filepath.FromSlash(strings.TrimPrefix(name, "_outside/")))
		}
		Write(t, dst, strings.ReplaceAll(src, "@OUTSIDE@", tr.Outside))
	}
	for _, w := range c.Want {
		f := strings.Fields(w)
		switch {
		case f[0] == "link" && len(f) == 3:
			p := filepath.Join(tr.Repo, filepath.FromSlash(f[1]))
			mkdir(t, filepath.Dir(p))
			if err := os.Symlink(strings.ReplaceAll(f[2], "@OUTSIDE@", tr.Outside), p); err != nil {
				t.Fatal(err)
			}
		case f[0] == "fifo" && len(f) == 2:
			p := filepath.Join(tr.Repo, filepath.FromSlash(f[1]))
			mkdir(t, filepath.Dir(p))
			if err := Mkfifo(p); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
		}
	}
	return tr
}

// Wants reports whether the case has the expectation line w.
func (c Case) Wants(w string) bool {
	for _, l := range c.Want {
		if l == w {
			return true
		}
	}
	return false
}

// Write writes a file, making its directories.
func Write(t testing.TB, p, content string) {
	t.Helper()
	mkdir(t, filepath.Dir(p))
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t testing.TB, d string) {
	t.Helper()
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
}

// CheckNoLeak fails t when an output holds a planted secret, the
// temporary directory (as given or with its links resolved), a file://
// URI, or one of the extra strings.
func (tr Tree) CheckNoLeak(t testing.TB, name, out string, extra ...string) {
	t.Helper()
	for _, l := range tr.Leaks(name, out, extra...) {
		t.Error(l)
	}
}

// Leaks is what CheckNoLeak reports: one line for each planted secret,
// host path or file:// URL that out holds.
func (tr Tree) Leaks(name, out string, extra ...string) []string {
	needles := append([]string{OutsideSecret, GitSecret, "file://", tr.Top, filepath.ToSlash(tr.Top)}, extra...)
	if real, err := filepath.EvalSymlinks(tr.Top); err == nil && real != tr.Top {
		needles = append(needles, real)
	}
	var leaks []string
	for _, s := range needles {
		if s == "" {
			continue
		}
		if i := strings.Index(out, s); i >= 0 {
			lo, hi := max(0, i-160), min(len(out), i+160)
			leaks = append(leaks, fmt.Sprintf("%s holds %q:\n...%s...", name, s, out[lo:hi]))
		}
	}
	return leaks
}
