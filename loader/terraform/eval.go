package terraform

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/loader/tfaws"
	"github.com/vpclint/vpclint/model"
)

// maxPasses bounds the fixed-point iteration of a module whose references
// form a cycle (Terraform would refuse it; vpclint evaluates what it can).
const maxPasses = 8

// maxInstances bounds the instances of one count, for_each or dynamic
// block; more is taken as unknown (real configurations stay far below).
const maxInstances = 4096

// maxUnitInstances bounds the resource and module instances of one root
// module; beyond it the rest is unknown.
const maxUnitInstances = 100000

// modInst is one instance of a module: the root, or one instance of a
// module call, with its evaluated values.
type modInst struct {
	u      *unit
	def    *moduleDef
	path   string // "" for the root, else "module.a" / `module.a["x"].module.b`
	key    string // modules.json key: "a.b"
	stack  []string
	vars   map[string]cty.Value
	locals map[string]cty.Value
	// res holds each resource's value by key ("aws_vpc.main",
	// "data.aws_region.current"): an object, a tuple (count), an object of
	// instances (for_each), or unknown. It is read through resValue: a
	// managed resource's entry is stale while it is in unbuilt.
	res map[string]cty.Value
	// unbuilt holds the managed resources evaluated whose value nothing
	// has read yet: most resources are read by no other (security group
	// rules, endpoints), and the object of each instance, with its
	// nested blocks, cost as much as the rest of its evaluation. resValue
	// builds a value when it is first read.
	unbuilt   map[string]*unbuiltRes
	instances map[string][]*resInst
	calls     map[string]*callState
	outputs   map[string]cty.Value
	// provider settings inherited by child modules
	region      cty.Value
	defaultTags cty.Value
	diags       hcl.Diagnostics
	ctx         *hcl.EvalContext
	full        *hcl.EvalContext // every value, once evaluated (resources.go)
}

// resInst is one resource instance.
type resInst struct {
	def  *resourceDef
	addr string
	body *evalBody
	mod  *modInst
}

type callState struct {
	value cty.Value
	insts []*childInst
}

type childInst struct {
	addr   string
	inputs cty.Value
	mi     *modInst
}

// node kinds of the evaluation order.
const (
	nodeLocal = iota
	nodeResource
	nodeCall
	nodeOutput
	nodeProvider
)

type evalNode struct {
	kind int
	name string // local/output/call name, resource key
	idx  int
	// refs are the locals, resources and module calls the node's
	// expressions name (itself included when it does): the values its
	// evaluation context holds.
	refs []evalNode
}

// order returns the module's items in dependency order, and whether the
// references form a cycle.
func (m *moduleDef) order() ([]evalNode, bool) {
	var nodes []evalNode
	var trs [][]hcl.Traversal // the references of each node
	id := map[string]int{}
	add := func(key string, n evalNode, t []hcl.Traversal, exprs ...hcl.Expression) {
		for _, e := range exprs {
			if e != nil {
				t = append(t, e.Variables()...)
			}
		}
		id[key] = len(nodes)
		nodes = append(nodes, n)
		trs = append(trs, t)
	}
	for i, p := range m.providers {
		var t []hcl.Traversal
		for _, a := range p.attrs {
			t = append(t, a.Expr.Variables()...)
		}
		add(fmt.Sprintf("provider.%d", i), evalNode{kind: nodeProvider, idx: i}, t, p.defaultTags)
	}
	for i, l := range m.locals {
		add("local."+l.name, evalNode{kind: nodeLocal, name: l.name, idx: i}, nil, l.expr)
	}
	for i, r := range m.resources {
		add(r.key(), evalNode{kind: nodeResource, name: r.key(), idx: i}, r.traversals())
	}
	for i, c := range m.calls {
		var t []hcl.Traversal
		for _, a := range c.inputs {
			t = append(t, a.Expr.Variables()...)
		}
		add("module."+c.name, evalNode{kind: nodeCall, name: c.name, idx: i}, t, c.count, c.forEach)
	}
	for i, o := range m.outputs {
		add("output."+o.name, evalNode{kind: nodeOutput, name: o.name, idx: i}, nil, o.expr)
	}
	deps := make([][]int, len(nodes))
	named := map[[2]int]bool{}
	var provIdx []int
	for from, n := range nodes {
		for _, t := range trs[from] {
			to, ok := id[refKey(t)]
			if !ok {
				continue
			}
			if k := nodes[to].kind; k != nodeProvider && k != nodeOutput && !named[[2]int{from, to}] {
				named[[2]int{from, to}] = true
				nodes[from].refs = append(nodes[from].refs, evalNode{kind: k, name: nodes[to].name, idx: nodes[to].idx})
			}
			if to != from {
				deps[from] = append(deps[from], to)
			}
		}
		// in one order, whatever the order the references were walked
		// in, so that nodes naming the same values share a context
		refs := nodes[from].refs
		sort.Slice(refs, func(a, b int) bool {
			return refs[a].kind < refs[b].kind || refs[a].kind == refs[b].kind && refs[a].idx < refs[b].idx
		})
		switch n.kind {
		case nodeProvider:
			provIdx = append(provIdx, from)
		case nodeResource:
			deps[from] = append(deps[from], provIdx...)
		}
	}
	// depth-first topological sort; a back edge marks a cycle.
	state := make([]int, len(nodes))
	out := make([]evalNode, 0, len(nodes))
	cyclic := false
	var visit func(i int)
	visit = func(i int) {
		switch state[i] {
		case 1:
			cyclic = true
			return
		case 2:
			return
		}
		state[i] = 1
		for _, d := range deps[i] {
			visit(d)
		}
		state[i] = 2
		out = append(out, nodes[i])
	}
	for i := range nodes {
		visit(i)
	}
	return out, cyclic
}

// refKey is the node a reference names ("local.x", "aws_vpc.a",
// "data.aws_region.r", "module.m"), "" for the values every node holds.
func refKey(t hcl.Traversal) string {
	name := func(i int) string {
		if len(t) > i {
			if a, ok := t[i].(hcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	switch root := t.RootName(); root {
	case "data":
		return "data." + name(1) + "." + name(2)
	case "var", "each", "count", "path", "terraform", "self":
		return ""
	default:
		return root + "." + name(1)
	}
}

// bodyTraversals lists the references of every expression in a body.
func bodyTraversals(b *hclsyntax.Body) []hcl.Traversal {
	var out []hcl.Traversal
	_ = hclsyntax.VisitAll(b, func(n hclsyntax.Node) hcl.Diagnostics {
		if e, ok := n.(*hclsyntax.ScopeTraversalExpr); ok {
			out = append(out, e.Traversal)
		}
		return nil
	})
	return out
}

// evaluate computes every value of the module instance.
func (mi *modInst) evaluate() {
	m := mi.def
	mi.locals = map[string]cty.Value{}
	mi.res = map[string]cty.Value{}
	mi.unbuilt = map[string]*unbuiltRes{}
	mi.calls = map[string]*callState{}
	mi.outputs = map[string]cty.Value{}
	mi.instances = map[string][]*resInst{}
	for _, l := range m.locals {
		mi.locals[l.name] = cty.DynamicVal
	}
	for _, r := range m.resources {
		mi.res[r.key()] = cty.DynamicVal
	}
	for _, c := range m.calls {
		mi.calls[c.name] = &callState{value: cty.DynamicVal}
	}
	order, cyclic := mi.u.order(m)
	passes := 1
	if cyclic {
		passes = maxPasses
	}
	var prev cty.Value
	for pass := 0; pass < passes; pass++ {
		if err := mi.u.ctx.Err(); err != nil {
			return
		}
		mi.diags = nil
		base := mi.baseCtx()
		var shared sharedCtxs
		if !cyclic {
			shared = sharedCtxs{}
		}
		for _, n := range order {
			// Each node is evaluated in a context holding the values it
			// names, built from the current values: its cost follows
			// the node's references, where a context of every value,
			// updated after each node, cost the size of the module.
			mi.ctx = shared.ctx(mi, base, n)
			switch n.kind {
			case nodeProvider:
				mi.evalProvider(m.providers[n.idx])
			case nodeLocal:
				l := m.locals[n.idx]
				mi.locals[l.name] = mi.value(l.expr, mi.ctx)
			case nodeResource:
				mi.evalResource(m.resources[n.idx])
			case nodeCall:
				mi.evalCall(m.calls[n.idx])
			case nodeOutput:
				o := m.outputs[n.idx]
				mi.outputs[o.name] = mi.value(o.expr, mi.ctx)
			}
		}
		mi.ctx = base
		if !cyclic {
			break
		}
		snap := mi.snapshot()
		if pass > 0 && snap.RawEquals(prev) {
			break
		}
		prev = snap
	}
}

func (mi *modInst) snapshot() cty.Value {
	for key := range mi.unbuilt {
		mi.resValue(key)
	}
	calls := map[string]cty.Value{}
	for k, c := range mi.calls {
		calls[k] = c.value
	}
	return cty.ObjectVal(map[string]cty.Value{
		"l": cty.ObjectVal(mi.locals),
		"r": cty.ObjectVal(mi.res),
		"m": cty.ObjectVal(calls),
		"o": cty.ObjectVal(mi.outputs),
	})
}

// value evaluates an expression; errors make it unknown, and are kept to
// report unknown functions.
func (mi *modInst) value(e hcl.Expression, ctx *hcl.EvalContext) cty.Value {
	if !mi.u.mayEvaluate(mi, e) {
		return cty.DynamicVal
	}
	mi.u.notes = mi.u.notes[:0]
	v, diags := e.Value(ctx)
	if len(mi.u.notes) > 0 {
		mi.u.reportNotes(mi, e)
	}
	if diags.HasErrors() {
		mi.diags = append(mi.diags, diags...)
		// a known result next to an error is not trusted
		if v != cty.NilVal && !v.IsNull() && !v.IsWhollyKnown() {
			return v
		}
		return cty.DynamicVal
	}
	if v == cty.NilVal {
		return cty.DynamicVal
	}
	return v
}

// baseCtx is the context of the values every node may read: variables,
// path and terraform, and the module's functions. Locals, resources and
// module calls are added per node (nodeCtx).
func (mi *modInst) baseCtx() *hcl.EvalContext {
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":       cty.ObjectVal(mi.vars),
			"path":      mi.pathObject(),
			"terraform": cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")}),
		},
		Functions: mi.u.funcs,
	}
}

// sharedCtxs are the evaluation contexts of a pass over an acyclic
// module, by the references they hold: nodes that name the same values
// (the security groups of one VPC) share one context, which evaluated
// attributes keep for later reads, instead of a copy each.
type sharedCtxs map[string]*hcl.EvalContext

// ctx is the context of node n: a shared one when every value it names
// is final, which in an acyclic module's order is when n does not name
// itself (its own value is set after it is evaluated). A nil sharedCtxs
// (a cyclic module, whose values change from pass to pass) shares none.
func (s sharedCtxs) ctx(mi *modInst, base *hcl.EvalContext, n evalNode) *hcl.EvalContext {
	if s == nil || len(n.refs) == 0 {
		return mi.nodeCtx(base, n.refs)
	}
	var key []byte
	for _, r := range n.refs {
		if r.kind == n.kind && r.idx == n.idx {
			return mi.nodeCtx(base, n.refs)
		}
		key = strconv.AppendInt(append(key, byte(r.kind)), int64(r.idx), 10)
	}
	if c, ok := s[string(key)]; ok {
		return c
	}
	c := mi.nodeCtx(base, n.refs)
	s[string(key)] = c
	return c
}

// nodeCtx is base with the current values of refs: "local" holds the
// locals named, each resource type the resources of that type named,
// "data" the data sources named, "module" the module calls named.
// A reference to anything else fails as it would in a context of every
// value: as an unknown variable or an unsupported attribute.
func (mi *modInst) nodeCtx(base *hcl.EvalContext, refs []evalNode) *hcl.EvalContext {
	if len(refs) == 0 {
		return base
	}
	// The maps are made as they are needed: most nodes name only
	// resources, of one or two types.
	var locals, calls map[string]cty.Value
	var types, data map[string]map[string]cty.Value
	for _, n := range refs {
		switch n.kind {
		case nodeLocal:
			if locals == nil {
				locals = map[string]cty.Value{}
			}
			locals[n.name] = mi.locals[n.name]
		case nodeCall:
			if calls == nil {
				calls = map[string]cty.Value{}
			}
			calls[n.name] = mi.calls[n.name].value
		case nodeResource:
			r := mi.def.resources[n.idx]
			if types == nil {
				types, data = map[string]map[string]cty.Value{}, map[string]map[string]cty.Value{}
			}
			byType := types
			if r.data {
				byType = data
			}
			if byType[r.typ] == nil {
				byType[r.typ] = map[string]cty.Value{}
			}
			byType[r.typ][r.name] = mi.resValue(n.name)
		}
	}
	vars := make(map[string]cty.Value, len(types)+3)
	if len(locals) > 0 {
		vars["local"] = cty.ObjectVal(locals)
	}
	if len(calls) > 0 {
		vars["module"] = cty.ObjectVal(calls)
	}
	for t, byName := range types {
		vars[t] = cty.ObjectVal(byName)
	}
	if len(data) > 0 {
		byType := make(map[string]cty.Value, len(data))
		for t, byName := range data {
			byType[t] = cty.ObjectVal(byName)
		}
		vars["data"] = cty.ObjectVal(byType)
	}
	ctx := base.NewChild()
	ctx.Variables = vars
	return ctx
}

// pathObject is path: path.module relative to the root module.
func (mi *modInst) pathObject() cty.Value {
	module := mi.def.dir
	if r, err := filepath.Rel(mi.u.rootDir, module); err == nil {
		module = filepath.ToSlash(r)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"module": cty.StringVal(module),
		"root":   cty.StringVal("."),
		// Terraform's is absolute; no value names a directory of the
		// machine that runs the scan, and file functions resolve "."
		// against the root module as Terraform resolves the working
		// directory.
		"cwd": cty.StringVal("."),
	})
}

func (mi *modInst) evalProvider(p *providerDef) {
	if p.name != "aws" || p.alias != "" {
		return
	}
	if a, ok := p.attrs["region"]; ok {
		mi.region = mi.value(a.Expr, mi.ctx)
	}
	if p.defaultTags != nil {
		mi.defaultTags = mi.value(p.defaultTags, mi.ctx)
	} else if a, ok := p.attrs["default_tags"]; ok { // .tf.json
		v := mi.value(a.Expr, mi.ctx)
		if v.IsKnown() && !v.IsNull() && v.Type().IsObjectType() && v.Type().HasAttribute("tags") {
			mi.defaultTags = v.GetAttr("tags")
		}
	}
}

// expansion is one instance of a count/for_each expansion.
type expansion struct {
	suffix string // "", "[0]", `["a"]`
	vars   map[string]cty.Value
	key    cty.Value
}

// expand evaluates count/for_each. known is false when the instances
// cannot be decided; kind is "", "count" or "for_each".
func (mi *modInst) expand(count, forEach hcl.Expression) (list []expansion, kind string, known bool) {
	switch {
	case count != nil:
		v := mi.value(count, mi.ctx)
		n, ok := asInt(v)
		if !ok || n < 0 {
			return nil, "count", false
		}
		if n > maxInstances {
			mi.tooMany(count, n)
			return nil, "count", false
		}
		for i := 0; i < n; i++ {
			list = append(list, expansion{
				suffix: "[" + strconv.Itoa(i) + "]",
				vars:   map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(i))})},
				key:    cty.NumberIntVal(int64(i)),
			})
		}
		return list, "count", true
	case forEach != nil:
		v := mi.value(forEach, mi.ctx)
		if !v.IsKnown() || v.IsNull() {
			return nil, "for_each", false
		}
		ty := v.Type()
		if !(ty.IsMapType() || ty.IsObjectType() || ty.IsSetType()) {
			return nil, "for_each", false
		}
		if !mi.iterable(v, forEach, forEach.Range()) {
			return nil, "for_each", false
		}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			if ty.IsSetType() {
				if e.Type() != cty.String || e.IsNull() {
					return nil, "for_each", false
				}
				k = e
			}
			list = append(list, expansion{
				suffix: "[" + strconv.Quote(k.AsString()) + "]",
				vars:   map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})},
				key:    k,
			})
		}
		sort.Slice(list, func(i, j int) bool { return list[i].key.AsString() < list[j].key.AsString() })
		return list, "for_each", true
	}
	return []expansion{{}}, "", true
}

// overBudget reports (once) whether n more instances exceed the unit's
// budget.
func (u *unit) overBudget(n int, rng hcl.Range, mi *modInst) bool {
	if u.evaluated+u.modules+u.blocks+n <= maxUnitInstances {
		return false
	}
	mi.errAt(rng, model.LevelWarning, fmt.Sprintf("more than %d resource and module instances and dynamic blocks; the rest is taken as unknown", maxUnitInstances))
	return true
}

// iterable reports whether the for_each value v of e may be gone
// through: within the bounds (checked first: going through a set sorts
// it, and the content of a dynamic block may hold another), and not a
// set with unknown elements.
func (mi *modInst) iterable(v cty.Value, e hcl.Expression, rng hcl.Range) bool {
	n := v.LengthInt()
	if n > maxInstances {
		mi.tooMany(e, n)
		return false
	}
	return !mi.u.overBudget(n, rng, mi) && !(v.Type().IsSetType() && !v.IsWhollyKnown())
}

// tooMany reports an expansion beyond maxInstances.
func (mi *modInst) tooMany(e hcl.Expression, n int) {
	mi.errAt(e.Range(), model.LevelWarning, fmt.Sprintf("%d instances exceed vpclint's limit of %d; taken as unknown", n, maxInstances))
}

// errAt reports an error once, at the start of rng: in a file of the
// module, else (a template file) at the path shown for it.
func (mi *modInst) errAt(rng hcl.Range, level, msg string) {
	file := mi.u.show(rng.Filename)
	if f := mi.def.files[rng.Filename]; f != nil {
		file = f.rel
	}
	mi.u.addErrOnce(model.LoadError{File: file, Line: rng.Start.Line, Level: level, Message: msg})
}

func (mi *modInst) childCtx(vars map[string]cty.Value) *hcl.EvalContext {
	if len(vars) == 0 {
		return mi.ctx
	}
	c := mi.ctx.NewChild()
	c.Variables = vars
	return c
}

func (mi *modInst) addrPrefix() string {
	if mi.path == "" {
		return ""
	}
	return mi.path + "."
}

// collect turns per-instance values into the value of the whole resource
// or module call.
func collect(kind string, exps []expansion, vals []cty.Value) cty.Value {
	switch kind {
	case "count":
		if len(vals) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(vals)
	case "for_each":
		m := map[string]cty.Value{}
		for i, e := range exps {
			m[e.key.AsString()] = vals[i]
		}
		return cty.ObjectVal(m)
	}
	if len(vals) == 0 {
		return cty.DynamicVal
	}
	return vals[0]
}

func (mi *modInst) evalResource(r *resourceDef) {
	exps, kind, known := mi.expand(r.count, r.forEach)
	key := r.key()
	if known && mi.u.overBudget(len(exps), r.rng, mi) {
		known = false
	}
	delete(mi.unbuilt, key) // a cyclic module's earlier pass
	if !known {
		mi.res[key] = cty.DynamicVal
		mi.instances[key] = nil
		return
	}
	insts := make([]*resInst, 0, len(exps))
	for _, e := range exps {
		ctx := mi.childCtx(e.vars)
		body := mi.evalBody(r.body, ctx, r.rng, true)
		addr := mi.addrPrefix() + key + e.suffix
		insts = append(insts, &resInst{def: r, addr: addr, body: body, mod: mi})
	}
	mi.instances[key] = insts
	mi.u.evaluated += len(insts)
	if r.data {
		// A data source's value reads the module's region as it is
		// now: built at once.
		mi.res[key] = collectInstances(mi, kind, exps, insts)
		return
	}
	// Until it is read, the value is what it was before this
	// evaluation (unknown): only resValue reads mi.res.
	mi.unbuilt[key] = &unbuiltRes{kind: kind, exps: exps, insts: insts}
}

// unbuiltRes is an evaluated managed resource whose value is not built
// yet (modInst.unbuilt).
type unbuiltRes struct {
	kind  string
	exps  []expansion
	insts []*resInst
}

// resValue is the value references to a resource read (by key), built
// on first read from its evaluated instances, which change no more.
func (mi *modInst) resValue(key string) cty.Value {
	if p, ok := mi.unbuilt[key]; ok {
		delete(mi.unbuilt, key)
		mi.res[key] = collectInstances(mi, p.kind, p.exps, p.insts)
	}
	return mi.res[key]
}

// collectInstances is the value of a resource from its instances.
func collectInstances(mi *modInst, kind string, exps []expansion, insts []*resInst) cty.Value {
	vals := make([]cty.Value, len(insts))
	for i, inst := range insts {
		vals[i] = mi.instanceValue(inst)
	}
	return collect(kind, exps, vals)
}

// instanceValue is what references to a resource instance read: its
// configured attributes, its id (the address), attributes vpclint can bind
// to other resources, and unknown values for other attributes read.
func (mi *modInst) instanceValue(inst *resInst) cty.Value {
	r := inst.def
	if r.data {
		return mi.dataValue(inst)
	}
	bound := tfaws.BoundAttributes(r.typ)
	phantom := mi.def.phantom[r.key()]
	obj := make(map[string]cty.Value, len(inst.body.attrs)+len(inst.body.blocks)+len(inst.body.unknownBlocks)+1+len(bound)+len(phantom))
	for i := range inst.body.attrs {
		k, a := inst.body.attrs[i].name, &inst.body.attrs[i]
		if a.val.IsKnown() && a.val.IsNull() {
			// left for the provider to compute (cidr_block of an
			// IPAM-allocated VPC ...): unknown to references
			obj[k] = cty.DynamicVal
			continue
		}
		obj[k] = a.val
	}
	for k, list := range inst.body.blocks {
		vals := make([]cty.Value, len(list))
		for i, c := range list {
			vals[i] = c.value()
		}
		obj[k] = cty.TupleVal(vals)
	}
	for k := range inst.body.unknownBlocks {
		obj[k] = cty.DynamicVal
	}
	obj["id"] = cty.StringVal(inst.addr)
	for _, attr := range bound {
		if _, ok := obj[attr]; !ok {
			name, _ := tfaws.BoundName(r.typ, inst.addr, attr)
			obj[attr] = cty.StringVal(name)
		}
	}
	for attr := range phantom {
		if _, ok := obj[attr]; !ok {
			obj[attr] = cty.DynamicVal
		}
	}
	return cty.ObjectVal(obj)
}

// evalBody evaluates a block body; top marks a resource body, whose
// meta-arguments are skipped.
func (mi *modInst) evalBody(sb *hclsyntax.Body, ctx *hcl.EvalContext, rng hcl.Range, top bool) *evalBody {
	out := newEvalBody(rng.Start.Line, len(sb.Attributes))
	for name, a := range sb.Attributes {
		if top && metaArgs[name] {
			continue
		}
		out.attrs = append(out.attrs, evalAttr{name: name, val: mi.value(a.Expr, ctx), expr: a.Expr, startLine: a.SrcRange.Start.Line, ctx: ctx})
	}
	for _, b := range sb.Blocks {
		switch {
		case top && metaArgs[b.Type]:
			continue
		case b.Type == "dynamic" && len(b.Labels) == 1:
			mi.expandDynamic(out, b, ctx)
		default:
			out.addBlock(b.Type, mi.evalBody(b.Body, ctx, b.Range(), false))
		}
	}
	return out
}

// expandDynamic expands a dynamic block into its generated blocks.
func (mi *modInst) expandDynamic(out *evalBody, b *hclsyntax.Block, ctx *hcl.EvalContext) {
	label := b.Labels[0]
	if out.blocks == nil {
		out.blocks = map[string][]*evalBody{}
	}
	if _, ok := out.blocks[label]; !ok {
		out.blockOrder = append(out.blockOrder, label)
		out.blocks[label] = nil
	}
	fe, ok := b.Body.Attributes["for_each"]
	if !ok {
		return
	}
	iter := label
	if a, ok := b.Body.Attributes["iterator"]; ok {
		if kw := hcl.ExprAsKeyword(a.Expr); kw != "" {
			iter = kw
		}
	}
	var content *hclsyntax.Block
	for _, nb := range b.Body.Blocks {
		if nb.Type == "content" {
			content = nb
		}
	}
	if content == nil {
		return
	}
	v := mi.value(fe.Expr, ctx)
	unknown := func() {
		if out.unknownBlocks == nil {
			out.unknownBlocks = map[string]bool{}
		}
		out.unknownBlocks[label] = true
	}
	if !v.IsKnown() || (!v.IsNull() && !v.CanIterateElements()) {
		unknown()
		return
	}
	if v.IsNull() {
		return
	}
	if !mi.iterable(v, fe.Expr, b.Range()) {
		unknown()
		return
	}
	mi.u.blocks += v.LengthInt() // nested dynamic blocks multiply
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if v.Type().IsSetType() {
			k = e
		}
		c := ctx.NewChild()
		c.Variables = map[string]cty.Value{iter: cty.ObjectVal(map[string]cty.Value{"key": k, "value": e})}
		out.blocks[label] = append(out.blocks[label], mi.evalBody(content.Body, c, content.Range(), false))
	}
}

// evalCall evaluates a module call: its instances, each child evaluated
// with its inputs (reused when the inputs did not change).
func (mi *modInst) evalCall(c *callDef) {
	st := mi.calls[c.name]
	exps, kind, known := mi.expand(c.count, c.forEach)
	if known && mi.u.overBudget(len(exps), c.rng, mi) {
		known = false
	}
	if !known {
		st.value = cty.DynamicVal
		st.insts = nil
		return
	}
	def, key, err := mi.u.resolveModule(mi, c)
	if def == nil {
		if err != nil {
			mi.u.addErrOnce(*err)
		}
		st.value = cty.DynamicVal
		st.insts = nil
		return
	}
	prev := map[string]*childInst{}
	for _, ci := range st.insts {
		prev[ci.addr] = ci
	}
	st.insts = nil
	vals := make([]cty.Value, 0, len(exps))
	for _, e := range exps {
		ctx := mi.childCtx(e.vars)
		inputs := map[string]cty.Value{}
		for name, a := range c.inputs {
			inputs[name] = mi.value(a.Expr, ctx)
		}
		in := cty.ObjectVal(inputs)
		addr := mi.addrPrefix() + "module." + c.name + e.suffix
		if p, ok := prev[addr]; ok && p.inputs.RawEquals(in) {
			st.insts = append(st.insts, p)
			vals = append(vals, cty.ObjectVal(p.mi.outputs))
			continue
		}
		child := &modInst{
			u: mi.u, def: def, path: addr, key: key,
			stack:       append(append([]string{}, mi.stack...), def.dir),
			region:      mi.region,
			defaultTags: mi.defaultTags,
		}
		child.vars = mi.u.bindVariables(def, inputs, c)
		mi.u.modules++
		child.evaluate()
		st.insts = append(st.insts, &childInst{addr: addr, inputs: in, mi: child})
		vals = append(vals, cty.ObjectVal(child.outputs))
	}
	st.value = collect(kind, exps, vals)
}

// functionErrors reports the "Call to unknown function" diagnostics of
// the final pass as warnings naming the function.
func (mi *modInst) functionErrors() {
	for _, d := range mi.diags {
		if d.Summary != "Call to unknown function" || d.Subject == nil {
			continue
		}
		name := d.Detail
		if i := strings.Index(name, `"`); i >= 0 {
			if j := strings.Index(name[i+1:], `"`); j >= 0 {
				name = name[i+1 : i+1+j]
			}
		}
		mi.errAt(*d.Subject, model.LevelWarning, fmt.Sprintf("call to unknown function %q: its value is unknown", name))
	}
}

// walk visits the module instance tree, parents first.
func (mi *modInst) walk(f func(*modInst)) {
	f(mi)
	for _, n := range slices.Sorted(maps.Keys(mi.calls)) {
		for _, ci := range mi.calls[n].insts {
			ci.mi.walk(f)
		}
	}
}
