package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/loader"
)

// TestTerraformPlanParity scans every rule fixture written both as
// Terraform (<scenario>.tf) and as a plan of it (<scenario>.plan.json)
// through both front ends and requires the same findings: rule, resource,
// attribute, and the file and line they point at (a plan beside its .tf
// points into the .tf). Both read the AWS provider through loader/tfaws,
// so a difference is a difference in how a front end reads a value.
func TestTerraformPlanParity(t *testing.T) {
	eng, err := evaluator.New(context.Background(), evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wd, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := filepath.Glob(filepath.Join(fixturesRoot, "*", "*.plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, plan := range pairs {
		tf := strings.TrimSuffix(plan, ".plan.json") + ".tf"
		if _, err := os.Stat(tf); err != nil {
			continue
		}
		n++
		name := filepath.Base(filepath.Dir(plan)) + "/" + filepath.Base(tf)
		t.Run(name, func(t *testing.T) {
			findings := func(path string) []string {
				res, err := Run(context.Background(), Options{Paths: []string{path}, Engine: eng, Loader: loader.Options{WorkDir: wd}, KeepUnits: true})
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Units) != 1 {
					t.Fatalf("%s: %d units, errors %v", path, len(res.Units), res.Errors)
				}
				var out []string
				for _, f := range res.Findings {
					out = append(out, fmt.Sprintf("%s %s [%s] %s:%d", f.RuleID, f.Resource.Address, f.Attribute, f.Location.File, f.Location.StartLine))
				}
				sort.Strings(out)
				return out
			}
			fromTF, fromPlan := findings(tf), findings(plan)
			if strings.Join(fromTF, "\n") != strings.Join(fromPlan, "\n") {
				t.Errorf("findings differ\n.tf:\n  %s\nplan:\n  %s", strings.Join(fromTF, "\n  "), strings.Join(fromPlan, "\n  "))
			}
		})
	}
	if n == 0 {
		t.Fatal("no fixture has both a .tf and a .plan.json")
	}
}
