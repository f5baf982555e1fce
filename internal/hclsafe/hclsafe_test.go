package hclsafe

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/vpclint/vpclint/internal/srcscan"
)

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int // of the refusal; 0: parsed
		deep bool
	}{
		{"ordinary", "x = [1, 2]\ny = { a = 1 }\n", 0, false},
		{"parentheses", "\nx = " + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300), 2, false},
		{"binary chain", "x = 1" + strings.Repeat(" + 1", 2000), 1, true},
		{"binary chain within the bound", "x = 1" + strings.Repeat(" + 1", 1000), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, err := ParseConfig([]byte(tt.src), "x.tf", nil)
			if tt.line == 0 {
				if err != nil || f == nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var se *srcscan.Error
			var de *TooDeepError
			switch {
			case tt.deep && errors.As(err, &de) && de.Range.Start.Line == tt.line:
			case !tt.deep && errors.As(err, &se) && se.Line == tt.line:
			default:
				t.Fatalf("error %v, want a refusal at line %d", err, tt.line)
			}
		})
	}
}

// TestRewrite: the rewrite sees every expression, children first, and
// its result takes the expression's place.
func TestRewrite(t *testing.T) {
	f, _, err := ParseConfig([]byte(`x = [1 + 2, "a${1 + 1}"]`), "x.tf", func(e hclsyntax.Expression) hclsyntax.Expression {
		if b, ok := e.(*hclsyntax.BinaryOpExpr); ok && b.Op == hclsyntax.OpAdd {
			return &hclsyntax.LiteralValueExpr{Val: cty.NumberIntVal(40), SrcRange: e.Range()}
		}
		return e
	})
	if err != nil {
		t.Fatal(err)
	}
	v, diags := f.Body.(*hclsyntax.Body).Attributes["x"].Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got, _ := ctyjson.Marshal(v, v.Type()); string(got) != `[40,"a40"]` {
		t.Errorf("= %s", got)
	}
}

func TestFromJSON(t *testing.T) {
	src := `{"x": {"a": "${1 + 1}", "b": [true, null, 1.5, "lit"], "${\"k\"}": "v", "//": "comment"}}`
	f, diags := hcljson.Parse([]byte(src), "x.tf.json")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	attrs, _ := f.Body.JustAttributes()
	e := FromJSON(attrs["x"].Expr)
	v, diags := e.Value(&hcl.EvalContext{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got, _ := ctyjson.Marshal(v, v.Type()); string(got) != `{"a":2,"b":[true,null,1.5,"lit"],"k":"v"}` {
		t.Errorf("= %s", got)
	}
	if e.Range().Start.Line != 1 {
		t.Errorf("range %v", e.Range())
	}
}

func TestConstant(t *testing.T) {
	tests := map[string]bool{
		`"a"`:                      true,
		`-1`:                       true,
		`[1, "a", { b = [true] }]`: true,
		`{ "k" = null }`:           true,
		`"a${1}"`:                  true,
		`"a${x}"`:                  false,
		`[for x in [1, 2] : x]`:    false,
		`upper("a")`:               false,
		`var.x`:                    false,
		`{ (var.k) = 1 }`:          false,
		`1 + 1`:                    false,
		"<<EOT\nliteral\nEOT\n":    true,
	}
	for src, want := range tests {
		e, diags := hclsyntax.ParseExpression([]byte(src), "x.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if got := Constant(e); got != want {
			t.Errorf("Constant(%s) = %v", src, got)
		}
	}
}

// TestWalkReachesEveryExpression: the walk visits every expression the
// parser builds, of every kind (a kind it did not know would hide its
// children from the depth bound and the rewrite).
func TestWalkReachesEveryExpression(t *testing.T) {
	src := `
a = (1 + -2) * 3 > 4 ? "x${b.c[0]}%{ for k, v in d }${k}%{ endfor }" : <<EOT
  ${e[*].f}
EOT
g = { (h) = [for x in i : x if x != null], j = { for k, v in l : k => v... } }
m = n[0].o.p
q = upper(r...)
s = t.*.u
v = "${w}"
`
	f, _, err := ParseConfig([]byte(src), "x.tf", nil)
	if err != nil {
		t.Fatal(err)
	}
	body := f.Body.(*hclsyntax.Body)
	want := 0
	_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		if _, ok := n.(hclsyntax.Expression); ok {
			want++
		}
		return nil
	})
	got := 0
	if err := Body(body, func(e hclsyntax.Expression) hclsyntax.Expression { got++; return e }); err != nil {
		t.Fatal(err)
	}
	if got != want || got < 40 {
		t.Errorf("the walk visited %d expressions, the parser built %d", got, want)
	}
}
