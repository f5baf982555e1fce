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

// fuzzInputNames are the file names FuzzScan writes its input under, by
// kind: Terraform, a YAML template, and a JSON file that is a plan, an
// inventory snapshot or a CloudFormation template by its content.
var fuzzInputNames = []string{"main.tf", "template.yaml", "input.json"}

// FuzzScan runs the whole pipeline (loader, analysis, rules) on one
// arbitrary input of any front end (Terraform, CloudFormation YAML or
// JSON, plan JSON, inventory snapshot), seeded with the rule fixtures and
// a saved inventory: whatever a loader makes of the text, analysis and
// the Rego rules must not fail on the model it builds (scan reports a
// panic in them as an internal error), and a loader must report what it
// cannot read rather than crash. An inventory is the model itself, so
// this is also the fuzzing of the rules' input.
func FuzzScan(f *testing.F) {
	for _, pattern := range []string{"../testdata/rules/SG00[1-4]/*.tf", "../testdata/rules/NACL00[56]/*.yaml", "../testdata/rules/EP00[1-3]/*.tf", "../testdata/rules/AZ00[1-3]/*.yaml", "../testdata/rules/DNS001/*_zone*", "../testdata/rules/EP00[1-2]/*.plan.json", "../testdata/rules/SG007/*.json", "../testdata/loader/aws/inventory.json"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			kind := uint8(0)
			switch filepath.Ext(p) {
			case ".yaml":
				kind = 1
			case ".json":
				kind = 2
			}
			f.Add(kind, b)
		}
	}
	var (
		once sync.Once
		eng  *evaluator.Engine
		err  error
	)
	f.Fuzz(func(t *testing.T, kind uint8, content []byte) {
		once.Do(func() { eng, err = evaluator.New(context.Background(), evaluator.Options{}) })
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), fuzzInputNames[int(kind)%len(fuzzInputNames)])
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
