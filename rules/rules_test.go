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

// TestLibTablesMatchCalls keeps the tables of rules/lib and the rules'
// calls in step. inventory.rego's needs lists the lists each rule needs:
// such a rule must call inventory.decided with its own id. supersede.rego's
// supersedes lists the rules each rule supersedes: such a rule must call
// supersede.superseded with its own id, and the superseding rule must
// exist. No rule may call either with another id or without an entry.
func TestLibTablesMatchCalls(t *testing.T) {
	srcs, err := Modules(false)
	if err != nil {
		t.Fatal(err)
	}
	idOf := regexp.MustCompile(`(?m)^#\s+id:\s*(\S+)`)
	ids := map[string]string{} // rule id -> file
	for p, src := range srcs {
		if m := idOf.FindStringSubmatch(src); m != nil {
			ids[m[1]] = p
		}
	}
	needs := libTable(t, srcs, "data.vpclint.lib.inventory.needs")
	checkCalls(t, srcs, ids, `inventory\.decided\("([^"]*)"`, "rules/lib/inventory.rego's needs", func(id string) bool { return needs[id] != nil })
	for id := range needs {
		if ids[id] == "" {
			t.Errorf("rules/lib/inventory.rego's needs names %s, which no rule has", id)
		}
	}
	supersedes := libTable(t, srcs, "data.vpclint.lib.supersede.supersedes")
	weak := map[string]bool{}
	for strong, ws := range supersedes {
		if ids[strong] == "" {
			t.Errorf("rules/lib/supersede.rego: %s supersedes others, but no rule has that id", strong)
		}
		for _, w := range ws.([]any) {
			weak[w.(string)] = true
			if ids[w.(string)] == "" {
				t.Errorf("rules/lib/supersede.rego: %s supersedes %s, which no rule has", strong, w)
			}
		}
	}
	checkCalls(t, srcs, ids, `supersede\.superseded\("([^"]*)"`, "rules/lib/supersede.rego's supersedes", func(id string) bool { return weak[id] })
}

// libTable evaluates a document of the rule library.
func libTable(t *testing.T, srcs map[string]string, ref string) map[string]any {
	t.Helper()
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
	rs, err := rego.New(rego.Query("x := "+ref), rego.Compiler(c), rego.Store(inmem.NewFromObject(data))).Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("read %s: %v %v", ref, rs, err)
	}
	m, _ := rs[0].Bindings["x"].(map[string]any)
	if len(m) == 0 {
		t.Fatalf("%s is empty", ref)
	}
	return m
}

// checkCalls finds the calls of pattern (its group: the id passed) in
// every rule: each must pass the rule's own id, which listed must accept;
// and every id listed must be called by its rule.
func checkCalls(t *testing.T, srcs map[string]string, ids map[string]string, pattern, table string, listed func(string) bool) {
	t.Helper()
	idOf := regexp.MustCompile(`(?m)^#\s+id:\s*(\S+)`)
	call := regexp.MustCompile(pattern)
	called := map[string]bool{}
	for p, src := range srcs {
		for _, c := range call.FindAllStringSubmatch(src, -1) {
			id := idOf.FindStringSubmatch(src)
			switch {
			case id == nil:
				t.Errorf("%s passes %q to the library but has no id", p, c[1])
			case c[1] != id[1]:
				t.Errorf("%s (%s) passes %q to the library: a rule passes its own id", p, id[1], c[1])
			case !listed(c[1]):
				t.Errorf("%s passes its id %s to the library, which %s does not list", p, c[1], table)
			}
			called[c[1]] = true
		}
	}
	for id, p := range ids {
		if listed(id) && !called[id] {
			t.Errorf("%s lists %s, but %s does not ask the library with its id", table, id, p)
		}
	}
}
