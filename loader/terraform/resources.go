package terraform

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/loader/tfaws"
	"github.com/vpclint/vpclint/model"
)

// builder hands the evaluated resource instances of a module tree to the
// AWS adapter (loader/tfaws), which maps them to the model.
type builder struct {
	u *unit
	a *tfaws.Builder
}

// fullCtx is a context of every value of a module instance, for what is
// read after evaluation (which gives each item only the values it names):
// resources whose count is unknown, inputs of modules the scan cannot
// see, locals an expression walk follows.
func (mi *modInst) fullCtx() *hcl.EvalContext {
	if mi.full == nil {
		nodes, _ := mi.u.order(mi.def)
		mi.full = mi.nodeCtx(mi.baseCtx(), nodes)
	}
	return mi.full
}

// build fills the model from the evaluated module tree.
func (b *builder) build(root *modInst) {
	root.walk(func(mi *modInst) {
		for _, r := range mi.def.resources {
			if r.data || !tfaws.Supported(r.typ) {
				continue
			}
			insts := mi.instances[r.key()]
			if insts == nil {
				if _, ok := mi.instances[r.key()]; ok || !mi.resValue(r.key()).IsKnown() {
					mi.errAt(r.rng, model.LevelWarning, fmt.Sprintf("%s%s: count or for_each is unknown, so its instances are not loaded", mi.addrPrefix(), r.key()))
					// What it may set on other resources is unknown.
					inst := &resInst{def: r, addr: mi.addrPrefix() + r.key(), body: mi.evalBody(r.body, unknownIteration(mi), r.rng, true), mod: mi}
					res := b.resource(inst)
					res.Maybe = true
					b.a.Add(res)
				}
				continue
			}
			for _, inst := range insts {
				b.a.Add(b.resource(inst))
			}
		}
		b.unseenCalls(mi)
	})
	for _, e := range b.a.Build() {
		b.u.addErrOnce(e)
	}
}

// unknownIteration is the context of a resource or module call whose
// count or for_each is unknown: count.index and each are unknown too.
func unknownIteration(mi *modInst) *hcl.EvalContext {
	ctx := mi.fullCtx().NewChild()
	ctx.Variables = map[string]cty.Value{
		"count": cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)}),
		"each":  cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal}),
	}
	return ctx
}

// resource describes an instance for the adapter.
func (b *builder) resource(inst *resInst) *tfaws.Resource {
	def := inst.def
	r := &tfaws.Resource{
		Type: def.typ, Addr: inst.addr, ID: inst.addr,
		Source: model.Source{Format: model.FormatTerraform, File: def.file.rel,
			StartLine: def.rng.Start.Line, EndLine: def.rng.End.Line, Module: inst.mod.path},
		Body:         &hclBody{body: inst.body, inst: inst},
		Suppressions: b.u.suppressions(inst),
	}
	if dt := inst.mod.defaultTags; dt != cty.NilVal && dt.IsWhollyKnown() {
		r.DefaultTags = stringMapValue(dt)
	}
	return r
}

// unseenCalls hands the adapter what a module instance gives to module
// calls whose resources the scan cannot see: a module that is not
// installed (or not found, or refused), or whose count or for_each is
// unknown. Such a module may create a flow log for a VPC it is given, or
// associations and a policy for an endpoint: the resources whose ids its
// inputs hold may be changed by it.
func (b *builder) unseenCalls(mi *modInst) {
	if len(mi.def.calls) == 0 {
		return
	}
	saved := mi.ctx
	mi.ctx = mi.fullCtx() // what expand and childCtx read
	defer func() { mi.ctx = saved }()
	for _, c := range mi.def.calls {
		exps, _, known := mi.expand(c.count, c.forEach)
		st := mi.calls[c.name]
		if known && (len(exps) == 0 || st != nil && len(st.insts) == len(exps)) {
			continue
		}
		ctxs := []*hcl.EvalContext{unknownIteration(mi)}
		if known {
			ctxs = ctxs[:0]
			for _, e := range exps {
				ctxs = append(ctxs, mi.childCtx(e.vars))
			}
		}
		names := slices.Sorted(maps.Keys(c.inputs))
		for _, ctx := range ctxs {
			for _, name := range names {
				v, _ := c.inputs[name].Expr.Value(ctx)
				b.a.Unseen(knownStrings(v, nil)...)
			}
		}
	}
}

// knownStrings collects the known strings of a value.
func knownStrings(v cty.Value, out []string) []string {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return out
	}
	switch {
	case v.Type() == cty.String:
		return append(out, v.AsString())
	case v.CanIterateElements():
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = knownStrings(e, out)
		}
	}
	return out
}

// refName is the name of an unresolved reference: the text of its
// expression without a final ".id" ("aws_security_group.default",
// "var.security_group_id"), prefixed with the module, so a placeholder
// can carry it.
func refName(inst *resInst, a *evalAttr) string {
	if a.expr == nil {
		return ""
	}
	rng := a.expr.Range()
	src := inst.def.file.src
	if rng.Start.Byte < 0 || rng.End.Byte > len(src) || rng.Start.Byte >= rng.End.Byte {
		return ""
	}
	text := strings.TrimSpace(string(src[rng.Start.Byte:rng.End.Byte]))
	text = strings.TrimSuffix(text, ".id")
	if strings.HasPrefix(text, "\"${") && strings.HasSuffix(text, "}\"") {
		text = strings.TrimSuffix(strings.TrimPrefix(text, "\"${"), "}\"")
		text = strings.TrimSuffix(text, ".id")
	}
	return inst.mod.addrPrefix() + text
}
