package rules

import (
	"context"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestRego runs every _test.rego beside the rules, with the same data the
// evaluator gives them (data.config, data.vpclint.data).
func TestRego(t *testing.T) {
	srcs, err := Modules(true)
	if err != nil {
		t.Fatal(err)
	}
	modules := map[string]*ast.Module{}
	for p, src := range srcs {
		m, err := ast.ParseModuleWithOpts(p, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			t.Fatalf("parse %s: %v", p, err)
		}
		modules[p] = m
	}
	data, err := Data()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ch, err := tester.NewRunner().
		SetStore(inmem.NewFromObject(data)).
		CapturePrintOutput(true).
		RaiseBuiltinErrors(true).
		SetModules(modules).
		RunTests(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r := range ch {
		n++
		name := r.Package + "." + r.Name
		switch {
		case r.Error != nil:
			t.Errorf("%s: error: %v", name, r.Error)
		case r.Fail:
			t.Errorf("%s: failed%s", name, printed(r.Output))
		}
	}
	if n == 0 && len(srcs) > 2 {
		t.Errorf("no Rego tests ran")
	}
	t.Logf("%d Rego tests ran", n)
}

func printed(out []byte) string {
	s := strings.TrimSpace(string(out))
	if s == "" {
		return ""
	}
	return "\n" + s
}
