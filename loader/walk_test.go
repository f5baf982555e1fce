package loader

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vpclint/vpclint/internal/hostiletest"
	"github.com/vpclint/vpclint/model"
)

// gitTree makes dir a git work tree for ScanRoot.
func gitTree(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func real(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestScanRoot(t *testing.T) {
	tmp := t.TempDir()
	repo := filepath.Join(tmp, "repo")
	linked := filepath.Join(tmp, "linked")
	plain := filepath.Join(tmp, "plain")
	for _, d := range []string{filepath.Join(repo, "infra", "net"), filepath.Join(linked, "sub"), plain} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	gitTree(t, repo)
	// A linked work tree or submodule has a .git file.
	if err := os.WriteFile(filepath.Join(linked, ".git"), []byte("gitdir: ../repo/.git/worktrees/linked\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A link in the repository that leads out of it does not move the
	// root there.
	if err := os.Symlink(plain, filepath.Join(repo, "out")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(plain, "main.tf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{filepath.Join(repo, "infra", "net"), repo},
		{repo, repo},
		{filepath.Join(linked, "sub"), linked},
		{plain, plain},
		{filepath.Join(plain, "main.tf"), plain},
		{filepath.Join(repo, "out"), repo},
	}
	for _, tt := range tests {
		got, err := ScanRoot(tt.path)
		if err != nil || got != real(t, tt.want) {
			t.Errorf("ScanRoot(%s) = %q, %v; want %q", tt.path, got, err, real(t, tt.want))
		}
	}
	if _, err := ScanRoot(filepath.Join(tmp, "missing")); err == nil {
		t.Errorf("a missing path: %v", err)
	}
}

// TestWalkLinksAndSpecialFiles: links are followed only inside the scan
// root; links that leave it, dangling links and special files are skipped
// with a note naming the relative path; nothing blocks.
func TestWalkLinksAndSpecialFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links and named pipes")
	}
	tmp := t.TempDir()
	root := filepath.Join(tmp, "repo")
	outside := filepath.Join(tmp, "outside")
	for name, body := range map[string]string{
		"repo/app/stack.yaml":     "CFN\n",
		"repo/shared/common.yaml": "CFN\n",
		"repo/net/main.tf":        "",
		"outside/secret.yaml":     "CFN\nsecret",
		"outside/mod/main.tf":     "",
	} {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitTree(t, root)
	links := map[string]string{
		"app/inside.yaml":   filepath.Join(root, "shared", "common.yaml"), // inside: read
		"app/shared":        filepath.Join(root, "shared"),                // inside dir, already walked: once
		"app/loop":          filepath.Join(root, "app"),                   // a cycle: walked once
		"app/leak.yaml":     filepath.Join(outside, "secret.yaml"),        // leaves the root
		"app/leakdir":       outside,                                      // leaves the root
		"app/dangling.yaml": filepath.Join(root, "nope.yaml"),
		"net/leak.tf":       filepath.Join(outside, "mod", "main.tf"), // owned by the dir format: its own listing
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"app/pipe.yaml", "net/pipe.tf"} {
		if err := hostiletest.Mkfifo(filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	dirs := &listingDir{}
	cfn := &fakeFile{marker: "CFN"}
	l := &Loader{Dirs: []DirFormat{dirs}, Files: []FileFormat{cfn}}
	done := make(chan struct{})
	var res *Result
	var err error
	go func() {
		defer close(done)
		res, err = l.Load(context.Background(), []string{root}, Options{WorkDir: tmp})
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the walk blocked (on a named pipe?)")
	}
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(cfn.got)
	if want := []string{"repo/app/inside.yaml", "repo/app/stack.yaml", "repo/shared/common.yaml"}; !reflect.DeepEqual(cfn.got, want) {
		t.Errorf("files read %v, want %v", cfn.got, want)
	}
	notes := map[string]string{}
	for _, e := range res.Errors {
		if filepath.IsAbs(e.File) || strings.Contains(e.Message, tmp) {
			t.Errorf("absolute path in %+v", e)
		}
		notes[e.File] = e.Message
	}
	want := map[string]string{
		"repo/app/leak.yaml":     "outside the scan root",
		"repo/app/leakdir":       "outside the scan root",
		"repo/app/dangling.yaml": "missing file",
		"repo/app/pipe.yaml":     "named pipe",
		"repo/net/leak.tf":       "outside the scan root",
		"repo/net/pipe.tf":       "named pipe",
	}
	for f, msg := range want {
		if !strings.Contains(notes[f], msg) {
			t.Errorf("note for %s = %q, want %q", f, notes[f], msg)
		}
	}
	if len(notes) != len(want) {
		t.Errorf("notes %v, want one for each of %v", notes, want)
	}
	if !reflect.DeepEqual(dirs.names, []string{"main.tf"}) {
		t.Errorf("the directory format read %v, want only main.tf", dirs.names)
	}
	if res.Files != 4 {
		t.Errorf("files = %d, want 4 (3 templates and main.tf)", res.Files)
	}
}

// listingDir lists its directories with OwnedFiles, as a real format does.
type listingDir struct{ names []string }

func (f *listingDir) Name() string          { return "listing-tf" }
func (f *listingDir) Owns(name string) bool { return strings.HasSuffix(name, ".tf") }
func (f *listingDir) LoadDirs(_ context.Context, dirs []Dir, opts Options) ([]*model.Model, []model.LoadError) {
	var errs []model.LoadError
	for _, d := range dirs {
		names, skipped, err := OwnedFiles(opts, d.Path, f.Owns)
		if err != nil {
			errs = append(errs, model.LoadError{File: d.Rel, Message: err.Error()})
		}
		for _, n := range names {
			if _, err := ReadFileIn(opts.Root, filepath.Join(d.Path, n)); err != nil {
				errs = append(errs, model.LoadError{File: d.Rel, Message: err.Error()})
			}
		}
		f.names = append(f.names, names...)
		errs = append(errs, skipped...)
	}
	return nil, errs
}

func TestReadFileRefusesSpecialAndOutside(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("named pipes")
	}
	tmp := t.TempDir()
	root := filepath.Join(tmp, "root")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(tmp, "secret.txt")
	if err := os.WriteFile(secret, []byte("s3cr3t"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(root, "x.tf")
	if err := hostiletest.Mkfifo(fifo); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	link := filepath.Join(root, "link.tf")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		read func() ([]byte, error)
		want error
	}{
		{"named pipe", func() ([]byte, error) { return ReadFile(fifo) }, ErrNotRegular},
		{"directory", func() ([]byte, error) { return ReadFile(root) }, ErrNotRegular},
		{"link out of the root", func() ([]byte, error) { return ReadFileIn(root, link) }, ErrOutsideRoot},
		{"absolute path out of the root", func() ([]byte, error) { return ReadFileIn(root, secret) }, ErrOutsideRoot},
		{"dot-dot out of the root", func() ([]byte, error) { return ReadFileIn(root, filepath.Join(root, "..", "secret.txt")) }, ErrOutsideRoot},
	}
	for _, tt := range tests {
		b, err := tt.read()
		if err == nil || !strings.Contains(err.Error(), tt.want.Error()) || len(b) > 0 {
			t.Errorf("%s: %q, %v; want %v", tt.name, b, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), tmp) {
			t.Errorf("%s: the error names an absolute path: %v", tt.name, err)
		}
	}
	if b, err := ReadFileIn(tmp, link); err != nil || string(b) != "s3cr3t" {
		t.Errorf("a link inside the root must be read: %q, %v", b, err)
	}
}

func TestInGitDir(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{".git", "src/.GIT", "src/app"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(root, ".git"), filepath.Join(root, "src/app/cfg")); err != nil {
		t.Fatal(err)
	}
	// A .git that is a link to a directory of the root: the path as
	// written names .git, its target does not.
	if err := os.MkdirAll(filepath.Join(root, "sub/gitdata"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("gitdata", filepath.Join(root, "sub/.git")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want bool
	}{
		{".git/config", true},
		{"src/.GIT/x.yaml", true},
		{"src/app/cfg/config", true},
		{"src/app/main.yaml", false},
		{"sub/.git/config", true},
		{"sub/gitdata/config", false},
		{"gitlike/.gitignore", false},
		{"../elsewhere/.git/config", false},
	}
	for _, tc := range tests {
		if got := InGitDir(root, filepath.Join(root, tc.path)); got != tc.want {
			t.Errorf("InGitDir(%s) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

// TestReadFileAllocatesItsSize: ReadFile returns the file's bytes, read
// into one buffer of the file's size, not one grown by doubling (a large
// module's files were allocated about twice over).
func TestReadFileAllocatesItsSize(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 511, 512, 513, 64 << 10, 4 << 20} {
		want := bytes.Repeat([]byte("a"), size)
		fp := filepath.Join(dir, fmt.Sprintf("f%d.tf", size))
		if err := os.WriteFile(fp, want, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got, err := ReadFile(fp)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%d bytes: read %d bytes, not the file's", size, len(got))
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(size)+16<<10 {
			t.Errorf("%d bytes: ReadFile allocated %d bytes", size, alloc)
		}
	}
}
