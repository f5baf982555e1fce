package cloudformation

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/vpclint/vpclint/model"
)

func (b *build) networkACL(res *resource) {
	a := &model.NetworkACL{Meta: b.meta(res), SubnetIDs: []string{}, Entries: []*model.NACLEntry{}}
	x := b.reader(res, &a.Meta, "")
	a.VPCID, _ = x.str(x.props, "VpcId", "vpc_id")
	b.tagsAndSuppressions(x)
	b.acls[a.ID] = a
	b.m.NetworkACLs = append(b.m.NetworkACLs, a)
}

// aclFor finds the ACL an entry or association names, making the VPC's
// default ACL or a placeholder when the template does not define it.
func (b *build) aclFor(id string, res *resource) *model.NetworkACL {
	if a, ok := b.acls[id]; ok {
		return a
	}
	meta, vpcID := b.stubMeta(id, typeNetworkACL, defaultACLID(""), res)
	a := &model.NetworkACL{Meta: meta, SubnetIDs: []string{}, Entries: []*model.NACLEntry{}}
	if vpcID != "" {
		a.IsDefault, a.VPCID = true, vpcID
		// A default ACL starts with allow-all entries in both directions.
		for _, eg := range []bool{false, true} {
			a.Entries = append(a.Entries, &model.NACLEntry{RuleNumber: model.Int(100), Egress: eg, Protocol: model.ProtoAll,
				Action: "allow", CIDRBlock: "0.0.0.0/0", Implicit: true})
		}
	}
	b.acls[id] = a
	b.m.NetworkACLs = append(b.m.NetworkACLs, a)
	return a
}

// naclEntry folds an AWS::EC2::NetworkAclEntry into its ACL.
func (b *build) naclEntry(res *resource) {
	props := b.props(res)
	idNode := props.val("NetworkAclId")
	if idNode == nil || idNode.kind != kindScalar {
		b.addError(model.LevelInfo, res.key.line, "%s names no network ACL that can be resolved; its entry is not attached", res.logicalID)
		b.mayAttach(idNode, attachmentOf(typeNACLEntry, "NetworkAclId"))
		return
	}
	a := b.aclFor(idNode.value, res)
	i := len(a.Entries)
	base := fmt.Sprintf("entries[%d]", i)
	x := &rb{b: b, res: res, meta: &a.Meta, props: props, base: base}
	e := &model.NACLEntry{Address: b.prefix + res.logicalID}
	src := b.source(res)
	e.Source = &src
	b.foldedAt(&a.Meta, base, res.key.line)

	for _, req := range [][2]string{{"RuleNumber", "rule_number"}, {"Protocol", "protocol"}, {"RuleAction", "action"}} {
		if props.val(req[0]) == nil {
			x.warn(req[1], &node{line: res.key.line}, "an ACL entry needs %s", req[0])
		}
	}
	if v := x.prop(props, "RuleNumber", "rule_number"); v != nil {
		if n, ok := x.integer(v, "rule_number"); ok {
			if *n < 1 || *n > 32766 {
				x.warn("rule_number", v, "rule number %d is outside 1-32766", *n)
			} else {
				e.RuleNumber = n
			}
		}
	}
	if eg := x.boolean(props, "Egress", "egress", model.Bool(false)); eg != nil {
		e.Egress = *eg
	}
	if p, ok := x.str(props, "Protocol", "protocol"); ok {
		np, err := model.NormalizeProtocol(p)
		if err != nil {
			x.warn("protocol", props.val("Protocol"), "%v", err)
		}
		e.Protocol = np
	}
	if s, ok := x.str(props, "RuleAction", "action"); ok {
		switch ls := strings.ToLower(s); ls {
		case "allow", "deny":
			e.Action = ls
		default:
			x.warn("action", props.val("RuleAction"), "RuleAction %q is not allow or deny", s)
		}
	}
	e.CIDRBlock, _ = x.cidr(x.prop(props, "CidrBlock", "cidr_block"), "cidr_block", false)
	e.IPv6CIDRBlock, _ = x.cidr(x.prop(props, "Ipv6CidrBlock", "ipv6_cidr_block"), "ipv6_cidr_block", true)
	switch e.Protocol {
	case model.ProtoTCP, model.ProtoUDP:
		pr := x.prop(props, "PortRange", "")
		if pr == nil {
			x.warn("from_port", props, "a %s entry needs PortRange", e.Protocol)
			x.unknown("to_port")
			break
		}
		if pr.kind == kindUnknown {
			x.unknown("from_port")
			x.unknown("to_port")
			break
		}
		from, fok := x.intProp(pr, "From", "from_port")
		to, tok := x.intProp(pr, "To", "to_port")
		switch {
		case !fok || !tok:
			if pr.val("From") == nil || pr.val("To") == nil {
				x.warn("from_port", pr, "PortRange needs From and To")
				x.unknown("to_port")
			}
		case *from < 0 || *to > 65535 || *from > *to:
			x.warn("from_port", pr.val("From"), "port range %d-%d is reversed or outside 0-65535", *from, *to)
			x.unknown("to_port")
		default:
			e.FromPort, e.ToPort = from, to
		}
	case model.ProtoICMP, model.ProtoICMPv6:
		ic := x.prop(props, "Icmp", "")
		switch {
		case ic == nil:
			x.warn("icmp_type", &node{line: res.key.line}, "an %s entry needs Icmp (Type and Code)", e.Protocol)
			x.unknown("icmp_code")
		case ic.kind == kindUnknown:
			x.unknown("icmp_type")
			x.unknown("icmp_code")
		default:
			e.ICMPType, _ = x.intProp(ic, "Type", "icmp_type")
			e.ICMPCode, _ = x.intProp(ic, "Code", "icmp_code")
		}
	}
	a.Entries = append(a.Entries, e)
	b.suppressions(x, base)
}

// checkDuplicateRuleNumbers reports two entries of one direction of an
// ACL with the same number. Both are kept: NACL008 reports them.
func (b *build) checkDuplicateRuleNumbers() {
	for _, a := range b.m.NetworkACLs {
		type key struct {
			egress bool
			n      int
		}
		seen := map[key]*model.NACLEntry{}
		for _, e := range a.Entries {
			if e.RuleNumber == nil || e.Implicit {
				continue
			}
			k := key{e.Egress, *e.RuleNumber}
			if prev, ok := seen[k]; ok {
				dir := "inbound"
				if e.Egress {
					dir = "outbound"
				}
				// Only implicit entries, skipped above, have no Source.
				b.errs = append(b.errs, model.LoadError{File: cmp.Or(e.Source.File, b.file), Line: e.Source.StartLine, Level: model.LevelWarning,
					Message: fmt.Sprintf("%s and %s both use %s rule number %d of %s; AWS rejects the second", prev.Address, e.Address, dir, k.n, a.Address)})
				continue
			}
			seen[k] = e
		}
	}
}

// subnetACLAssociation links a subnet and an ACL.
func (b *build) subnetACLAssociation(res *resource) {
	x := b.reader(res, &model.Meta{AttributeLines: map[string]int{}}, "")
	sid, sok := b.targetID(x, typeSubnetACLAssoc, "SubnetId")
	aid, aok := b.targetID(x, typeSubnetACLAssoc, "NetworkAclId")
	if s := b.subnets[sid]; sok && s != nil {
		if aok {
			s.NetworkACLID = aid
			s.AttributeLines["network_acl_id"] = res.key.line
		} else {
			s.Unknown = append(s.Unknown, "network_acl_id")
		}
	}
	if !aok {
		return
	}
	a := b.aclFor(aid, res)
	if !sok {
		b.aclAssocUnknown[a] = true
		return
	}
	p := fmt.Sprintf("subnet_ids[%d]", len(a.SubnetIDs))
	b.foldedAt(&a.Meta, p, res.key.line)
	a.SubnetIDs = append(a.SubnetIDs, sid)
}

// finishACLs settles ACL associations.
func (b *build) finishACLs() {
	for _, a := range b.m.NetworkACLs {
		if b.aclAssocUnknown[a] {
			a.SubnetIDs = nil
			a.Unknown = append(a.Unknown, "subnet_ids")
		}
	}
}
