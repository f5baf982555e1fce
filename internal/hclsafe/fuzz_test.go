package hclsafe

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

	"github.com/vpclint/vpclint/internal/srcscan"
)

// FuzzParse: whatever the bytes, parsing them through the guards, walking
// what was built and evaluating it does not overflow the stack (a crash
// the fuzzer reports), for native syntax, templates and JSON alike. The
// evaluation has no variables nor functions, so it costs what the text
// holds but for loops over literal tuples, which the seeds keep small.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"x = [for a in [1, 2] : a * 2]\ny = \"${x}-%{ if true }a%{ endif }\"\n",
		"a {\n  b = <<EOT\n${1 + 2}\nEOT\n}\n",
		"x = (((1)))\ny = !!true ? -1 : 2\n",
		`{"x": {"a": "${1 + 1}", "b": [true, null, 1.5]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		evalAll := func(b *hclsyntax.Body) {
			_ = hclsyntax.VisitAll(b, func(hclsyntax.Node) hcl.Diagnostics { return nil })
			for _, a := range b.Attributes {
				_, _ = a.Expr.Value(&hcl.EvalContext{})
				_ = a.Expr.Variables()
			}
		}
		if f, _, err := ParseConfig(src, "x.tf", nil); err == nil && f != nil {
			evalAll(f.Body.(*hclsyntax.Body))
		}
		if e, _, err := ParseTemplate(src, "x.tftpl", nil); err == nil && e != nil {
			_, _ = e.Value(&hcl.EvalContext{})
		}
		if srcscan.JSON(src, srcscan.MaxDepth, srcscan.MaxTokens, true) == nil {
			if f, _ := hcljson.Parse(src, "x.tf.json"); f != nil {
				if attrs, _ := f.Body.JustAttributes(); attrs != nil {
					for _, a := range attrs {
						if e, err := Expr(FromJSON(a.Expr), nil); err == nil {
							_, _ = e.Value(&hcl.EvalContext{})
						}
					}
				}
			}
		}
	})
}
