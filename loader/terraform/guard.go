package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// maxSyntaxDepth bounds how deeply the syntax tree of one file nests,
// blocks and expressions together. The byte-level scan (internal/srcscan)
// bounds brackets, strings and conditionals before the parser runs; this
// bounds what the parser builds without recursing, chains of binary
// operators (1+1+...+1 is a tree as deep as it is long), which evaluation
// and every walk of the tree would then recurse through.
const maxSyntaxDepth = 1024

// syntaxGuard walks a parsed file before anything else reads it.
type syntaxGuard struct {
	max int
	// deep is where the tree first went deeper than max.
	deep *hcl.Range
}

// tooDeep reports whether the body nests deeper than the bound, walking
// at most that deep.
func tooDeep(b *hclsyntax.Body) *hcl.Range {
	g := &syntaxGuard{max: maxSyntaxDepth}
	g.body(b, 0)
	return g.deep
}

func (g *syntaxGuard) over(depth int, r hcl.Range) bool {
	if g.deep != nil {
		return true
	}
	if depth > g.max {
		g.deep = &r
		return true
	}
	return false
}

func (g *syntaxGuard) body(b *hclsyntax.Body, depth int) {
	if b == nil || g.over(depth, b.SrcRange) {
		return
	}
	for _, a := range b.Attributes {
		a.Expr = g.expr(a.Expr, depth+1)
	}
	for _, blk := range b.Blocks {
		g.body(blk.Body, depth+1)
	}
}

// expr walks an expression; it returns the expression to use in its place.
func (g *syntaxGuard) expr(e hclsyntax.Expression, depth int) hclsyntax.Expression {
	if e == nil || g.over(depth, e.Range()) {
		return e
	}
	d := depth + 1
	switch x := e.(type) {
	case *hclsyntax.ParenthesesExpr:
		x.Expression = g.expr(x.Expression, d)
	case *hclsyntax.RelativeTraversalExpr:
		x.Source = g.expr(x.Source, d)
	case *hclsyntax.FunctionCallExpr:
		for i, a := range x.Args {
			x.Args[i] = g.expr(a, d)
		}
	case *hclsyntax.ConditionalExpr:
		x.Condition = g.expr(x.Condition, d)
		x.TrueResult = g.expr(x.TrueResult, d)
		x.FalseResult = g.expr(x.FalseResult, d)
	case *hclsyntax.IndexExpr:
		x.Collection = g.expr(x.Collection, d)
		x.Key = g.expr(x.Key, d)
	case *hclsyntax.TupleConsExpr:
		for i, a := range x.Exprs {
			x.Exprs[i] = g.expr(a, d)
		}
	case *hclsyntax.ObjectConsExpr:
		for i := range x.Items {
			x.Items[i].KeyExpr = g.expr(x.Items[i].KeyExpr, d)
			x.Items[i].ValueExpr = g.expr(x.Items[i].ValueExpr, d)
		}
	case *hclsyntax.ObjectConsKeyExpr:
		x.Wrapped = g.expr(x.Wrapped, d)
	case *hclsyntax.ForExpr:
		x.CollExpr = g.expr(x.CollExpr, d)
		x.KeyExpr = g.expr(x.KeyExpr, d)
		x.ValExpr = g.expr(x.ValExpr, d)
		x.CondExpr = g.expr(x.CondExpr, d)
	case *hclsyntax.SplatExpr:
		x.Source = g.expr(x.Source, d)
		x.Each = g.expr(x.Each, d)
	case *hclsyntax.BinaryOpExpr:
		x.LHS = g.expr(x.LHS, d)
		x.RHS = g.expr(x.RHS, d)
	case *hclsyntax.UnaryOpExpr:
		x.Val = g.expr(x.Val, d)
	case *hclsyntax.TemplateExpr:
		for i, p := range x.Parts {
			x.Parts[i] = g.expr(p, d)
		}
	case *hclsyntax.TemplateJoinExpr:
		x.Tuple = g.expr(x.Tuple, d)
	case *hclsyntax.TemplateWrapExpr:
		x.Wrapped = g.expr(x.Wrapped, d)
	}
	return e
}
