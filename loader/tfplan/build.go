package tfplan

import (
	"context"
	"slices"

	"github.com/hashicorp/hcl/v2"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/loader/tfaws"
	"github.com/vpclint/vpclint/model"
)

// instance is one resource instance of the plan with its planned values.
type instance struct {
	addr      string
	module    string // module instance address
	modPath   string // module path without keys
	typ, name string
	key       any
	hasKey    bool
	v         view
	create    bool // the resource is created by this plan
	cfg       *tfjson.ConfigResource
	plan      span           // its object in the plan
	planAttrs map[string]int // change.after paths -> plan line
	src       *srcBlock
	srcLines  map[string]int
	dynamic   map[string]bool
	id        string
}

// builder hands a plan's instances to the AWS adapter (loader/tfaws),
// which maps them to the model.
type builder struct {
	ctx   context.Context
	file  string // the plan, as shown in findings
	stem  string // the plan's file name without .plan.json / .json
	cfg   cfgIndex
	src   sourceIndex
	vars  map[string]cty.Value // the root module's variables
	m     *model.Model
	errs  []model.LoadError
	insts []*instance

	byAddr          map[string]*instance
	byBase          map[string][]*instance      // module instance|type.name
	moduleInstances map[string][]string         // module path -> instance addresses
	evalContexts    map[string]*hcl.EvalContext // module path -> its evalContext
}

func newBuilder(ctx context.Context, file, stem string, cfg cfgIndex, src sourceIndex) *builder {
	return &builder{
		ctx: ctx, file: file, stem: stem, cfg: cfg, src: src, vars: map[string]cty.Value{},
		m:               model.New(file, model.FormatTFPlan),
		byAddr:          map[string]*instance{},
		byBase:          map[string][]*instance{},
		moduleInstances: map[string][]string{},
		evalContexts:    map[string]*hcl.EvalContext{},
	}
}

// add registers an instance; a second one with the same address is
// ignored (resource_changes win over planned_values).
func (b *builder) add(in *instance) {
	if _, dup := b.byAddr[in.addr]; dup {
		return
	}
	b.insts = append(b.insts, in)
	b.byAddr[in.addr] = in
	k := in.module + "|" + in.typ + "." + in.name
	b.byBase[k] = append(b.byBase[k], in)
	if in.module != "" {
		if !slices.Contains(b.moduleInstances[in.modPath], in.module) {
			b.moduleInstances[in.modPath] = append(b.moduleInstances[in.modPath], in.module)
		}
	}
	if !tfaws.Supported(in.typ) {
		return // only referenced
	}
	in.cfg = b.cfg.resource(in.modPath, in.typ, in.name)
	if b.src != nil {
		in.src = b.src.lookup(in.modPath, in.typ, in.name, b.stem)
		if in.src != nil {
			in.srcLines, in.dynamic = attrLines(in.src.body)
		}
	}
}

// build maps every instance into the model.
func (b *builder) build() {
	// Ids first, so that references resolve to them.
	for _, in := range b.insts {
		if s, ok := in.v.str("id"); ok && s != "" {
			in.id = s
		} else {
			in.id = in.addr
		}
	}
	a := tfaws.NewBuilder(b.m)
	for _, in := range b.insts {
		if b.ctx.Err() != nil {
			return
		}
		if !tfaws.Supported(in.typ) {
			continue
		}
		file, start, end := b.location(in)
		r := &tfaws.Resource{
			Type: in.typ, Addr: in.addr, ID: in.id, Body: b.body(in),
			Source: model.Source{Format: model.FormatTFPlan, File: file, StartLine: start, EndLine: end, Module: in.module},
		}
		if tags, ok := in.v.vals["tags_all"].(map[string]any); ok && !anyUnknown(in.v.unkSub("tags_all")) {
			r.DefaultTags = tfaws.Value{State: tfaws.Known, V: tags}.StringMap()
		}
		if in.src != nil {
			s, errs := tfaws.Suppressions(in.src.file, in.src.lines, in.typ, in.src.rng, in.src.body)
			r.Suppressions = s
			b.errs = append(b.errs, errs...)
		}
		a.Add(r)
	}
	b.errs = append(b.errs, a.Build()...)
}

// ---- locations ----

// location is where an instance is written: its .tf block, else its
// object in the plan.
func (b *builder) location(in *instance) (file string, start, end int) {
	if in.src != nil {
		return in.src.file, in.src.rng.Start.Line, in.src.rng.End.Line
	}
	return b.file, in.plan.line, max(in.plan.end, in.plan.line)
}

// ---- references ----

// written reports whether the configuration or source sets an attribute.
func (b *builder) written(in *instance, key string) bool {
	if in.cfg != nil {
		if _, ok := in.cfg.Expressions[key]; ok {
			return true
		}
	}
	_, inSource := in.srcLines[key]
	return inSource || in.dynamic[key]
}

// notWritten reports whether a wholly unknown, provider-computed list
// (a group's ingress, an ACL's subnet_ids) is only unknown because the
// configuration leaves it unset: then Terraform creates it empty.
func (b *builder) notWritten(in *instance, key string) bool {
	return in.create && (in.cfg != nil || in.src != nil) && !b.written(in, key)
}

// targetID is the id a reference's target stands for: the instance's
// id, or the attribute it reads when that names a resource: known, a
// bound attribute's placeholder (tfaws.BoundName: a VPC's default group,
// ACL or route table, a zone's id, an endpoint's prefix list), or an
// association's own target.
func (b *builder) targetID(t target) (string, bool) {
	switch t.attr {
	case "id", "":
		return t.inst.id, true
	}
	if s, ok := t.inst.v.str(t.attr); ok && s != "" {
		return s, true
	}
	if name, ok := tfaws.BoundName(t.inst.typ, t.inst.addr, t.attr); ok {
		return name, true
	}
	switch t.attr {
	case "security_group_id", "network_acl_id", "vpc_endpoint_id", "route_table_id", "subnet_id", "vpc_id":
		// An association resource's own pointer.
		return b.body(t.inst).Ref(t.attr).Resolved()
	}
	return "", false
}

// resolveIDs resolves references to the ids they name; ok when every one
// leads to resources of the plan.
func (b *builder) resolveIDs(ctx refCtx, refs []string) ([]string, bool) {
	if len(refs) == 0 {
		return nil, false
	}
	ts, complete := b.resolveRefs(ctx, refs, 0)
	if !complete {
		return nil, false
	}
	out := []string{}
	for _, t := range ts {
		id, ok := b.targetID(t)
		if !ok {
			return nil, false
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, true
}

// scalar reads a JSON scalar as text.
func scalar(x any) (string, bool) {
	v := tfaws.Value{State: tfaws.Known, V: x}
	return v.String()
}

// exprRefs gives the references of an attribute's (or for_each's)
// expression: from the plan's configuration, else from the source.
func (b *builder) exprRefs(in *instance, key string) []string {
	if in.cfg != nil {
		e := in.cfg.Expressions[key]
		if key == "for_each" {
			e = in.cfg.ForEachExpression
		}
		if e != nil && e.ExpressionData != nil && len(e.References) > 0 {
			return e.References
		}
	}
	if in.src != nil {
		if a, ok := in.src.body.Attributes[key]; ok {
			return exprRefStrings(a.Expr)
		}
	}
	return nil
}

// ctxOf is where an instance's expressions are evaluated.
func (b *builder) ctxOf(in *instance) refCtx {
	return refCtx{module: in.module, key: in.key, hasKey: in.hasKey, forEach: b.exprRefs(in, "for_each")}
}
