package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/loader/tfaws"
)

// evalAttr is one evaluated attribute with where it was written.
type evalAttr struct {
	name string
	val  cty.Value
	expr hcl.Expression // nil for an attribute synthesized from a list element
	// startLine is the attribute's first line (of name = value): all of
	// its range that is read, kept alone to halve the size of the
	// evaluated attributes, which are held until the model is built.
	startLine int
	// ctx is the context the attribute was evaluated in (for AZ refs).
	ctx *hcl.EvalContext
}

// elemLine is the line of the i-th element of a list written inline, one
// per line; otherwise the attribute's line.
func (a *evalAttr) elemLine(i int) int {
	if a.expr != nil {
		if t, ok := tfaws.Unparen(a.expr).(*hclsyntax.TupleConsExpr); ok && i < len(t.Exprs) && a.val.IsKnown() && !a.val.IsNull() && a.val.CanIterateElements() && a.val.LengthInt() == len(t.Exprs) {
			return t.Exprs[i].Range().Start.Line
		}
	}
	return a.startLine
}

// evalBody is a block's body evaluated: attributes and nested blocks, with
// dynamic blocks expanded in place.
type evalBody struct {
	// startLine is the block's first line (of its range, the only part
	// read).
	startLine int
	attrs     evalAttrs
	blocks    map[string][]*evalBody
	// order of nested block types as first written
	blockOrder []string
	// unknownBlocks are block types of which a dynamic block could not be
	// expanded (its for_each is unknown).
	unknownBlocks map[string]bool
}

// newEvalBody makes a body of attrs attributes; blocks is made with the
// first nested block (most bodies have none).
func newEvalBody(startLine int, attrs int) *evalBody {
	return &evalBody{startLine: startLine, attrs: make(evalAttrs, 0, attrs)}
}

// evalAttrs are a body's attributes, each name once, in no order. A body
// has a few, read by name a few times each: one array of them cost a
// third of the allocations of a map of pointers to each, a large part of
// what stays in memory until the model is built.
type evalAttrs []evalAttr

// get is the attribute of a name, if the body has it. The pointer is
// into the body's array, complete once the body is evaluated.
func (as evalAttrs) get(name string) (*evalAttr, bool) {
	for i := range as {
		if as[i].name == name {
			return &as[i], true
		}
	}
	return nil, false
}

func (b *evalBody) addBlock(typ string, c *evalBody) {
	if b.blocks == nil {
		b.blocks = map[string][]*evalBody{}
	}
	if _, ok := b.blocks[typ]; !ok {
		b.blockOrder = append(b.blockOrder, typ)
	}
	b.blocks[typ] = append(b.blocks[typ], c)
}

// value is the body as a cty object: attributes, and nested blocks as
// tuples of objects.
func (b *evalBody) value() cty.Value { return cty.ObjectVal(b.fields()) }

// fields are the attributes and nested blocks of value, by name: a map
// of the caller's, which may add to it.
func (b *evalBody) fields() map[string]cty.Value {
	m := make(map[string]cty.Value, len(b.attrs)+len(b.blocks))
	for i := range b.attrs {
		m[b.attrs[i].name] = b.attrs[i].val
	}
	for k, list := range b.blocks {
		if b.unknownBlocks[k] {
			m[k] = cty.DynamicVal
			continue
		}
		vals := make([]cty.Value, len(list))
		for i, c := range list {
			vals[i] = c.value()
		}
		m[k] = cty.TupleVal(vals)
	}
	for k := range b.unknownBlocks {
		m[k] = cty.DynamicVal
	}
	return m
}

// nested returns the nested blocks of a type, also accepting the attribute
// form (`ingress = [{...}]`, and every nested block of a .tf.json file).
// known is false when they cannot be decided.
func (b *evalBody) nested(name string) (list []*evalBody, known bool) {
	if b.unknownBlocks[name] {
		return nil, false
	}
	if bl, ok := b.blocks[name]; ok {
		return bl, true
	}
	a, ok := b.attrs.get(name)
	if !ok {
		return nil, true
	}
	v := a.val
	if !v.IsKnown() {
		return nil, false
	}
	if v.IsNull() {
		return nil, true
	}
	ty := v.Type()
	if ty.IsObjectType() || ty.IsMapType() {
		return []*evalBody{objectBody(v, a, 0)}, true
	}
	if !v.CanIterateElements() {
		return nil, true
	}
	i := 0
	for it := v.ElementIterator(); it.Next(); i++ {
		_, e := it.Element()
		if !e.IsKnown() {
			return nil, false
		}
		if e.IsNull() || !(e.Type().IsObjectType() || e.Type().IsMapType()) {
			continue
		}
		list = append(list, objectBody(e, a, i))
	}
	return list, true
}

// objectBody turns an object value written in an attribute into a body
// whose attributes point at the element's line.
func objectBody(v cty.Value, a *evalAttr, i int) *evalBody {
	line := a.startLine
	var oc *hclsyntax.ObjectConsExpr
	if a.expr != nil {
		switch e := tfaws.Unparen(a.expr).(type) {
		case *hclsyntax.TupleConsExpr:
			if i < len(e.Exprs) {
				line = e.Exprs[i].Range().Start.Line
				oc, _ = tfaws.Unparen(e.Exprs[i]).(*hclsyntax.ObjectConsExpr)
			}
		case *hclsyntax.ObjectConsExpr:
			oc = e
		}
	}
	b := newEvalBody(line, v.LengthInt())
	var items map[string]*hclsyntax.ObjectConsItem
	if oc != nil {
		items = map[string]*hclsyntax.ObjectConsItem{}
		for j := range oc.Items {
			if k := objectKeyName(oc.Items[j].KeyExpr); k != "" {
				items[k] = &oc.Items[j]
			}
		}
	}
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		ea := evalAttr{name: k.AsString(), val: ev, startLine: line}
		if item, ok := items[k.AsString()]; ok {
			ea.expr = item.ValueExpr
			ea.startLine = hcl.RangeBetween(item.KeyExpr.Range(), item.ValueExpr.Range()).Start.Line
		}
		b.attrs = append(b.attrs, ea)
	}
	return b
}

func objectKeyName(e hclsyntax.Expression) string {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if kw := hcl.ExprAsKeyword(k.Wrapped); kw != "" {
			return kw
		}
		if v, d := k.Wrapped.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			return v.AsString()
		}
	}
	return ""
}
