package tfaws

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// Separate resources that complete another one (rules, entries,
// associations, policies) are folded into it, so rules see one resource
// however it was written. What an uncertain part would set is unknown on
// every resource it may target: a list "may hold more" (its path is
// listed, its known elements stay), a single value is absent and listed.

// kind is a model collection a part can target.
type kind int

const (
	kindVPC kind = iota
	kindSubnet
	kindSG
	kindACL
	kindEndpoint
	kindService
	kindRouteTable
	kindZone
)

// sets lists, per kind, what separate resources can set on it: what is
// unknown on a resource given to something the scan cannot see. For a VPC
// that is its flow logs (the pseudo-path flow_logs): a secondary CIDR
// block only widens the VPC, which no rule concludes from.
var sets = map[kind][]string{
	kindVPC:        {"flow_logs"},
	kindSubnet:     {"network_acl_id", "route_table_id"},
	kindSG:         {"ingress", "egress"},
	kindACL:        {"entries", "subnet_ids"},
	kindEndpoint:   {"policy", "private_dns_enabled", "subnet_ids", "security_group_ids", "route_table_ids"},
	kindService:    {"allowed_principals"},
	kindRouteTable: {"routes", "subnet_ids"},
	kindZone:       {"private", "vpc_ids"},
}

// mark is a set of paths that may be set on resources of a kind: on ids,
// or on every one of the kind when ids is nil.
type mark struct {
	kind  kind
	ids   []string
	paths []string
}

// mark records that something uncertain may set paths on what ref names.
func (b *Builder) mark(k kind, ref Ref, paths ...string) {
	var ids []string
	switch ref.State {
	case Unset:
		return
	case Known:
		ids = []string{ref.ID}
	default:
		if ref.Candidates != nil && len(ref.Candidates) == 0 {
			return // it names nothing the scan defines
		}
		ids = ref.Candidates // nil: any
	}
	b.marks = append(b.marks, mark{kind: k, ids: ids, paths: paths})
}

// apply makes a mark's paths unknown on the resources it names that the
// scan defines.
func (b *Builder) apply(mk mark) {
	ids := mk.ids
	if ids == nil {
		ids = slices.Sorted(maps.Keys(b.byID[mk.kind]))
	}
	for _, id := range ids {
		r, ok := b.byID[mk.kind][b.mapID(id)]
		if !ok || r.GetMeta().Placeholder {
			continue
		}
		m := r.GetMeta()
		for _, p := range mk.paths {
			m.Unknown = append(m.Unknown, p)
			m.Defaulted = remove(m.Defaulted, p)
			switch x := r.(type) {
			case *model.VPCEndpoint:
				switch p {
				case "policy":
					x.Policy, x.PolicyRaw, x.PolicyError = nil, nil, ""
				case "private_dns_enabled":
					x.PrivateDNSEnabled = nil
				}
			case *model.HostedZone:
				if p == "private" {
					x.Private = nil
				}
			case *model.Subnet:
				switch p {
				case "network_acl_id":
					x.NetworkACLID = ""
				case "route_table_id":
					x.RouteTableID = ""
				}
			}
		}
	}
}

// part describes a separate resource: the attribute naming its target,
// the kind of target, and the paths it sets there.
type part struct {
	target string
	kind   kind
	paths  []string
}

// parts lists how each separate resource type attaches.
var parts = map[string]part{
	"aws_security_group_rule":                     {"security_group_id", kindSG, nil}, // ingress or egress: its type
	"aws_vpc_security_group_ingress_rule":         {"security_group_id", kindSG, []string{"ingress"}},
	"aws_vpc_security_group_egress_rule":          {"security_group_id", kindSG, []string{"egress"}},
	"aws_network_acl_rule":                        {"network_acl_id", kindACL, []string{"entries"}},
	"aws_network_acl_association":                 {"network_acl_id", kindACL, []string{"subnet_ids"}},
	"aws_vpc_endpoint_policy":                     {"vpc_endpoint_id", kindEndpoint, []string{"policy"}},
	"aws_vpc_endpoint_private_dns":                {"vpc_endpoint_id", kindEndpoint, []string{"private_dns_enabled"}},
	"aws_vpc_endpoint_subnet_association":         {"vpc_endpoint_id", kindEndpoint, []string{"subnet_ids"}},
	"aws_vpc_endpoint_security_group_association": {"vpc_endpoint_id", kindEndpoint, []string{"security_group_ids"}},
	"aws_vpc_endpoint_route_table_association":    {"vpc_endpoint_id", kindEndpoint, []string{"route_table_ids"}},
	"aws_vpc_endpoint_service_allowed_principal":  {"vpc_endpoint_service_id", kindService, []string{"allowed_principals"}},
	"aws_route_table_association":                 {"route_table_id", kindRouteTable, []string{"subnet_ids"}},
	"aws_route":                                   {"route_table_id", kindRouteTable, []string{"routes"}},
	"aws_vpc_ipv4_cidr_block_association":         {"vpc_id", kindVPC, []string{"cidr_blocks"}},
	"aws_vpc_ipv6_cidr_block_association":         {"vpc_id", kindVPC, []string{"ipv6_cidr_blocks"}},
	"aws_route53_zone_association":                {"zone_id", kindZone, []string{"private", "vpc_ids"}},
}

// pathsOf is what a part sets; for an aws_security_group_rule its type's
// direction, or (not ok) both when the type is unknown, none when it is
// neither.
func (p part) pathsOf(r *Resource) ([]string, bool) {
	if r.Type != "aws_security_group_rule" {
		return p.paths, true
	}
	t, ok := r.Body.Attr("type").String()
	if r.Body.Attr("type").State == Unknown {
		return []string{"ingress", "egress"}, false
	}
	if ok && (t == "ingress" || t == "egress") {
		return []string{t}, true
	}
	return nil, false
}

// maybe records what a resource that may not exist, or may exist many
// times, may set on others.
func (b *Builder) maybe(r *Resource) {
	if p, ok := parts[r.Type]; ok {
		paths, _ := p.pathsOf(r)
		b.mark(p.kind, r.Body.Ref(p.target), paths...)
		b.mayAssociate(r)
		return
	}
	switch r.Type {
	case "aws_flow_log":
		// Which VPCs it may log is known: their flow_logs say it.
		b.mark(kindVPC, r.Body.Ref("vpc_id"), "flow_logs")
		return
	case "aws_network_acl":
		// It may take subnets (any, when its list is unknown) from their
		// ACL.
		switch v := r.Body.Refs("subnet_ids"); v.State {
		case Known:
			if ids, _ := v.Strings(); len(ids) > 0 {
				b.marks = append(b.marks, mark{kind: kindSubnet, ids: ids, paths: []string{"network_acl_id"}})
			}
		case Unknown:
			b.marks = append(b.marks, mark{kind: kindSubnet, paths: []string{"network_acl_id"}})
		}
	}
	// A rule concluding that an endpoint or a zone does not exist (no
	// gateway endpoint beside the interface one, no required endpoint, no
	// zone answering for the service) is undecided: the unit's list of
	// its kind is not whole. What other kinds change in other resources
	// goes through those resources' attributes, marked above, which keeps
	// the rest of the unit decided.
	if p := primaryOf(r.Type); p != nil && (p.collection == "vpc_endpoints" || p.collection == "hosted_zones") {
		b.partial[p.collection] = true
	}
}

// lists records in the model which lists are not whole, when some are
// not: every collection is named, as model.Inventory.Lists asks.
func (b *Builder) lists() {
	if len(b.partial) == 0 {
		return
	}
	b.m.Inventory.Lists = map[string]bool{"prefix_lists": true}
	for _, p := range primaries {
		b.m.Inventory.Lists[p.collection] = !b.partial[p.collection]
	}
}

// mayAssociate marks the subnet side of an uncertain ACL or route table
// association.
func (b *Builder) mayAssociate(r *Resource) {
	switch r.Type {
	case "aws_network_acl_association":
		b.mark(kindSubnet, r.Body.Ref("subnet_id"), "network_acl_id")
	case "aws_route_table_association":
		b.mark(kindSubnet, r.Body.Ref("subnet_id"), "route_table_id")
	}
}

// owner resolves the target of a part. When the reference names one
// resource it is that resource's id (a placeholder's when the scan does
// not define it); otherwise what the part sets is marked unknown on the
// candidates, and the id is the reference's name, for a placeholder
// that keeps the part's content (a rule open to the internet is, whatever
// group it lands in).
func (b *Builder) owner(r *Resource, p part, paths []string) (id string, certain, ok bool) {
	ref := r.Body.Ref(p.target)
	if id, ok := ref.Resolved(); ok {
		return b.mapID(id), true, true
	}
	if ref.State == Unset {
		b.warn(r, r.Source.StartLine, "%s is not set; the %s is not attached", p.target, strings.ReplaceAll(strings.TrimPrefix(r.Type, "aws_"), "_", " "))
		return "", true, false
	}
	b.mark(p.kind, ref, paths...)
	return ref.Name, false, ref.Name != ""
}

// attach records where a part is written, under path in its owner, and
// gives its owner the part's suppressions; the reader reads the part's
// attributes under path.
func (b *Builder) attach(r *Resource, owner *model.Meta, path string) *reader {
	if owner.AttributeLines == nil {
		owner.AttributeLines = map[string]int{}
	}
	owner.AttributeLines[path] = r.Source.StartLine
	if r.Source.File != owner.Source.File || owner.Placeholder {
		if owner.AttributeFiles == nil {
			owner.AttributeFiles = map[string]string{}
		}
		owner.AttributeFiles[path] = r.Source.File
	}
	for _, s := range r.Suppressions {
		s.Attribute = path
		owner.Suppressions = append(owner.Suppressions, s)
	}
	return b.reader(r, owner, r.Body, path+".")
}

func srcOf(r *Resource) *model.Source {
	s := r.Source
	return &s
}

// fold attaches a separate rule, entry or association.
func (b *Builder) fold(r *Resource) {
	p := parts[r.Type]
	paths, ok := p.pathsOf(r)
	if !ok {
		b.warn(r, r.Body.Attr("type").Line, "type is not ingress or egress; the rule is not attached")
		b.mark(kindSG, r.Body.Ref(p.target), paths...)
		return
	}
	id, certain, ok := b.owner(r, p, paths)
	if !certain {
		b.mayAssociate(r)
	}
	if !ok {
		return
	}
	switch r.Type {
	case "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule":
		b.foldSGRule(r, id, paths[0])
	case "aws_network_acl_rule":
		a := b.placeholder(kindACL, id, "aws_network_acl", r).(*model.NetworkACL)
		if a.Entries == nil {
			a.Entries = []*model.NACLEntry{}
		}
		f := b.attach(r, &a.Meta, fmt.Sprintf("entries[%d]", len(a.Entries)))
		e := readNACLEntry(f, "rule_number", "rule_action")
		switch eg, st := f.boolean("egress", "egress"); {
		case eg != nil:
			e.Egress = *eg
		case st == Unknown:
			// Either direction: the entries may hold more.
			delete(a.Meta.AttributeLines, strings.TrimSuffix(f.prefix, "."))
			a.Meta.Unknown = append(a.Meta.Unknown, "entries")
			return
		}
		e.Address, e.Source = r.Addr, srcOf(r)
		a.Entries = append(a.Entries, e)
	case "aws_network_acl_association":
		a := b.placeholder(kindACL, id, "aws_network_acl", r).(*model.NetworkACL)
		b.associate(r, &a.Meta, &a.SubnetIDs, "subnet_id", "subnet_ids", "network_acl_id")
	case "aws_route_table_association":
		t := b.placeholder(kindRouteTable, id, "aws_route_table", r).(*model.RouteTable)
		if r.Body.Attr("subnet_id").State == Unset {
			return // a gateway's association
		}
		b.associate(r, &t.Meta, &t.SubnetIDs, "subnet_id", "subnet_ids", "route_table_id")
	case "aws_route":
		t := b.placeholder(kindRouteTable, id, "aws_route_table", r).(*model.RouteTable)
		if t.Routes == nil {
			return
		}
		f := b.attach(r, &t.Meta, fmt.Sprintf("routes[%d]", len(t.Routes)))
		t.Routes = append(t.Routes, readRoute(f, "destination_cidr_block", "destination_ipv6_cidr_block"))
	case "aws_vpc_endpoint_policy", "aws_vpc_endpoint_private_dns":
		// The part's one value replaces the endpoint's, at the part's
		// attribute (else its block) in its file.
		e := b.placeholder(kindEndpoint, id, "aws_vpc_endpoint", r).(*model.VPCEndpoint)
		path := paths[0]
		e.Meta.Unknown = remove(e.Meta.Unknown, path)
		e.Meta.Defaulted = remove(e.Meta.Defaulted, path)
		f := b.attach(r, &e.Meta, path)
		f.prefix = ""
		if path == "policy" {
			readPolicy(f, e)
		} else {
			e.PrivateDNSEnabled, _ = f.boolean(path, path)
		}
		if line := r.Body.Attr(path).Line; line > 0 {
			e.Meta.AttributeLines[path] = line
		}
	case "aws_vpc_endpoint_subnet_association", "aws_vpc_endpoint_security_group_association", "aws_vpc_endpoint_route_table_association":
		e := b.placeholder(kindEndpoint, id, "aws_vpc_endpoint", r).(*model.VPCEndpoint)
		lists := map[string]*[]string{"subnet_ids": &e.SubnetIDs, "security_group_ids": &e.SecurityGroupIDs, "route_table_ids": &e.RouteTableIDs}
		path := paths[0] // the list of the ids named by its singular
		b.associate(r, &e.Meta, lists[path], strings.TrimSuffix(path, "s"), path, "")
	case "aws_vpc_endpoint_service_allowed_principal":
		s := b.placeholder(kindService, id, "aws_vpc_endpoint_service", r).(*model.EndpointService)
		b.associateValue(r, &s.Meta, &s.AllowedPrincipals, r.Body.Attr("principal_arn"), "allowed_principals")
	case "aws_vpc_ipv4_cidr_block_association", "aws_vpc_ipv6_cidr_block_association":
		b.foldCIDR(r, id)
	case "aws_route53_zone_association":
		// A zone of this scan gains a VPC: it is private. A zone the scan
		// does not define (a data source, another stack) is left out.
		z, ok := b.byID[kindZone][id].(*model.HostedZone)
		if !ok {
			return
		}
		z.Private = model.Bool(true)
		z.Meta.Unknown = remove(z.Meta.Unknown, "private")
		b.associate(r, &z.Meta, &z.VPCIDs, "vpc_id", "vpc_ids", "")
	}
}

func (b *Builder) foldSGRule(r *Resource, id, dir string) {
	g := b.placeholder(kindSG, id, "aws_security_group", r).(*model.SecurityGroup)
	list := &g.Ingress
	if dir == "egress" {
		list = &g.Egress
	}
	if *list == nil {
		// The group's own rules are unknown; the folded one is still
		// recorded so rules can see it.
		*list = []*model.SGRule{}
	}
	f := b.attach(r, &g.Meta, fmt.Sprintf("%s[%d]", dir, len(*list)))
	form := vpcRule
	if r.Type == "aws_security_group_rule" {
		form = legacyRule
	}
	rule := readSGRule(f, form)
	rule.Address, rule.Source = r.Addr, srcOf(r)
	*list = append(*list, rule)
}

// associate adds the id a part names (attr) to its owner's list; the
// other side (subnetSide: the subnet's network_acl_id or
// route_table_id) is unknown when the id is not resolved.
func (b *Builder) associate(r *Resource, owner *model.Meta, list *[]string, attr, path, subnetSide string) {
	ref := r.Body.Ref(attr)
	v := Value{State: ref.State, Line: ref.Line}
	if id, ok := ref.Resolved(); ok {
		v = Value{State: Known, V: b.mapID(id), Line: ref.Line}
	} else if subnetSide != "" {
		b.mark(kindSubnet, ref, subnetSide)
	}
	b.associateValue(r, owner, list, v, path)
}

// associateValue adds a value to an owner's list at its line: unknown
// when it is, and then the list may hold more.
func (b *Builder) associateValue(r *Resource, owner *model.Meta, list *[]string, v Value, path string) {
	s, ok := v.String()
	if !ok {
		if v.State != Unset {
			owner.Unknown = append(owner.Unknown, path)
		}
		return
	}
	if *list == nil || slices.Contains(*list, s) {
		return // unknown already, or there already
	}
	p := fmt.Sprintf("%s[%d]", path, len(*list))
	*list = append(*list, s)
	b.attach(r, owner, p)
	if v.Line > 0 {
		owner.AttributeLines[p] = v.Line
	}
}

// foldCIDR adds a secondary CIDR block to a VPC of the scan.
func (b *Builder) foldCIDR(r *Resource, id string) {
	v, ok := b.byID[kindVPC][id].(*model.VPC)
	if !ok {
		return
	}
	v6 := r.Type == "aws_vpc_ipv6_cidr_block_association"
	list, path, attr := &v.CIDRBlocks, "cidr_blocks", "cidr_block"
	if v6 {
		list, path, attr = &v.IPv6CIDRBlocks, "ipv6_cidr_blocks", "ipv6_cidr_block"
	}
	c := r.Body.Attr(attr)
	s, known := c.String()
	if known {
		cc, is6, err := model.CanonicalCIDR(s)
		if err != nil || is6 != v6 {
			b.warn(r, c.Line, "%s: %q is not a valid CIDR block; its value is unknown", attr, s)
			known = false
		} else {
			c.V = cc
		}
	}
	if !known {
		// From IPAM, or unknown: the VPC may hold more.
		c = Value{State: Unknown}
	}
	b.associateValue(r, &v.Meta, list, c, path)
}

// placeholder gives the resource of a kind with this id, and when the
// scan does not define it a placeholder named by it, located at the
// first part that refers to it. A VPC's default group, ACL or route
// table keeps what its name says.
func (b *Builder) placeholder(k kind, id, typ string, r *Resource) model.Resource {
	if x, ok := b.byID[k][id]; ok {
		return x
	}
	m := model.Meta{ID: id, Address: id, Type: typ, Placeholder: true, Source: r.Source, AttributeLines: map[string]int{}}
	m.Source.Module = ""
	vpc := func(attr string) (string, bool) {
		v, ok := strings.CutSuffix(id, "."+attr)
		if !ok {
			return "", false
		}
		return b.vpcByName(v), true
	}
	var x model.Resource
	switch k {
	case kindSG:
		g := &model.SecurityGroup{Meta: m, Ingress: []*model.SGRule{}, Egress: []*model.SGRule{}}
		if v, ok := vpc("default_security_group_id"); ok {
			g.IsDefault, g.VPCID, g.Name = true, v, "default"
		}
		b.m.SecurityGroups, x = append(b.m.SecurityGroups, g), g
	case kindACL:
		a := &model.NetworkACL{Meta: m, Entries: []*model.NACLEntry{}, SubnetIDs: []string{}}
		a.VPCID, a.IsDefault = vpc("default_network_acl_id")
		b.m.NetworkACLs, x = append(b.m.NetworkACLs, a), a
	case kindEndpoint:
		e := &model.VPCEndpoint{Meta: m, SubnetIDs: []string{}, SecurityGroupIDs: []string{}, RouteTableIDs: []string{}}
		b.m.VPCEndpoints, x = append(b.m.VPCEndpoints, e), e
	case kindService:
		s := &model.EndpointService{Meta: m, AllowedPrincipals: []string{}}
		b.m.EndpointServices, x = append(b.m.EndpointServices, s), s
	case kindRouteTable:
		t := &model.RouteTable{Meta: m, SubnetIDs: []string{}, Routes: []*model.Route{}}
		for _, attr := range []string{"default_route_table_id", "main_route_table_id"} {
			if v, ok := vpc(attr); ok {
				t.IsMain, t.VPCID = true, v
			}
		}
		b.m.RouteTables, x = append(b.m.RouteTables, t), t
	default:
		return nil // VPCs and zones: only the scan's own are completed
	}
	b.put(k, x)
	return x
}
