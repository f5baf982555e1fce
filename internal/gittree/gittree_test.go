package gittree

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/testenv"
)

// repo is a git repository made for a test.
type repo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T) *repo {
	t.Helper()
	r := &repo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *repo) git(args ...string) string {
	r.t.Helper()
	return testenv.Git(r.t, r.dir, "", args...)
}

func gitIn(t *testing.T, dir, stdin string, args ...string) string {
	t.Helper()
	return testenv.Git(t, dir, stdin, args...)
}

func (r *repo) write(name, body string) {
	r.t.Helper()
	p := filepath.Join(r.dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *repo) commit(msg string) string {
	r.git("add", "-A")
	r.git("commit", "-qm", msg)
	return r.git("rev-parse", "HEAD")
}

func TestWrite(t *testing.T) {
	r := newRepo(t)
	r.write("infra/main.tf", "# base\n")
	r.write("infra/modules/sg/main.tf", "# module\n")
	r.write("big.json", strings.Repeat("x", 100))
	r.write(".gitattributes", "infra/** export-ignore\n")
	if err := os.Symlink("../big.json", filepath.Join(r.dir, "infra", "link.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(r.dir, "outside.json")); err != nil {
		t.Fatal(err)
	}
	base := r.commit("base")
	// The work tree moves on; the base must be read as committed, and
	// the work tree must stay as it is.
	r.write("infra/main.tf", "# head\n")
	r.write("infra/new.tf", "# new\n")

	dest := t.TempDir()
	skipped, err := Write(context.Background(), r.dir, base, dest, Limits{File: 50, Total: 1 << 20, Files: 100})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"infra/main.tf":            "# base\n",
		"infra/modules/sg/main.tf": "# module\n",
		".gitattributes":           "infra/** export-ignore\n",
	} {
		got, err := os.ReadFile(filepath.Join(dest, name))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	for _, absent := range []string{"infra/new.tf", "big.json", ".git"} {
		if _, err := os.Lstat(filepath.Join(dest, absent)); err == nil {
			t.Errorf("%s was written", absent)
		}
	}
	if len(skipped) != 1 || skipped[0].Path != "big.json" {
		t.Errorf("skipped = %v, want big.json", skipped)
	}
	for link, target := range map[string]string{"infra/link.json": "../big.json", "outside.json": "/etc/passwd"} {
		got, err := os.Readlink(filepath.Join(dest, link))
		if err != nil || got != target {
			t.Errorf("link %s -> %q, %v; want %q", link, got, err, target)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(r.dir, "infra/main.tf")); string(got) != "# head\n" {
		t.Errorf("the work tree changed: %q", got)
	}
	if st := r.git("status", "--porcelain"); !strings.Contains(st, "infra/main.tf") || !strings.Contains(st, "infra/new.tf") {
		t.Errorf("git status changed: %q", st)
	}
}

// TestWriteHostileTree writes trees git's own porcelain would never make:
// a ".GIT" directory and a submodule, which are not written, and a link
// that leaves the tree, written as a link (the scan's root confinement
// refuses to follow it); nothing lands outside dest.
func TestWriteHostileTree(t *testing.T) {
	r := newRepo(t)
	blob := gitIn(t, r.dir, "[core]\n\thooksPath = /tmp\n", "hash-object", "-w", "--stdin")
	link := gitIn(t, r.dir, "..", "hash-object", "-w", "--stdin")
	dotgit := gitIn(t, r.dir, "100644 blob "+blob+"\tconfig\n", "mktree")
	tree := gitIn(t, r.dir, strings.Join([]string{
		"040000 tree " + dotgit + "\t.GIT",
		"160000 commit " + strings.Repeat("1", 40) + "\tvendor",
		"120000 blob " + link + "\tup",
		"100644 blob " + blob + "\tok.tf",
	}, "\n")+"\n", "mktree")
	commit := gitIn(t, r.dir, "", "commit-tree", tree, "-m", "hostile")

	parent := t.TempDir()
	dest := filepath.Join(parent, "tree")
	if err := os.Mkdir(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	skipped, err := Write(context.Background(), r.dir, commit, dest, Limits{File: 1 << 20, Total: 1 << 20, Files: 100})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, s := range skipped {
		reasons[s.Path] = s.Reason
	}
	if !strings.Contains(reasons[".GIT/config"], ".git") || !strings.Contains(reasons["vendor"], "submodule") {
		t.Errorf("skipped = %v", skipped)
	}
	if _, err := os.Stat(filepath.Join(dest, "ok.tf")); err != nil {
		t.Errorf("ok.tf: %v", err)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		t.Errorf("written beside the tree: %v", entries)
	}
}

func TestResolve(t *testing.T) {
	r := newRepo(t)
	r.write("main.tf", "# 1\n")
	first := r.commit("first")
	r.git("checkout", "-qb", "feature")
	r.write("main.tf", "# feature\n")
	r.commit("feature")
	r.git("checkout", "-q", "main")
	r.write("main.tf", "# main moved on\n")
	r.commit("main moves")
	r.git("checkout", "-q", "feature")
	ctx := context.Background()

	// A branch is compared where it forked, not with main's tip.
	b, err := Resolve(ctx, r.dir, "main")
	if err != nil || b.Commit != first || !b.MergeBase {
		t.Errorf("Resolve(main) = %+v, %v; want the merge base %s", b, err, first)
	}
	for _, bad := range []string{"no-such-ref", "--output=x", ""} {
		if _, err := Resolve(ctx, r.dir, bad); err == nil {
			t.Errorf("Resolve(%q): no error", bad)
		}
	}

	// A shallow clone of the pull request's merge commit with the base
	// fetched alone has no merge base: the ref itself is the base.
	r.git("checkout", "-q", "main")
	mainTip := r.git("rev-parse", "HEAD")
	r.git("merge", "-q", "--no-ff", "-X", "theirs", "-m", "merge", "feature")
	clone := filepath.Join(t.TempDir(), "clone")
	gitIn(t, r.dir, "", "clone", "-q", "--depth", "1", "file://"+r.dir, clone)
	gitIn(t, clone, "", "fetch", "-q", "--depth", "1", "origin", mainTip)
	b, err = Resolve(ctx, clone, mainTip)
	if err != nil || b.Commit != mainTip || b.MergeBase {
		t.Errorf("shallow Resolve = %+v, %v; want %s itself", b, err, mainTip)
	}
}

// TestWriteLimits: a commit over the file count or byte total is an
// error, not a partial tree (which would make its findings look fixed).
func TestWriteLimits(t *testing.T) {
	r := newRepo(t)
	for i := range 5 {
		r.write(filepath.Join("d", string(rune('a'+i))+".tf"), strings.Repeat("x", 10))
	}
	commit := r.commit("five files")
	for _, tt := range []struct {
		name    string
		lim     Limits
		wantErr string
	}{
		{"within", Limits{File: 10, Total: 50, Files: 5}, ""},
		{"too many files", Limits{File: 10, Total: 50, Files: 4}, "more than 4 files"},
		{"too many bytes", Limits{File: 10, Total: 49, Files: 5}, "more than 49 bytes"},
		{"entries left out count too", Limits{File: 5, Total: 50, Files: 4}, "more than 4 files"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Write(context.Background(), r.dir, commit, t.TempDir(), tt.lim)
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Write = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
