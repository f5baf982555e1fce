package tfmodules

import (
	"os"
	"path/filepath"
	"testing"
)

func TestInstalled(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, ".terraform", "modules")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Dir":".terraform/modules/vpc"},{"Key":"abs","Dir":"/opt/mods/abs"}]}`
	if err := os.WriteFile(filepath.Join(dir, "modules.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	got := Installed(root)
	if got["vpc"] != filepath.Join(root, ".terraform", "modules", "vpc") || got["abs"] != "/opt/mods/abs" || len(got) != 2 {
		t.Errorf("Installed = %v", got)
	}
	if Installed(t.TempDir()) != nil {
		t.Error("no manifest must give nil")
	}
}

func TestWorkTreeAndWithin(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := WorkTree(sub); got != root {
		t.Errorf("WorkTree = %q, want %q", got, root)
	}
	tests := []struct {
		root, path string
		want       bool
	}{
		{root, sub, true},
		{root, root, true},
		{root, filepath.Dir(root), false},
		{root, root + "-other", false},
		{"", "/anything", true},
	}
	for _, tt := range tests {
		if got := Within(tt.root, tt.path); got != tt.want {
			t.Errorf("Within(%q, %q) = %v", tt.root, tt.path, got)
		}
	}
}
