package terraform

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/testenv"

	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// repoRoot is the module root (two levels above this package).
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// corpusDir locates the shared corpus, skipping (or failing in CI) when absent.
func corpusDir(t testing.TB) string {
	t.Helper()
	return testenv.Corpus(t, "terraform")
}

// tfDirs lists every directory under root holding .tf or .tf.json files,
// as loader.Loader would hand them over.
func tfDirs(t testing.TB, root string) []loader.Dir {
	t.Helper()
	seen := map[string]bool{}
	var dirs []loader.Dir
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (d.Name() == ".git" || d.Name() == ".terraform") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tf.json")) {
			dir := filepath.Dir(p)
			if !seen[dir] {
				seen[dir] = true
				rel, _ := filepath.Rel(root, dir)
				dirs = append(dirs, loader.Dir{Path: dir, Rel: filepath.ToSlash(rel)})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(dirs, func(i, j int) bool { return dirs[i].Path < dirs[j].Path })
	return dirs
}

// loadDir loads one directory tree the way a scan would.
func loadDir(t testing.TB, root string, opts loader.Options) ([]*model.Model, []model.LoadError) {
	t.Helper()
	if opts.WorkDir == "" {
		opts.WorkDir = root
	}
	if opts.Root == "" {
		opts.Root = root
	}
	if opts.Env == nil {
		opts.Env = []string{}
	}
	return New().LoadDirs(context.Background(), tfDirs(t, root), opts)
}

// writeTree writes files (slash-separated paths below dir to contents)
// under dir, making their directories.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// loadSource writes files into a temporary directory and loads it.
func loadSource(t testing.TB, files map[string]string, opts loader.Options) (*model.Model, []model.LoadError) {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, files)
	units, errs := loadDir(t, dir, opts)
	if len(units) != 1 {
		t.Fatalf("want 1 unit, got %d (errors %v)", len(units), errs)
	}
	return units[0], errs
}

func dump(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

type ctyValue = cty.Value

var ctyDynamic = cty.DynamicVal

// parseFile parses one file's bytes into the module, as readModule does
// with each file it reads.
func (m *moduleDef) parseFile(path, rel string, src []byte) {
	m.addFile(parseFileSource(path, rel, src))
}

// attr is the attribute of a name, nil when the body has none.
func (as evalAttrs) attr(name string) *evalAttr {
	a, _ := as.get(name)
	return a
}
