package terraform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/model"
)

// builder turns evaluated resource instances into the model, folding
// separate rule and association resources into what they belong to.
type builder struct {
	u *unit
	m *model.Model

	vpcs    map[string]*model.VPC
	subnets map[string]*model.Subnet
	sgs     map[string]*model.SecurityGroup
	acls    map[string]*model.NetworkACL
	eps     map[string]*model.VPCEndpoint
	svcs    map[string]*model.EndpointService
	rts     map[string]*model.RouteTable
	zones   map[string]*model.HostedZone
	// remap maps placeholder ids ("aws_vpc.main.default_security_group_id")
	// to the resource that manages them.
	remap map[string]string
	// files of each model resource (for folded parts' attribute_files)
	files map[*model.Meta]string
	// folds are the separate resources, folded after every primary
	// resource is built.
	folds []*resInst
}

// supported lists the resource types the loader reads.
var supported = map[string]bool{
	"aws_vpc": true, "aws_subnet": true, "aws_security_group": true, "aws_default_security_group": true,
	"aws_security_group_rule": true, "aws_vpc_security_group_ingress_rule": true, "aws_vpc_security_group_egress_rule": true,
	"aws_network_acl": true, "aws_default_network_acl": true, "aws_network_acl_rule": true, "aws_network_acl_association": true,
	"aws_vpc_endpoint": true, "aws_vpc_endpoint_policy": true, "aws_vpc_endpoint_subnet_association": true,
	"aws_vpc_endpoint_security_group_association": true, "aws_vpc_endpoint_route_table_association": true,
	"aws_vpc_endpoint_private_dns": true, "aws_vpc_endpoint_service": true, "aws_vpc_endpoint_service_allowed_principal": true,
	"aws_route_table": true, "aws_default_route_table": true, "aws_route_table_association": true, "aws_route": true,
	"aws_flow_log": true, "aws_vpc_ipv4_cidr_block_association": true, "aws_vpc_ipv6_cidr_block_association": true,
	"aws_route53_zone": true, "aws_route53_zone_association": true,
}

func newBuilder(u *unit, m *model.Model) *builder {
	return &builder{u: u, m: m,
		vpcs: map[string]*model.VPC{}, subnets: map[string]*model.Subnet{}, sgs: map[string]*model.SecurityGroup{},
		acls: map[string]*model.NetworkACL{}, eps: map[string]*model.VPCEndpoint{}, svcs: map[string]*model.EndpointService{},
		rts: map[string]*model.RouteTable{}, zones: map[string]*model.HostedZone{}, remap: map[string]string{}, files: map[*model.Meta]string{},
	}
}

// build fills the model from the evaluated module tree.
func (b *builder) build(root *modInst) {
	root.walk(func(mi *modInst) {
		for _, r := range mi.def.resources {
			if r.data || !supported[r.typ] {
				continue
			}
			insts := mi.instances[r.key()]
			if insts == nil {
				if _, ok := mi.instances[r.key()]; ok || !mi.res[r.key()].IsKnown() {
					b.u.addErrOnce(model.LoadError{File: r.file.rel, Line: r.rng.Start.Line, Level: model.LevelWarning,
						Message: fmt.Sprintf("%s%s: count or for_each is unknown, so its instances are not loaded", mi.addrPrefix(), r.key())})
				}
				continue
			}
			for _, inst := range insts {
				b.primary(inst)
			}
		}
	})
	for _, inst := range b.folds {
		b.fold(inst)
	}
	b.finish()
}

func (b *builder) newMeta(inst *resInst) model.Meta {
	meta := model.Meta{
		ID: inst.addr, Address: inst.addr, Type: inst.def.typ,
		Source: model.Source{Format: model.FormatTerraform, File: inst.def.file.rel,
			StartLine: inst.def.rng.Start.Line, EndLine: inst.def.rng.End.Line, Module: inst.mod.path},
		AttributeLines: map[string]int{},
	}
	return meta
}

func (b *builder) reader(inst *resInst, meta *model.Meta, body *evalBody, prefix string) *fieldReader {
	return &fieldReader{b: b, meta: meta, body: body, prefix: prefix, file: inst.def.file}
}

// common reads tags and suppressions.
func (b *builder) common(inst *resInst, meta *model.Meta) {
	f := b.reader(inst, meta, inst.body, "")
	tags, known := f.tags("tags")
	if dt := inst.mod.defaultTags; known && dt != cty.NilVal && dt.IsWhollyKnown() {
		if d := stringMapValue(dt); len(d) > 0 {
			merged := map[string]string{}
			for k, v := range d {
				merged[k] = v
			}
			for k, v := range tags {
				merged[k] = v
			}
			tags = merged
		}
	}
	if len(tags) > 0 {
		meta.Tags = tags
	}
	b.suppressions(inst, meta, true)
}

func (b *builder) primary(inst *resInst) {
	switch inst.def.typ {
	case "aws_vpc":
		b.vpc(inst)
	case "aws_subnet":
		b.subnet(inst)
	case "aws_security_group", "aws_default_security_group":
		b.securityGroup(inst)
	case "aws_network_acl", "aws_default_network_acl":
		b.networkACL(inst)
	case "aws_vpc_endpoint":
		b.endpoint(inst)
	case "aws_vpc_endpoint_service":
		b.endpointService(inst)
	case "aws_route_table", "aws_default_route_table":
		b.routeTable(inst)
	case "aws_flow_log":
		b.flowLog(inst)
	case "aws_route53_zone":
		b.hostedZone(inst)
	default:
		b.folds = append(b.folds, inst)
	}
}

func (b *builder) vpc(inst *resInst) {
	v := &model.VPC{Meta: b.newMeta(inst)}
	f := b.reader(inst, &v.Meta, inst.body, "")
	if c, ok := f.str("cidr_block", "cidr_blocks"); ok {
		f.line("cidr_blocks[0]", f.meta.AttributeLines["cidr_blocks"])
		v.CIDRBlocks = f.cidrs([]string{c}, "cidr_block", "cidr_blocks", false)
	} else if f.attr("cidr_block") == nil {
		// IPAM-allocated or not written: unknown until apply.
		v.Meta.Unknown = append(v.Meta.Unknown, "cidr_blocks")
	}
	if c, ok := f.str("ipv6_cidr_block", "ipv6_cidr_blocks"); ok && c != "" {
		v.IPv6CIDRBlocks = f.cidrs([]string{c}, "ipv6_cidr_block", "ipv6_cidr_blocks", true)
	} else if f.attr("ipv6_cidr_block") == nil {
		gen, _ := f.boolean("assign_generated_ipv6_cidr_block", "assign_generated_ipv6_cidr_block")
		if gen != nil && *gen || f.attr("ipv6_ipam_pool_id") != nil {
			v.Meta.Unknown = append(v.Meta.Unknown, "ipv6_cidr_blocks")
		} else if gen != nil || f.attr("assign_generated_ipv6_cidr_block") == nil {
			v.IPv6CIDRBlocks = []string{}
		}
	}
	if p, set := f.boolean("enable_dns_support", "enable_dns_support"); set {
		v.EnableDNSSupport = p
	} else {
		v.EnableDNSSupport = model.Bool(true)
		v.Meta.Defaulted = append(v.Meta.Defaulted, "enable_dns_support")
	}
	if p, set := f.boolean("enable_dns_hostnames", "enable_dns_hostnames"); set {
		v.EnableDNSHostnames = p
	} else {
		v.EnableDNSHostnames = model.Bool(false)
		v.Meta.Defaulted = append(v.Meta.Defaulted, "enable_dns_hostnames")
	}
	b.common(inst, &v.Meta)
	b.m.VPCs = append(b.m.VPCs, v)
	b.vpcs[v.ID] = v
}

func (b *builder) subnet(inst *resInst) {
	s := &model.Subnet{Meta: b.newMeta(inst)}
	f := b.reader(inst, &s.Meta, inst.body, "")
	s.VPCID, _ = f.str("vpc_id", "vpc_id")
	if az, ok := f.str("availability_zone", "availability_zone"); ok {
		if ref, sym := strings.CutPrefix(az, azRefPrefix); sym {
			s.AZRef = ref
		} else {
			s.AvailabilityZone = az
		}
	} else if a := f.attr("availability_zone"); a != nil {
		s.AZRef = azRef(a)
	}
	if id, ok := f.str("availability_zone_id", "availability_zone_id"); ok {
		if ref, sym := strings.CutPrefix(id, azRefPrefix); sym {
			s.AZRef = ref
		} else {
			s.AvailabilityZoneID = id
		}
	}
	if c, ok := f.str("cidr_block", "cidr_block"); ok && c != "" {
		if l := f.cidrs([]string{c}, "cidr_block", "cidr_block", false); len(l) == 1 {
			s.CIDRBlock = l[0]
		}
	}
	if c, ok := f.str("ipv6_cidr_block", "ipv6_cidr_block"); ok && c != "" {
		if l := f.cidrs([]string{c}, "ipv6_cidr_block", "ipv6_cidr_block", true); len(l) == 1 {
			s.IPv6CIDRBlock = l[0]
		}
	}
	b.common(inst, &s.Meta)
	b.m.Subnets = append(b.m.Subnets, s)
	b.subnets[s.ID] = s
}

func (b *builder) securityGroup(inst *resInst) {
	g := &model.SecurityGroup{Meta: b.newMeta(inst)}
	f := b.reader(inst, &g.Meta, inst.body, "")
	if inst.def.typ == "aws_default_security_group" {
		g.IsDefault = true
		g.Name = "default"
	} else if name, ok := f.str("name", "name"); ok {
		g.Name = name
	} else if f.attr("name") == nil {
		g.Meta.Unknown = append(g.Meta.Unknown, "name")
	}
	g.VPCID, _ = f.str("vpc_id", "vpc_id")
	if d, ok := f.str("description", "description"); ok {
		g.Description = &d
	} else if f.attr("description") == nil && !g.IsDefault {
		g.Description = model.String("Managed by Terraform")
		g.Meta.Defaulted = append(g.Meta.Defaulted, "description")
	}
	for _, dir := range []string{"ingress", "egress"} {
		blocks, known := inst.body.nested(dir)
		if a := f.attr(dir); a != nil {
			f.line(dir, a.line())
		}
		if !known {
			g.Meta.Unknown = append(g.Meta.Unknown, dir)
			continue
		}
		rules := make([]*model.SGRule, 0, len(blocks))
		for i, blk := range blocks {
			p := fmt.Sprintf("%s[%d].", dir, i)
			g.Meta.AttributeLines[strings.TrimSuffix(p, ".")] = blk.rng.Start.Line
			rf := b.reader(inst, &g.Meta, blk, p)
			rules = append(rules, readSGRule(rf, inlineRuleAttrs))
		}
		if dir == "ingress" {
			g.Ingress = rules
		} else {
			g.Egress = rules
		}
	}
	b.common(inst, &g.Meta)
	b.files[&g.Meta] = inst.def.file.rel
	b.m.SecurityGroups = append(b.m.SecurityGroups, g)
	b.sgs[g.ID] = g
	if g.IsDefault && g.VPCID != "" {
		b.remap[g.VPCID+".default_security_group_id"] = g.ID
	}
}

// ruleAttrs names the attributes of one form of security-group rule.
type ruleAttrs struct {
	protocol         string
	cidrs, cidrs6    string
	prefixLists, sgs string
	single           bool // each source attribute holds one value
}

var (
	inlineRuleAttrs = ruleAttrs{protocol: "protocol", cidrs: "cidr_blocks", cidrs6: "ipv6_cidr_blocks", prefixLists: "prefix_list_ids", sgs: "security_groups"}
	legacyRuleAttrs = ruleAttrs{protocol: "protocol", cidrs: "cidr_blocks", cidrs6: "ipv6_cidr_blocks", prefixLists: "prefix_list_ids", sgs: "source_security_group_id"}
	vpcRuleAttrs    = ruleAttrs{protocol: "ip_protocol", cidrs: "cidr_ipv4", cidrs6: "cidr_ipv6", prefixLists: "prefix_list_id", sgs: "referenced_security_group_id", single: true}
)

// readSGRule reads one rule in any of Terraform's three forms.
func readSGRule(f *fieldReader, at ruleAttrs) *model.SGRule {
	r := &model.SGRule{}
	r.Protocol = f.protocol(at.protocol, "protocol")
	from := f.port("from_port")
	to := f.port("to_port")
	r.FromPort, r.ToPort = from, to
	if (r.Protocol == model.ProtoTCP || r.Protocol == model.ProtoUDP) && from != nil && to != nil && *from > *to {
		f.warn(f.meta.AttributeLines[f.path("from_port")], "port range %d-%d is reversed; AWS rejects it, so its value is unknown", *from, *to)
		r.FromPort, r.ToPort = nil, nil
		f.unknown("from_port")
		f.unknown("to_port")
	}
	read := func(name, p string) ([]string, bool) {
		if at.single || (name == "source_security_group_id") {
			return f.single(name, p)
		}
		return f.list(name, p)
	}
	if l, ok := read(at.cidrs, "cidr_blocks"); ok {
		r.CIDRBlocks = f.cidrs(l, at.cidrs, "cidr_blocks", false)
	}
	if l, ok := read(at.cidrs6, "ipv6_cidr_blocks"); ok {
		r.IPv6CIDRBlocks = f.cidrs(l, at.cidrs6, "ipv6_cidr_blocks", true)
	}
	r.PrefixListIDs, _ = read(at.prefixLists, "prefix_list_ids")
	r.SecurityGroupIDs, _ = read(at.sgs, "security_group_ids")
	if s, _ := f.boolean("self", "self"); s != nil {
		r.Self = *s
	}
	if d, ok := f.str("description", "description"); ok && d != "" {
		r.Description = &d
	}
	return r
}

func (b *builder) networkACL(inst *resInst) {
	a := &model.NetworkACL{Meta: b.newMeta(inst)}
	f := b.reader(inst, &a.Meta, inst.body, "")
	if inst.def.typ == "aws_default_network_acl" {
		a.IsDefault = true
		if id, ok := f.str("default_network_acl_id", "default_network_acl_id"); ok {
			if vpc, ok := strings.CutSuffix(id, ".default_network_acl_id"); ok {
				a.VPCID = vpc
				b.remap[id] = a.ID
			}
		}
	} else {
		a.VPCID, _ = f.str("vpc_id", "vpc_id")
	}
	a.SubnetIDs, _ = f.list("subnet_ids", "subnet_ids")
	a.Entries = []*model.NACLEntry{}
	for _, dir := range []string{"ingress", "egress"} {
		blocks, known := inst.body.nested(dir)
		if !known {
			a.Meta.Unknown = append(a.Meta.Unknown, "entries")
			a.Entries = nil
			break
		}
		for _, blk := range blocks {
			p := fmt.Sprintf("entries[%d].", len(a.Entries))
			a.Meta.AttributeLines[strings.TrimSuffix(p, ".")] = blk.rng.Start.Line
			ef := b.reader(inst, &a.Meta, blk, p)
			e := readNACLEntry(ef, "rule_no", "action")
			e.Egress = dir == "egress"
			a.Entries = append(a.Entries, e)
		}
	}
	b.common(inst, &a.Meta)
	b.files[&a.Meta] = inst.def.file.rel
	b.m.NetworkACLs = append(b.m.NetworkACLs, a)
	b.acls[a.ID] = a
}

func readNACLEntry(f *fieldReader, ruleNo, action string) *model.NACLEntry {
	e := &model.NACLEntry{}
	e.RuleNumber, _ = f.integer(ruleNo, "rule_number")
	if n := e.RuleNumber; n != nil && (*n < 1 || *n > 32766) {
		f.warn(f.meta.AttributeLines[f.path("rule_number")], "rule number %d is outside 1-32766; AWS rejects it, so its value is unknown", *n)
		e.RuleNumber = nil
		f.unknown("rule_number")
	}
	if s, ok := f.str(action, "action"); ok {
		e.Action = strings.ToLower(s)
	}
	e.Protocol = f.protocol("protocol", "protocol")
	if c, ok := f.str("cidr_block", "cidr_block"); ok && c != "" {
		if l := f.cidrs([]string{c}, "cidr_block", "cidr_block", false); len(l) == 1 {
			e.CIDRBlock = l[0]
		}
	}
	if c, ok := f.str("ipv6_cidr_block", "ipv6_cidr_block"); ok && c != "" {
		if l := f.cidrs([]string{c}, "ipv6_cidr_block", "ipv6_cidr_block", true); len(l) == 1 {
			e.IPv6CIDRBlock = l[0]
		}
	}
	e.FromPort = f.port("from_port")
	e.ToPort = f.port("to_port")
	if (e.Protocol == model.ProtoTCP || e.Protocol == model.ProtoUDP) && e.FromPort != nil && e.ToPort != nil && *e.FromPort > *e.ToPort {
		f.warn(f.meta.AttributeLines[f.path("from_port")], "port range %d-%d is reversed; AWS rejects it, so its value is unknown", *e.FromPort, *e.ToPort)
		e.FromPort, e.ToPort = nil, nil
		f.unknown("from_port")
		f.unknown("to_port")
	}
	e.ICMPType, _ = f.integer("icmp_type", "icmp_type")
	e.ICMPCode, _ = f.integer("icmp_code", "icmp_code")
	return e
}

func (b *builder) endpoint(inst *resInst) {
	e := &model.VPCEndpoint{Meta: b.newMeta(inst)}
	f := b.reader(inst, &e.Meta, inst.body, "")
	e.VPCID, _ = f.str("vpc_id", "vpc_id")
	if t, ok := f.str("vpc_endpoint_type", "type"); ok {
		e.Type = model.NormalizeEndpointType(t)
	} else if f.attr("vpc_endpoint_type") == nil {
		e.Type = model.EndpointGateway
		e.Meta.Defaulted = append(e.Meta.Defaulted, "type")
	}
	if s, ok := f.str("service_name", "service_name"); ok {
		e.ServiceName = s
		e.Service = model.EndpointServiceOf(s)
	}
	if p, set := f.boolean("private_dns_enabled", "private_dns_enabled"); set {
		e.PrivateDNSEnabled = p
	} else {
		e.PrivateDNSEnabled = model.Bool(false)
		e.Meta.Defaulted = append(e.Meta.Defaulted, "private_dns_enabled")
	}
	b.policy(f, e, "policy")
	e.SubnetIDs, _ = f.list("subnet_ids", "subnet_ids")
	e.SecurityGroupIDs, _ = f.list("security_group_ids", "security_group_ids")
	e.RouteTableIDs, _ = f.list("route_table_ids", "route_table_ids")
	e.IPAddressType, _ = f.str("ip_address_type", "ip_address_type")
	if opts, known := inst.body.nested("dns_options"); !known {
		e.Meta.Unknown = append(e.Meta.Unknown, "dns_options")
	} else if len(opts) > 0 {
		of := b.reader(inst, &e.Meta, opts[0], "dns_options.")
		e.Meta.AttributeLines["dns_options"] = opts[0].rng.Start.Line
		d := &model.DNSOptions{}
		d.DNSRecordIPType, _ = of.str("dns_record_ip_type", "dns_record_ip_type")
		d.PrivateDNSOnlyForInboundResolverEndpoint, _ = of.boolean("private_dns_only_for_inbound_resolver_endpoint", "private_dns_only_for_inbound_resolver_endpoint")
		e.DNSOptions = d
	}
	b.common(inst, &e.Meta)
	b.files[&e.Meta] = inst.def.file.rel
	b.m.VPCEndpoints = append(b.m.VPCEndpoints, e)
	b.eps[e.ID] = e
}

// policy reads an endpoint policy: parsed when it is JSON, kept raw with
// the parse error when not, unknown when its value is.
func (b *builder) policy(f *fieldReader, e *model.VPCEndpoint, name string) {
	a := f.attr(name)
	if a == nil {
		return
	}
	f.line("policy", a.line())
	s, ok := stringValue(a.val)
	if !ok {
		f.unknown("policy")
		return
	}
	if strings.TrimSpace(s) == "" {
		return
	}
	e.Policy, e.PolicyRaw, e.PolicyError = nil, nil, ""
	p, err := model.ParsePolicy(s)
	if err != nil {
		e.PolicyRaw = &s
		e.PolicyError = err.Error()
		return
	}
	e.Policy = p
	e.PolicyRaw = &s
}

func (b *builder) endpointService(inst *resInst) {
	s := &model.EndpointService{Meta: b.newMeta(inst)}
	f := b.reader(inst, &s.Meta, inst.body, "")
	s.AcceptanceRequired, _ = f.boolean("acceptance_required", "acceptance_required")
	s.AllowedPrincipals, _ = f.list("allowed_principals", "allowed_principals")
	s.PrivateDNSName, _ = f.str("private_dns_name", "private_dns_name")
	s.NetworkLoadBalancerARNs, _ = f.list("network_load_balancer_arns", "network_load_balancer_arns")
	s.GatewayLoadBalancerARNs, _ = f.list("gateway_load_balancer_arns", "gateway_load_balancer_arns")
	s.SupportedRegions, _ = f.list("supported_regions", "supported_regions")
	s.SupportedIPAddressTypes, _ = f.list("supported_ip_address_types", "supported_ip_address_types")
	s.Meta.Unknown = append(s.Meta.Unknown, "service_name")
	b.common(inst, &s.Meta)
	b.files[&s.Meta] = inst.def.file.rel
	b.m.EndpointServices = append(b.m.EndpointServices, s)
	b.svcs[s.ID] = s
}

// routeTargets are the target attributes of a route, in the order read.
var routeTargets = []string{"vpc_endpoint_id", "gateway_id", "nat_gateway_id", "transit_gateway_id", "vpc_peering_connection_id",
	"network_interface_id", "egress_only_gateway_id", "local_gateway_id", "carrier_gateway_id", "core_network_arn", "instance_id"}

func (b *builder) routeTable(inst *resInst) {
	t := &model.RouteTable{Meta: b.newMeta(inst)}
	f := b.reader(inst, &t.Meta, inst.body, "")
	if inst.def.typ == "aws_default_route_table" {
		t.IsMain = true
		if id, ok := f.str("default_route_table_id", "default_route_table_id"); ok {
			if vpc, ok := strings.CutSuffix(id, ".default_route_table_id"); ok {
				t.VPCID = vpc
				b.remap[id] = t.ID
				b.remap[vpc+".main_route_table_id"] = t.ID
			}
		}
	} else {
		t.VPCID, _ = f.str("vpc_id", "vpc_id")
	}
	t.SubnetIDs = []string{}
	blocks, known := inst.body.nested("route")
	if !known {
		t.Meta.Unknown = append(t.Meta.Unknown, "routes")
	} else {
		t.Routes = []*model.Route{}
		for i, blk := range blocks {
			p := fmt.Sprintf("routes[%d].", i)
			t.Meta.AttributeLines[strings.TrimSuffix(p, ".")] = blk.rng.Start.Line
			rf := b.reader(inst, &t.Meta, blk, p)
			t.Routes = append(t.Routes, readRoute(rf, "cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"))
		}
	}
	b.common(inst, &t.Meta)
	b.files[&t.Meta] = inst.def.file.rel
	b.m.RouteTables = append(b.m.RouteTables, t)
	b.rts[t.ID] = t
}

func readRoute(f *fieldReader, cidr, cidr6, pl string) *model.Route {
	r := &model.Route{}
	r.DestinationCIDRBlock, _ = f.str(cidr, "destination_cidr_block")
	r.DestinationIPv6CIDRBlock, _ = f.str(cidr6, "destination_ipv6_cidr_block")
	r.DestinationPrefixListID, _ = f.str(pl, "destination_prefix_list_id")
	for _, t := range routeTargets {
		if s, ok := f.str(t, "target"); ok && s != "" {
			r.Target, r.TargetType = s, t
			break
		}
	}
	return r
}

// hostedZone reads a Route 53 zone: private when it has a vpc block.
func (b *builder) hostedZone(inst *resInst) {
	z := &model.HostedZone{Meta: b.newMeta(inst)}
	f := b.reader(inst, &z.Meta, inst.body, "")
	if name, ok := f.str("name", "name"); ok {
		z.Name = model.NormalizeZoneName(name)
	}
	blocks, known := inst.body.nested("vpc")
	if !known {
		z.Meta.Unknown = append(z.Meta.Unknown, "private", "vpc_ids")
	} else {
		z.Private = model.Bool(len(blocks) > 0)
		z.VPCIDs = []string{}
		for i, blk := range blocks {
			vf := b.reader(inst, &z.Meta, blk, "")
			p := fmt.Sprintf("vpc_ids[%d]", len(z.VPCIDs))
			if id, ok := vf.str("vpc_id", p); ok {
				z.VPCIDs = append(z.VPCIDs, b.mapID(id))
			} else {
				z.Meta.Unknown = append(z.Meta.Unknown, fmt.Sprintf("vpc[%d].vpc_id", i))
			}
		}
	}
	b.remap[inst.addr+".zone_id"] = z.ID
	b.common(inst, &z.Meta)
	b.files[&z.Meta] = inst.def.file.rel
	b.m.HostedZones = append(b.m.HostedZones, z)
	b.zones[z.ID] = z
}

func (b *builder) flowLog(inst *resInst) {
	l := &model.FlowLog{Meta: b.newMeta(inst)}
	f := b.reader(inst, &l.Meta, inst.body, "")
	for _, k := range [][2]string{{"vpc_id", "VPC"}, {"subnet_id", "Subnet"}, {"eni_id", "NetworkInterface"}, {"transit_gateway_id", "TransitGateway"}, {"transit_gateway_attachment_id", "TransitGatewayAttachment"}} {
		if f.attr(k[0]) == nil {
			continue
		}
		l.ResourceType = k[1]
		l.ResourceID, _ = f.str(k[0], "resource_id")
		break
	}
	l.TrafficType, _ = f.str("traffic_type", "traffic_type")
	b.common(inst, &l.Meta)
	b.m.FlowLogs = append(b.m.FlowLogs, l)
}

// refID is the id a reference attribute resolves to; when unknown, the
// text of the reference (e.g. "aws_security_group.default" or
// "var.security_group_id"), so a placeholder can carry its name.
func (b *builder) refID(inst *resInst, name string) (string, bool) {
	a, ok := inst.body.attrs[name]
	if !ok {
		return "", false
	}
	if s, ok := stringValue(a.val); ok {
		return b.mapID(s), true
	}
	if a.expr == nil {
		return "", false
	}
	rng := a.expr.Range()
	src := inst.def.file.src
	if rng.Start.Byte < 0 || rng.End.Byte > len(src) || rng.Start.Byte >= rng.End.Byte {
		return "", false
	}
	text := strings.TrimSpace(string(src[rng.Start.Byte:rng.End.Byte]))
	text = strings.TrimSuffix(text, ".id")
	if strings.HasPrefix(text, "\"${") && strings.HasSuffix(text, "}\"") {
		text = strings.TrimSuffix(strings.TrimPrefix(text, "\"${"), "}\"")
		text = strings.TrimSuffix(text, ".id")
	}
	return inst.mod.addrPrefix() + text, true
}

func (b *builder) mapID(s string) string {
	if r, ok := b.remap[s]; ok {
		return r
	}
	return s
}

// placeholderMeta gives the meta of a resource referenced but not in the
// scan, located at the first resource that refers to it.
func (b *builder) placeholderMeta(id, typ string, inst *resInst) model.Meta {
	m := b.newMeta(inst)
	m.ID, m.Address, m.Type = id, id, typ
	m.Placeholder = true
	m.Source.Module = ""
	return m
}

func (b *builder) group(id string, inst *resInst) *model.SecurityGroup {
	if g, ok := b.sgs[id]; ok {
		return g
	}
	g := &model.SecurityGroup{Meta: b.placeholderMeta(id, "aws_security_group", inst), Ingress: []*model.SGRule{}, Egress: []*model.SGRule{}}
	if vpc, ok := strings.CutSuffix(id, ".default_security_group_id"); ok {
		// the default group of a VPC in the scan, not managed here
		g.IsDefault, g.VPCID, g.Name = true, vpc, "default"
	}
	b.m.SecurityGroups = append(b.m.SecurityGroups, g)
	b.sgs[id] = g
	return g
}

func (b *builder) acl(id string, inst *resInst) *model.NetworkACL {
	if a, ok := b.acls[id]; ok {
		return a
	}
	a := &model.NetworkACL{Meta: b.placeholderMeta(id, "aws_network_acl", inst), Entries: []*model.NACLEntry{}, SubnetIDs: []string{}}
	if vpc, ok := strings.CutSuffix(id, ".default_network_acl_id"); ok {
		a.IsDefault, a.VPCID = true, vpc
	}
	b.m.NetworkACLs = append(b.m.NetworkACLs, a)
	b.acls[id] = a
	return a
}

func (b *builder) vpce(id string, inst *resInst) *model.VPCEndpoint {
	if e, ok := b.eps[id]; ok {
		return e
	}
	e := &model.VPCEndpoint{Meta: b.placeholderMeta(id, "aws_vpc_endpoint", inst), SubnetIDs: []string{}, SecurityGroupIDs: []string{}, RouteTableIDs: []string{}}
	b.m.VPCEndpoints = append(b.m.VPCEndpoints, e)
	b.eps[id] = e
	return e
}

func (b *builder) service(id string, inst *resInst) *model.EndpointService {
	if s, ok := b.svcs[id]; ok {
		return s
	}
	s := &model.EndpointService{Meta: b.placeholderMeta(id, "aws_vpc_endpoint_service", inst), AllowedPrincipals: []string{}}
	b.m.EndpointServices = append(b.m.EndpointServices, s)
	b.svcs[id] = s
	return s
}

func (b *builder) routeTableFor(id string, inst *resInst) *model.RouteTable {
	if t, ok := b.rts[id]; ok {
		return t
	}
	t := &model.RouteTable{Meta: b.placeholderMeta(id, "aws_route_table", inst), SubnetIDs: []string{}, Routes: []*model.Route{}}
	for _, suffix := range []string{".default_route_table_id", ".main_route_table_id"} {
		if vpc, ok := strings.CutSuffix(id, suffix); ok {
			t.IsMain, t.VPCID = true, vpc
		}
	}
	b.m.RouteTables = append(b.m.RouteTables, t)
	b.rts[id] = t
	return t
}

// foldedReader reads a separate resource's attributes into its parent
// under prefix, noting the file when it differs from the parent's.
func (b *builder) foldedReader(inst *resInst, parent *model.Meta, prefix string) *fieldReader {
	key := strings.TrimSuffix(prefix, ".")
	if parent.AttributeLines == nil {
		parent.AttributeLines = map[string]int{}
	}
	parent.AttributeLines[key] = inst.def.rng.Start.Line
	if inst.def.file.rel != parent.Source.File || parent.Placeholder {
		if parent.AttributeFiles == nil {
			parent.AttributeFiles = map[string]string{}
		}
		parent.AttributeFiles[key] = inst.def.file.rel
	}
	b.suppressionsInto(inst, parent)
	return b.reader(inst, parent, inst.body, prefix)
}

func (b *builder) srcOf(inst *resInst) *model.Source {
	return &model.Source{Format: model.FormatTerraform, File: inst.def.file.rel, StartLine: inst.def.rng.Start.Line,
		EndLine: inst.def.rng.End.Line, Module: inst.mod.path}
}

// fold attaches a separate rule, entry or association resource.
func (b *builder) fold(inst *resInst) {
	switch inst.def.typ {
	case "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule":
		id, ok := b.refID(inst, "security_group_id")
		if !ok {
			b.u.addErrOnce(model.LoadError{File: inst.def.file.rel, Line: inst.def.rng.Start.Line, Level: model.LevelWarning,
				Message: inst.addr + ": security_group_id is not set or not known; the rule is not attached to a group"})
			return
		}
		g := b.group(id, inst)
		dir := "ingress"
		at := vpcRuleAttrs
		switch inst.def.typ {
		case "aws_security_group_rule":
			at = legacyRuleAttrs
			t, _ := stringValue(inst.body.attrs["type"].valOr())
			if t == "egress" {
				dir = "egress"
			} else if t != "ingress" {
				b.u.addErrOnce(model.LoadError{File: inst.def.file.rel, Line: inst.def.rng.Start.Line, Level: model.LevelWarning,
					Message: inst.addr + ": type is unknown (ingress or egress); the rule is not attached"})
				return
			}
		case "aws_vpc_security_group_egress_rule":
			dir = "egress"
		}
		list := g.Ingress
		if dir == "egress" {
			list = g.Egress
		}
		if list == nil && contains(g.Meta.Unknown, dir) {
			// the group's own rules are unknown; the folded one is
			// still recorded so rules can see it.
			list = []*model.SGRule{}
		}
		prefix := fmt.Sprintf("%s[%d].", dir, len(list))
		f := b.foldedReader(inst, &g.Meta, prefix)
		r := readSGRule(f, at)
		if inst.def.typ == "aws_security_group_rule" {
			if s, _ := f.boolean("self", "self"); s != nil && *s {
				r.Self = true
			}
		}
		r.Address = inst.addr
		r.Source = b.srcOf(inst)
		list = append(list, r)
		if dir == "egress" {
			g.Egress = list
		} else {
			g.Ingress = list
		}
	case "aws_network_acl_rule":
		id, ok := b.refID(inst, "network_acl_id")
		if !ok {
			return
		}
		a := b.acl(id, inst)
		if a.Entries == nil {
			a.Entries = []*model.NACLEntry{}
		}
		f := b.foldedReader(inst, &a.Meta, fmt.Sprintf("entries[%d].", len(a.Entries)))
		e := readNACLEntry(f, "rule_number", "rule_action")
		if eg, _ := f.boolean("egress", "egress"); eg != nil {
			e.Egress = *eg
		}
		e.Address = inst.addr
		e.Source = b.srcOf(inst)
		a.Entries = append(a.Entries, e)
	case "aws_network_acl_association":
		id, ok := b.refID(inst, "network_acl_id")
		if !ok {
			return
		}
		a := b.acl(id, inst)
		if sub, ok := stringValue(inst.body.attrs["subnet_id"].valOr()); ok {
			if a.SubnetIDs != nil && !contains(a.SubnetIDs, sub) {
				a.SubnetIDs = append(a.SubnetIDs, sub)
			}
		}
	case "aws_vpc_endpoint_policy":
		id, ok := b.refID(inst, "vpc_endpoint_id")
		if !ok {
			return
		}
		e := b.vpce(id, inst)
		b.suppressionsInto(inst, &e.Meta)
		f := b.reader(inst, &e.Meta, inst.body, "")
		e.Meta.Unknown = removeString(e.Meta.Unknown, "policy")
		b.policy(f, e, "policy")
		e.Meta.AttributeLines["policy"] = lineOf(inst, "policy")
		if inst.def.file.rel != e.Meta.Source.File {
			setFile(&e.Meta, "policy", inst.def.file.rel)
		}
	case "aws_route53_zone_association":
		// A zone of this scan gains a VPC: it is private. A zone the
		// scan does not define (a data source, another stack) is left
		// out: there is nothing to attach the VPC to.
		id, ok := b.refID(inst, "zone_id")
		z := b.zones[id]
		if !ok || z == nil {
			return
		}
		z.Private = model.Bool(true)
		z.Meta.Unknown = removeString(z.Meta.Unknown, "private")
		if vpc, ok := stringValue(inst.body.attrs["vpc_id"].valOr()); ok && z.VPCIDs != nil {
			z.VPCIDs = append(z.VPCIDs, b.mapID(vpc))
		}
		b.suppressionsInto(inst, &z.Meta)
	case "aws_vpc_endpoint_subnet_association":
		b.endpointAssoc(inst, "subnet_id", func(e *model.VPCEndpoint) *[]string { return &e.SubnetIDs }, "subnet_ids")
	case "aws_vpc_endpoint_security_group_association":
		b.endpointAssoc(inst, "security_group_id", func(e *model.VPCEndpoint) *[]string { return &e.SecurityGroupIDs }, "security_group_ids")
	case "aws_vpc_endpoint_route_table_association":
		b.endpointAssoc(inst, "route_table_id", func(e *model.VPCEndpoint) *[]string { return &e.RouteTableIDs }, "route_table_ids")
	case "aws_vpc_endpoint_private_dns":
		id, ok := b.refID(inst, "vpc_endpoint_id")
		if !ok {
			return
		}
		e := b.vpce(id, inst)
		f := b.reader(inst, &e.Meta, inst.body, "")
		e.Meta.Defaulted = removeString(e.Meta.Defaulted, "private_dns_enabled")
		p, _ := f.boolean("private_dns_enabled", "private_dns_enabled")
		e.PrivateDNSEnabled = p
		if inst.def.file.rel != e.Meta.Source.File {
			setFile(&e.Meta, "private_dns_enabled", inst.def.file.rel)
		}
	case "aws_vpc_endpoint_service_allowed_principal":
		id, ok := b.refID(inst, "vpc_endpoint_service_id")
		if !ok {
			return
		}
		s := b.service(id, inst)
		if s.AllowedPrincipals == nil {
			return
		}
		p := fmt.Sprintf("allowed_principals[%d]", len(s.AllowedPrincipals))
		if v, ok := stringValue(inst.body.attrs["principal_arn"].valOr()); ok {
			s.AllowedPrincipals = append(s.AllowedPrincipals, v)
			s.Meta.AttributeLines[p] = lineOf(inst, "principal_arn")
			if inst.def.file.rel != s.Meta.Source.File {
				setFile(&s.Meta, p, inst.def.file.rel)
			}
		} else {
			s.AllowedPrincipals = nil
			s.Meta.Unknown = append(s.Meta.Unknown, "allowed_principals")
		}
		b.suppressionsInto(inst, &s.Meta)
	case "aws_vpc_ipv4_cidr_block_association", "aws_vpc_ipv6_cidr_block_association":
		id, ok := b.refID(inst, "vpc_id")
		if !ok {
			return
		}
		v, ok := b.vpcs[id]
		if !ok {
			return
		}
		v6 := inst.def.typ == "aws_vpc_ipv6_cidr_block_association"
		list, path := &v.CIDRBlocks, "cidr_blocks"
		if v6 {
			list, path = &v.IPv6CIDRBlocks, "ipv6_cidr_blocks"
		}
		c, ok := stringValue(inst.body.attrs[map[bool]string{false: "cidr_block", true: "ipv6_cidr_block"}[v6]].valOr())
		if !ok {
			*list = nil
			v.Meta.Unknown = append(v.Meta.Unknown, path)
			return
		}
		cc, is6, err := model.CanonicalCIDR(c)
		if err != nil || is6 != v6 {
			b.u.addErrOnce(model.LoadError{File: inst.def.file.rel, Line: lineOf(inst, "cidr_block"), Level: model.LevelWarning,
				Message: fmt.Sprintf("%s: %q is not a valid CIDR block; its value is unknown", inst.addr, c)})
			*list = nil
			v.Meta.Unknown = append(v.Meta.Unknown, path)
			return
		}
		if *list == nil && contains(v.Meta.Unknown, path) {
			return
		}
		p := fmt.Sprintf("%s[%d]", path, len(*list))
		*list = append(*list, cc)
		v.Meta.AttributeLines[p] = lineOf(inst, map[bool]string{false: "cidr_block", true: "ipv6_cidr_block"}[v6])
		if inst.def.file.rel != v.Meta.Source.File {
			setFile(&v.Meta, p, inst.def.file.rel)
		}
	case "aws_route_table_association":
		id, ok := b.refID(inst, "route_table_id")
		if !ok {
			return
		}
		t := b.routeTableFor(id, inst)
		if sub, ok := stringValue(inst.body.attrs["subnet_id"].valOr()); ok && t.SubnetIDs != nil && !contains(t.SubnetIDs, sub) {
			t.SubnetIDs = append(t.SubnetIDs, sub)
		}
	case "aws_route":
		id, ok := b.refID(inst, "route_table_id")
		if !ok {
			return
		}
		t := b.routeTableFor(id, inst)
		if t.Routes == nil {
			return
		}
		f := b.foldedReader(inst, &t.Meta, fmt.Sprintf("routes[%d].", len(t.Routes)))
		t.Routes = append(t.Routes, readRoute(f, "destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"))
	}
}

func (b *builder) endpointAssoc(inst *resInst, attr string, field func(*model.VPCEndpoint) *[]string, path string) {
	id, ok := b.refID(inst, "vpc_endpoint_id")
	if !ok {
		return
	}
	e := b.vpce(id, inst)
	l := field(e)
	v, ok := stringValue(inst.body.attrs[attr].valOr())
	if !ok {
		*l = nil
		e.Meta.Unknown = append(e.Meta.Unknown, path)
		return
	}
	if *l == nil {
		return
	}
	p := fmt.Sprintf("%s[%d]", path, len(*l))
	*l = append(*l, v)
	e.Meta.AttributeLines[p] = lineOf(inst, attr)
	if inst.def.file.rel != e.Meta.Source.File {
		setFile(&e.Meta, p, inst.def.file.rel)
	}
	b.suppressionsInto(inst, &e.Meta)
}

func setFile(m *model.Meta, p, file string) {
	if m.AttributeFiles == nil {
		m.AttributeFiles = map[string]string{}
	}
	m.AttributeFiles[p] = file
}

func lineOf(inst *resInst, attr string) int {
	if a, ok := inst.body.attrs[attr]; ok {
		return a.line()
	}
	return inst.def.rng.Start.Line
}

// valOr gives the attribute's value, or null when the attribute is absent.
func (a *evalAttr) valOr() cty.Value {
	if a == nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return a.val
}

func removeString(l []string, s string) []string {
	out := l[:0]
	for _, x := range l {
		if x != s {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// finish maps placeholder ids to the resources managing them, links
// subnets to their ACLs and route tables, checks ACL rule numbers, and
// tidies the unknown lists.
func (b *builder) finish() {
	mapList := func(l []string) {
		for i, s := range l {
			l[i] = b.mapID(s)
		}
	}
	for _, g := range b.m.SecurityGroups {
		for _, r := range append(append([]*model.SGRule{}, g.Ingress...), g.Egress...) {
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
			if s, ok := b.subnets[sid]; ok {
				s.NetworkACLID = a.ID
			}
		}
		b.checkRuleNumbers(a)
	}
	for _, t := range b.m.RouteTables {
		mapList(t.SubnetIDs)
		for _, sid := range t.SubnetIDs {
			if s, ok := b.subnets[sid]; ok {
				s.RouteTableID = t.ID
			}
		}
	}
	for _, r := range b.m.Resources() {
		m := r.GetMeta()
		m.Unknown = dedupe(m.Unknown)
		m.Defaulted = dedupe(m.Defaulted)
		if len(m.AttributeLines) == 0 {
			m.AttributeLines = nil
		}
	}
}

// checkRuleNumbers warns about two entries with one rule number in one
// direction; both are kept (NACL008 reports them).
func (b *builder) checkRuleNumbers(a *model.NetworkACL) {
	seen := map[string]int{}
	for i, e := range a.Entries {
		if e.RuleNumber == nil {
			continue
		}
		k := fmt.Sprintf("%v/%d", e.Egress, *e.RuleNumber)
		if _, dup := seen[k]; dup {
			file, line := a.Source.File, a.AttributeLines[fmt.Sprintf("entries[%d].rule_number", i)]
			if e.Source != nil {
				file = e.Source.File
			}
			dir := "ingress"
			if e.Egress {
				dir = "egress"
			}
			b.u.addErrOnce(model.LoadError{File: file, Line: line, Level: model.LevelWarning,
				Message: fmt.Sprintf("%s: two %s entries with rule number %d; AWS rejects the second", a.Address, dir, *e.RuleNumber)})
			continue
		}
		seen[k] = i
	}
}

func dedupe(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	slices.Sort(l)
	return slices.Compact(l)
}

// azRef gives a symbolic AZ identity for an availability_zone written as
// data.aws_availability_zones.X.names[N] or element(data...names, N).
func azRef(a *evalAttr) string {
	if a.expr == nil {
		return ""
	}
	return azRefExpr(a.expr, a.ctx)
}
