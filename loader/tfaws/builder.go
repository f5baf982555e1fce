package tfaws

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// Resource is one resource instance read by a front end.
type Resource struct {
	// Type is the Terraform resource type (aws_security_group).
	Type string
	// Addr is the resource's address; ID its id: its real id when known
	// (a state, an update), else its address.
	Addr, ID string
	// Source is where the resource is written (its block, or its object
	// in a plan).
	Source model.Source
	Body   Body
	// DefaultTags are the provider's default tags, merged under the
	// resource's own.
	DefaultTags map[string]string
	// Suppressions are the vpclint:ignore comments written at the
	// resource; a folded part's go to the resource it completes.
	Suppressions []model.Suppression
	// Maybe marks a resource whose count or for_each is unknown: it may
	// exist any number of times, and Body reads it with count.index and
	// each unknown. It is not in the model, but what it may set on other
	// resources is unknown there.
	Maybe bool
}

// Supported reports whether the adapter reads a resource type.
func Supported(typ string) bool {
	_, isPart := parts[typ]
	return isPart || primaryOf(typ) != nil
}

// primary is how a primary type is read, and the model list
// (model.Inventory.Lists) it belongs to.
type primary struct {
	typ, collection string
	read            func(*Builder, *Resource)
}

// primaries are the types of model collections, in the order built: a
// resource adopting a VPC's default group, ACL or route table finds its
// VPC built.
var primaries = []primary{
	{"aws_vpc", "vpcs", (*Builder).vpc},
	{"aws_subnet", "subnets", (*Builder).subnet},
	{"aws_security_group", "security_groups", (*Builder).securityGroup},
	{"aws_default_security_group", "security_groups", (*Builder).securityGroup},
	{"aws_network_acl", "network_acls", (*Builder).networkACL},
	{"aws_default_network_acl", "network_acls", (*Builder).networkACL},
	{"aws_route_table", "route_tables", (*Builder).routeTable},
	{"aws_default_route_table", "route_tables", (*Builder).routeTable},
	{"aws_vpc_endpoint", "vpc_endpoints", (*Builder).endpoint},
	{"aws_vpc_endpoint_service", "vpc_endpoint_services", (*Builder).endpointService},
	{"aws_flow_log", "flow_logs", (*Builder).flowLog},
	{"aws_route53_zone", "hosted_zones", (*Builder).hostedZone},
}

func primaryOf(typ string) *primary {
	for i := range primaries {
		if primaries[i].typ == typ {
			return &primaries[i]
		}
	}
	return nil
}

// Builder turns resources into a model: primary resources first, then the
// parts folded into them, then what parts and modules the scan cannot see
// may change, then the links between resources.
type Builder struct {
	m     *model.Model
	res   []*Resource
	errs  []model.LoadError
	seen  map[string]bool
	marks []mark
	// unseen are ids given to something the scan cannot see.
	unseen []string
	// partial are the model lists that may hold more than the code
	// shows: a resource of their kind has an unknown count.
	partial map[string]bool

	// byID holds the resources of each kind by id.
	byID map[kind]map[string]model.Resource
	// vpcRes are the VPC resources by id, for the names of their default
	// group, ACL and route table.
	vpcRes map[string]*Resource
	// remap maps the names a VPC's default group, ACL or route table (and
	// a zone's zone_id) go by to the resource that manages them.
	remap map[string]string
}

// boundAttributes are computed attributes that stand for another resource
// the adapter can name: a front end that cannot read their value gives
// the stable placeholder "<address>.<attribute>" (BoundName), which the
// builder maps to the resource managing it when there is one (a VPC's
// default group, ACL and route tables; a zone's id), or keeps as an
// opaque id (an endpoint's prefix list).
var boundAttributes = map[string][]string{
	"aws_vpc":          {"default_security_group_id", "default_network_acl_id", "default_route_table_id", "main_route_table_id"},
	"aws_vpc_endpoint": {"prefix_list_id"},
	"aws_route53_zone": {"zone_id"},
}

// BoundAttributes lists a resource type's bound attributes.
func BoundAttributes(typ string) []string { return boundAttributes[typ] }

// BoundName is the placeholder for a bound attribute of the resource at
// addr, and false when attr is not one of typ's.
func BoundName(typ, addr, attr string) (string, bool) {
	if !slices.Contains(boundAttributes[typ], attr) {
		return "", false
	}
	return addr + "." + attr, true
}

// NewBuilder returns a builder filling m.
func NewBuilder(m *model.Model) *Builder {
	b := &Builder{m: m, seen: map[string]bool{}, byID: map[kind]map[string]model.Resource{}, partial: map[string]bool{},
		vpcRes: map[string]*Resource{}, remap: map[string]string{}}
	for k := range sets {
		b.byID[k] = map[string]model.Resource{}
	}
	return b
}

// put indexes a resource by its id.
func (b *Builder) put(k kind, r model.Resource) { b.byID[k][r.GetMeta().ID] = r }

// Add queues a resource instance of a supported type.
func (b *Builder) Add(r *Resource) {
	if Supported(r.Type) {
		b.res = append(b.res, r)
	}
}

// Unseen records ids (or any strings: those naming no resource are
// ignored) handed to something the scan cannot see, such as a module that
// is not installed: whatever separate resources could set on those
// resources is unknown.
func (b *Builder) Unseen(ids ...string) { b.unseen = append(b.unseen, ids...) }

// Build fills the model and returns the problems found in values.
func (b *Builder) Build() []model.LoadError {
	for _, p := range primaries {
		for _, r := range b.res {
			if r.Type == p.typ && !r.Maybe {
				p.read(b, r)
			}
		}
	}
	for _, r := range b.res {
		switch {
		case r.Maybe:
			b.maybe(r)
		case primaryOf(r.Type) == nil:
			b.fold(r)
		}
	}
	for _, id := range b.unseen {
		// Whatever separate resources could set on it, whatever its kind.
		for k, paths := range sets {
			b.marks = append(b.marks, mark{kind: k, ids: []string{b.mapID(id)}, paths: paths})
		}
	}
	for _, mk := range b.marks {
		b.apply(mk)
	}
	b.lists()
	b.finish()
	return b.errs
}

func (b *Builder) meta(r *Resource) model.Meta {
	return model.Meta{ID: r.ID, Address: r.Addr, Type: r.Type, Source: r.Source, AttributeLines: map[string]int{}}
}

// common reads what every resource has: tags (over the provider's
// default tags) and suppressions.
func (b *Builder) common(f *reader) {
	v := f.attr("tags", "tags")
	tags := map[string]string{}
	switch v.State {
	case Unknown:
		f.unknown("tags")
	case Known:
		tags = v.StringMap()
	}
	if v.State != Unknown && len(f.r.DefaultTags) > 0 {
		merged := maps.Clone(f.r.DefaultTags)
		maps.Copy(merged, tags)
		tags = merged
	}
	if len(tags) > 0 {
		f.meta.Tags = tags
	}
	f.meta.Suppressions = append(f.meta.Suppressions, f.r.Suppressions...)
}

// warn reports a value AWS would reject (or one that cannot be read) at
// its line in the resource's file. The address is escaped: a for_each
// key, or any address of a plan, can hold control characters.
func (b *Builder) warn(r *Resource, line int, format string, args ...any) {
	if line <= 0 {
		line = r.Source.StartLine
	}
	e := model.LoadError{File: r.Source.File, Line: line, Level: model.LevelWarning,
		Message: safetext.Line(r.Addr) + ": " + fmt.Sprintf(format, args...)}
	k := fmt.Sprintf("%s:%d:%s", e.File, e.Line, e.Message)
	if !b.seen[k] {
		b.seen[k] = true
		b.errs = append(b.errs, e)
	}
}

func (b *Builder) mapID(s string) string {
	if r, ok := b.remap[s]; ok {
		return r
	}
	return s
}

// defaultNames are the names a VPC's default group, ACL or route table
// (attr: default_security_group_id ...) goes by: "<vpc id>.<attr>",
// "<vpc address>.<attr>", and the VPC's known attribute.
func (b *Builder) defaultNames(vpcID, attr string) []string {
	out := []string{vpcID + "." + attr}
	if r := b.vpcRes[vpcID]; r != nil {
		out = append(out, r.Addr+"."+attr)
		if s, ok := r.Body.Attr(attr).String(); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// adopt finds the VPC whose default resource (attr) an aws_default_*
// resource manages, named by id, and maps the default's names to it.
func (b *Builder) adopt(id, attr, managerID string, alsoAttrs ...string) (vpc string) {
	for vid := range b.vpcRes {
		if slices.Contains(b.defaultNames(vid, attr), id) {
			vpc = vid
			break
		}
	}
	b.remap[id] = managerID
	if vpc == "" {
		v, ok := strings.CutSuffix(id, "."+attr)
		if !ok {
			return ""
		}
		vpc = b.vpcByName(v)
	}
	for _, a := range append([]string{attr}, alsoAttrs...) {
		for _, n := range b.defaultNames(vpc, a) {
			b.remap[n] = managerID
		}
	}
	return vpc
}

// vpcByName gives the id of the VPC with this address or id, else the
// name itself.
func (b *Builder) vpcByName(name string) string {
	if _, ok := b.vpcRes[name]; ok {
		return name
	}
	for id, r := range b.vpcRes {
		if r.Addr == name {
			return id
		}
	}
	return name
}

// finish maps default-resource names to the resources managing them,
// links subnets to their ACLs and route tables, checks ACL rule numbers,
// and tidies the unknown lists.
func (b *Builder) finish() {
	mapList := func(l []string) {
		for i, s := range l {
			l[i] = b.mapID(s)
		}
	}
	for _, g := range b.m.SecurityGroups {
		for _, r := range slices.Concat(g.Ingress, g.Egress) {
			mapList(r.SecurityGroupIDs)
		}
	}
	for _, e := range b.m.VPCEndpoints {
		mapList(e.SecurityGroupIDs)
		mapList(e.SubnetIDs)
		mapList(e.RouteTableIDs)
	}
	for _, s := range b.m.Subnets {
		s.VPCID = b.mapID(s.VPCID)
	}
	for _, a := range b.m.NetworkACLs {
		mapList(a.SubnetIDs)
		for _, sid := range a.SubnetIDs {
			if s, ok := b.byID[kindSubnet][sid].(*model.Subnet); ok && !slices.Contains(s.Unknown, "network_acl_id") {
				s.NetworkACLID = a.ID
			}
		}
		b.checkRuleNumbers(a)
	}
	for _, t := range b.m.RouteTables {
		mapList(t.SubnetIDs)
		for _, sid := range t.SubnetIDs {
			if s, ok := b.byID[kindSubnet][sid].(*model.Subnet); ok && !slices.Contains(s.Unknown, "route_table_id") {
				s.RouteTableID = t.ID
			}
		}
	}
	b.m.Tidy()
}

// checkRuleNumbers warns about two entries of one direction sharing a
// rule number; both are kept (NACL008 reports them).
func (b *Builder) checkRuleNumbers(a *model.NetworkACL) {
	seen := map[string]bool{}
	for i, e := range a.Entries {
		if e.RuleNumber == nil {
			continue
		}
		k := fmt.Sprintf("%v/%d", e.Egress, *e.RuleNumber)
		if !seen[k] {
			seen[k] = true
			continue
		}
		p := fmt.Sprintf("entries[%d]", i)
		file, line := a.Source.File, a.AttributeLines[p+".rule_number"]
		if f, ok := a.AttributeFiles[p]; ok {
			file = f
		}
		if line == 0 {
			line = a.AttributeLines[p]
		}
		dir := "ingress"
		if e.Egress {
			dir = "egress"
		}
		k = fmt.Sprintf("%s:%d:%s", file, line, a.Address)
		if !b.seen[k+dir] {
			b.seen[k+dir] = true
			b.errs = append(b.errs, model.LoadError{File: file, Line: line, Level: model.LevelWarning,
				Message: fmt.Sprintf("%s: two %s entries with rule number %d; AWS rejects the second", a.Address, dir, *e.RuleNumber)})
		}
	}
}

func remove(l []string, s string) []string {
	out := slices.DeleteFunc(l, func(x string) bool { return x == s })
	if len(out) == 0 {
		return nil
	}
	return out
}
