package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/internal/hclsafe"
)

// A .tf.json file is turned into the native syntax tree it stands for,
// and then read as a .tf file is: the same syntax guards bound it (the
// JSON parser hands string templates to the native parser only when they
// are evaluated, out of their reach), and the readers of the module need
// one form only. Terraform's JSON rules apply: a string is a template, an
// object key too, an array is a tuple; a variable's default is a literal
// value and its type a type expression written as a string. Without a
// schema, nested blocks of a resource stay attributes holding objects or
// lists of objects, which the resource builders read as blocks.

// jsonToSyntax returns the native body of a .tf.json file's top level.
func jsonToSyntax(body hcl.Body, diags *hcl.Diagnostics) *hclsyntax.Body {
	content, _, d := body.PartialContent(jsonTopSchema)
	*diags = append(*diags, d...)
	out := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
	if content == nil {
		return out
	}
	for _, b := range content.Blocks {
		rng := blockRange(b)
		nb := &hclsyntax.Block{Type: b.Type, Labels: b.Labels, TypeRange: b.DefRange, LabelRanges: b.LabelRanges,
			OpenBraceRange: b.DefRange, CloseBraceRange: hcl.Range{Filename: rng.Filename, Start: rng.End, End: rng.End}}
		nb.Body = &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: rng, EndRange: nb.CloseBraceRange}
		attrs, d := b.Body.JustAttributes()
		*diags = append(*diags, d...)
		for name, a := range attrs {
			if name == "//" {
				continue // a comment
			}
			var e hclsyntax.Expression
			switch {
			case b.Type == "variable" && name == "default":
				v, _ := a.Expr.Value(nil) // literal: strings are not templates here
				e = &hclsyntax.LiteralValueExpr{Val: v, SrcRange: a.Expr.Range()}
			case b.Type == "variable" && name == "type":
				e = jsonTypeExpr(a.Expr)
			default:
				e = hclsafe.FromJSON(a.Expr)
			}
			nb.Body.Attributes[name] = &hclsyntax.Attribute{Name: name, Expr: e, SrcRange: a.Range, NameRange: a.NameRange}
		}
		out.Blocks = append(out.Blocks, nb)
	}
	return out
}

// jsonTypeExpr reads a variable's type, a type expression in a string.
func jsonTypeExpr(e hcl.Expression) hclsyntax.Expression {
	v, d := e.Value(nil)
	if d.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: e.Range()}
	}
	r := e.Range()
	x, diags := hclsyntax.ParseExpression([]byte(v.AsString()), r.Filename, r.Start)
	if diags.HasErrors() {
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: r}
	}
	return x
}
