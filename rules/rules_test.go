package rules

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
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

// TestListNeedsDeclared keeps rules/lib/inventory.rego's table of the
// lists each rule needs and the rules' calls of inventory.decided in step:
// a rule in the table must call decided with its own id, and no rule may
// call it with another id or without an entry in the table.
func TestListNeedsDeclared(t *testing.T) {
	srcs, err := Modules(false)
	if err != nil {
		t.Fatal(err)
	}
	data, err := Data()
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
	c := ast.NewCompiler()
	if c.Compile(modules); c.Failed() {
		t.Fatal(c.Errors)
	}
	rs, err := rego.New(rego.Query("x := data.vpclint.lib.inventory.needs"), rego.Compiler(c),
		rego.Store(inmem.NewFromObject(data))).Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("read needs: %v %v", rs, err)
	}
	needs, _ := rs[0].Bindings["x"].(map[string]any)
	if len(needs) == 0 {
		t.Fatal("rules/lib/inventory.rego declares no needs")
	}
	idOf := regexp.MustCompile(`(?m)^#\s+id:\s*(\S+)`)
	call := regexp.MustCompile(`inventory\.decided\("([^"]*)"\)`)
	called := map[string]bool{}
	for p, src := range srcs {
		calls := call.FindAllStringSubmatch(src, -1)
		if len(calls) == 0 {
			continue
		}
		id := idOf.FindStringSubmatch(src)
		for _, c := range calls {
			switch {
			case id == nil:
				t.Errorf("%s calls inventory.decided(%q) but has no id", p, c[1])
			case c[1] != id[1]:
				t.Errorf("%s (%s) calls inventory.decided(%q): a rule asks for its own id", p, id[1], c[1])
			case needs[c[1]] == nil:
				t.Errorf("%s calls inventory.decided(%q), which rules/lib/inventory.rego's needs does not list", p, c[1])
			}
			called[c[1]] = true
		}
	}
	for id := range needs {
		if !called[id] {
			t.Errorf("rules/lib/inventory.rego says %s needs %v, but no rule calls inventory.decided(%q)", id, needs[id], id)
		}
	}
}
