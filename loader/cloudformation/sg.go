package cloudformation

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/vpclint/vpclint/model"
)

func (b *build) securityGroup(res *resource) {
	g := &model.SecurityGroup{Meta: b.meta(res), Ingress: []*model.SGRule{}, Egress: []*model.SGRule{}}
	x := b.reader(res, &g.Meta, "")
	g.Name, _ = x.str(x.props, "GroupName", "name")
	if d, ok := x.str(x.props, "GroupDescription", "description"); ok {
		g.Description = model.String(d)
	}
	g.VPCID, _ = x.str(x.props, "VpcId", "vpc_id")
	g.Ingress = x.inlineRules(g, "SecurityGroupIngress", "ingress", false)
	if v := x.props.val("SecurityGroupEgress"); v != nil {
		b.inlineEgress[g] = true
	}
	g.Egress = x.inlineRules(g, "SecurityGroupEgress", "egress", true)
	b.tagsAndSuppressions(x)
	b.groups[g.ID] = g
	b.m.SecurityGroups = append(b.m.SecurityGroups, g)
}

// inlineRules reads a group's inline rule list.
func (x *rb) inlineRules(g *model.SecurityGroup, prop, p string, egress bool) []*model.SGRule {
	v := x.prop(x.props, prop, p)
	switch {
	case v == nil || v.kind == kindNull:
		return []*model.SGRule{}
	case v.kind == kindUnknown:
		x.unknown(p)
		return nil
	case v.kind == kindMap:
		// CloudFormation wants a list; one rule written alone is
		// still clear.
		x.b.addError(model.LevelWarning, v.line, "%s: %s is a mapping, not a list; read as one rule", x.res.logicalID, prop)
	case v.kind != kindList:
		x.warn(p, v, "%s is %s, not a list", prop, v.kindName())
		return nil
	}
	items := v.listOrOne()
	out := make([]*model.SGRule, 0, len(items))
	for i, it := range items {
		rp := p + "[" + strconv.Itoa(i) + "]"
		if it.kind != kindMap {
			if it.kind != kindUnknown {
				x.b.addError(model.LevelWarning, it.line, "%s: %s is %s, not a rule", x.res.logicalID, rp, it.kindName())
			}
			x.unknown(p)
			return nil
		}
		full := x.path(rp)
		x.lineAt(full, it)
		sub := &rb{b: x.b, res: x.res, meta: x.meta, props: it, base: full}
		out = append(out, sub.sgRule(it, g.ID, egress))
		x.spans = append(x.spans, sub.spans...)
		x.spans = append(x.spans, span{path: full, start: it.line, end: it.endLine})
	}
	return out
}

// sgRule reads one rule (an inline item or a rule resource's properties)
// into the model; paths are relative to x.base.
func (x *rb) sgRule(m *node, groupID string, egress bool) *model.SGRule {
	r := &model.SGRule{}
	if m.val("IpProtocol") == nil {
		x.warn("protocol", m, "a rule needs IpProtocol")
	}
	proto, ok := x.str(m, "IpProtocol", "protocol")
	if ok {
		p, err := model.NormalizeProtocol(proto)
		if err != nil {
			x.warn("protocol", m.val("IpProtocol"), "%v", err)
			ok = false
		}
		r.Protocol = p
	}
	from, fromOK := x.intProp(m, "FromPort", "from_port")
	to, toOK := x.intProp(m, "ToPort", "to_port")
	r.FromPort, r.ToPort = from, to
	if ok {
		switch r.Protocol {
		case model.ProtoTCP, model.ProtoUDP, model.ProtoICMP, model.ProtoICMPv6:
			x.checkPorts(m, r, fromOK, toOK)
		}
	}
	plProp, sgProps := "SourcePrefixListId", []string{"SourceSecurityGroupId", "SourceSecurityGroupName"}
	if egress {
		plProp, sgProps = "DestinationPrefixListId", []string{"DestinationSecurityGroupId"}
	}
	// Each of these properties is one item of its list; a value that
	// cannot be read makes the list unknown.
	for _, l := range [...]struct {
		prop, p, first string
		list           *[]string
		cidr, v6       bool
	}{
		{"CidrIp", "cidr_blocks", "cidr_blocks[0]", &r.CIDRBlocks, true, false},
		{"CidrIpv6", "ipv6_cidr_blocks", "ipv6_cidr_blocks[0]", &r.IPv6CIDRBlocks, true, true},
		{plProp, "prefix_list_ids", "prefix_list_ids[0]", &r.PrefixListIDs, false, false},
	} {
		*l.list = []string{}
		v := x.prop(m, l.prop, l.first)
		if v == nil {
			continue
		}
		x.at(l.p, v)
		read := x.scalarOf
		if l.cidr {
			read = func(v *node, p string) (string, bool) { return x.cidr(v, p, l.v6) }
		}
		*l.list = nil
		if s, ok := read(v, l.p); ok {
			*l.list = []string{s}
		}
	}
	r.SecurityGroupIDs = []string{}
	for _, sp := range sgProps {
		v := x.prop(m, sp, "security_group_ids[0]")
		if v == nil {
			continue
		}
		x.at("security_group_ids", v)
		s, ok := x.scalarOf(v, "security_group_ids")
		switch {
		case !ok:
			r.SecurityGroupIDs = nil
		case s == groupID && groupID != "":
			r.Self = true
			x.at("self", v)
		default:
			r.SecurityGroupIDs = []string{s}
		}
		break
	}
	if d, ok := x.str(m, "Description", "description"); ok {
		r.Description = model.String(d)
	}
	if !slices.ContainsFunc([]string{"CidrIp", "CidrIpv6", plProp, sgProps[0], "SourceSecurityGroupName"}, func(k string) bool { return m.val(k) != nil }) {
		what := "source"
		if egress {
			what = "destination"
		}
		x.b.addError(model.LevelWarning, m.line, "%s: %s names no %s (CidrIp, CidrIpv6, a prefix list or a group); AWS rejects it", x.res.logicalID, x.base, what)
	}
	return r
}

// intProp reads an integer property (a port, an ICMP type, a count).
func (x *rb) intProp(m *node, name, p string) (*int, bool) {
	return x.integer(x.prop(m, name, p), p)
}

// checkPorts applies AWS's checks to a rule's ports: a TCP/UDP range has
// both ends, inside 0-65535, not reversed; an ICMP type and code are
// within -1-255, and any type (-1) means any code. A bad range becomes
// unknown.
func (x *rb) checkPorts(m *node, r *model.SGRule, fromOK, toOK bool) {
	const lo, hi = 0, 65535
	from, to := r.FromPort, r.ToPort
	bad := func(format string, args ...any) {
		at := m.val("FromPort")
		if at == nil {
			at = m
		}
		x.warn("from_port", at, format, args...)
		x.unknown("to_port")
		r.FromPort, r.ToPort = nil, nil
	}
	switch {
	case r.Protocol == model.ProtoICMP || r.Protocol == model.ProtoICMPv6:
		if from != nil && to != nil && (*from < -1 || *from > 255 || *to < -1 || *to > 255 || (*from == -1 && *to != -1)) {
			bad("ICMP type %d and code %d are not valid", *from, *to)
		}
	case m.val("FromPort") == nil || m.val("ToPort") == nil:
		bad("a %s rule needs FromPort and ToPort", r.Protocol)
	case !fromOK || !toOK || from == nil || to == nil:
		// Unknown or invalid already.
		r.FromPort, r.ToPort = nil, nil
	case *from < lo || *from > hi || *to < lo || *to > hi:
		bad("port range %d-%d is outside %d-%d", *from, *to, lo, hi)
	case *from > *to:
		bad("port range %d-%d is reversed", *from, *to)
	}
}

// sgRuleResource folds an AWS::EC2::SecurityGroupIngress or Egress into
// its group.
func (b *build) sgRuleResource(res *resource) {
	egress := res.typ == typeSGEgress
	props := b.props(res)
	idNode := props.val("GroupId")
	if idNode == nil {
		idNode = props.val("GroupName")
	}
	if idNode == nil || idNode.kind != kindScalar {
		what := "has no GroupId"
		if idNode != nil {
			what = "names a group that cannot be resolved"
		}
		b.addError(model.LevelInfo, res.key.line, "%s %s; its rule is not attached to a group", res.logicalID, what)
		b.mayAttach(idNode, attachmentOf(res.typ, "GroupId"))
		return
	}
	g := b.groupFor(idNode.value, res)
	dir, list := "ingress", &g.Ingress
	if egress {
		dir, list = "egress", &g.Egress
	}
	i := len(*list)
	base := fmt.Sprintf("%s[%d]", dir, i)
	x := &rb{b: b, res: res, meta: &g.Meta, props: props, base: base}
	rule := x.sgRule(props, g.ID, egress)
	rule.Address = b.prefix + res.logicalID
	src := b.source(res)
	rule.Source = &src
	b.foldedAt(&g.Meta, base, res.key.line)
	if *list != nil {
		*list = append(*list, rule)
	}
	b.suppressions(x, base)
}

// groupFor finds the group a rule resource names, making a placeholder
// (or the VPC's default group) when the template does not define it.
func (b *build) groupFor(id string, res *resource) *model.SecurityGroup {
	if g, ok := b.groups[id]; ok {
		return g
	}
	meta, vpcID := b.stubMeta(id, typeSecurityGroup, defaultGroupID(""), res)
	g := &model.SecurityGroup{Meta: meta, Ingress: []*model.SGRule{}, Egress: []*model.SGRule{}}
	if vpcID != "" {
		g.IsDefault, g.Name, g.VPCID = true, "default", vpcID
		g.Description = model.String("default VPC security group")
	}
	b.groups[id] = g
	b.m.SecurityGroups = append(b.m.SecurityGroups, g)
	return g
}

// implicitRules adds the rules AWS creates without being asked: the
// allow-all egress of a group written without SecurityGroupEgress, and a
// default group's self ingress and allow-all egress.
func (b *build) implicitRules() {
	allEgress := func(v6 bool) *model.SGRule {
		r := &model.SGRule{Protocol: model.ProtoAll, CIDRBlocks: []string{"0.0.0.0/0"}, IPv6CIDRBlocks: []string{},
			PrefixListIDs: []string{}, SecurityGroupIDs: []string{}, Implicit: true}
		if v6 {
			r.IPv6CIDRBlocks = []string{"::/0"}
		}
		return r
	}
	for _, g := range b.m.SecurityGroups {
		switch {
		case g.Placeholder:
		case g.IsDefault:
			if g.Ingress != nil {
				g.Ingress = append(g.Ingress, &model.SGRule{Protocol: model.ProtoAll, Self: true, CIDRBlocks: []string{},
					IPv6CIDRBlocks: []string{}, PrefixListIDs: []string{}, SecurityGroupIDs: []string{}, Implicit: true})
			}
			if g.Egress != nil {
				g.Egress = append(g.Egress, allEgress(false))
			}
		case !b.inlineEgress[g] && g.Egress != nil:
			g.Egress = append(g.Egress, allEgress(true))
		}
	}
}
