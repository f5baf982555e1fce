package scan

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vpclint/vpclint/evaluator"
)

// FuzzScan runs the whole pipeline (loader, analysis, rules) on one
// arbitrary Terraform or CloudFormation file, seeded with the rule
// fixtures: whatever a loader makes of the text, analysis and evaluation
// must not fail on it (scan reports a panic in them as an internal error)
// and a loader must report what it cannot read rather than crash.
func FuzzScan(f *testing.F) {
	for _, pattern := range []string{"../testdata/rules/SG00[1-4]/*.tf", "../testdata/rules/NACL00[56]/*.yaml", "../testdata/rules/EP00[1-3]/*.tf", "../testdata/rules/AZ00[1-3]/*.yaml", "../testdata/rules/DNS001/*_zone*"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(filepath.Ext(p) == ".yaml", b)
		}
	}
	var (
		once sync.Once
		eng  *evaluator.Engine
		err  error
	)
	f.Fuzz(func(t *testing.T, yaml bool, content []byte) {
		once.Do(func() { eng, err = evaluator.New(context.Background(), evaluator.Options{}) })
		if err != nil {
			t.Fatal(err)
		}
		name := "main.tf"
		if yaml {
			name = "template.yaml"
		}
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, content, 0o600); err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), Options{Paths: []string{path}, Engine: eng})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Errors {
			if strings.Contains(e.Message, "internal error") {
				t.Fatalf("%s", e.Message)
			}
		}
	})
}
