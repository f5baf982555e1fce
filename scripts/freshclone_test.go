package scripts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vpclint/vpclint/internal/testenv"
)

// inFreshCloneVar is set in the environment of the make that
// TestFreshClone runs, so that its copy does not run it again.
const inFreshCloneVar = "VPCLINT_IN_FRESH_CLONE"

// TestFreshClone runs `make test` as a new contributor or a fork's CI
// would: in a copy of the repository's files (tracked and not ignored,
// as a clone has them, with a .git of its own) that has no ../shared
// beside it, with CI=true and the other variables CI services set, none of
// the VPCLINT_REQUIRE_* variables, and a PATH without moto_server. It
// must pass, the tests that need the corpus or moto_server skipping with
// their reason.
//
// To stay cheap it runs the make test recipe (vet, the format check, go
// test) on the tests that reach the environment, found in the source
// (envDependentTests): the ones that use internal/testenv or mototest,
// read ../shared or look for moto_server (no test reads the CI services'
// variables; vpclint's own are VPCLINT_REQUIRE_*). The copy's packages are
// compiled once more (the build cache keys them by directory); nothing
// else runs twice, and the copy's place is kept from run to run so that
// the build cache serves it too (freshCloneDir). -short skips it.
func TestFreshClone(t *testing.T) {
	if os.Getenv(inFreshCloneVar) != "" {
		t.Skip("inside the fresh-clone copy")
	}
	if testing.Short() {
		t.Skip("-short: the fresh-clone run compiles the repository's packages again")
	}
	for _, tool := range []string{"git", "make"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	ls := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = ".."
	list, err := ls.Output()
	if err != nil {
		t.Skipf("not a git work tree (%v): nothing to clone", err)
	}

	repo := freshCloneDir(t)
	copyFiles(t, "..", repo, strings.Split(strings.TrimSuffix(string(list), "\x00"), "\x00"))
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=fresh", "-c", "user.email=fresh@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-q", "-m", "fresh clone")

	tests, err := envDependentTests(repo)
	if err != nil {
		t.Fatal(err)
	}
	delete(tests, "./scripts") // this test
	var pkgs, names []string
	for pkg, ns := range tests {
		pkgs = append(pkgs, pkg)
		names = append(names, ns...)
	}
	slices.Sort(pkgs)
	slices.Sort(names)
	names = slices.Compact(names)
	if len(pkgs) == 0 {
		t.Fatal("no test reaches the corpus or moto_server: the selection is broken")
	}
	t.Logf("in the copy: %d tests of %s: %s", len(names), strings.Join(pkgs, " "), strings.Join(names, " "))

	path := pathWithout(t, "moto_server")
	for prog, want := range map[string]bool{"moto_server": false, "go": true} {
		if _, err := lookPathIn(path, prog); (err == nil) != want {
			t.Skipf("with PATH=%s, %s found: %v (go and moto_server share a directory?)", path, prog, err == nil)
		}
	}
	// What every CI service sets, as a fork's or a new user's CI would:
	// no test may change its behaviour on it.
	env := append(slices.Clone(ciServiceEnv),
		"PATH="+path,
		inFreshCloneVar+"=1",
		// go vet ignores -run and -count; the regexp has no space.
		"GOFLAGS=-count=1 -v -run=^("+strings.Join(names, "|")+")$",
	)
	set := map[string]bool{}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		set[k] = true
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case set[k], strings.HasPrefix(k, "VPCLINT_"),
			// A make of its own, not one nested in the make running us.
			k == "MAKEFLAGS", k == "MFLAGS", k == "MAKELEVEL":
			continue
		}
		env = append(env, kv)
	}
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-30*time.Second))
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, "make", "test", "PKGS="+strings.Join(pkgs, " "))
	cmd.Dir = repo
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make test in a fresh clone (no ../shared, CI=true, no moto_server): %v\n%s", err, tail(string(out), 80))
	}
	// The run proves something only if the tests that need the corpus and
	// moto_server ran and skipped, saying how to require them.
	for _, v := range []string{testenv.RequireCorpusVar, testenv.RequireMotoVar} {
		if !strings.Contains(string(out), "set "+v+"=1") {
			t.Errorf("no test skipped for want of %s's dependency:\n%s", v, tail(string(out), 40))
		}
	}
}

// freshCloneDir is the directory to copy the repository into, alone in its
// parent (no ../shared). It is the same directory on every run from this
// work tree, under the user's cache directory, because the build cache keys
// packages by their directory: the next run then compiles only what
// changed, as in the work tree. A run that finds it in use (or no cache
// directory) takes a temporary directory and compiles everything.
func freshCloneDir(t *testing.T) string {
	t.Helper()
	if base, err := os.UserCacheDir(); err == nil {
		here, _ := filepath.Abs("..")
		sum := sha256.Sum256([]byte(here))
		parent := filepath.Join(base, "vpclint-tests", "fresh-clone-"+hex.EncodeToString(sum[:6]))
		lock := parent + ".lock"
		if fi, err := os.Stat(lock); err == nil && time.Since(fi.ModTime()) > 2*time.Hour {
			os.Remove(lock) // left by a run that was killed
		}
		if os.MkdirAll(filepath.Dir(parent), 0o755) == nil && os.Mkdir(lock, 0o755) == nil {
			// The copy is removed after the run too: the build cache
			// keys packages by directory and content, so the next copy at
			// the same path still finds its compiled packages.
			t.Cleanup(func() {
				os.RemoveAll(parent)
				os.Remove(lock)
			})
			if err := os.RemoveAll(parent); err == nil {
				return filepath.Join(parent, "vpclint")
			}
		}
	}
	return filepath.Join(t.TempDir(), "vpclint")
}

// copyFiles copies the files named relative to src into dst, keeping
// their modes and symbolic links; names that no longer exist (deleted in
// the work tree) are left out.
func copyFiles(t *testing.T, src, dst string, names []string) {
	t.Helper()
	for _, name := range names {
		from, to := filepath.Join(src, name), filepath.Join(dst, name)
		fi, err := os.Lstat(from)
		if err != nil {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(from)
			if err == nil {
				err = os.Symlink(target, to)
			}
			if err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, b, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// lookPathIn finds prog in the directories of path.
func lookPathIn(path, prog string) (string, error) {
	for _, dir := range filepath.SplitList(path) {
		p := filepath.Join(dir, prog)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = append([]string{"..."}, l[len(l)-lines:]...)
	}
	return strings.Join(l, "\n")
}

// ciServiceEnv is what GitHub Actions and GitLab CI set in every job.
var ciServiceEnv = []string{"CI=true", "GITHUB_ACTIONS=true", "GITLAB_CI=true"}

// envDependentTests finds, in the test files of every package under root,
// the Test functions that reach what a fresh clone may lack: they use
// internal/testenv or loader/awslive/mototest's Server, or a string naming
// ../shared or moto_server, directly or through a
// function or variable of their package's tests (by name: a name shared
// with another declaration only selects more). It returns them by
// package directory ("./cmd/vpclint").
func envDependentTests(root string) (map[string][]string, error) {
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if n := d.Name(); dir != root && (n == "testdata" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")) {
			return filepath.SkipDir
		}
		tests, err := envDependentTestsIn(dir)
		if err != nil {
			return err
		}
		if len(tests) > 0 {
			rel, _ := filepath.Rel(root, dir)
			out["./"+filepath.ToSlash(rel)] = tests
		}
		return nil
	})
	return out, err
}

func envDependentTestsIn(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil || len(files) == 0 {
		return nil, err
	}
	refs := map[string]map[string]bool{} // declaration -> names it uses
	tainted := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		// The local names of testenv and mototest.
		envPkgs := map[string]string{}
		for _, im := range file.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if strings.HasSuffix(p, "/internal/testenv") || strings.HasSuffix(p, "/mototest") {
				name := filepath.Base(p)
				if im.Name != nil {
					name = im.Name.Name
				}
				envPkgs[name] = filepath.Base(p)
			}
		}
		for _, decl := range file.Decls {
			var names []string
			switch d := decl.(type) {
			case *ast.FuncDecl:
				names = []string{d.Name.Name}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names = append(names, n.Name)
						}
					case *ast.TypeSpec:
						names = append(names, s.Name.Name)
					}
				}
			}
			used := map[string]bool{}
			direct := false
			ast.Inspect(decl, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.Ident:
					used[n.Name] = true
				case *ast.SelectorExpr:
					// All of testenv; of mototest, the server (its
					// other helpers only talk to one).
					if x, ok := n.X.(*ast.Ident); ok {
						pkg := envPkgs[x.Name]
						direct = direct || pkg == "testenv" || pkg == "mototest" && n.Sel.Name == "Server"
					}
				case *ast.BasicLit:
					if n.Kind == token.STRING {
						s, _ := strconv.Unquote(n.Value)
						direct = direct || strings.Contains(s, "../shared") || strings.Contains(s, "shared/corpus") ||
							strings.Contains(s, "moto_server")
					}
				}
				return true
			})
			for _, name := range names {
				if refs[name] == nil {
					refs[name] = map[string]bool{}
				}
				for u := range used {
					refs[name][u] = true
				}
				tainted[name] = tainted[name] || direct
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for name, used := range refs {
			if tainted[name] {
				continue
			}
			for u := range used {
				if tainted[u] && u != name {
					tainted[name], changed = true, true
					break
				}
			}
		}
	}
	var tests []string
	for name := range tainted {
		if tainted[name] && strings.HasPrefix(name, "Test") && name != "TestMain" {
			tests = append(tests, name)
		}
	}
	slices.Sort(tests)
	return tests, nil
}

// TestEnvDependentTests: the selection follows uses of testenv and
// mototest's server through helpers and package variables, and the
// strings that name ../shared or moto_server; it leaves out the rest,
// mototest's other helpers included.
func TestEnvDependentTests(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"a/a_test.go": `package a
import (
	"os"
	"testing"
	env "github.com/vpclint/vpclint/internal/testenv"
	"github.com/vpclint/vpclint/loader/awslive/mototest"
)
var moto mototest.Server
func requireMoto(t *testing.T) string { return moto.URL(t) }
func corpus(t *testing.T) string { return env.Corpus(t, "terraform") }
func viaHelper(t *testing.T) string { return corpus(t) }
func TestDirect(t *testing.T) { _ = env.SARIFSchema() }
func TestMoto(t *testing.T) { _ = requireMoto(t) }
func TestTwoHops(t *testing.T) { _ = viaHelper(t) }
func TestInTable(t *testing.T) { for _, f := range []func(*testing.T) string{corpus} { _ = f } }
func TestFakeCredentialsOnly(t *testing.T) { mototest.Env(t) }
func TestSharedPath(t *testing.T) { _, _ = os.Stat("../../shared/corpus") }
func TestMotoByName(t *testing.T) { _ = "moto_server" }
func TestPlain(t *testing.T) { _ = os.Getenv("HOME") }
func TestMain(m *testing.M) { moto.Close() }
`,
		"a/b_test.go": `package a_test
import "testing"
func TestOther(t *testing.T) {}
`,
		"b/b_test.go": `package b
import "testing"
func TestNothing(t *testing.T) {}
`,
		"a/testdata/x_test.go": `package x
import "testing"
func TestInTestdata(t *testing.T) { _ = "../shared" }
`,
	}
	for name, src := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := envDependentTests(root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"./a": {"TestDirect", "TestInTable", "TestMoto", "TestMotoByName", "TestSharedPath", "TestTwoHops"}}
	if len(got) != len(want) || !slices.Equal(got["./a"], want["./a"]) {
		t.Errorf("selected %v, want %v", got, want)
	}
}
