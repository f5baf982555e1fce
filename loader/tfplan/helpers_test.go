package tfplan

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/testenv"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// repoRoot is the module root (two levels above this package).
func repoRoot(t testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// corpusDir returns ../shared/corpus/<sub>, skipping when it is absent
// (failing under VPCLINT_REQUIRE_CORPUS=1).
func corpusDir(t testing.TB, sub string) string {
	return testenv.Corpus(t, sub)
}

// corpusPlans lists the JSON files under a corpus directory.
func corpusPlans(t testing.TB, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// loadFile runs Detect and Load on a file the way the loader does.
func loadFile(t testing.TB, path string, opts loader.Options) (bool, []*model.Model, []model.LoadError) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if opts.WorkDir == "" {
		opts.WorkDir = repoRoot(t)
	}
	rel := loader.RelPath(opts.WorkDir, filepath.Dir(path), path)
	in := loader.Input{Path: path, Rel: rel, Content: b}
	f := New()
	if !f.Detect(in) {
		return false, nil, nil
	}
	units, errs := f.Load(context.Background(), in, opts)
	return true, units, errs
}

// jsonUnmarshalLoose decodes what it can of a possibly BOM-prefixed file.
func jsonUnmarshalLoose(b []byte, v any) error {
	return json.Unmarshal(bytes.TrimPrefix(b, bom), v)
}
