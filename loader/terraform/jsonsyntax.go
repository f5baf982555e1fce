package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
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
				e = jsonExpr(a.Expr)
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

// jsonExpr turns one JSON value into the native expression Terraform
// evaluates it as.
func jsonExpr(e hcl.Expression) hclsyntax.Expression {
	r := e.Range()
	if l, ok := e.(interface{ ExprList() []hcl.Expression }); ok {
		if items := l.ExprList(); items != nil {
			t := &hclsyntax.TupleConsExpr{SrcRange: r, OpenRange: e.StartRange(), Exprs: make([]hclsyntax.Expression, len(items))}
			for i, it := range items {
				t.Exprs[i] = jsonExpr(it)
			}
			return t
		}
	}
	if m, ok := e.(interface{ ExprMap() []hcl.KeyValuePair }); ok {
		if pairs := m.ExprMap(); pairs != nil {
			o := &hclsyntax.ObjectConsExpr{SrcRange: r, OpenRange: e.StartRange(), Items: make([]hclsyntax.ObjectConsItem, 0, len(pairs))}
			for _, kv := range pairs {
				k, _ := kv.Key.Value(nil)
				if k.IsKnown() && !k.IsNull() && k.Type() == cty.String && k.AsString() == "//" {
					continue // a comment
				}
				o.Items = append(o.Items, hclsyntax.ObjectConsItem{
					KeyExpr:   &hclsyntax.ObjectConsKeyExpr{Wrapped: jsonExpr(kv.Key), ForceNonLiteral: true},
					ValueExpr: jsonExpr(kv.Value),
				})
			}
			return o
		}
	}
	v, diags := e.Value(nil) // a primitive: strings come back verbatim
	if diags.HasErrors() {
		return &hclsyntax.ExprSyntaxError{Placeholder: cty.DynamicVal, ParseDiags: diags, SrcRange: r}
	}
	if v.Type() != cty.String || v.IsNull() || !v.IsKnown() {
		return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: r}
	}
	// Past the opening quote; escapes the JSON decoder removed shift
	// columns on the line, as in Terraform's own messages.
	start := hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + 1, Byte: r.Start.Byte + 1}
	t, diags := hclsyntax.ParseTemplate([]byte(v.AsString()), r.Filename, start)
	if diags.HasErrors() {
		return &hclsyntax.ExprSyntaxError{Placeholder: cty.DynamicVal, ParseDiags: diags, SrcRange: r}
	}
	return t
}
