package cloudformation

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// corpusDir is the shared corpus of public templates, beside the repository.
func corpusDir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	repoRoot := filepath.Join(filepath.Dir(file), "..", "..")
	dir := filepath.Join(repoRoot, "..", "shared", "corpus", "cloudformation")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus missing: %v", err)
		}
		t.Skipf("corpus not present: %v", err)
	}
	return dir
}

// corpusFile is one corpus template with its source folder.
type corpusFile struct {
	source, path string
}

func corpusFiles(t testing.TB) []corpusFile {
	dir := corpusDir(t)
	var out []corpusFile
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		source, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		out = append(out, corpusFile{source: source, path: p})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// loadCorpusFile detects and loads one file, turning a panic into an error.
func loadCorpusFile(cf corpusFile) (detected bool, models []*model.Model, errs []model.LoadError, panicked any) {
	defer func() { panicked = recover() }()
	content, err := os.ReadFile(cf.path)
	if err != nil {
		return false, nil, nil, nil
	}
	in := loader.Input{Path: cf.path, Rel: filepath.Base(cf.path), Content: content}
	f := New()
	if !f.Detect(in) {
		return false, nil, nil, nil
	}
	models, errs = f.Load(context.Background(), in, loader.Options{})
	return true, models, errs, nil
}

func TestCorpusLoadsWithoutPanic(t *testing.T) {
	files := corpusFiles(t)
	detected, failed := 0, 0
	for _, cf := range files {
		ok, models, errs, p := loadCorpusFile(cf)
		if p != nil {
			t.Errorf("%s: panic: %v", cf.path, p)
			continue
		}
		if !ok {
			continue
		}
		detected++
		if len(models) == 0 {
			failed++
			t.Logf("%s: %v", cf.path, errs)
		}
	}
	t.Logf("%d files, %d detected as templates, %d failed to parse", len(files), detected, failed)
}
