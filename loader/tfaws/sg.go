package tfaws

import (
	"strings"

	"github.com/vpclint/vpclint/model"
)

// Security groups, their inline rules and network ACLs with their inline
// entries.

func (b *Builder) securityGroup(r *Resource) {
	g := &model.SecurityGroup{Meta: b.meta(r)}
	f := b.reader(r, &g.Meta, r.Body, "")
	id, st := f.ref("vpc_id", "vpc_id")
	g.VPCID = id
	if st == Unset && r.Type == "aws_security_group" {
		f.unknown("vpc_id") // the default VPC's, unknown to the scan
	}
	switch name, st := f.str("name", "name"); {
	case r.Type == "aws_default_security_group":
		g.IsDefault, g.Name = true, "default"
		if g.VPCID != "" {
			g.VPCID = b.vpcByName(g.VPCID)
			for _, n := range b.defaultNames(g.VPCID, "default_security_group_id") {
				b.remap[n] = g.ID
			}
		}
	case st == Known:
		g.Name = name
	case st == Unset:
		// name_prefix, or a name Terraform generates.
		f.unknown("name")
	}
	switch d, st := f.str("description", "description"); {
	case st == Known:
		g.Description = &d
	case st == Unset && !g.IsDefault:
		g.Description = model.String("Managed by Terraform")
		f.defaulted("description")
	}
	for _, dir := range []string{"ingress", "egress"} {
		if a := r.Body.Attr(dir); a.State != Unset {
			f.line(dir, a.Line)
		}
		// Terraform removes the allow-all egress AWS gives a new group:
		// no blocks is no rules.
		rules, known := blocks(f, dir, dir, 0, func(f *reader) *model.SGRule { return readSGRule(f, inlineRule) })
		if !known {
			f.unknown(dir)
			continue
		}
		if dir == "ingress" {
			g.Ingress = rules
		} else {
			g.Egress = rules
		}
	}
	b.common(f)
	b.m.SecurityGroups = append(b.m.SecurityGroups, g)
	b.put(kindSG, g)
}

// ruleForm names the attributes of one of Terraform's three forms of
// security-group rule.
type ruleForm struct {
	protocol         string
	cidrs, cidrs6    string
	prefixLists, sgs string
	// single: each source attribute holds one value
	// (aws_vpc_security_group_ingress_rule).
	single bool
}

var (
	inlineRule = ruleForm{protocol: "protocol", cidrs: "cidr_blocks", cidrs6: "ipv6_cidr_blocks", prefixLists: "prefix_list_ids", sgs: "security_groups"}
	legacyRule = ruleForm{protocol: "protocol", cidrs: "cidr_blocks", cidrs6: "ipv6_cidr_blocks", prefixLists: "prefix_list_ids", sgs: "source_security_group_id"}
	vpcRule    = ruleForm{protocol: "ip_protocol", cidrs: "cidr_ipv4", cidrs6: "cidr_ipv6", prefixLists: "prefix_list_id", sgs: "referenced_security_group_id", single: true}
)

// readSGRule reads one rule in any of its forms.
func readSGRule(f *reader, at ruleForm) *model.SGRule {
	r := &model.SGRule{}
	r.Protocol = f.protocol(at.protocol, "protocol")
	r.FromPort, r.ToPort = f.ports(r.Protocol)
	read := f.list
	if at.single {
		read = f.single
	}
	r.CIDRBlocks = f.cidrs(read(at.cidrs, "cidr_blocks"), at.cidrs, "cidr_blocks", false)
	r.IPv6CIDRBlocks = f.cidrs(read(at.cidrs6, "ipv6_cidr_blocks"), at.cidrs6, "ipv6_cidr_blocks", true)
	// Prefix lists and groups are named by reference (an endpoint's
	// prefix_list_id, a group's id): read as references, so a front end
	// that cannot read the value resolves what it names.
	if at.single {
		r.PrefixListIDs = f.refList(at.prefixLists, "prefix_list_ids")
	} else {
		r.PrefixListIDs = f.refs(at.prefixLists, "prefix_list_ids")
	}
	if at.sgs == "security_groups" {
		r.SecurityGroupIDs = f.refs(at.sgs, "security_group_ids")
	} else {
		r.SecurityGroupIDs = f.refList(at.sgs, "security_group_ids")
	}
	if s, _ := f.boolean("self", "self"); s != nil {
		r.Self = *s
	}
	if d, st := f.str("description", "description"); st == Known && d != "" {
		r.Description = &d
	}
	return r
}

func (b *Builder) networkACL(r *Resource) {
	a := &model.NetworkACL{Meta: b.meta(r)}
	f := b.reader(r, &a.Meta, r.Body, "")
	if r.Type == "aws_default_network_acl" {
		a.IsDefault = true
		if id, st := f.ref("default_network_acl_id", "default_network_acl_id"); st == Known {
			a.VPCID = b.adopt(id, "default_network_acl_id", a.ID)
		}
	} else {
		a.VPCID, _ = f.ref("vpc_id", "vpc_id")
	}
	a.SubnetIDs = f.refs("subnet_ids", "subnet_ids")
	a.Entries = []*model.NACLEntry{}
	for _, dir := range []string{"ingress", "egress"} {
		entries, known := blocks(f, dir, "entries", len(a.Entries), func(f *reader) *model.NACLEntry {
			e := readNACLEntry(f, "rule_no", "action")
			e.Egress = dir == "egress"
			return e
		})
		if !known {
			f.unknown("entries")
			a.Entries = nil
			break
		}
		a.Entries = append(a.Entries, entries...)
	}
	b.common(f)
	b.m.NetworkACLs = append(b.m.NetworkACLs, a)
	b.put(kindACL, a)
}

// readNACLEntry reads an inline entry or an aws_network_acl_rule.
func readNACLEntry(f *reader, ruleNo, action string) *model.NACLEntry {
	e := &model.NACLEntry{}
	e.RuleNumber, _ = f.integer(ruleNo, "rule_number")
	if n := e.RuleNumber; n != nil && (*n < 1 || *n > 32766) {
		f.warn("rule_number", "rule number %d is outside 1-32766; AWS rejects it, so its value is unknown", *n)
		e.RuleNumber = nil
		f.unknown("rule_number")
	}
	if s, st := f.str(action, "action"); st == Known {
		switch a := strings.ToLower(strings.TrimSpace(s)); a {
		case "allow", "deny":
			e.Action = a
		default:
			f.warn("action", "action %q is neither allow nor deny; its value is unknown", s)
			f.unknown("action")
		}
	}
	e.Protocol = f.protocol("protocol", "protocol")
	e.CIDRBlock = f.cidr("cidr_block", "cidr_block", false)
	e.IPv6CIDRBlock = f.cidr("ipv6_cidr_block", "ipv6_cidr_block", true)
	e.FromPort, e.ToPort = f.ports(e.Protocol)
	e.ICMPType, _ = f.integer("icmp_type", "icmp_type")
	e.ICMPCode, _ = f.integer("icmp_code", "icmp_code")
	return e
}
