package terraform

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// BenchmarkCorpus loads the whole Terraform corpus, source by source, and
// reports the time per thousand resource instances evaluated (of every
// type: the loader evaluates them all, since supported resources refer
// to the others).
func BenchmarkCorpus(b *testing.B) {
	root := corpusDir(b)
	var sources [][]loader.Dir
	var roots []string
	for _, src := range corpusSources(b, root) {
		dir := filepath.Join(root, src)
		sources = append(sources, tfDirs(b, dir))
		roots = append(roots, dir)
	}
	resources := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resources = 0
		for j, dirs := range sources {
			opts := loader.Options{WorkDir: roots[j], Root: roots[j], Env: []string{}}
			_, _, stats := loadDirs(context.Background(), dirs, opts)
			resources += stats.instances
		}
	}
	b.StopTimer()
	if resources > 0 {
		perK := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(resources) * 1000 / 1e9
		b.ReportMetric(float64(resources), "resources")
		b.ReportMetric(perK, "s/1000resources")
	}
}

// FuzzModule parses and evaluates a module from bytes: any input may fail
// to load, none may panic.
func FuzzModule(f *testing.F) {
	for _, name := range []string{"all_types/main.tf", "all_types/separate.tf", "dynamic/main.tf", "for_each_rules/main.tf", "iam/main.tf", "invalid/main.tf", "module_twice/main.tf"} {
		if b, err := os.ReadFile(filepath.Join(fixtureDir(""), name)); err == nil {
			f.Add(b, false)
		}
	}
	f.Add([]byte(`{"resource":{"aws_security_group":{"x":{"ingress":[{"from_port":22,"to_port":22,"protocol":"tcp","cidr_blocks":["0.0.0.0/0"]}]}}}}`), true)
	f.Fuzz(func(t *testing.T, src []byte, isJSON bool) {
		name := "main.tf"
		if isJSON {
			name = "main.tf.json"
		}
		m, errs := loadBytes(t, name, src)
		if m == nil {
			for _, e := range errs {
				if e.Level == model.LevelError && e.File == "." {
					t.Fatalf("unit failed: %v", e)
				}
			}
		}
	})
}

// loadBytes loads a module made of one file with the given content,
// parsed from memory (no disk access but for a file() call).
func loadBytes(t *testing.T, name string, src []byte) (*model.Model, []model.LoadError) {
	dir := filepath.Join(os.TempDir(), "vpclint-fuzz-module")
	opts := loader.Options{WorkDir: dir, Root: dir, Env: []string{}}
	c := newCache()
	def := &moduleDef{dir: dir, files: map[string]*srcFile{}, variables: map[string]*variableDef{}, phantom: map[string]map[string]bool{}}
	def.parseFile(filepath.Join(dir, name), name, src)
	c.defs[moduleKey(dir, []string{name})] = def
	m, errs, _ := loadRoot(context.Background(), c, loader.Dir{Path: dir, Rel: ".", Files: []string{name}}, dir, &opts)
	return m, errs
}
