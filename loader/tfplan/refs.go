package tfplan

import (
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// cfgIndex gives the configuration modules of a plan by module path
// (instance keys stripped: "", "module.a", "module.a.module.b").
type cfgIndex map[string]*tfjson.ConfigModule

func newCfgIndex(c *tfjson.Config) cfgIndex {
	ci := cfgIndex{}
	if c == nil || c.RootModule == nil {
		return ci
	}
	var walk func(path string, m *tfjson.ConfigModule, depth int)
	walk = func(path string, m *tfjson.ConfigModule, depth int) {
		if m == nil || depth > maxModuleDepth {
			return
		}
		ci[path] = m
		for name, call := range m.ModuleCalls {
			if call != nil {
				walk(joinModule(path, "module."+name), call.Module, depth+1)
			}
		}
	}
	walk("", c.RootModule, 0)
	return ci
}

// resource finds the configuration of a managed resource.
func (ci cfgIndex) resource(modPath, typ, name string) *tfjson.ConfigResource {
	m := ci[modPath]
	if m == nil {
		return nil
	}
	for _, r := range m.Resources {
		if r != nil && r.Type == typ && r.Name == name && (r.Mode == tfjson.ManagedResourceMode || r.Mode == "") {
			return r
		}
	}
	return nil
}

// target is what a reference resolves to: a resource instance and the
// attribute read from it ("id" when none).
type target struct {
	inst *instance
	attr string
}

// maxRefDepth bounds the hops through module outputs and variables.
const maxRefDepth = 16

// refCtx is where an expression is evaluated: a module instance and the
// each.key / count.index of the resource or module call it belongs to.
type refCtx struct {
	module string
	key    any
	hasKey bool
	// forEach are the references of the resource's for_each expression,
	// for each.value (for_each = aws_subnet.app: each.value.id is the
	// id of aws_subnet.app[each.key]).
	forEach []string
}

// resolveRefs resolves an expression's references to resource instances.
// complete is false when some reference leads nowhere the plan shows
// (a local, a data source, a variable without references).
func (b *builder) resolveRefs(ctx refCtx, refs []string, depth int) (targets []target, complete bool) {
	if depth > maxRefDepth {
		return nil, false
	}
	complete = true
	iter := false
	keyed := map[string]bool{} // type.name referenced with a key
	var parsed [][]step
	for i, r := range refs {
		if subsumed(r, refs, i) {
			continue // "aws_vpc.main" beside "aws_vpc.main.default_security_group_id"
		}
		steps, err := splitAddress(r)
		if err != nil || len(steps) == 0 {
			complete = false
			continue
		}
		switch steps[0].name {
		case "each", "count":
			iter = true
			if steps[0].name == "each" && len(steps) >= 2 && steps[1].name == "value" {
				parsed = append(parsed, steps)
			}
			continue
		}
		parsed = append(parsed, steps)
		if len(steps) >= 2 && steps[1].hasKey && !isSpecialRoot(steps[0].name) {
			keyed[steps[0].name+"."+steps[1].name] = true
		}
	}
	seen := map[string]bool{}
	for _, steps := range parsed {
		var ts []target
		ok := true
		switch root := steps[0].name; {
		case root == "each":
			ts, ok = b.resolveEachValue(ctx, steps, depth)
		case root == "path" || root == "terraform" || root == "self":
		case root == "local" || root == "data" || len(steps) < 2:
			ok = false
		case root == "var":
			ts, ok = b.resolveVar(ctx, steps[1].name, depth)
		case root == "module" && len(steps) < 3:
			// module.x alone rides along with module.x.output.
		case root == "module":
			ts, ok = b.resolveOutput(ctx, steps[1], steps[2].name, iter, depth)
		case steps[1].hasKey || !keyed[root+"."+steps[1].name]:
			// (Else the keyed reference beside it says which instance.)
			ts, ok = b.resourceTargets(ctx, steps, iter)
		}
		complete = complete && ok
		for _, t := range ts {
			if k := t.inst.addr + "|" + t.attr; !seen[k] {
				seen[k] = true
				targets = append(targets, t)
			}
		}
	}
	return targets, complete
}

// resourceTargets gives the instances a reference to a resource of the
// module names: the one with its key; when the expression uses
// count.index or each, the one with this instance's key; else all.
func (b *builder) resourceTargets(ctx refCtx, steps []step, iter bool) ([]target, bool) {
	insts := b.byBase[ctx.module+"|"+steps[0].name+"."+steps[1].name]
	key, hasKey := steps[1].key, steps[1].hasKey
	if !hasKey && iter && ctx.hasKey && (len(insts) != 1 || insts[0].hasKey) {
		key, hasKey = ctx.key, true
	}
	attr := "id"
	if len(steps) >= 3 {
		attr = steps[2].name
	}
	var out []target
	for _, in := range insts {
		if !hasKey || in.hasKey && keyEqual(in.key, key) {
			out = append(out, target{inst: in, attr: attr})
		}
	}
	return out, len(out) > 0
}

func isSpecialRoot(n string) bool {
	switch n {
	case "module", "var", "local", "data", "path", "terraform", "each", "count", "self":
		return true
	}
	return false
}

// resolveVar follows var.name of a module instance to the expression its
// caller passes.
func (b *builder) resolveVar(ctx refCtx, name string, depth int) ([]target, bool) {
	if ctx.module == "" {
		return nil, false // a root variable: its value is in the plan's values, not a resource
	}
	steps, err := splitAddress(ctx.module)
	if err != nil || len(steps) < 2 {
		return nil, false
	}
	last := steps[len(steps)-1]
	var parts []string
	for _, s := range steps[:len(steps)-2] {
		parts = append(parts, s.String())
	}
	parent := strings.Join(parts, ".")
	pm := b.cfg[modulePathOf(parent)]
	if pm == nil {
		return nil, false
	}
	call := pm.ModuleCalls[last.name]
	if call == nil {
		return nil, false
	}
	e := call.Expressions[name]
	if e == nil || e.ExpressionData == nil || len(e.References) == 0 {
		return nil, false
	}
	c := refCtx{module: parent, key: last.key, hasKey: last.hasKey}
	if fe := call.ForEachExpression; fe != nil && fe.ExpressionData != nil {
		c.forEach = fe.References
	}
	return b.resolveRefs(c, e.References, depth+1)
}

// resolveOutput follows module.m.out from a module instance.
func (b *builder) resolveOutput(ctx refCtx, call step, out string, iter bool, depth int) ([]target, bool) {
	childPath := joinModule(modulePathOf(ctx.module), "module."+call.name)
	cm := b.cfg[childPath]
	if cm == nil {
		return nil, false
	}
	o := cm.Outputs[out]
	if o == nil || o.Expression == nil || o.Expression.ExpressionData == nil || len(o.Expression.References) == 0 {
		return nil, false
	}
	// The call's instances: the one with its key, else every one (with
	// count.index or each in the expression, the one with this
	// instance's key).
	prefix := joinModule(ctx.module, "module."+call.name)
	var insts []string
	for _, mi := range b.moduleInstances[childPath] {
		rest, ok := strings.CutPrefix(mi, prefix)
		if call.hasKey {
			ok = ok && rest == keyString(call.key)
		} else {
			ok = ok && (rest == "" || rest[0] == '[' && !strings.Contains(rest, ".module."))
		}
		if ok {
			insts = append(insts, mi)
		}
	}
	if len(insts) > 1 && iter && ctx.hasKey {
		want := prefix + keyString(ctx.key)
		insts = slices.DeleteFunc(insts, func(mi string) bool { return mi != want })
	}
	if len(insts) == 0 {
		return nil, false
	}
	slices.Sort(insts)
	var all []target
	complete := true
	for _, mi := range insts {
		ts, ok := b.resolveRefs(refCtx{module: mi}, o.Expression.References, depth+1)
		complete = complete && ok
		all = append(all, ts...)
	}
	return all, complete
}

func keyEqual(a, b any) bool {
	return keyString(normKey(a)) == keyString(normKey(b))
}

func normKey(k any) any {
	switch v := k.(type) {
	case float64:
		return int(v)
	case int64:
		return int(v)
	}
	if n, ok := k.(interface{ Int64() (int64, error) }); ok {
		if i, err := n.Int64(); err == nil {
			return int(i)
		}
	}
	return k
}

// subsumed reports whether reference i is the object of a longer
// reference of the list, which Terraform lists alongside it.
func subsumed(r string, refs []string, i int) bool {
	for j, o := range refs {
		if j != i && len(o) > len(r) && strings.HasPrefix(o, r) && (o[len(r)] == '.' || o[len(r)] == '[') {
			return true
		}
	}
	return false
}

// resolveEachValue reads each.value.<attr> when for_each iterates over a
// resource's instances: the instance with this resource's key.
func (b *builder) resolveEachValue(ctx refCtx, steps []step, depth int) ([]target, bool) {
	if !ctx.hasKey || len(ctx.forEach) == 0 {
		return nil, false
	}
	attr := "id"
	if len(steps) >= 3 {
		attr = steps[2].name
	}
	for _, r := range ctx.forEach {
		fs, err := splitAddress(r)
		if err != nil || len(fs) != 2 || isSpecialRoot(fs[0].name) || fs[1].hasKey {
			continue
		}
		for _, in := range b.byBase[ctx.module+"|"+fs[0].name+"."+fs[1].name] {
			if in.hasKey && keyEqual(in.key, ctx.key) {
				return []target{{inst: in, attr: attr}}, true
			}
		}
	}
	return nil, false
}
