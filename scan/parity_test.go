package scan

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
//
// The plan is also scanned alone, without its .tf (as when a plan is
// scanned away from the code it came from): its configuration keeps
// references but not expressions, so the findings must be the same
// (rule, resource, attribute) except for scenarios whose decision needs
// an expression (needSource); there the plan alone may decide less,
// never more.
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
			alone := filepath.Join(t.TempDir(), filepath.Base(plan))
			content, err := os.ReadFile(plan)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(alone, content, 0o644); err != nil {
				t.Fatal(err)
			}
			withSource, fromAlone := withoutLocation(fromPlan), withoutLocation(findings(alone))
			if reason, ok := needSource[name]; ok {
				for _, f := range fromAlone {
					if !slices.Contains(withSource, f) {
						t.Errorf("the plan alone (%s) decides less, never more: %s", reason, f)
					}
				}
			} else if strings.Join(withSource, "\n") != strings.Join(fromAlone, "\n") {
				t.Errorf("findings differ without the source\nwith:\n  %s\nalone:\n  %s", strings.Join(withSource, "\n  "), strings.Join(fromAlone, "\n  "))
			}
		})
	}
	if n == 0 {
		t.Fatal("no fixture has both a .tf and a .plan.json")
	}
}

// needSource are the parity scenarios a plan decides only with its .tf:
// the plan's configuration keeps an expression's references, not the
// expression, so a service name built from an unknown region, or a
// conditional whose branches both name one endpoint (its references also
// hold the condition's variable, which could as well be another id), is
// decided only from the source.
var needSource = map[string]string{
	"DNS001/pos_conditional_private_dns.tf": "conditional target",
	"DNS001/pos_region_service.tf":          "service name template",
	"EP001/pos_region_service.tf":           "service name template",
	"EP001/pos_endpoint_service_data.tf":    "data.aws_vpc_endpoint_service",
}

// withoutLocation drops the file and line of findings ("rule address
// [attribute] file:line").
func withoutLocation(fs []string) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f[:strings.LastIndexByte(f, ' ')]
	}
	return out
}
