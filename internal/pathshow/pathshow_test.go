package pathshow

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRel(t *testing.T) {
	tmp := t.TempDir()
	wd := filepath.Join(tmp, "wd")
	root := filepath.Join(tmp, "root")
	for _, d := range []string{filepath.Join(wd, "infra"), filepath.Join(root, "a")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "a", "x.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// The same directory reached through a link compares equal.
	if err := os.Symlink(root, filepath.Join(tmp, "alias")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, wd, root, p, want string
	}{
		{"below the work directory", wd, root, filepath.Join(wd, "infra", "main.tf"), "infra/main.tf"},
		{"below the root", wd, root, filepath.Join(root, "a", "b.tf"), "a/b.tf"},
		{"root given as a file", wd, filepath.Join(root, "a", "x.yaml"), filepath.Join(root, "a", "b.tf"), "b.tf"},
		{"through a link", wd, filepath.Join(tmp, "alias"), filepath.Join(root, "a", "b.tf"), "a/b.tf"},
		{"outside both", wd, root, filepath.Join(tmp, "other", "c.tf"), "../other/c.tf"},
		{"relative input", "", "", "x/y.tf", "x/y.tf"},
		{"current directory is /", "/", root, filepath.Join(root, "a", "b.tf"), "a/b.tf"},
	}
	for _, tt := range tests {
		got := Rel(tt.wd, tt.root, tt.p)
		if got != tt.want {
			t.Errorf("%s: Rel = %q, want %q", tt.name, got, tt.want)
		}
		if filepath.IsAbs(got) {
			t.Errorf("%s: absolute %q", tt.name, got)
		}
	}
}

func TestScrub(t *testing.T) {
	tmp := t.TempDir()
	wd := filepath.Join(tmp, "wd")
	root := filepath.Join(tmp, "root")
	for _, d := range []string{wd, root} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s := NewScrubber(wd, root, filepath.Join(wd, "infra"))
	tests := []struct{ in, want string }{
		{"open " + root + "/a/b.tf: permission denied", "open a/b.tf: permission denied"},
		{"module " + wd + "/infra/net failed", "module infra/net failed"},
		{"in " + root, "in ."},
		{"in " + root + "2/x", "in " + root + "2/x"},
		{"no path here", "no path here"},
	}
	for _, tt := range tests {
		if got := s.Scrub(tt.in); got != tt.want {
			t.Errorf("Scrub(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if home, err := os.UserHomeDir(); err == nil && home != "/" {
		if got := s.Scrub(home + "/.aws/config"); strings.Contains(got, home) {
			t.Errorf("home directory kept: %q", got)
		}
	}
}
