package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/internal/hclsafe"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// TestCorpusWithinLimits: every source of the shared corpus (real
// modules, the peers' fixtures) uses less than a hundredth of each bound, so
// the bounds stop hostile input and nothing real.
func TestCorpusWithinLimits(t *testing.T) {
	root := corpusDir(t)
	var peak budget
	for _, src := range corpusSources(t, root) {
		dir := filepath.Join(root, src)
		_, errs, stats := loadDirs(context.Background(), tfDirs(t, dir), loader.Options{WorkDir: dir, Root: dir, Env: []string{}})
		for _, e := range errs {
			if strings.Contains(e.Message, "vpclint's limit") || strings.Contains(e.Message, "would iterate over more than") {
				t.Errorf("%s: %s", src, e.Error())
			}
		}
		peak.bytes = max(peak.bytes, stats.peak.bytes)
		peak.iterations = max(peak.iterations, stats.peak.iterations)
		peak.evaluations = max(peak.evaluations, stats.peak.evaluations)
		peak.work = max(peak.work, stats.peak.work)
	}
	t.Logf("peak per unit: %d bytes built, %d iterations, %d evaluations, %d gone through", peak.bytes, peak.iterations, peak.evaluations, peak.work)
	if peak.bytes > maxUnitBytes/100 || peak.iterations > maxIterations/100 || peak.evaluations > maxEvaluations/100 || peak.work > maxWork/100 {
		t.Errorf("a real configuration comes within a hundredth of a bound: %+v", peak)
	}
}

// TestGuards evaluates expressions that build more than their source,
// each in a fresh unit budget: the value is unknown and the note names
// the construct.
func TestGuards(t *testing.T) {
	double := func(n int) string {
		var b strings.Builder
		b.WriteString("[")
		for i := 0; i < n; i++ {
			b.WriteString(`"x",`)
		}
		b.WriteString("]")
		return b.String()
	}
	tests := []struct {
		expr string
		fn   string // the note's function; "" for a known value
	}{
		{`format("%999999999d", 1)`, "format"},
		{`format("%5d|%-3s", 1, "a")`, ""},
		{`formatlist("%0999999d", range(100))`, "formatlist"},
		{`indent(1000000000, "a\nb")`, "indent"},
		{`indent(2, "a\nb")`, ""},
		{`replace(join("", [for i in range(1000) : "aaaaaaaaaa"]), "a", join("", [for i in range(1000) : "aaaaaaaaaa"]))`, "replace"},
		{`replace(join("", [for i in range(1000) : "aaaaaaaaaa"]), "/a*/", join("", [for i in range(1000) : "aaaaaaaaaa"]))`, "replace"},
		{`replace("abc", "b", "x")`, ""},
		{`setproduct(range(1000), range(1000), range(1000))`, "setproduct"},
		{`length(setproduct(range(10), range(10)))`, ""},
		{`[for a in range(1000) : [for b in range(1000) : [for c in range(1000) : 1]]]`, guardIterate},
		{`tonumber("1e300000000")`, "tonumber"},
		{`1e4000 * 1e4000`, guardNumber},
		{`2 * 3`, ""},
		{`[for i in range(1000) : lookup({a = 1, b = 2}, "a")]`, ""},
		{`"${1e4000 * 1e4000}"`, guardNumber},
		{`length(jsondecode(join("", concat([for i in range(1000) : "["], [for i in range(1000) : "]"]))))`, ""},
		{`length(jsonencode(` + double(1000) + `))`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			var notes []callNote
			fns := unitFunctions(t.TempDir(), t.TempDir(), &notes)
			expr, diags := hclsyntax.ParseExpression([]byte(tt.expr), "test.tf", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			guarded, err := hclsafeExpr(expr)
			if err != nil {
				t.Fatal(err)
			}
			v, _ := guarded.Value(&hcl.EvalContext{Functions: fns})
			if tt.fn == "" {
				if len(notes) > 0 || !v.IsWhollyKnown() {
					t.Errorf("= %#v, notes %v", v, notes)
				}
				return
			}
			if v.IsWhollyKnown() {
				t.Errorf("= known, want unknown")
			}
			if len(notes) == 0 || notes[0].fn != tt.fn || notes[0].level != model.LevelError {
				t.Errorf("notes %v, want one for %s", notes, tt.fn)
			}
		})
	}
}

// TestBudgetAcrossCalls: values each within the bound still stop once the
// unit has built maxUnitBytes.
func TestBudgetAcrossCalls(t *testing.T) {
	var notes []callNote
	b := newBudget(func(n callNote) { notes = append(notes, n) })
	big := cty.StringVal(strings.Repeat("x", maxValueBytes-64))
	n := 0
	for b.charge("f", big) {
		n++
	}
	if n != maxUnitBytes/maxValueBytes-1 && n != maxUnitBytes/maxValueBytes {
		t.Errorf("%d values charged", n)
	}
	if len(notes) != 1 || !strings.Contains(notes[0].message, "built in this module tree") {
		t.Errorf("notes %v", notes)
	}
}

// hclsafeExpr puts the guards in place in an expression, as parsing does.
func hclsafeExpr(e hclsyntax.Expression) (hclsyntax.Expression, error) {
	return hclsafe.Expr(e, guardRewrite)
}

func TestMeasure(t *testing.T) {
	deep := cty.StringVal("x")
	for i := 0; i < maxValueDepth+1; i++ {
		deep = cty.TupleVal([]cty.Value{deep})
	}
	tests := []struct {
		v    cty.Value
		size int64
		bad  string
	}{
		{cty.StringVal("abc"), 16 + 3, ""},
		{cty.ObjectVal(map[string]cty.Value{"a": cty.True, "b": cty.NumberIntVal(1)}), 3 * 16, ""},
		{cty.UnknownVal(cty.String), 16, ""},
		{cty.NullVal(cty.List(cty.String)), 16, ""},
		{cty.MustParseNumberVal("1e4000"), 16, ""},
		{cty.MustParseNumberVal("1e5000"), 16, "a number too large to write out"},
		{cty.MustParseNumberVal("1e-5000"), 16, "a number too large to write out"},
		{deep, 0, "nested deeper than 4096 levels"},
	}
	for _, tt := range tests {
		size, bad := measure(tt.v, maxValueBytes)
		if bad != tt.bad || (tt.bad == "" && size != tt.size) {
			t.Errorf("measure(%#v) = %d, %q; want %d, %q", tt.v.Type().FriendlyName(), size, bad, tt.size, tt.bad)
		}
	}
}

// TestEvaluationEndsWithItsContext: a unit whose context is done stops
// evaluating within a few hundred expressions, however much is left.
func TestEvaluationEndsWithItsContext(t *testing.T) {
	dir := t.TempDir()
	var src strings.Builder
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&src, "resource \"aws_security_group\" \"g%d\" {\n  count       = 1000\n  description = \"g${count.index}\"\n}\n", i)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opts := loader.Options{WorkDir: dir, Root: dir, Env: []string{}}
	_, _, used := loadRoot(ctx, newCache(), loader.Dir{Path: dir, Rel: "."}, dir, &opts)
	if used.evaluations > 1000 {
		t.Errorf("%d expressions evaluated after the context ended", used.evaluations)
	}
	_, _, all := loadRoot(context.Background(), newCache(), loader.Dir{Path: dir, Rel: "."}, dir, &opts)
	if all.evaluations < 20000 {
		t.Errorf("%d expressions evaluated with a live context, want all", all.evaluations)
	}
}

// TestWorkAcrossCalls: calls each cheap enough stop once the unit's calls
// have gone through maxWork, but lookups, which read a part, do not count.
func TestWorkAcrossCalls(t *testing.T) {
	var notes []callNote
	b := newBudget(func(n callNote) { notes = append(notes, n) })
	mb := cty.StringVal(strings.Repeat("x", 1<<20))
	n := 0
	for b.goThrough("sha256", []cty.Value{mb}) {
		n++
	}
	if n < maxWork>>20-2 || n > maxWork>>20 {
		t.Errorf("%d calls went through", n)
	}
	if len(notes) != 1 || notes[0].fn != "sha256" || !strings.Contains(notes[0].message, "go through more than 1 GiB") {
		t.Errorf("notes %v", notes)
	}
}

// TestModuleItemsBounded: a module of many files, each within the token
// bound, is read until it holds maxModuleItems items (a chain of locals
// that long would recurse as deep when ordered).
func TestModuleItemsBounded(t *testing.T) {
	dir := t.TempDir()
	const perFile = 30_000
	for f := 0; f < 5; f++ {
		var b strings.Builder
		b.WriteString("locals {\n")
		for i := 0; i < perFile; i++ {
			n := f*perFile + i
			if n == 0 {
				b.WriteString("  a0 = 1\n")
				continue
			}
			fmt.Fprintf(&b, "  a%d = local.a%d\n", n, n-1)
		}
		b.WriteString("}\n")
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d.tf", f)), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts := loader.Options{WorkDir: dir, Root: dir, Env: []string{}}
	def, err := readModule(context.Background(), dir, nil, &opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(def.locals) != 4*perFile || !hasError(def.errs, model.LevelError, "f3.tf: the module has more than 100000") {
		t.Errorf("%d locals read, errors %v", len(def.locals), def.errs)
	}
}

// TestLiteralTemplates pins that a template of literal text alone is
// parsed into its string, equal to what evaluating the template gives,
// and that a template with anything to evaluate stays a template.
func TestLiteralTemplates(t *testing.T) {
	tests := []struct {
		name    string
		expr    string
		literal bool
	}{
		{"quoted string", `"sg-0"`, true},
		{"empty string", `""`, true},
		{"escapes", `"a\"b\n$${x}%%{y}"`, true},
		{"unicode to normalize", "\"cafe\u0301\"", true},
		{"heredoc", "<<EOT\nline one\nline two\nEOT\n", true},
		{"indented heredoc", "<<-EOT\n    a\n      b\n    EOT\n", true},
		{"interpolation", `"com.amazonaws.${var.region}.ec2"`, false},
		{"directive", `"%{if true}a%{endif}"`, false},
		{"only an interpolation", `"${var.x}"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte("a = " + tt.expr + "\n")
			orig, diags := hclsyntax.ParseConfig(src, "x.tf", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			want, _ := orig.Body.(*hclsyntax.Body).Attributes["a"].Expr.Value(&hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{"region": cty.StringVal("r"), "x": cty.StringVal("x")})}})
			body, _, err := parseSource(src, "x.tf", false, guardRewrite)
			if err != nil {
				t.Fatal(err)
			}
			e := body.Attributes["a"].Expr
			lit, isLit := e.(*hclsyntax.LiteralValueExpr)
			if isLit != tt.literal {
				t.Fatalf("parsed as %T, literal = %v, want %v", e, isLit, tt.literal)
			}
			if !isLit {
				return
			}
			if !lit.Val.RawEquals(want) {
				t.Fatalf("value %#v, the template gives %#v", lit.Val, want)
			}
			if lit.SrcRange != orig.Body.(*hclsyntax.Body).Attributes["a"].Expr.Range() {
				t.Fatalf("range %v, want the template's", lit.SrcRange)
			}
		})
	}
}
