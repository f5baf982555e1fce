package gitcmd

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestTopAndErrors(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Top(ctx, dir); err == nil || !strings.Contains(err.Error(), "not in a git repository") {
		t.Errorf("Top outside a repository: %v", err)
	}
	if _, err := Output(ctx, dir, nil, "init", "-q"); err != nil {
		t.Fatal(err)
	}
	if _, err := Output(ctx, dir, nil, "cat-file", "-t", "no-such-object"); err == nil || !strings.HasPrefix(err.Error(), "git cat-file: ") {
		t.Errorf("error does not name the command: %v", err)
	}
	top, err := Top(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if real, _ := filepath.EvalSymlinks(dir); top != real && top != dir {
		t.Errorf("Top = %q, want %q", top, dir)
	}
}

func TestCheckRef(t *testing.T) {
	for _, tt := range []struct {
		ref string
		ok  bool
	}{{"main", true}, {"origin/main", true}, {"a1b2c3", true}, {"", false}, {"-o", false}, {"--output=/etc/x", false}} {
		if err := CheckRef(tt.ref); (err == nil) != tt.ok {
			t.Errorf("CheckRef(%q) = %v", tt.ref, err)
		}
	}
}
