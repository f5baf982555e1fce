package gitdiff

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func run(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestChangedFiles(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, dir, "init", "-q", "-b", "main")
	write("a/main.tf", "# a\n")
	write("b/main.tf", "# b\n")
	run(t, dir, "add", ".")
	run(t, dir, "commit", "-qm", "base")
	run(t, dir, "checkout", "-qb", "feature")
	write("a/main.tf", "# a changed\n")
	run(t, dir, "commit", "-qam", "change a")
	write("c/new.yaml", "x: 1\n")

	got, err := ChangedFiles(context.Background(), dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	real, _ := filepath.EvalSymlinks(dir)
	for _, want := range []string{"a/main.tf", "c/new.yaml"} {
		if !got[filepath.Join(real, want)] && !got[filepath.Join(dir, want)] {
			t.Errorf("%s not reported as changed: %v", want, got)
		}
	}
	if got[filepath.Join(real, "b/main.tf")] || got[filepath.Join(dir, "b/main.tf")] {
		t.Errorf("b/main.tf reported as changed")
	}
	if _, err := ChangedFiles(context.Background(), dir, "no-such-ref"); err == nil {
		t.Error("unknown ref must be an error")
	}
}
