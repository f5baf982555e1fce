package tfplan

import (
	"strconv"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// Separate resources that complete another one (rules, associations,
// policies) are folded into it, so rules see one complete resource
// however it was written. A resource that points at something not in the
// plan goes to a placeholder named by the reference.

// owner resolves the resource a part points at (security_group_id ...).
// ok is false when nothing names it; then name is a placeholder name
// taken from the expression, if there is one.
func (b *builder) owner(in *instance, key string) (id string, ok bool) {
	if id, ok := b.refOne(in, key); ok {
		return id, true
	}
	refs := b.exprRefs(in, key)
	if len(refs) == 0 {
		return "", false
	}
	name := strings.TrimSuffix(refs[0], ".id")
	return joinModule(in.module, name), true
}

// partMeta is the placeholder's location: the part that refers to it.
func (b *builder) placeholderMeta(in *instance, id, typ string) model.Meta {
	file, start, end := b.location(in)
	return model.Meta{
		ID: id, Address: id, Type: typ, Placeholder: true,
		Source: model.Source{Format: model.FormatTFPlan, File: file, StartLine: start, EndLine: end, Module: in.module},
	}
}

func (b *builder) groupFor(in *instance, id string) *model.SecurityGroup {
	if sg := b.groups[id]; sg != nil {
		return sg
	}
	sg := &model.SecurityGroup{Meta: b.placeholderMeta(in, id, "aws_security_group"), Ingress: []*model.SGRule{}, Egress: []*model.SGRule{}}
	if strings.HasSuffix(id, ".default_security_group_id") {
		sg.IsDefault = true
		sg.Name = "default"
		sg.VPCID = strings.TrimSuffix(id, ".default_security_group_id")
		if v := b.byAddr[sg.VPCID]; v != nil {
			sg.VPCID = v.id
		}
	}
	b.m.SecurityGroups = append(b.m.SecurityGroups, sg)
	b.groups[id] = sg
	return sg
}

func (b *builder) aclFor(in *instance, id string) *model.NetworkACL {
	if acl := b.acls[id]; acl != nil {
		return acl
	}
	acl := &model.NetworkACL{Meta: b.placeholderMeta(in, id, "aws_network_acl"), SubnetIDs: []string{}, Entries: []*model.NACLEntry{}}
	if strings.HasSuffix(id, ".default_network_acl_id") {
		acl.IsDefault = true
		vpc := strings.TrimSuffix(id, ".default_network_acl_id")
		if v := b.byAddr[vpc]; v != nil {
			vpc = v.id
		}
		acl.VPCID = vpc
	}
	b.m.NetworkACLs = append(b.m.NetworkACLs, acl)
	b.acls[id] = acl
	return acl
}

func (b *builder) endpointFor(in *instance, id string) *model.VPCEndpoint {
	if ep := b.endpoints[id]; ep != nil {
		return ep
	}
	ep := &model.VPCEndpoint{Meta: b.placeholderMeta(in, id, "aws_vpc_endpoint"),
		SubnetIDs: []string{}, SecurityGroupIDs: []string{}, RouteTableIDs: []string{}}
	b.m.VPCEndpoints = append(b.m.VPCEndpoints, ep)
	b.endpoints[id] = ep
	return ep
}

// attach records where a folded part is written, under path in the
// owner, and the part's suppressions.
func (b *builder) attach(owner *model.Meta, in *instance, path string, names map[string]string) *model.Source {
	file, start, end := b.location(in)
	if owner.AttributeLines == nil {
		owner.AttributeLines = map[string]int{}
	}
	setLine(owner, path, start)
	if file != owner.Source.File {
		if owner.AttributeFiles == nil {
			owner.AttributeFiles = map[string]string{}
		}
		owner.AttributeFiles[path] = file
	}
	if names != nil {
		b.copyLines(owner, in, "", path, names)
	}
	if in.src != nil {
		s, errs := in.src.suppressions()
		for i := range s {
			s[i].Attribute = path
		}
		owner.Suppressions = append(owner.Suppressions, s...)
		b.errs = append(b.errs, errs...)
	}
	return &model.Source{Format: model.FormatTFPlan, File: file, StartLine: start, EndLine: end, Module: in.module}
}

func (b *builder) foldSGRule(in *instance) {
	dir := "ingress"
	switch in.typ {
	case "aws_vpc_security_group_egress_rule":
		dir = "egress"
	case "aws_security_group_rule":
		t, st := in.v.str("type")
		switch {
		case st == stKnown && (t == "ingress" || t == "egress"):
			dir = t
		case st == stKnown:
			b.warn(in, "type", "type %q is neither ingress nor egress", t)
			return
		default:
			b.warn(in, "type", "type is unknown; the rule is not attached to its group")
			return
		}
	}
	gid, ok := b.owner(in, "security_group_id")
	if !ok {
		b.errs = append(b.errs, model.LoadError{File: b.fileOf(in), Line: b.lineOrBlock(in, "security_group_id"),
			Message: in.addr + ": the security group is unknown; the rule is not attached to a group", Level: model.LevelInfo})
		return
	}
	sg := b.groupFor(in, gid)
	list := &sg.Ingress
	if dir == "egress" {
		list = &sg.Egress
	}
	if *list == nil {
		*list = []*model.SGRule{}
	}
	path := dir + "[" + strconv.Itoa(len(*list)) + "]"
	var f ruleFields
	var names map[string]string
	refKey := "source_security_group_id"
	if in.typ == "aws_security_group_rule" {
		f = ruleFields{protocol: "protocol", cidrs: "cidr_blocks", cidrs6: "ipv6_cidr_blocks", prefixLists: "prefix_list_ids", self: "self"}
		names = map[string]string{"source_security_group_id": "security_group_ids[0]", "type": "", "security_group_id": ""}
	} else {
		refKey = "referenced_security_group_id"
		f = ruleFields{protocol: "ip_protocol", cidr4: "cidr_ipv4", cidr6: "cidr_ipv6", prefixList: "prefix_list_id"}
		names = map[string]string{"ip_protocol": "protocol", "cidr_ipv4": "cidr_blocks[0]", "cidr_ipv6": "ipv6_cidr_blocks[0]",
			"prefix_list_id": "prefix_list_ids[0]", "referenced_security_group_id": "security_group_ids[0]", "security_group_id": "", "tags": ""}
	}
	r := b.sgRule(in, &sg.Meta, in.v, path, "", f)
	switch _, st := in.v.raw(refKey); {
	case st == stNull, st == stUnknown && b.notWritten(in, refKey):
		r.SecurityGroupIDs = []string{}
	default:
		r.SecurityGroupIDs = nil
		if id, ok := b.refOne(in, refKey); ok {
			r.SecurityGroupIDs = []string{id}
		} else {
			unknown(&sg.Meta, path+".security_group_ids")
		}
	}
	r.Address = in.addr
	r.Source = b.attach(&sg.Meta, in, path, names)
	*list = append(*list, r)
}

func (b *builder) fileOf(in *instance) string {
	f, _, _ := b.location(in)
	return f
}

func (b *builder) foldACLRule(in *instance) {
	id, ok := b.owner(in, "network_acl_id")
	if !ok {
		b.errs = append(b.errs, model.LoadError{File: b.fileOf(in), Line: b.lineOrBlock(in, "network_acl_id"),
			Message: in.addr + ": the network ACL is unknown; the entry is not attached to an ACL", Level: model.LevelInfo})
		return
	}
	acl := b.aclFor(in, id)
	egress := false
	if v, st, _ := in.v.boolean("egress"); st == stKnown {
		egress = v
	} else if st == stUnknown {
		b.warn(in, "egress", "egress is unknown; the entry is not attached to its ACL")
		return
	}
	if acl.Entries == nil {
		acl.Entries = []*model.NACLEntry{}
	}
	path := "entries[" + strconv.Itoa(len(acl.Entries)) + "]"
	e := b.aclEntry(in, &acl.Meta, in.v, path, "", "rule_number", "rule_action", egress)
	e.Address = in.addr
	e.Source = b.attach(&acl.Meta, in, path, map[string]string{"rule_action": "action", "network_acl_id": ""})
	acl.Entries = append(acl.Entries, e)
}

func (b *builder) foldACLAssociation(in *instance) {
	id, ok := b.owner(in, "network_acl_id")
	if !ok {
		return
	}
	acl := b.aclFor(in, id)
	sid, ok := b.refOne(in, "subnet_id")
	if !ok {
		unknown(&acl.Meta, "subnet_ids")
		return
	}
	if acl.SubnetIDs != nil {
		path := "subnet_ids[" + strconv.Itoa(len(acl.SubnetIDs)) + "]"
		acl.SubnetIDs = append(acl.SubnetIDs, sid)
		b.attach(&acl.Meta, in, path, nil)
	}
	if sn := b.subnets[sid]; sn != nil {
		sn.NetworkACLID = acl.ID
	}
}

func (b *builder) foldEndpointPart(in *instance) {
	id, ok := b.owner(in, "vpc_endpoint_id")
	if !ok {
		return
	}
	ep := b.endpointFor(in, id)
	m := &ep.Meta
	switch in.typ {
	case "aws_vpc_endpoint_policy":
		switch p, st := in.v.str("policy"); st {
		case stKnown:
			removeUnknown(m, "policy")
			if strings.TrimSpace(p) != "" {
				setPolicy(ep, p)
			}
		case stUnknown:
			ep.Policy, ep.PolicyRaw, ep.PolicyError = nil, nil, ""
			unknown(m, "policy")
		}
		b.attach(m, in, "policy", nil)
		if l := b.attrLine(in, "policy"); l > 0 {
			m.AttributeLines["policy"] = l // attach made the map
		}
	case "aws_vpc_endpoint_private_dns":
		removeDefaulted(m, "private_dns_enabled")
		switch v, st, err := in.v.boolean("private_dns_enabled"); {
		case err != nil:
			b.warn(in, "private_dns_enabled", "%v", err)
			ep.PrivateDNSEnabled = nil
			unknown(m, "private_dns_enabled")
		case st == stKnown:
			removeUnknown(m, "private_dns_enabled")
			ep.PrivateDNSEnabled = model.Bool(v)
		default:
			ep.PrivateDNSEnabled = nil
			unknown(m, "private_dns_enabled")
		}
		b.attach(m, in, "private_dns_enabled", nil)
		if l := b.attrLine(in, "private_dns_enabled"); l > 0 {
			m.AttributeLines["private_dns_enabled"] = l // attach made the map
		}
	case "aws_vpc_endpoint_subnet_association":
		b.appendID(in, m, &ep.SubnetIDs, "subnet_id", "subnet_ids")
	case "aws_vpc_endpoint_security_group_association":
		b.appendID(in, m, &ep.SecurityGroupIDs, "security_group_id", "security_group_ids")
	case "aws_vpc_endpoint_route_table_association":
		b.appendID(in, m, &ep.RouteTableIDs, "route_table_id", "route_table_ids")
	}
}

// appendID adds the id an association names to an owner's list.
func (b *builder) appendID(in *instance, m *model.Meta, list *[]string, key, path string) {
	id, ok := b.refOne(in, key)
	if !ok {
		unknown(m, path)
		return
	}
	if *list == nil {
		return // the list is unknown already
	}
	p := path + "[" + strconv.Itoa(len(*list)) + "]"
	*list = appendUnique(*list, id)
	b.attach(m, in, p, nil)
}

func removeUnknown(m *model.Meta, path string) {
	out := m.Unknown[:0]
	for _, p := range m.Unknown {
		if p != path {
			out = append(out, p)
		}
	}
	m.Unknown = out
	if len(m.Unknown) == 0 {
		m.Unknown = nil
	}
}

func (b *builder) foldAllowedPrincipal(in *instance) {
	id, ok := b.owner(in, "vpc_endpoint_service_id")
	if !ok {
		return
	}
	svc := b.services[id]
	if svc == nil {
		svc = &model.EndpointService{Meta: b.placeholderMeta(in, id, "aws_vpc_endpoint_service"), AllowedPrincipals: []string{}}
		b.m.EndpointServices = append(b.m.EndpointServices, svc)
		b.services[id] = svc
	}
	p, st := in.v.str("principal_arn")
	if st != stKnown {
		unknown(&svc.Meta, "allowed_principals")
		return
	}
	if svc.AllowedPrincipals == nil {
		return
	}
	path := "allowed_principals[" + strconv.Itoa(len(svc.AllowedPrincipals)) + "]"
	svc.AllowedPrincipals = appendUnique(svc.AllowedPrincipals, p)
	b.attach(&svc.Meta, in, path, nil)
}

func (b *builder) tableFor(in *instance, id string) *model.RouteTable {
	if rt := b.tables[id]; rt != nil {
		return rt
	}
	rt := &model.RouteTable{Meta: b.placeholderMeta(in, id, "aws_route_table"), SubnetIDs: []string{}, Routes: []*model.Route{}}
	b.m.RouteTables = append(b.m.RouteTables, rt)
	b.tables[id] = rt
	return rt
}

func (b *builder) foldRouteTableAssociation(in *instance) {
	id, ok := b.owner(in, "route_table_id")
	if !ok {
		return
	}
	rt := b.tableFor(in, id)
	if _, st := in.v.raw("subnet_id"); st == stNull {
		return // a gateway association
	}
	sid, ok := b.refOne(in, "subnet_id")
	if !ok {
		unknown(&rt.Meta, "subnet_ids")
		return
	}
	if rt.SubnetIDs != nil && !contains(rt.SubnetIDs, sid) {
		b.attach(&rt.Meta, in, "subnet_ids["+strconv.Itoa(len(rt.SubnetIDs))+"]", nil)
		rt.SubnetIDs = append(rt.SubnetIDs, sid)
	}
	if sn := b.subnets[sid]; sn != nil {
		sn.RouteTableID = rt.ID
	}
}

func (b *builder) foldRoute(in *instance) {
	id, ok := b.owner(in, "route_table_id")
	if !ok {
		return
	}
	rt := b.tableFor(in, id)
	if rt.Routes == nil {
		return
	}
	r := routeFrom(in.v, "destination_cidr_block")
	for _, k := range routeTargets {
		if _, st := in.v.raw(k); st == stUnknown {
			if t, ok := b.refOne(in, k); ok {
				r.Target, r.TargetType = t, k
			}
		}
	}
	path := "routes[" + strconv.Itoa(len(rt.Routes)) + "]"
	rt.Routes = append(rt.Routes, r)
	b.attach(&rt.Meta, in, path, nil)
}

func removeDefaulted(m *model.Meta, path string) {
	out := m.Defaulted[:0]
	for _, p := range m.Defaulted {
		if p != path {
			out = append(out, p)
		}
	}
	m.Defaulted = out
	if len(m.Defaulted) == 0 {
		m.Defaulted = nil
	}
}
