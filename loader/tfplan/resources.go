package tfplan

// The primary resources: VPCs, subnets, groups with their inline rules,
// ACLs with their inline entries, route tables, endpoints, endpoint
// services and flow logs. Parts written as separate resources are folded
// into them afterwards (fold.go).

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/vpclint/vpclint/model"
)

func (b *builder) mapVPC(in *instance) {
	vpc := &model.VPC{Meta: b.meta(in)}
	m := &vpc.Meta
	switch c, st := in.v.str("cidr_block"); st {
	case stKnown:
		if cc, v6, err := model.CanonicalCIDR(c); err != nil || v6 {
			b.warn(in, "cidr_block", "cidr_block %q is not an IPv4 CIDR", c)
			unknown(m, "cidr_blocks")
		} else {
			vpc.CIDRBlocks = []string{cc}
		}
	case stUnknown:
		unknown(m, "cidr_blocks") // IPAM
	default:
		vpc.CIDRBlocks = []string{}
	}
	switch c, st := in.v.str("ipv6_cidr_block"); {
	case st == stKnown && c != "":
		if cc, v6, err := model.CanonicalCIDR(c); err != nil || !v6 {
			b.warn(in, "ipv6_cidr_block", "ipv6_cidr_block %q is not an IPv6 CIDR", c)
			unknown(m, "ipv6_cidr_blocks")
		} else {
			vpc.IPv6CIDRBlocks = []string{cc}
		}
	case st == stUnknown && (!b.notWritten(in, "ipv6_cidr_block") || in.v.vals["assign_generated_ipv6_cidr_block"] == true):
		unknown(m, "ipv6_cidr_blocks")
	default:
		vpc.IPv6CIDRBlocks = []string{}
	}
	vpc.EnableDNSSupport = b.boolDefault(in, m, "enable_dns_support", "enable_dns_support", true)
	vpc.EnableDNSHostnames = b.boolDefault(in, m, "enable_dns_hostnames", "enable_dns_hostnames", false)
	setLine(m, "cidr_blocks", b.attrLine(in, "cidr_block"))
	setLine(m, "cidr_blocks[0]", b.attrLine(in, "cidr_block"))
	setLine(m, "ipv6_cidr_blocks", b.attrLine(in, "ipv6_cidr_block"))
	setLine(m, "ipv6_cidr_blocks[0]", b.attrLine(in, "ipv6_cidr_block"))
	b.copyLines(m, in, "", "", map[string]string{"cidr_block": "", "ipv6_cidr_block": ""})
	b.m.VPCs = append(b.m.VPCs, vpc)
	b.vpcs[vpc.ID] = vpc
}

// boolDefault reads a bool with Terraform's default when unset.
func (b *builder) boolDefault(in *instance, m *model.Meta, key, path string, def bool) *bool {
	v, st, err := in.v.boolean(key)
	switch {
	case err != nil:
		b.warn(in, key, "%v", err)
		unknown(m, path)
		return nil
	case st == stKnown:
		return model.Bool(v)
	case st == stUnknown && !b.notWritten(in, key):
		unknown(m, path)
		return nil
	}
	defaulted(m, path)
	return model.Bool(def)
}

func (b *builder) mapSubnet(in *instance) {
	sn := &model.Subnet{Meta: b.meta(in)}
	m := &sn.Meta
	if id, ok := b.refOne(in, "vpc_id"); ok {
		sn.VPCID = id
	} else {
		unknown(m, "vpc_id")
	}
	if s, st := in.v.str("availability_zone"); st == stKnown {
		sn.AvailabilityZone = s
	} else if st == stUnknown {
		unknown(m, "availability_zone")
	}
	if s, st := in.v.str("availability_zone_id"); st == stKnown {
		sn.AvailabilityZoneID = s
	}
	if sn.AvailabilityZone == "" && sn.AvailabilityZoneID == "" {
		// data.aws_availability_zones.x.names[0]: the expression still
		// tells two subnets' AZs apart.
		if refs := b.exprRefs(in, "availability_zone"); len(refs) > 0 && in.src != nil {
			if e, ok := in.src.attr("availability_zone"); ok {
				r := e.Range()
				if r.End.Byte <= len(fileBytes(in.src)) {
					sn.AZRef = strings.Join(strings.Fields(string(fileBytes(in.src)[r.Start.Byte:r.End.Byte])), " ")
				}
			}
		}
	}
	b.cidrField(in, m, "cidr_block", "cidr_block", false, func(c string) { sn.CIDRBlock = c })
	if c, st := in.v.str("ipv6_cidr_block"); st == stKnown && c != "" {
		b.cidrField(in, m, "ipv6_cidr_block", "ipv6_cidr_block", true, func(c string) { sn.IPv6CIDRBlock = c })
	} else if st == stUnknown && !b.notWritten(in, "ipv6_cidr_block") {
		unknown(m, "ipv6_cidr_block")
	}
	b.copyLines(m, in, "", "", nil)
	b.m.Subnets = append(b.m.Subnets, sn)
	b.subnets[sn.ID] = sn
}

// fileBytes rebuilds a source file's text from its lines.
func fileBytes(s *srcBlock) []byte { return []byte(strings.Join(s.lines, "\n")) }

// cidrField reads one CIDR attribute, canonical, warning on a bad one.
func (b *builder) cidrField(in *instance, m *model.Meta, key, path string, wantV6 bool, set func(string)) {
	c, st := in.v.str(key)
	switch st {
	case stUnknown:
		unknown(m, path)
		return
	case stNull:
		return
	}
	if c == "" {
		return
	}
	cc, v6, err := model.CanonicalCIDR(c)
	if err != nil || v6 != wantV6 {
		fam := "IPv4"
		if wantV6 {
			fam = "IPv6"
		}
		b.warn(in, key, "%s %q is not an %s CIDR", key, c, fam)
		unknown(m, path)
		return
	}
	set(cc)
}

func (b *builder) mapGroup(in *instance) {
	sg := &model.SecurityGroup{Meta: b.meta(in)}
	m := &sg.Meta
	sg.IsDefault = in.typ == "aws_default_security_group"
	if sg.IsDefault {
		sg.Name = "default"
	} else if s, st := in.v.str("name"); st == stKnown {
		sg.Name = s
	} else if st == stUnknown {
		unknown(m, "name")
	}
	if id, ok := b.refOne(in, "vpc_id"); ok {
		sg.VPCID = id
	} else if _, st := in.v.str("vpc_id"); st == stUnknown {
		unknown(m, "vpc_id")
	}
	switch d, st := in.v.str("description"); st {
	case stKnown:
		sg.Description = model.String(d)
	case stUnknown:
		switch {
		case sg.IsDefault && b.notWritten(in, "description"):
			// AWS's own description of the default group; as in HCL.
		case b.notWritten(in, "description"):
			sg.Description = model.String("Managed by Terraform")
			defaulted(m, "description")
		default:
			unknown(m, "description")
		}
	default:
		if !sg.IsDefault {
			sg.Description = model.String("Managed by Terraform")
			defaulted(m, "description")
		}
	}
	setLine(m, "description", b.attrLine(in, "description"))
	setLine(m, "name", b.attrLine(in, "name"))
	setLine(m, "vpc_id", b.attrLine(in, "vpc_id"))
	sg.Ingress = b.inlineRules(in, m, "ingress")
	sg.Egress = b.inlineRules(in, m, "egress")
	b.m.SecurityGroups = append(b.m.SecurityGroups, sg)
	b.groups[sg.ID] = sg
	if sg.IsDefault && sg.VPCID != "" {
		b.defaultSG[sg.VPCID] = sg.ID
	}
}

// inlineRules reads a group's ingress or egress blocks.
func (b *builder) inlineRules(in *instance, m *model.Meta, key string) []*model.SGRule {
	vs, st := in.v.objList(key)
	switch st {
	case stUnknown:
		if b.notWritten(in, key) {
			return []*model.SGRule{}
		}
		unknown(m, key)
		return nil
	case stNull:
		return []*model.SGRule{}
	}
	fields := []string{"protocol", "from_port", "to_port", "cidr_blocks", "ipv6_cidr_blocks", "description"}
	match := b.matchBlocks(in, key, vs, fields)
	out := make([]*model.SGRule, 0, len(vs))
	for j, rv := range vs {
		path := key + "[" + strconv.Itoa(j) + "]"
		srcPath := path
		if in.src != nil {
			if match[j] >= 0 {
				srcPath = key + "[" + strconv.Itoa(match[j]) + "]"
			} else {
				srcPath = key
			}
		}
		r := b.sgRule(in, m, rv, path, srcPath, ruleFields{
			protocol: "protocol", cidrs: "cidr_blocks", cidrs6: "ipv6_cidr_blocks",
			prefixLists: "prefix_list_ids", groups: "security_groups", self: "self",
		})
		if r.SecurityGroupIDs == nil && in.src != nil && match[j] >= 0 {
			// Groups known only after apply: the plan's configuration
			// does not show nested blocks, the source does.
			blk := nestedBlocks(in.src.body, key)[match[j]]
			if ids, ok := b.srcRefList(in, blk.Body, "security_groups", rv); ok {
				r.SecurityGroupIDs = ids
				removeUnknown(m, path+".security_group_ids")
			}
		}
		if in.src != nil || in.planAttrs != nil {
			setLine(m, path, b.lineOrBlock(in, srcPath))
			b.copyLines(m, in, srcPath, path, map[string]string{"security_groups": "security_group_ids"})
		}
		out = append(out, r)
	}
	return out
}

// matchBlocks pairs the elements of a planned set of nested blocks with
// the source blocks they came from, by their literal attributes; -1 where
// no block matches.
func (b *builder) matchBlocks(in *instance, key string, vs []view, fields []string) []int {
	out := make([]int, len(vs))
	for i := range out {
		out[i] = -1
	}
	if in.src == nil {
		return out
	}
	blocks := nestedBlocks(in.src.body, key)
	used := make([]bool, len(blocks))
	for j, rv := range vs {
		for i, blk := range blocks {
			if used[i] {
				continue
			}
			ok := true
			for _, f := range fields {
				lit, isLit := literal(blk.Body, f)
				if !isLit {
					continue
				}
				got, st := rv.raw(f)
				if st != stKnown || !sameValue(f, lit, got) {
					ok = false
					break
				}
			}
			if ok {
				out[j], used[i] = i, true
				break
			}
		}
	}
	if len(blocks) == len(vs) {
		for j := range out {
			if out[j] < 0 {
				for i := range blocks {
					if !used[i] {
						out[j], used[i] = i, true
						break
					}
				}
			}
		}
	}
	return out
}

// sameValue compares a source literal with a planned value.
func sameValue(field string, a, b any) bool {
	if field == "protocol" || field == "ip_protocol" {
		pa, ea := model.NormalizeProtocol(fmt.Sprint(a))
		pb, eb := model.NormalizeProtocol(fmt.Sprint(b))
		return ea == nil && eb == nil && pa == pb
	}
	switch av := a.(type) {
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return false
		}
		for i := range av {
			if !sameValue("", av[i], bv[i]) {
				return false
			}
		}
		return true
	}
	if ia, err := toInt(a); err == nil {
		ib, err := toInt(b)
		return err == nil && ia == ib
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// ruleFields names a rule's attributes in one resource type.
type ruleFields struct {
	protocol, cidrs, cidrs6, prefixLists, groups, self string
	// single-valued forms (aws_vpc_security_group_*_rule)
	cidr4, cidr6, prefixList, group string
}

// sgRule reads one security-group rule from a view. path names it in the
// group (ingress[2]); srcPath is where its lines are in the instance.
func (b *builder) sgRule(in *instance, m *model.Meta, rv view, path, srcPath string, f ruleFields) *model.SGRule {
	r := &model.SGRule{}
	sub := func(p string) string { return path + "." + p }
	warnAt := func(attr, format string, args ...any) {
		p := attr
		if srcPath != "" {
			p = srcPath + "." + attr
		}
		b.warn(in, p, format, args...)
	}
	// Protocol.
	switch p, st := rv.str(f.protocol); st {
	case stKnown:
		np, err := model.NormalizeProtocol(p)
		if err != nil {
			warnAt(f.protocol, "%v", err)
			unknown(m, sub("protocol"))
		} else {
			r.Protocol = np
		}
	case stUnknown:
		unknown(m, sub("protocol"))
	}
	// Ports.
	from, fst, ferr := rv.integer("from_port")
	to, tst, terr := rv.integer("to_port")
	switch {
	case ferr != nil || terr != nil:
		warnAt("from_port", "port is not a number")
		unknown(m, sub("from_port"))
		unknown(m, sub("to_port"))
	case fst == stUnknown || tst == stUnknown:
		if fst == stUnknown {
			unknown(m, sub("from_port"))
		}
		if tst == stUnknown {
			unknown(m, sub("to_port"))
		}
	default:
		bad := false
		if (r.Protocol == model.ProtoTCP || r.Protocol == model.ProtoUDP) && fst == stKnown && tst == stKnown {
			if from < 0 || to > 65535 || from > to {
				warnAt("from_port", "port range %d-%d is not valid for %s", from, to, r.Protocol)
				bad = true
			}
		}
		if bad {
			unknown(m, sub("from_port"))
			unknown(m, sub("to_port"))
		} else {
			if fst == stKnown {
				r.FromPort = model.Int(from)
			}
			if tst == stKnown {
				r.ToPort = model.Int(to)
			}
		}
	}
	r.CIDRBlocks = b.ruleCIDRs(in, m, rv, f.cidrs, f.cidr4, false, sub("cidr_blocks"), warnAt)
	r.IPv6CIDRBlocks = b.ruleCIDRs(in, m, rv, f.cidrs6, f.cidr6, true, sub("ipv6_cidr_blocks"), warnAt)
	r.PrefixListIDs = ruleStrings(m, rv, f.prefixLists, f.prefixList, sub("prefix_list_ids"))
	r.SecurityGroupIDs = ruleStrings(m, rv, f.groups, f.group, sub("security_group_ids"))
	if f.self != "" {
		if v, st, _ := rv.boolean(f.self); st == stKnown {
			r.Self = v
		} else if st == stUnknown {
			unknown(m, sub("self"))
		}
	}
	switch d, st := rv.str("description"); st {
	case stKnown:
		if d != "" {
			r.Description = model.String(d)
		}
	case stUnknown:
		unknown(m, sub("description"))
	}
	return r
}

// ruleCIDRs reads a rule's CIDR list (or single CIDR), canonical.
func (b *builder) ruleCIDRs(in *instance, m *model.Meta, rv view, listKey, oneKey string, v6 bool, path string, warnAt func(string, string, ...any)) []string {
	var raw []string
	var st state
	key := listKey
	if listKey != "" {
		raw, st = rv.strList(listKey)
	} else if oneKey != "" {
		key = oneKey
		var s string
		s, st = rv.str(oneKey)
		if st == stKnown && s != "" {
			raw = []string{s}
		}
	}
	switch st {
	case stUnknown:
		unknown(m, path)
		return nil
	case stNull:
		return []string{}
	}
	out := make([]string, 0, len(raw))
	for _, c := range raw {
		cc, is6, err := model.CanonicalCIDR(c)
		if err != nil || is6 != v6 {
			fam := "IPv4"
			if v6 {
				fam = "IPv6"
			}
			warnAt(key, "%q is not an %s CIDR", c, fam)
			unknown(m, path)
			return nil
		}
		out = append(out, cc)
	}
	return out
}

func ruleStrings(m *model.Meta, rv view, listKey, oneKey, path string) []string {
	if listKey != "" {
		l, st := rv.strList(listKey)
		switch st {
		case stUnknown:
			unknown(m, path)
			return nil
		case stNull:
			return []string{}
		}
		return l
	}
	if oneKey != "" {
		s, st := rv.str(oneKey)
		switch st {
		case stUnknown:
			unknown(m, path)
			return nil
		case stKnown:
			if s != "" {
				return []string{s}
			}
		}
	}
	return []string{}
}

func (b *builder) mapACL(in *instance) {
	acl := &model.NetworkACL{Meta: b.meta(in)}
	m := &acl.Meta
	acl.IsDefault = in.typ == "aws_default_network_acl"
	if acl.IsDefault {
		if t := b.vpcOfDefault(in); t != "" {
			acl.VPCID = t
		} else if id, ok := b.refOne(in, "vpc_id"); ok {
			acl.VPCID = id
		} else {
			unknown(m, "vpc_id")
		}
	} else if id, ok := b.refOne(in, "vpc_id"); ok {
		acl.VPCID = id
	} else {
		unknown(m, "vpc_id")
	}
	switch ids, st := b.refList(in, "subnet_ids"); st {
	case stKnown:
		acl.SubnetIDs = ids
	case stNull:
		acl.SubnetIDs = []string{}
	default:
		if b.notWritten(in, "subnet_ids") {
			acl.SubnetIDs = []string{}
		} else {
			unknown(m, "subnet_ids")
		}
	}
	copyListLines(b, m, in, "subnet_ids", "subnet_ids")
	acl.Entries = []*model.NACLEntry{}
	for _, dir := range []string{"ingress", "egress"} {
		vs, st := in.v.objList(dir)
		if st == stUnknown {
			if b.notWritten(in, dir) {
				continue
			}
			unknown(m, "entries")
			acl.Entries = nil
			break
		}
		fields := []string{"rule_no", "action", "protocol", "cidr_block", "ipv6_cidr_block", "from_port", "to_port"}
		match := b.matchBlocks(in, dir, vs, fields)
		for j, ev := range vs {
			k := len(acl.Entries)
			path := "entries[" + strconv.Itoa(k) + "]"
			srcPath := dir + "[" + strconv.Itoa(j) + "]"
			if in.src != nil {
				if match[j] >= 0 {
					srcPath = dir + "[" + strconv.Itoa(match[j]) + "]"
				} else {
					srcPath = dir
				}
			}
			e := b.aclEntry(in, m, ev, path, srcPath, "rule_no", "action", dir == "egress")
			acl.Entries = append(acl.Entries, e)
			setLine(m, path, b.lineOrBlock(in, srcPath))
			b.copyLines(m, in, srcPath, path, map[string]string{"rule_no": "rule_number"})
		}
	}
	b.m.NetworkACLs = append(b.m.NetworkACLs, acl)
	b.acls[acl.ID] = acl
	for _, sid := range acl.SubnetIDs {
		if sn := b.subnets[sid]; sn != nil {
			sn.NetworkACLID = acl.ID
		}
	}
}

// vpcOfDefault finds the VPC whose default_network_acl_id a default ACL
// adopts.
func (b *builder) vpcOfDefault(in *instance) string {
	refs := b.exprRefs(in, "default_network_acl_id")
	ts, _ := b.resolveRefs(b.ctxOf(in), refs, 0)
	for _, t := range ts {
		if t.inst.typ == "aws_vpc" {
			return t.inst.id
		}
	}
	if id, st := in.v.str("default_network_acl_id"); st == stKnown {
		for _, v := range b.insts {
			if v.typ == "aws_vpc" {
				if d, st := v.v.str("default_network_acl_id"); st == stKnown && d == id {
					return v.id
				}
			}
		}
	}
	return ""
}

// copyListLines records the lines of a list attribute and its elements.
func copyListLines(b *builder, m *model.Meta, in *instance, key, path string) {
	b.copyLinesOf(m, in, "", "", map[string]string{key: path}, true)
}

// aclEntry reads one ACL entry.
func (b *builder) aclEntry(in *instance, m *model.Meta, ev view, path, srcPath, numKey, actionKey string, egress bool) *model.NACLEntry {
	e := &model.NACLEntry{Egress: egress}
	sub := func(p string) string { return path + "." + p }
	at := func(attr string) string {
		if srcPath == "" {
			return attr
		}
		return srcPath + "." + attr
	}
	if n, st, err := ev.integer(numKey); err != nil || (st == stKnown && (n < 1 || n > 32766)) {
		b.warn(in, at(numKey), "rule number %v is outside 1-32766", ev.vals[numKey])
		unknown(m, sub("rule_number"))
	} else if st == stKnown {
		e.RuleNumber = model.Int(n)
	} else if st == stUnknown {
		unknown(m, sub("rule_number"))
	}
	switch a, st := ev.str(actionKey); st {
	case stKnown:
		a = strings.ToLower(strings.TrimSpace(a))
		if a != "allow" && a != "deny" {
			b.warn(in, at(actionKey), "action %q is neither allow nor deny", a)
			unknown(m, sub("action"))
		} else {
			e.Action = a
		}
	case stUnknown:
		unknown(m, sub("action"))
	}
	switch p, st := ev.str("protocol"); st {
	case stKnown:
		np, err := model.NormalizeProtocol(p)
		if err != nil {
			b.warn(in, at("protocol"), "%v", err)
			unknown(m, sub("protocol"))
		} else {
			e.Protocol = np
		}
	case stUnknown:
		unknown(m, sub("protocol"))
	}
	for _, c := range []struct {
		key string
		v6  bool
		set func(string)
	}{
		{"cidr_block", false, func(s string) { e.CIDRBlock = s }},
		{"ipv6_cidr_block", true, func(s string) { e.IPv6CIDRBlock = s }},
	} {
		s, st := ev.str(c.key)
		if st == stUnknown {
			unknown(m, sub(c.key))
			continue
		}
		if st != stKnown || s == "" {
			continue
		}
		cc, is6, err := model.CanonicalCIDR(s)
		if err != nil || is6 != c.v6 {
			b.warn(in, at(c.key), "%s %q is not a valid CIDR", c.key, s)
			unknown(m, sub(c.key))
			continue
		}
		c.set(cc)
	}
	from, fst, ferr := ev.integer("from_port")
	to, tst, terr := ev.integer("to_port")
	switch {
	case ferr != nil || terr != nil:
		b.warn(in, at("from_port"), "port is not a number")
		unknown(m, sub("from_port"))
		unknown(m, sub("to_port"))
	case fst == stKnown && tst == stKnown && (e.Protocol == model.ProtoTCP || e.Protocol == model.ProtoUDP) && (from < 0 || to > 65535 || from > to):
		b.warn(in, at("from_port"), "port range %d-%d is not valid", from, to)
		unknown(m, sub("from_port"))
		unknown(m, sub("to_port"))
	default:
		if fst == stKnown {
			e.FromPort = model.Int(from)
		} else if fst == stUnknown {
			unknown(m, sub("from_port"))
		}
		if tst == stKnown {
			e.ToPort = model.Int(to)
		} else if tst == stUnknown {
			unknown(m, sub("to_port"))
		}
	}
	for _, k := range []string{"icmp_type", "icmp_code"} {
		n, st, err := ev.integer(k)
		switch {
		case err != nil:
			b.warn(in, at(k), "%v", err)
			unknown(m, sub(k))
		case st == stKnown:
			if k == "icmp_type" {
				e.ICMPType = model.Int(n)
			} else {
				e.ICMPCode = model.Int(n)
			}
		case st == stUnknown:
			unknown(m, sub(k))
		}
	}
	return e
}

// checkDuplicates reports two entries of one direction sharing a rule
// number (AWS rejects it; NACL008 also reports it).
func (b *builder) checkDuplicates(acl *model.NetworkACL) {
	seen := map[string]int{}
	for i, e := range acl.Entries {
		if e.RuleNumber == nil {
			continue
		}
		k := fmt.Sprintf("%v|%d", e.Egress, *e.RuleNumber)
		if j, dup := seen[k]; dup {
			dir := "ingress"
			if e.Egress {
				dir = "egress"
			}
			line := acl.AttributeLines["entries["+strconv.Itoa(i)+"]"]
			file := acl.Source.File
			if e.Source != nil {
				file, line = e.Source.File, e.Source.StartLine
			}
			if f, ok := acl.AttributeFiles["entries["+strconv.Itoa(i)+"]"]; ok {
				file = f
			}
			if line == 0 {
				line = acl.Source.StartLine
			}
			b.errs = append(b.errs, model.LoadError{
				File: file, Line: line, Level: model.LevelWarning,
				Message: fmt.Sprintf("%s: %s entries %d and %d share rule number %d", acl.Address, dir, j, i, *e.RuleNumber),
			})
			continue
		}
		seen[k] = i
	}
}

func (b *builder) mapRouteTable(in *instance) {
	rt := &model.RouteTable{Meta: b.meta(in), SubnetIDs: []string{}}
	m := &rt.Meta
	if in.typ == "aws_default_route_table" {
		rt.IsMain = true
		if id, ok := b.rawRefOne(in, "default_route_table_id"); ok {
			if vpc, ok := strings.CutSuffix(id, ".default_route_table_id"); ok {
				if v := b.byAddr[vpc]; v != nil {
					vpc = v.id
				}
				rt.VPCID = vpc
			}
		}
		if rt.VPCID == "" {
			if id, ok := b.refOne(in, "vpc_id"); ok {
				rt.VPCID = id
			} else {
				unknown(m, "vpc_id")
			}
		}
	} else if id, ok := b.refOne(in, "vpc_id"); ok {
		rt.VPCID = id
	} else {
		unknown(m, "vpc_id")
	}
	vs, st := in.v.objList("route")
	switch st {
	case stUnknown:
		if b.notWritten(in, "route") {
			rt.Routes = []*model.Route{}
		} else {
			unknown(m, "routes")
		}
	default:
		rt.Routes = []*model.Route{}
		for j, rv := range vs {
			rt.Routes = append(rt.Routes, routeFrom(rv, "cidr_block"))
			setLine(m, "routes["+strconv.Itoa(j)+"]", b.lineOrBlock(in, "route["+strconv.Itoa(j)+"]"))
		}
	}
	b.m.RouteTables = append(b.m.RouteTables, rt)
	b.tables[rt.ID] = rt
}

var routeTargets = []string{"gateway_id", "nat_gateway_id", "vpc_endpoint_id", "transit_gateway_id",
	"vpc_peering_connection_id", "network_interface_id", "egress_only_gateway_id", "carrier_gateway_id",
	"local_gateway_id", "core_network_arn", "instance_id"}

func routeFrom(rv view, cidrKey string) *model.Route {
	r := &model.Route{}
	if s, st := rv.str(cidrKey); st == stKnown && s != "" {
		if c, _, err := model.CanonicalCIDR(s); err == nil {
			r.DestinationCIDRBlock = c
		}
	}
	for _, k := range []string{"ipv6_cidr_block", "destination_ipv6_cidr_block"} {
		if s, st := rv.str(k); st == stKnown && s != "" {
			if c, _, err := model.CanonicalCIDR(s); err == nil {
				r.DestinationIPv6CIDRBlock = c
			}
		}
	}
	if s, st := rv.str("destination_prefix_list_id"); st == stKnown {
		r.DestinationPrefixListID = s
	}
	for _, k := range routeTargets {
		if s, st := rv.str(k); st == stKnown && s != "" {
			r.Target, r.TargetType = s, k
			break
		}
	}
	return r
}

func (b *builder) mapEndpoint(in *instance) {
	ep := &model.VPCEndpoint{Meta: b.meta(in)}
	m := &ep.Meta
	if id, ok := b.refOne(in, "vpc_id"); ok {
		ep.VPCID = id
	} else {
		unknown(m, "vpc_id")
	}
	switch t, st := in.v.str("vpc_endpoint_type"); {
	case st == stKnown && t != "":
		ep.Type = model.NormalizeEndpointType(t)
	case st == stUnknown:
		unknown(m, "type")
	default:
		ep.Type = model.EndpointGateway
		defaulted(m, "type")
	}
	setLine(m, "type", b.attrLine(in, "vpc_endpoint_type"))
	switch s, st := in.v.str("service_name"); st {
	case stKnown:
		ep.ServiceName = s
		ep.Service = model.EndpointServiceOf(s)
	case stUnknown:
		unknown(m, "service_name")
		unknown(m, "service")
	}
	for _, f := range []struct {
		key string
		set func([]string)
	}{
		{"subnet_ids", func(l []string) { ep.SubnetIDs = l }},
		{"security_group_ids", func(l []string) { ep.SecurityGroupIDs = l }},
		{"route_table_ids", func(l []string) { ep.RouteTableIDs = l }},
	} {
		switch ids, st := b.refList(in, f.key); st {
		case stKnown:
			f.set(ids)
		case stNull:
			f.set([]string{})
		default:
			if b.notWritten(in, f.key) {
				f.set([]string{})
			} else {
				unknown(m, f.key)
			}
		}
	}
	switch v, st, err := in.v.boolean("private_dns_enabled"); {
	case err != nil:
		b.warn(in, "private_dns_enabled", "%v", err)
		unknown(m, "private_dns_enabled")
	case st == stKnown:
		ep.PrivateDNSEnabled = model.Bool(v)
	case st == stUnknown && !b.notWritten(in, "private_dns_enabled"):
		unknown(m, "private_dns_enabled")
	default:
		// Unset (newer providers plan it as computed): Terraform's
		// documented default is false, as the HCL loader reads it.
		ep.PrivateDNSEnabled = model.Bool(false)
		defaulted(m, "private_dns_enabled")
	}
	switch p, st := in.v.str("policy"); st {
	case stKnown:
		if strings.TrimSpace(p) != "" {
			setPolicy(ep, p)
		}
	case stUnknown:
		if !b.notWritten(in, "policy") {
			unknown(m, "policy")
		}
	}
	if s, st := in.v.str("ip_address_type"); st == stKnown {
		ep.IPAddressType = s
	}
	if dvs, st := in.v.objList("dns_options"); st == stKnown && len(dvs) > 0 {
		d := &model.DNSOptions{}
		if s, st := dvs[0].str("dns_record_ip_type"); st == stKnown {
			d.DNSRecordIPType = s
		}
		if v, st, _ := dvs[0].boolean("private_dns_only_for_inbound_resolver_endpoint"); st == stKnown {
			d.PrivateDNSOnlyForInboundResolverEndpoint = model.Bool(v)
		} else if st == stUnknown {
			unknown(m, "dns_options.private_dns_only_for_inbound_resolver_endpoint")
		}
		ep.DNSOptions = d
		b.copyLines(m, in, "dns_options[0]", "dns_options", nil)
		setLine(m, "dns_options", b.attrLine(in, "dns_options"))
	}
	b.copyLines(m, in, "", "", map[string]string{"vpc_endpoint_type": "type", "dns_options": ""})
	b.m.VPCEndpoints = append(b.m.VPCEndpoints, ep)
	b.endpoints[ep.ID] = ep
}

// setPolicy parses an endpoint policy; a policy that does not parse is
// kept in policy_raw with the reason.
func setPolicy(ep *model.VPCEndpoint, text string) {
	ep.PolicyRaw = model.String(text)
	p, err := model.ParsePolicy(text)
	if err != nil {
		ep.Policy = nil
		ep.PolicyError = err.Error()
		return
	}
	ep.Policy, ep.PolicyError = p, ""
}

func (b *builder) mapService(in *instance) {
	svc := &model.EndpointService{Meta: b.meta(in)}
	m := &svc.Meta
	switch v, st, err := in.v.boolean("acceptance_required"); {
	case err != nil:
		b.warn(in, "acceptance_required", "%v", err)
		unknown(m, "acceptance_required")
	case st == stKnown:
		svc.AcceptanceRequired = model.Bool(v)
	case st == stUnknown:
		unknown(m, "acceptance_required")
	}
	for _, f := range []struct {
		key string
		set func([]string)
	}{
		{"allowed_principals", func(l []string) { svc.AllowedPrincipals = l }},
		{"network_load_balancer_arns", func(l []string) { svc.NetworkLoadBalancerARNs = l }},
		{"gateway_load_balancer_arns", func(l []string) { svc.GatewayLoadBalancerARNs = l }},
		{"supported_regions", func(l []string) { svc.SupportedRegions = l }},
		{"supported_ip_address_types", func(l []string) { svc.SupportedIPAddressTypes = l }},
	} {
		l, st := in.v.strList(f.key)
		switch {
		case st == stKnown:
			f.set(l)
		case st == stNull || b.notWritten(in, f.key):
			f.set([]string{})
		default:
			unknown(m, f.key)
		}
	}
	if s, st := in.v.str("private_dns_name"); st == stKnown {
		svc.PrivateDNSName = s
	}
	if s, st := in.v.str("service_name"); st == stKnown {
		svc.ServiceName = s
	}
	b.copyLines(m, in, "", "", nil)
	b.m.EndpointServices = append(b.m.EndpointServices, svc)
	b.services[svc.ID] = svc
}

func (b *builder) mapFlowLog(in *instance) {
	fl := &model.FlowLog{Meta: b.meta(in)}
	m := &fl.Meta
	for _, k := range []struct{ key, typ string }{
		{"vpc_id", "VPC"}, {"subnet_id", "Subnet"}, {"eni_id", "NetworkInterface"},
		{"transit_gateway_id", "TransitGateway"}, {"transit_gateway_attachment_id", "TransitGatewayAttachment"},
	} {
		if _, st := in.v.raw(k.key); st == stNull {
			continue
		}
		fl.ResourceType = k.typ
		if id, ok := b.refOne(in, k.key); ok {
			fl.ResourceID = id
		} else {
			unknown(m, "resource_id")
		}
		setLine(m, "resource_id", b.attrLine(in, k.key))
		break
	}
	if s, st := in.v.str("traffic_type"); st == stKnown {
		fl.TrafficType = s
	} else if st == stUnknown {
		unknown(m, "traffic_type")
	}
	b.copyLines(m, in, "", "", nil)
	b.m.FlowLogs = append(b.m.FlowLogs, fl)
}

// srcRefList resolves a list attribute of a source block through the
// references its expression makes, keeping the planned known elements.
func (b *builder) srcRefList(in *instance, body *hclsyntax.Body, key string, rv view) ([]string, bool) {
	a, ok := body.Attributes[key]
	if !ok {
		return nil, false
	}
	refs := exprRefStrings(a.Expr)
	if len(refs) == 0 {
		return nil, false
	}
	ts, complete := b.resolveRefs(b.ctxOf(in), refs, 0)
	if !complete || len(ts) == 0 {
		return nil, false
	}
	var out []string
	if raw, ok := rv.vals[key].([]any); ok {
		for _, e := range raw {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
	}
	for _, t := range ts {
		id, ok := b.targetID(t)
		if !ok {
			return nil, false
		}
		out = appendUnique(out, id)
	}
	return out, true
}

// mapHostedZone reads a Route 53 zone: private when it has a vpc block.
func (b *builder) mapHostedZone(in *instance) {
	z := &model.HostedZone{Meta: b.meta(in)}
	m := &z.Meta
	switch s, st := in.v.str("name"); st {
	case stKnown:
		z.Name = model.NormalizeZoneName(s)
	case stUnknown:
		unknown(m, "name")
	}
	switch vpcs, st := in.v.objList("vpc"); st {
	case stKnown, stNull:
		z.Private, z.VPCIDs = model.Bool(len(vpcs) > 0), []string{}
		for _, v := range vpcs {
			if id, st := v.str("vpc_id"); st == stKnown && id != "" {
				if r, ok := b.remap[id]; ok {
					id = r
				}
				z.VPCIDs = append(z.VPCIDs, id)
			}
		}
	default:
		unknown(m, "private")
		unknown(m, "vpc_ids")
	}
	b.copyLines(m, in, "", "", nil)
	b.m.HostedZones = append(b.m.HostedZones, z)
	b.zones[in.id] = z
}

// foldZoneAssociation makes a zone of the plan private and adds the VPC;
// a zone the plan does not define is left out.
func (b *builder) foldZoneAssociation(in *instance) {
	id, ok := b.refOne(in, "zone_id")
	z := b.zones[id]
	if !ok || z == nil {
		return
	}
	z.Private = model.Bool(true)
	removeUnknown(&z.Meta, "private")
	if vpc, ok := b.refOne(in, "vpc_id"); ok && z.VPCIDs != nil {
		z.VPCIDs = append(z.VPCIDs, vpc)
	}
}
