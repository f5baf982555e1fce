package evaluator

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpclint/vpclint/rules"
)

// TestSkippedStagesChangeNothing compiles the embedded rules with every
// stage and without checkStages and idleStages: the compiled modules must
// be the same, so skipping those stages at run time changes nothing that
// is evaluated. With every stage, the compiler also checks that no
// embedded rule calls a forbidden built-in (they are not in
// Capabilities), which New no longer walks the embedded rules for.
func TestSkippedStagesChangeNothing(t *testing.T) {
	srcs, err := rules.Modules(false)
	if err != nil {
		t.Fatal(err)
	}
	compile := func(skip bool) *ast.Compiler {
		modules := map[string]*ast.Module{}
		for name, src := range srcs {
			m, err := ast.ParseModuleWithOpts(name, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
			if err != nil {
				t.Fatal(err)
			}
			if err := checkForbidden(name, m); err != nil {
				t.Error(err)
			}
			modules[name] = m
		}
		c := ast.NewCompiler().WithCapabilities(Capabilities())
		if skip {
			c = c.WithSkipStages(append(checkStages, idleStages...)...)
		}
		if c.Compile(modules); c.Failed() {
			t.Fatal(c.Errors)
		}
		return c
	}
	all, checked := compile(false), compile(true)
	for name, m := range all.Modules {
		if got := checked.Modules[name]; got == nil || got.String() != m.String() {
			t.Errorf("%s compiles differently without the check stages", name)
		}
	}
}

// TestUserRulesAreChecked checks that the check stages are skipped only
// for the embedded rules: a user's rules get every check (types
// included), and a rule that fails one is refused.
func TestUserRulesAreChecked(t *testing.T) {
	ctx := context.Background()
	builtin, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	user, err := New(ctx, Options{RuleDirs: []string{"testdata/rules"}})
	if err != nil {
		t.Fatal(err)
	}
	// The last check stage records every built-in the rules call.
	if b, u := len(mustProgram(t, builtin).compiler.Required.Builtins), len(mustProgram(t, user).compiler.Required.Builtins); b >= u {
		t.Errorf("built-ins recorded: %d for the embedded rules alone, %d with a user's: the check stages ran on both or neither", b, u)
	}
	dir := t.TempDir()
	rule := `# METADATA
# title: Type error
# custom:
#   id: USR900
#   severity: low
package vpclint.rules.usr_type_error

deny contains {"resource": "x", "message": m} if {
	m := 1 + "a"
}
`
	if err := os.WriteFile(filepath.Join(dir, "bad.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(ctx, Options{RuleDirs: []string{dir}}); err == nil || !strings.Contains(err.Error(), "bad.rego") {
		t.Errorf("a user rule with a type error was accepted: %v", err)
	}
}

// TestCompileWhenFirstNeeded checks that New leaves the compilation of the
// embedded rules, the larger part of start-up, to the first evaluation
// (a scan with nothing to check never pays for it), and that the first
// evaluation compiles them.
func TestCompileWhenFirstNeeded(t *testing.T) {
	ctx := context.Background()
	mallocs := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.Mallocs - before.Mallocs
	}
	var e *Engine
	start := mallocs(func() {
		var err error
		if e, err = New(ctx, Options{}); err != nil {
			t.Fatal(err)
		}
	})
	first := mallocs(func() {
		if _, err := e.Evaluate(ctx, benchModel(1)); err != nil {
			t.Fatal(err)
		}
	})
	second := mallocs(func() {
		if _, err := e.Evaluate(ctx, benchModel(1)); err != nil {
			t.Fatal(err)
		}
	})
	// Compiling allocates about as many objects as parsing (200k each),
	// and takes twice the time.
	if first-second < start/2 {
		t.Errorf("New allocated %d objects and the first evaluation %d more than the second: the rules were compiled by New", start, first-second)
	}
}

// TestHeadersGiveTheCatalogue checks that the headers of the embedded
// rules (their METADATA and package line, all New parses of them) give
// the same catalogue as their whole files, whose deny rules the full
// parse also checks.
func TestHeadersGiveTheCatalogue(t *testing.T) {
	srcs, err := rules.Modules(false)
	if err != nil {
		t.Fatal(err)
	}
	whole, heads := map[string]*ast.Module{}, map[string]*ast.Module{}
	headers := map[string]bool{}
	for name, src := range srcs {
		opts := ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1}
		m, err := ast.ParseModuleWithOpts(name, src, opts)
		if err != nil {
			t.Fatal(err)
		}
		whole[name] = m
		h, ok := header(src)
		if !ok {
			t.Fatalf("%s: no package line", name)
		}
		if heads[name], err = ast.ParseModuleWithOpts(name, h, opts); err != nil {
			t.Fatalf("%s: header: %v", name, err)
		}
		headers[name] = true
	}
	wantPkgs, want, err := buildCatalogue(whole, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	gotPkgs, got, err := buildCatalogue(heads, nil, headers)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the headers give another catalogue than the whole files")
	}
	for name, w := range wantPkgs {
		if g := gotPkgs[name]; g == nil || g.file != w.file || g.line != w.line || g.idLine != w.idLine {
			t.Errorf("%s: read from the headers at %+v, from the whole files at %+v", name, g, w)
		}
	}
}

func TestHeader(t *testing.T) {
	tests := []struct {
		src, want string
		ok        bool
	}{
		{"# METADATA\n# title: T\npackage a.b\n\ndeny contains 1 if true\n", "# METADATA\n# title: T\npackage a.b\n", true},
		{"package a\nx := 1\n", "package a\n", true},
		{"# packages are\n  package a\npackage b", "# packages are\n  package a\npackage b\n", true},
		{"x := 1\n", "", false},
	}
	for _, tt := range tests {
		if got, ok := header(tt.src); got != tt.want || ok != tt.ok {
			t.Errorf("header(%q) = %q, %v; want %q, %v", tt.src, got, ok, tt.want, tt.ok)
		}
	}
}
