package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/loader/tfaws"
)

// hclBody is tfaws.Body over an evaluated block body: a written attribute
// whose value is null is unset, one with an unknown part is unknown, and
// a reference is already the id it names (a resource's id is its
// address); an unknown reference is walked for the resources it may name.
type hclBody struct {
	body *evalBody
	inst *resInst
}

// set gives a written, non-null attribute.
func (h *hclBody) set(name string) *evalAttr {
	a, ok := h.body.attrs.get(name)
	if !ok || a.val.IsKnown() && a.val.IsNull() {
		return nil
	}
	return a
}

func (h *hclBody) Line() int { return h.body.startLine }

func (h *hclBody) Attr(name string) tfaws.Value {
	a := h.set(name)
	if a == nil {
		return tfaws.Value{}
	}
	out := tfaws.Value{State: tfaws.Unknown, Line: a.startLine}
	if !a.val.IsWhollyKnown() {
		if a.expr != nil {
			out.Symbol = tfaws.AZRef(a.expr, a.ctx)
		}
		return out
	}
	if a.val.Type() == cty.String {
		// A zone of data.aws_availability_zones: symbolic, not a name.
		if ref, ok := strings.CutPrefix(a.val.AsString(), azRefPrefix); ok {
			out.Symbol = ref
			return out
		}
	}
	out.State, out.V = tfaws.Known, tfaws.GoValue(a.val)
	if l, ok := out.V.([]any); ok {
		out.Elems = make([]int, len(l))
		for i := range l {
			out.Elems[i] = a.elemLine(i)
		}
	}
	return out
}

func (h *hclBody) Refs(name string) tfaws.Value { return h.Attr(name) }

func (h *hclBody) Ref(name string) tfaws.Ref {
	a := h.set(name)
	if a == nil {
		return tfaws.Ref{}
	}
	if s, ok := stringValue(a.val); ok {
		return tfaws.Ref{State: tfaws.Known, ID: s, Line: a.startLine}
	}
	r := tfaws.Ref{State: tfaws.Unknown, Line: a.startLine, Name: refName(h.inst, a)}
	if a.expr != nil {
		r.Candidates, _ = tfaws.Candidates(a.expr, h.eval(a))
	}
	return r
}

func (h *hclBody) Blocks(name string) ([]tfaws.Body, bool) {
	list, known := h.body.nested(name)
	if !known {
		return nil, false
	}
	out := make([]tfaws.Body, len(list))
	for i, b := range list {
		out[i] = &hclBody{body: b, inst: h.inst}
	}
	return out, true
}

func (h *hclBody) Pattern(name string) (string, bool) {
	a := h.set(name)
	if a == nil || a.expr == nil {
		return "", false
	}
	return tfaws.Pattern(a.expr, h.eval(a))
}

func (h *hclBody) eval(a *evalAttr) hclEval {
	return hclEval{mi: h.inst.mod, ctx: a.ctx}
}

// hclEval is tfaws.Evaluator in the context an attribute was evaluated in.
type hclEval struct {
	mi  *modInst
	ctx *hcl.EvalContext
}

func (e hclEval) Value(x hcl.Expression) cty.Value {
	if e.ctx == nil {
		return cty.DynamicVal
	}
	v, diags := x.Value(e.ctx)
	if diags.HasErrors() || v == cty.NilVal {
		return cty.DynamicVal
	}
	return v
}

func (e hclEval) IDs(x hcl.Expression) ([]string, bool) { return tfaws.IDsOf(e.Value(x)) }

func (e hclEval) Elems(c hcl.Expression, rest hcl.Traversal) ([]string, bool) {
	v := e.Value(c)
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() || v.Type().IsObjectType() && v.Type().HasAttribute("id") {
		return nil, false
	}
	return elemIDs(v, rest)
}

// elemIDs reads rest (the id when empty) of every element of a
// collection.
func elemIDs(v cty.Value, rest hcl.Traversal) ([]string, bool) {
	out := []string{}
	for it := v.ElementIterator(); it.Next(); {
		_, el := it.Element()
		if len(rest) > 0 {
			var diags hcl.Diagnostics
			if el, diags = rest.TraverseRel(el); diags.HasErrors() {
				return nil, false
			}
		}
		ids, ok := tfaws.IDsOf(el)
		if !ok {
			return nil, false
		}
		out = append(out, ids...)
	}
	return out, true
}

func (e hclEval) Refs(x hcl.Expression) ([]string, bool) {
	out := []string{}
	for _, t := range x.Variables() {
		switch t.RootName() {
		case "count", "path", "terraform":
			continue
		case "each", "var", "local", "module", "data", "self":
			if e.ctx != nil {
				if v, diags := t.TraverseAbs(e.ctx); !diags.HasErrors() && v.IsKnown() && !v.IsNull() && (v.Type() == cty.Bool || v.Type() == cty.Number) {
					continue // a condition or an index, not an id
				}
			}
			return nil, false
		}
		ids, ok := e.instances(t)
		if !ok {
			return nil, false
		}
		out = append(out, ids...)
	}
	return out, true
}

// instances gives what a reference to a managed resource of the module
// names in each of its instances: their ids, or the attribute the
// reference reads. A resource whose instances are not known names none.
func (e hclEval) instances(t hcl.Traversal) ([]string, bool) {
	if len(t) < 2 {
		return nil, false
	}
	name, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return nil, false
	}
	def := e.mi.def.byKey[t.RootName()+"."+name.Name]
	if def == nil || def.data {
		return []string{}, true // not declared: a placeholder stands for it
	}
	rest := t[2:]
	v := e.mi.resValue(def.key())
	if def.count == nil && def.forEach == nil {
		v = cty.TupleVal([]cty.Value{v})
	} else if len(rest) > 0 {
		if _, isIndex := rest[0].(hcl.TraverseIndex); isIndex {
			rest = rest[1:]
		}
	}
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		return []string{}, true // its instances are not known
	}
	return elemIDs(v, rest)
}

func (e hclEval) Local(name string) (hcl.Expression, tfaws.Evaluator, bool) {
	for _, l := range e.mi.def.locals {
		if l.name == name {
			return l.expr, hclEval{mi: e.mi, ctx: e.mi.fullCtx()}, true
		}
	}
	return nil, nil, false
}

func stringMapValue(v cty.Value) map[string]string {
	if !v.IsWhollyKnown() || v.IsNull() || !(v.Type().IsMapType() || v.Type().IsObjectType()) {
		return nil
	}
	out := map[string]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if s, ok := stringValue(e); ok {
			out[k.AsString()] = s
		}
	}
	return out
}
