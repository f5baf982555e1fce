// Package hclsafe parses HCL from untrusted files without letting the
// parser, or anything that walks what it built, run out of stack: the
// source is scanned first (internal/srcscan), and the syntax tree is then
// walked with a bound on its depth. The walk can rewrite expressions on
// the way, which the Terraform loader uses to put its guards in place.
package hclsafe

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/internal/srcscan"
)

// MaxDepth bounds how deeply the syntax tree of one file nests, blocks
// and expressions together. The byte-level scan bounds brackets, strings
// and conditionals before the parser runs; this bounds what the parser
// builds without recursing, chains of binary operators (1+1+...+1 is a
// tree as deep as it is long), which evaluation and every walk of the
// tree would then recurse through.
const MaxDepth = 1024

// TooDeepError is a syntax tree nested deeper than MaxDepth.
type TooDeepError struct{ Range hcl.Range }

func (e *TooDeepError) Error() string {
	return fmt.Sprintf("line %d: expression nested deeper than %d levels; not read", e.Range.Start.Line, MaxDepth)
}

// Rewrite replaces an expression, its children already walked; nil
// keeps every expression.
type Rewrite func(e hclsyntax.Expression) hclsyntax.Expression

// ParseConfig parses a native-syntax file: the source is scanned first,
// and the tree checked (and rewritten) after. A source refused returns
// a *srcscan.Error or *TooDeepError and no file.
func ParseConfig(src []byte, filename string, rw Rewrite) (*hcl.File, hcl.Diagnostics, error) {
	if err := srcscan.HCL(src, srcscan.MaxDepth); err != nil {
		return nil, nil, err
	}
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if f == nil {
		return nil, diags, nil
	}
	if sb, ok := f.Body.(*hclsyntax.Body); ok {
		if err := Body(sb, rw); err != nil {
			return nil, diags, err
		}
	}
	return f, diags, nil
}

// ParseTemplate parses a template (a templatefile's file) the same way.
func ParseTemplate(src []byte, filename string, rw Rewrite) (hclsyntax.Expression, hcl.Diagnostics, error) {
	if err := srcscan.Template(src, srcscan.MaxDepth); err != nil {
		return nil, nil, err
	}
	e, diags := hclsyntax.ParseTemplate(src, filename, hcl.InitialPos)
	if e == nil {
		return nil, diags, nil
	}
	e, err := Expr(e, rw)
	if err != nil {
		return nil, diags, err
	}
	return e, diags, nil
}

// Body checks a parsed body's depth and rewrites its expressions.
func Body(b *hclsyntax.Body, rw Rewrite) error {
	w := &walker{max: MaxDepth, rw: rw}
	w.body(b, 0)
	if w.deep != nil {
		return &TooDeepError{Range: *w.deep}
	}
	return nil
}

// Expr checks an expression's depth and rewrites it; it returns the
// expression to use in its place.
func Expr(e hclsyntax.Expression, rw Rewrite) (hclsyntax.Expression, error) {
	w := &walker{max: MaxDepth, rw: rw}
	e = w.expr(e, 0)
	if w.deep != nil {
		return e, &TooDeepError{Range: *w.deep}
	}
	return e, nil
}

// walker walks a syntax tree at most max levels deep.
type walker struct {
	max int
	rw  Rewrite
	// deep is where the tree first went deeper than max.
	deep *hcl.Range
}

// over reports whether the walk must stop at a node of this depth, and
// notes the node's range when it is the first too deep. The range is
// asked for only then: taking it for every node cost an allocation each
// (a tenth of the walk's time on a large module).
func (w *walker) over(depth int, n hclsyntax.Node) bool {
	if w.deep != nil {
		return true
	}
	if depth > w.max {
		r := n.Range()
		w.deep = &r
		return true
	}
	return false
}

func (w *walker) body(b *hclsyntax.Body, depth int) {
	if b == nil || w.over(depth, b) {
		return
	}
	for _, a := range b.Attributes {
		a.Expr = w.expr(a.Expr, depth+1)
	}
	for _, blk := range b.Blocks {
		w.body(blk.Body, depth+1)
	}
}

func (w *walker) expr(e hclsyntax.Expression, depth int) hclsyntax.Expression {
	if e == nil || w.over(depth, e) {
		return e
	}
	d := depth + 1
	switch x := e.(type) {
	case *hclsyntax.ParenthesesExpr:
		x.Expression = w.expr(x.Expression, d)
	case *hclsyntax.RelativeTraversalExpr:
		x.Source = w.expr(x.Source, d)
	case *hclsyntax.FunctionCallExpr:
		for i, a := range x.Args {
			x.Args[i] = w.expr(a, d)
		}
	case *hclsyntax.ConditionalExpr:
		x.Condition = w.expr(x.Condition, d)
		x.TrueResult = w.expr(x.TrueResult, d)
		x.FalseResult = w.expr(x.FalseResult, d)
	case *hclsyntax.IndexExpr:
		x.Collection = w.expr(x.Collection, d)
		x.Key = w.expr(x.Key, d)
	case *hclsyntax.TupleConsExpr:
		for i, a := range x.Exprs {
			x.Exprs[i] = w.expr(a, d)
		}
	case *hclsyntax.ObjectConsExpr:
		for i := range x.Items {
			x.Items[i].KeyExpr = w.expr(x.Items[i].KeyExpr, d)
			x.Items[i].ValueExpr = w.expr(x.Items[i].ValueExpr, d)
		}
	case *hclsyntax.ObjectConsKeyExpr:
		// A bare name is the key itself, not a reference (as the
		// parser's own walk has it).
		if x.ForceNonLiteral || hcl.ExprAsKeyword(x.Wrapped) == "" {
			x.Wrapped = w.expr(x.Wrapped, d)
		}
	case *hclsyntax.ForExpr:
		x.CollExpr = w.expr(x.CollExpr, d)
		x.KeyExpr = w.expr(x.KeyExpr, d)
		x.ValExpr = w.expr(x.ValExpr, d)
		x.CondExpr = w.expr(x.CondExpr, d)
	case *hclsyntax.SplatExpr:
		x.Source = w.expr(x.Source, d)
		x.Each = w.expr(x.Each, d)
	case *hclsyntax.BinaryOpExpr:
		x.LHS = w.expr(x.LHS, d)
		x.RHS = w.expr(x.RHS, d)
	case *hclsyntax.UnaryOpExpr:
		x.Val = w.expr(x.Val, d)
	case *hclsyntax.TemplateExpr:
		for i, p := range x.Parts {
			x.Parts[i] = w.expr(p, d)
		}
	case *hclsyntax.TemplateJoinExpr:
		x.Tuple = w.expr(x.Tuple, d)
	case *hclsyntax.TemplateWrapExpr:
		x.Wrapped = w.expr(x.Wrapped, d)
	}
	if w.rw != nil && w.deep == nil {
		return w.rw(e)
	}
	return e
}

// GuardPrefix starts the names of the functions a Rewrite may wrap an
// expression in (the Terraform loader's guards: "vpclint::iterate"...).
// Each takes the expression it guards as its first argument and returns
// its value, or an unknown one.
const GuardPrefix = "vpclint::"

// Unwrap returns the expression a guard call wraps (see GuardPrefix), or
// the expression itself: what reads the syntax of an expression (rather
// than its value) sees through the guards. Only the outer guards go:
// evaluate the expression given, not the one returned, so that the
// guards nested inside still apply.
func Unwrap(e hcl.Expression) hcl.Expression {
	for {
		c, ok := e.(*hclsyntax.FunctionCallExpr)
		if !ok || len(c.Args) == 0 || len(c.Name) <= len(GuardPrefix) || c.Name[:len(GuardPrefix)] != GuardPrefix {
			return e
		}
		e = c.Args[0]
	}
}

// Constant reports whether an expression is made of literals only
// (strings without interpolation, numbers, bools, null, tuples and
// objects of them, negation): evaluating it costs its size, unlike a for
// expression over literal tuples, which can cost their product.
func Constant(e hclsyntax.Expression) bool {
	switch x := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return true
	case *hclsyntax.TemplateExpr:
		for _, p := range x.Parts {
			if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
				return false
			}
		}
		return true
	case *hclsyntax.TemplateWrapExpr:
		return Constant(x.Wrapped)
	case *hclsyntax.ParenthesesExpr:
		return Constant(x.Expression)
	case *hclsyntax.UnaryOpExpr:
		return Constant(x.Val)
	case *hclsyntax.TupleConsExpr:
		for _, a := range x.Exprs {
			if !Constant(a) {
				return false
			}
		}
		return true
	case *hclsyntax.ObjectConsExpr:
		for _, it := range x.Items {
			if !Constant(it.KeyExpr) || !Constant(it.ValueExpr) {
				return false
			}
		}
		return true
	case *hclsyntax.ObjectConsKeyExpr:
		if hcl.ExprAsKeyword(x.Wrapped) != "" && !x.ForceNonLiteral {
			return true
		}
		return Constant(x.Wrapped)
	}
	return false
}

// FromJSON turns an expression of HCL's JSON syntax into the native
// expression it is evaluated as: a string is a template, an array a
// tuple, an object an object constructor whose keys are templates too.
// The result can then be checked and rewritten as native syntax is (the
// JSON parser parses string templates only when they are evaluated).
// Comment properties ("//") are dropped.
func FromJSON(e hcl.Expression) hclsyntax.Expression {
	r := e.Range()
	if l, ok := e.(interface{ ExprList() []hcl.Expression }); ok {
		if items := l.ExprList(); items != nil {
			t := &hclsyntax.TupleConsExpr{SrcRange: r, OpenRange: e.StartRange(), Exprs: make([]hclsyntax.Expression, len(items))}
			for i, it := range items {
				t.Exprs[i] = FromJSON(it)
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
					KeyExpr:   &hclsyntax.ObjectConsKeyExpr{Wrapped: FromJSON(kv.Key), ForceNonLiteral: true},
					ValueExpr: FromJSON(kv.Value),
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
