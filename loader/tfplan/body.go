package tfplan

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/vpclint/vpclint/loader/tfaws"
	"github.com/vpclint/vpclint/model"
)

// planBody is tfaws.Body over an instance's planned values: change.after
// with after_unknown, the configuration's references for what is unknown,
// and the .tf source for lines, nested blocks and expressions. A value
// that is unknown only because the configuration leaves it unset (a new
// group's egress, an endpoint's subnet_ids) is unset: Terraform creates
// it with the provider's default.
type planBody struct {
	b  *builder
	in *instance
	v  view
	// plan and src prefix the body's paths in change.after and in the
	// source ("ingress[1]", or "ingress" for a block the source writes
	// as a dynamic block); both are "" for the resource itself.
	plan, src string
	// block is the source of a nested block, when known.
	block *hclsyntax.Body
	top   bool
}

func (b *builder) body(in *instance) *planBody {
	pb := &planBody{b: b, in: in, v: in.v, top: true}
	if in.src != nil {
		pb.block = in.src.body
	}
	return pb
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// line is the line of a path below the body: in the source when there is
// one, else in the plan.
func (p *planBody) line(name string) int {
	if p.in.src != nil {
		return p.in.srcLines[join(p.src, name)]
	}
	return p.in.planAttrs[join(p.plan, name)]
}

func (p *planBody) Line() int {
	l := p.in.planAttrs[p.plan]
	if p.in.src != nil {
		l = p.in.srcLines[p.src]
	}
	if p.top || l <= 0 {
		_, l, _ = p.b.location(p.in)
	}
	return l
}

// state reads a value's state, an unknown unset attribute being unset.
func (p *planBody) state(name string) (any, tfaws.State) {
	x, st := p.v.raw(name)
	if st == tfaws.Known && anyUnknown(p.v.unkSub(name)) {
		st = tfaws.Unknown // a list or map with an unknown element
	}
	if st == tfaws.Unknown && p.top && p.b.notWritten(p.in, name) {
		return nil, tfaws.Unset
	}
	return x, st
}

func (p *planBody) Attr(name string) tfaws.Value {
	x, st := p.state(name)
	switch st {
	case tfaws.Unset:
		return tfaws.Value{}
	case tfaws.Unknown:
		v := tfaws.Value{State: tfaws.Unknown, Line: p.line(name)}
		if e, ok := p.expr(name); ok {
			v.Symbol = tfaws.AZRef(e, p.iteration())
		}
		return v
	}
	v := tfaws.Value{State: tfaws.Known, V: x, Line: p.line(name)}
	if l, ok := x.([]any); ok {
		v.Elems = make([]int, len(l))
		for i := range l {
			v.Elems[i] = p.line(name + "[" + strconv.Itoa(i) + "]")
		}
	}
	return v
}

// iteration is the context of count.index and each.key of the instance.
func (p *planBody) iteration() *hcl.EvalContext {
	if !p.in.hasKey {
		return nil
	}
	switch k := p.in.key.(type) {
	case int:
		return &hcl.EvalContext{Variables: map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(k))})}}
	case string:
		return &hcl.EvalContext{Variables: map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(k)})}}
	}
	return nil
}

// expr gives the source expression of an attribute of the body.
func (p *planBody) expr(name string) (hcl.Expression, bool) {
	if p.block != nil {
		if a, ok := p.block.Attributes[name]; ok {
			return a.Expr, true
		}
	}
	return nil, false
}

// refs gives the references of an attribute's expression: the plan's
// configuration's, else the source's.
func (p *planBody) refs(name string) []string {
	if p.top {
		return p.b.exprRefs(p.in, name)
	}
	if e, ok := p.expr(name); ok {
		return exprRefStrings(e)
	}
	return nil
}

func (p *planBody) Ref(name string) tfaws.Ref {
	x, st := p.state(name)
	r := tfaws.Ref{Line: p.line(name)}
	switch st {
	case tfaws.Unset:
		return tfaws.Ref{}
	case tfaws.Known:
		if s, ok := scalar(x); ok && s != "" {
			r.State, r.ID = tfaws.Known, s
			return r
		}
		return tfaws.Ref{}
	}
	r.State = tfaws.Unknown
	refs := p.refs(name)
	if len(refs) > 0 {
		r.Name = joinModule(p.in.module, strings.TrimSuffix(refs[0], ".id"))
	}
	if ids, ok := p.b.resolveIDs(p.b.ctxOf(p.in), refs); ok {
		r.Candidates = ids
	} else if e, ok := p.expr(name); ok {
		r.Candidates, _ = tfaws.Candidates(e, p.eval())
	}
	return r
}

func (p *planBody) Refs(name string) tfaws.Value {
	v := p.Attr(name)
	if v.State != tfaws.Unknown {
		return v
	}
	ids, ok := p.b.resolveIDs(p.b.ctxOf(p.in), p.refs(name))
	if !ok || len(ids) == 0 {
		return v
	}
	// The known elements of a partly known list stay.
	var out []any
	if raw, ok := p.v.vals[name].([]any); ok {
		for _, e := range raw {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
	}
	for _, id := range ids {
		if !slices.Contains(out, any(id)) {
			out = append(out, id)
		}
	}
	return tfaws.Value{State: tfaws.Known, V: out, Line: v.Line}
}

func (p *planBody) Blocks(name string) ([]tfaws.Body, bool) {
	vs, st := p.v.objList(name)
	switch {
	case st == tfaws.Unknown && p.top && p.b.notWritten(p.in, name):
		return nil, true
	case st == tfaws.Unknown:
		return nil, false
	}
	var srcBlocks []*hclsyntax.Block // the static blocks, in order
	if p.block != nil {
		for _, blk := range p.block.Blocks {
			if blk.Type == name {
				srcBlocks = append(srcBlocks, blk)
			}
		}
	}
	match := matchBlocks(srcBlocks, vs)
	out := make([]tfaws.Body, len(vs))
	for j, ev := range vs {
		c := &planBody{b: p.b, in: p.in, v: ev, plan: join(p.plan, name+"["+strconv.Itoa(j)+"]")}
		switch {
		case match[j] >= 0:
			c.src = join(p.src, name+"["+strconv.Itoa(match[j])+"]")
			c.block = srcBlocks[match[j]].Body
		case p.in.src != nil:
			c.src = join(p.src, name) // a dynamic block's content
		default:
			c.src = c.plan
		}
		out[j] = c
	}
	return out, true
}

func (p *planBody) Pattern(name string) (string, bool) {
	e, ok := p.expr(name)
	if !ok {
		return "", false
	}
	return tfaws.Pattern(e, p.eval())
}

func (p *planBody) eval() *planEval { return &planEval{b: p.b, in: p.in} }

// matchBlocks pairs the elements of a planned list (or set) of nested
// blocks with the source blocks they came from, by the literal attributes
// of the blocks; -1 where no block matches. When the numbers agree, the
// blocks left are paired in order.
func matchBlocks(blocks []*hclsyntax.Block, vs []view) []int {
	out := make([]int, len(vs))
	for i := range out {
		out[i] = -1
	}
	used := make([]bool, len(blocks))
	for j, rv := range vs {
		for i, blk := range blocks {
			if !used[i] && literalsMatch(blk.Body, rv) {
				out[j], used[i] = i, true
				break
			}
		}
	}
	if len(blocks) == len(vs) {
		for j := range out {
			for i := range blocks {
				if out[j] < 0 && !used[i] {
					out[j], used[i] = i, true
				}
			}
		}
	}
	return out
}

// literalsMatch reports whether every constant attribute of a source
// block equals the planned value.
func literalsMatch(body *hclsyntax.Body, rv view) bool {
	for name := range body.Attributes {
		lit, ok := literal(body, name)
		if !ok {
			continue
		}
		got, st := rv.raw(name)
		if st != tfaws.Known || !sameValue(name, lit, got) {
			return false
		}
	}
	return true
}

// sameValue compares a source literal with a planned value: protocols
// as AWS reads them, numbers by value, lists as sets (the provider
// keeps many as sets, in its own order).
func sameValue(field string, a, b any) bool {
	if field == "protocol" || field == "ip_protocol" {
		pa, ea := model.NormalizeProtocol(fmt.Sprint(a))
		pb, eb := model.NormalizeProtocol(fmt.Sprint(b))
		return ea == nil && eb == nil && pa == pb
	}
	if av, ok := a.([]any); ok {
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		rest := slices.Clone(bv)
		for _, x := range av {
			i := slices.IndexFunc(rest, func(y any) bool { return sameValue("", x, y) })
			if i < 0 {
				return false
			}
			rest = slices.Delete(rest, i, i+1)
		}
		return true
	}
	if ia, err := (tfaws.Value{State: tfaws.Known, V: a}).Int(); err == nil {
		ib, err := (tfaws.Value{State: tfaws.Known, V: b}).Int()
		return err == nil && ia == ib
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// planEval is tfaws.Evaluator over what a plan shows of an instance's
// scope: the root module's variables, the constant arguments of data
// sources, and references resolved to the plan's resources.
type planEval struct {
	b  *builder
	in *instance
}

func (e *planEval) Value(x hcl.Expression) cty.Value {
	v, diags := x.Value(e.b.evalContext(e.in))
	if diags.HasErrors() || v == cty.NilVal {
		return cty.DynamicVal
	}
	return v
}

func (e *planEval) IDs(x hcl.Expression) ([]string, bool) {
	if refs := exprRefStrings(x); len(refs) > 0 {
		return e.b.resolveIDs(e.b.ctxOf(e.in), refs)
	}
	return tfaws.IDsOf(e.Value(x))
}

func (e *planEval) Elems(c hcl.Expression, rest hcl.Traversal) ([]string, bool) {
	refs := exprRefStrings(c)
	if len(rest) > 0 {
		a, ok := rest[0].(hcl.TraverseAttr)
		if !ok || len(rest) > 1 {
			return nil, false
		}
		for i, r := range refs {
			refs[i] = r + "." + a.Name
		}
	}
	return e.b.resolveIDs(e.b.ctxOf(e.in), refs)
}

func (e *planEval) Refs(x hcl.Expression) ([]string, bool) {
	var refs []string
	for _, r := range exprRefStrings(x) {
		root, _, _ := strings.Cut(r, ".")
		switch root {
		case "count", "path", "terraform":
			continue
		case "var":
			if v := e.b.variable(e.in, strings.TrimPrefix(r, "var.")); v.IsKnown() && !v.IsNull() && (v.Type() == cty.Bool || v.Type() == cty.Number) {
				continue // a condition or an index, not an id
			}
		}
		refs = append(refs, r)
	}
	return e.b.resolveIDs(e.b.ctxOf(e.in), refs)
}

func (e *planEval) Local(string) (hcl.Expression, tfaws.Evaluator, bool) { return nil, nil, false }

// evalContext gives what a plan knows of an instance's scope: the root
// module's variables, and data sources with their constant arguments. It
// is the same for every instance of a module path, and planEval asks for
// it for each sub-expression it evaluates, so it is built once per path
// (its data sources' constants go through JSON to cty).
func (b *builder) evalContext(in *instance) *hcl.EvalContext {
	if c, ok := b.evalContexts[in.modPath]; ok {
		return c
	}
	vars := map[string]cty.Value{}
	if in.module == "" {
		vars = b.vars
	}
	data := map[string]map[string]cty.Value{}
	if m := b.cfg[in.modPath]; m != nil {
		for _, r := range m.Resources {
			if r == nil || r.Mode != tfjson.DataResourceMode {
				continue
			}
			obj := map[string]cty.Value{}
			for k, x := range r.Expressions {
				if x != nil && x.ExpressionData != nil && x.ConstantValue != nil && x.ConstantValue != tfjson.UnknownConstantValue {
					if v, ok := goToCty(x.ConstantValue); ok {
						obj[k] = v
					}
				}
			}
			if data[r.Type] == nil {
				data[r.Type] = map[string]cty.Value{}
			}
			data[r.Type][r.Name] = cty.ObjectVal(obj)
		}
	}
	dataObj := map[string]cty.Value{}
	for t, byName := range data {
		dataObj[t] = cty.ObjectVal(byName)
	}
	c := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(vars), "data": cty.ObjectVal(dataObj)}}
	b.evalContexts[in.modPath] = c
	return c
}

// variable is the value of a root variable (unknown in a module).
func (b *builder) variable(in *instance, name string) cty.Value {
	if v, ok := b.vars[name]; ok && in.module == "" {
		return v
	}
	return cty.DynamicVal
}

// goToCty converts a JSON value.
func goToCty(x any) (cty.Value, bool) {
	raw, err := json.Marshal(x)
	if err != nil {
		return cty.NilVal, false
	}
	t, err := ctyjson.ImpliedType(raw)
	if err != nil {
		return cty.NilVal, false
	}
	v, err := ctyjson.Unmarshal(raw, t)
	return v, err == nil
}
