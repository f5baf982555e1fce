package tfplan_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/analysis"
	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/terraform"
	"github.com/vpclint/vpclint/loader/tfplan"
	"github.com/vpclint/vpclint/model"
)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func basicDir() string {
	return filepath.Join(repoRoot(), "testdata", "loader", "tfplan", "basic")
}

// findings runs analysis and the built-in rules on units and returns
// "ID address file:line" lines, sorted.
func findings(t *testing.T, units []*model.Model) []string {
	t.Helper()
	ctx := context.Background()
	// SG008 (opt-in) locates a folded egress rule: run it too.
	eng, err := evaluator.New(ctx, evaluator.Options{Select: []evaluator.Selection{{Enable: []string{"SG008"}}}})
	if err != nil {
		// The rules are not this package's; their own tests report it.
		t.Skipf("the built-in rules do not compile: %v", err)
	}
	var out []string
	for _, u := range units {
		analysis.Analyze(u)
		fs, err := eng.Evaluate(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			out = append(out, fmt.Sprintf("%s %s %s:%d", f.RuleID, f.Resource.Address, f.Location.File, f.Location.StartLine))
		}
	}
	sort.Strings(out)
	return out
}

func loadPlan(t *testing.T, path string) []*model.Model {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	opts := loader.Options{WorkDir: repoRoot()}
	in := loader.Input{Path: path, Rel: loader.RelPath(opts.WorkDir, "", path), Content: b}
	units, errs := tfplan.New().Load(context.Background(), in, opts)
	for _, e := range errs {
		if e.Level == model.LevelError {
			t.Fatalf("load: %v", e)
		}
	}
	return units
}

// TestPlanFindingsPointAtSource: findings on a plan whose .tf lies next
// to it point at the exact lines of the .tf, folded rules and module
// resources included.
func TestPlanFindingsPointAtSource(t *testing.T) {
	got := findings(t, loadPlan(t, filepath.Join(basicDir(), "plan.json")))
	const tf = "testdata/loader/tfplan/basic/main.tf"
	want := []string{
		"SG001 aws_security_group.endpoints " + tf + ":46",
		"SG001 aws_security_group.web " + tf + ":63", // the separate aws_security_group_rule
		"SG001 module.sg.aws_security_group.this testdata/loader/tfplan/basic/modules/sg/main.tf:17",
		"SG008 aws_security_group.web " + tf + ":83",
		"EP002 aws_vpc_endpoint.s3 " + tf + ":124",
		"EP001 aws_vpc_endpoint.ecr " + tf + ":135",
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if g == w {
				found = true
			}
		}
		if !found {
			t.Errorf("missing finding %q", w)
		}
	}
	for _, g := range got {
		if !strings.Contains(g, ".tf:") || strings.HasSuffix(g, ":0") {
			t.Errorf("finding not located in the source: %s", g)
		}
	}
	if t.Failed() {
		t.Logf("findings:\n%s", strings.Join(got, "\n"))
	}
}

// TestPlanAndSourceParity: the plan and the .tf it came from give the same
// findings at the same lines. It runs once the HCL loader reads the
// directory.
func TestPlanAndSourceParity(t *testing.T) {
	for _, name := range []string{"basic", "parts", "modules"} {
		t.Run(name, func(t *testing.T) {
			opts := loader.Options{WorkDir: repoRoot()}
			dir := filepath.Join(basicDir(), "..", name)
			units, errs := terraform.New().LoadDirs(context.Background(), []loader.Dir{{Path: dir, Rel: loader.RelPath(opts.WorkDir, "", dir)}}, opts)
			if len(units) == 0 {
				t.Skipf("the HCL loader gives no unit yet (errors %v)", errs)
			}
			fromTF := findings(t, units)
			fromPlan := findings(t, loadPlan(t, filepath.Join(dir, "plan.json")))
			if len(fromPlan) == 0 {
				t.Error("no findings from the plan")
			}
			if strings.Join(fromTF, "\n") != strings.Join(fromPlan, "\n") {
				t.Errorf("findings differ\n.tf:\n%s\nplan:\n%s", strings.Join(fromTF, "\n"), strings.Join(fromPlan, "\n"))
			}
		})
	}
}
