package tfplan

import (
	"context"
	"fmt"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

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
	planLine  int
	planEnd   int
	planAttrs map[string]int // change.after paths -> plan line
	src       *srcBlock
	srcLines  map[string]int
	dynamic   map[string]bool
	id        string
	order     int
}

// builder turns a plan's instances into a model.
type builder struct {
	ctx   context.Context
	file  string // the plan, as shown in findings
	stem  string // the plan's file name without .plan.json / .json
	cfg   *cfgIndex
	src   *sourceIndex
	m     *model.Model
	errs  []model.LoadError
	insts []*instance

	byAddr          map[string]*instance
	byBase          map[string][]*instance // module instance|type.name
	moduleInstances map[string][]string    // module path -> instance addresses

	vpcs      map[string]*model.VPC
	subnets   map[string]*model.Subnet
	groups    map[string]*model.SecurityGroup
	acls      map[string]*model.NetworkACL
	endpoints map[string]*model.VPCEndpoint
	services  map[string]*model.EndpointService
	tables    map[string]*model.RouteTable
	zones     map[string]*model.HostedZone
	// defaultSG maps a VPC id to its default group's id.
	defaultSG map[string]string
	// remap maps the name of a VPC's default group, ACL or route table
	// ("aws_vpc.main.default_security_group_id") to the resource that
	// adopts it.
	remap map[string]string
}

func newBuilder(ctx context.Context, file, stem string, cfg *cfgIndex, src *sourceIndex, unit string) *builder {
	return &builder{
		ctx: ctx, file: file, stem: stem, cfg: cfg, src: src,
		m:               model.New(unit, model.FormatTFPlan),
		byAddr:          map[string]*instance{},
		byBase:          map[string][]*instance{},
		moduleInstances: map[string][]string{},
		vpcs:            map[string]*model.VPC{},
		subnets:         map[string]*model.Subnet{},
		groups:          map[string]*model.SecurityGroup{},
		acls:            map[string]*model.NetworkACL{},
		endpoints:       map[string]*model.VPCEndpoint{},
		services:        map[string]*model.EndpointService{},
		tables:          map[string]*model.RouteTable{},
		zones:           map[string]*model.HostedZone{},
		defaultSG:       map[string]string{},
		remap:           map[string]string{},
	}
}

// add registers an instance; a second one with the same address is
// ignored (resource_changes win over planned_values).
func (b *builder) add(in *instance) {
	if _, dup := b.byAddr[in.addr]; dup {
		return
	}
	in.order = len(b.insts)
	b.insts = append(b.insts, in)
	b.byAddr[in.addr] = in
	k := in.module + "|" + in.typ + "." + in.name
	b.byBase[k] = append(b.byBase[k], in)
	if in.module != "" {
		mp := in.modPath
		found := false
		for _, mi := range b.moduleInstances[mp] {
			if mi == in.module {
				found = true
				break
			}
		}
		if !found {
			b.moduleInstances[mp] = append(b.moduleInstances[mp], in.module)
		}
	}
	if b.cfg != nil {
		in.cfg = b.cfg.resource(in.modPath, "managed", in.typ, in.name)
	}
	if b.src != nil {
		in.src = b.src.lookup(in.modPath, in.typ, in.name, b.stem)
		if in.src != nil {
			in.srcLines, in.dynamic = in.src.lineMap()
		}
	}
}

// supported lists the resource types the loader maps.
var supported = map[string]bool{
	"aws_vpc": true, "aws_subnet": true,
	"aws_security_group": true, "aws_security_group_rule": true,
	"aws_vpc_security_group_ingress_rule": true, "aws_vpc_security_group_egress_rule": true,
	"aws_default_security_group": true,
	"aws_network_acl":            true, "aws_network_acl_rule": true, "aws_network_acl_association": true,
	"aws_default_network_acl": true,
	"aws_vpc_endpoint":        true, "aws_vpc_endpoint_policy": true,
	"aws_vpc_endpoint_subnet_association":         true,
	"aws_vpc_endpoint_security_group_association": true,
	"aws_vpc_endpoint_route_table_association":    true,
	"aws_vpc_endpoint_service":                    true, "aws_vpc_endpoint_service_allowed_principal": true,
	"aws_vpc_endpoint_private_dns": true, "aws_default_route_table": true,
	"aws_route_table": true, "aws_route_table_association": true, "aws_route": true,
	"aws_flow_log": true, "aws_route53_zone": true, "aws_route53_zone_association": true,
}

// build maps every instance into the model.
func (b *builder) build() {
	// Ids first, so that references resolve to them.
	for _, in := range b.insts {
		if s, st := in.v.str("id"); st == stKnown && s != "" {
			in.id = s
		} else {
			in.id = in.addr
		}
	}
	// The default group, ACL and route table of a VPC are named after
	// the VPC until apply; references to that name mean the resource
	// that adopts them.
	for _, in := range b.insts {
		switch in.typ {
		case "aws_default_security_group":
			if vpc, ok := b.refOne(in, "vpc_id"); ok {
				for _, name := range b.defaultNames(vpc, "default_security_group_id") {
					b.remap[name] = in.id
				}
			}
		case "aws_default_network_acl":
			if id, ok := b.rawRefOne(in, "default_network_acl_id"); ok && id != in.id {
				b.remap[id] = in.id
			}
		case "aws_default_route_table":
			if id, ok := b.rawRefOne(in, "default_route_table_id"); ok && id != in.id {
				b.remap[id] = in.id
			}
		}
	}
	order := [][]string{
		{"aws_vpc"},
		{"aws_subnet"},
		{"aws_security_group", "aws_default_security_group"},
		{"aws_network_acl", "aws_default_network_acl"},
		{"aws_route_table", "aws_default_route_table"},
		{"aws_vpc_endpoint"},
		{"aws_vpc_endpoint_service"},
		{"aws_flow_log"},
		{"aws_route53_zone"},
		{"aws_route53_zone_association"},
		{"aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule",
			"aws_network_acl_rule", "aws_network_acl_association",
			"aws_vpc_endpoint_policy", "aws_vpc_endpoint_subnet_association",
			"aws_vpc_endpoint_security_group_association", "aws_vpc_endpoint_route_table_association",
			"aws_vpc_endpoint_service_allowed_principal", "aws_route_table_association", "aws_route",
			"aws_vpc_endpoint_private_dns"},
	}
	for _, types := range order {
		for _, in := range b.insts {
			if b.ctx.Err() != nil {
				return
			}
			if !contains(types, in.typ) {
				continue
			}
			b.mapInstance(in)
		}
	}
	b.finish()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (b *builder) mapInstance(in *instance) {
	switch in.typ {
	case "aws_vpc":
		b.mapVPC(in)
	case "aws_subnet":
		b.mapSubnet(in)
	case "aws_security_group", "aws_default_security_group":
		b.mapGroup(in)
	case "aws_network_acl", "aws_default_network_acl":
		b.mapACL(in)
	case "aws_route_table", "aws_default_route_table":
		b.mapRouteTable(in)
	case "aws_vpc_endpoint":
		b.mapEndpoint(in)
	case "aws_vpc_endpoint_service":
		b.mapService(in)
	case "aws_flow_log":
		b.mapFlowLog(in)
	case "aws_route53_zone":
		b.mapHostedZone(in)
	case "aws_route53_zone_association":
		b.foldZoneAssociation(in)
	case "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule":
		b.foldSGRule(in)
	case "aws_network_acl_rule":
		b.foldACLRule(in)
	case "aws_network_acl_association":
		b.foldACLAssociation(in)
	case "aws_vpc_endpoint_policy", "aws_vpc_endpoint_subnet_association", "aws_vpc_endpoint_private_dns",
		"aws_vpc_endpoint_security_group_association", "aws_vpc_endpoint_route_table_association":
		b.foldEndpointPart(in)
	case "aws_vpc_endpoint_service_allowed_principal":
		b.foldAllowedPrincipal(in)
	case "aws_route_table_association":
		b.foldRouteTableAssociation(in)
	case "aws_route":
		b.foldRoute(in)
	}
}

// ---- locations ----

// location is where an instance is written: its .tf block, else its
// object in the plan.
func (b *builder) location(in *instance) (file string, start, end int) {
	if in.src != nil {
		return in.src.file, in.src.start, in.src.end
	}
	end = in.planEnd
	if end < in.planLine {
		end = in.planLine
	}
	return b.file, in.planLine, end
}

// attrLine is the line of an attribute of an instance: srcPath in its
// .tf block, else planPath in the plan's change.after; 0 when unknown.
func (b *builder) attrLine(in *instance, path string) int {
	if in.src != nil {
		return in.srcLines[path]
	}
	return in.planAttrs[path]
}

// lineOrBlock is attrLine falling back to the block's first line.
func (b *builder) lineOrBlock(in *instance, path string) int {
	if l := b.attrLine(in, path); l > 0 {
		return l
	}
	_, start, _ := b.location(in)
	return start
}

func (b *builder) meta(in *instance) model.Meta {
	file, start, end := b.location(in)
	m := model.Meta{
		ID: in.id, Address: in.addr, Type: in.typ,
		Source: model.Source{Format: model.FormatTFPlan, File: file, StartLine: start, EndLine: end, Module: in.module},
		Tags:   in.v.strMap("tags"),
	}
	if in.src != nil {
		s, errs := in.src.suppressions()
		m.Suppressions = s
		b.errs = append(b.errs, errs...)
	}
	return m
}

// setLine records the line of a model attribute path.
func setLine(m *model.Meta, path string, line int) {
	if line <= 0 {
		return
	}
	if m.AttributeLines == nil {
		m.AttributeLines = map[string]int{}
	}
	if _, ok := m.AttributeLines[path]; !ok {
		m.AttributeLines[path] = line
	}
}

// copyLines copies an instance's attribute lines under srcPrefix into the
// model under modelPrefix, renaming the first element with names (a name
// missing from names is kept; a name mapped to "" is dropped).
func (b *builder) copyLines(m *model.Meta, in *instance, srcPrefix, modelPrefix string, names map[string]string) {
	b.copyLinesOf(m, in, srcPrefix, modelPrefix, names, false)
}

// metaArgs are Terraform's meta-arguments and attributes whose lines are
// of no use to a rule.
var metaArgs = map[string]bool{
	"count": true, "for_each": true, "depends_on": true, "lifecycle": true, "provider": true,
	"provisioner": true, "connection": true, "timeouts": true, "tags_all": true,
}

// copyLinesOf is copyLines; when strict, only the names listed are copied.
func (b *builder) copyLinesOf(m *model.Meta, in *instance, srcPrefix, modelPrefix string, names map[string]string, strict bool) {
	lines := in.planAttrs
	if in.src != nil {
		lines = in.srcLines
	}
	for p, l := range lines {
		rest := p
		if srcPrefix != "" {
			if !strings.HasPrefix(p, srcPrefix+".") {
				continue
			}
			rest = p[len(srcPrefix)+1:]
		}
		name, tail := rest, ""
		if i := strings.IndexAny(rest, ".["); i >= 0 {
			name, tail = rest[:i], rest[i:]
		}
		if metaArgs[name] {
			continue
		}
		if strict {
			if _, ok := names[name]; !ok {
				continue
			}
		}
		if names != nil {
			if n, ok := names[name]; ok {
				if n == "" {
					continue
				}
				// "cidr_ipv4" -> "cidr_blocks[0]": a scalar becomes
				// the list's first element (and stands for the list).
				name = n
				if base, ok := strings.CutSuffix(n, "[0]"); ok && tail == "" {
					lp := base
					if modelPrefix != "" {
						lp = modelPrefix + "." + base
					}
					setLine(m, lp, l)
				}
			}
		}
		mp := name + tail
		if modelPrefix != "" {
			mp = modelPrefix + "." + mp
		}
		setLine(m, mp, l)
	}
}

func unknown(m *model.Meta, path string) {
	for _, p := range m.Unknown {
		if p == path {
			return
		}
	}
	m.Unknown = append(m.Unknown, path)
}

func defaulted(m *model.Meta, path string) { m.Defaulted = append(m.Defaulted, path) }

// warn reports a value AWS would reject, at the attribute's line.
func (b *builder) warn(in *instance, path, format string, args ...any) {
	file, _, _ := b.location(in)
	b.errs = append(b.errs, model.LoadError{
		File: file, Line: b.lineOrBlock(in, path),
		Message: fmt.Sprintf("%s: %s", in.addr, fmt.Sprintf(format, args...)),
		Level:   model.LevelWarning,
	})
}

// ---- references ----

// written reports whether the configuration or source sets an attribute.
func (b *builder) written(in *instance, key string) bool {
	if in.cfg != nil {
		if _, ok := in.cfg.Expressions[key]; ok {
			return true
		}
	}
	if in.src != nil {
		if _, ok := in.srcLines[key]; ok {
			return true
		}
	}
	return in.dynamic[key]
}

// notWritten reports whether a wholly unknown, provider-computed list
// (a group's ingress, an ACL's subnet_ids) is only unknown because the
// configuration leaves it unset: then Terraform creates it empty.
func (b *builder) notWritten(in *instance, key string) bool {
	return in.create && (in.cfg != nil || in.src != nil) && !b.written(in, key)
}

func (b *builder) targetID(t target) (string, bool) {
	id, ok := b.rawTargetID(t)
	if r, found := b.remap[id]; found && ok {
		return r, true
	}
	return id, ok
}

func (b *builder) rawTargetID(t target) (string, bool) {
	switch t.attr {
	case "id", "":
		return t.inst.id, true
	}
	if s, st := t.inst.v.str(t.attr); st == stKnown && s != "" {
		return s, true
	}
	switch t.attr {
	case "default_security_group_id", "default_network_acl_id", "main_route_table_id", "default_route_table_id":
		if t.inst.typ == "aws_vpc" {
			return t.inst.addr + "." + t.attr, true
		}
	case "zone_id":
		if t.inst.typ == "aws_route53_zone" {
			return t.inst.id, true
		}
	case "security_group_id", "network_acl_id", "vpc_endpoint_id", "route_table_id", "subnet_id", "vpc_id":
		// An association resource's own pointer.
		return b.refOne(t.inst, t.attr)
	}
	return "", false
}

// exprRefs gives the references of an attribute's expression: from the
// plan's configuration, else from the source.
func (b *builder) exprRefs(in *instance, key string) []string {
	if in.cfg != nil {
		if e := in.cfg.Expressions[key]; e != nil && e.ExpressionData != nil && len(e.References) > 0 {
			return e.References
		}
	}
	if in.src != nil {
		if e, ok := in.src.attr(key); ok {
			return exprRefStrings(e)
		}
	}
	return nil
}

// ctxOf is where an instance's expressions are evaluated.
func (b *builder) ctxOf(in *instance) refCtx {
	c := refCtx{module: in.module, key: in.key, hasKey: in.hasKey}
	if in.cfg != nil && in.cfg.ForEachExpression != nil && in.cfg.ForEachExpression.ExpressionData != nil {
		c.forEach = in.cfg.ForEachExpression.References
	} else if in.src != nil {
		if e, ok := in.src.attr("for_each"); ok {
			c.forEach = exprRefStrings(e)
		}
	}
	return c
}

// refOne reads a single-valued reference attribute (vpc_id,
// security_group_id): its planned value when known, else the id of the
// one resource its expression references.
func (b *builder) refOne(in *instance, key string) (string, bool) {
	id, ok := b.rawRefOne(in, key)
	if r, found := b.remap[id]; found && ok {
		return r, true
	}
	return id, ok
}

// rawRefOne is refOne without mapping a VPC's default resources to the
// resources that adopt them.
func (b *builder) rawRefOne(in *instance, key string) (string, bool) {
	s, st := in.v.str(key)
	if st == stKnown {
		return s, s != ""
	}
	if st == stNull {
		return "", false
	}
	refs := b.exprRefs(in, key)
	if len(refs) == 0 {
		return "", false
	}
	ts, complete := b.resolveRefs(b.ctxOf(in), refs, 0)
	if !complete {
		return "", false
	}
	var id string
	for _, t := range ts {
		x, ok := b.rawTargetID(t)
		if !ok {
			return "", false
		}
		if id != "" && x != id {
			return "", false // ambiguous
		}
		id = x
	}
	return id, id != ""
}

// refList reads a list of references (subnet_ids, security_group_ids).
func (b *builder) refList(in *instance, key string) ([]string, state) {
	list, st := in.v.strList(key)
	if st != stUnknown {
		return list, st
	}
	refs := b.exprRefs(in, key)
	if len(refs) == 0 {
		return nil, stUnknown
	}
	ts, complete := b.resolveRefs(b.ctxOf(in), refs, 0)
	if !complete || len(ts) == 0 {
		return nil, stUnknown
	}
	var out []string
	// Known elements of a partly known list stay.
	if raw, ok := in.v.vals[key].([]any); ok {
		for _, e := range raw {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
	}
	for _, t := range ts {
		id, ok := b.targetID(t)
		if !ok {
			return nil, stUnknown
		}
		out = appendUnique(out, id)
	}
	return out, stKnown
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// defaultNames gives the names a VPC's default resource goes by: the
// VPC's known attribute, else "<vpc address>.<attr>".
func (b *builder) defaultNames(vpcID, attr string) []string {
	out := []string{vpcID + "." + attr}
	for _, v := range b.insts {
		if v.typ == "aws_vpc" && v.id == vpcID {
			if s, st := v.v.str(attr); st == stKnown && s != "" {
				out = append(out, s)
			}
			out = appendUnique(out, v.addr+"."+attr)
		}
	}
	return out
}

// finish runs the checks that need every part folded in.
func (b *builder) finish() {
	for _, acl := range b.m.NetworkACLs {
		b.checkDuplicates(acl)
	}
	for _, r := range b.m.Resources() {
		sort.Strings(r.GetMeta().Unknown)
	}
}
