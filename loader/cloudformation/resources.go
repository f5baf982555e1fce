package cloudformation

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// Resource types read into the model; the others are ignored.
const (
	typeVPC             = "AWS::EC2::VPC"
	typeVPCCidrBlock    = "AWS::EC2::VPCCidrBlock"
	typeSubnet          = "AWS::EC2::Subnet"
	typeSecurityGroup   = "AWS::EC2::SecurityGroup"
	typeSGIngress       = "AWS::EC2::SecurityGroupIngress"
	typeSGEgress        = "AWS::EC2::SecurityGroupEgress"
	typeNetworkACL      = "AWS::EC2::NetworkAcl"
	typeNACLEntry       = "AWS::EC2::NetworkAclEntry"
	typeSubnetACLAssoc  = "AWS::EC2::SubnetNetworkAclAssociation"
	typeVPCEndpoint     = "AWS::EC2::VPCEndpoint"
	typeEndpointService = "AWS::EC2::VPCEndpointService"
	typeServicePerms    = "AWS::EC2::VPCEndpointServicePermissions"
	typeRouteTable      = "AWS::EC2::RouteTable"
	typeRoute           = "AWS::EC2::Route"
	typeSubnetRTAssoc   = "AWS::EC2::SubnetRouteTableAssociation"
	typeFlowLog         = "AWS::EC2::FlowLog"
	typePrefixList      = "AWS::EC2::PrefixList"
	typeHostedZone      = "AWS::Route53::HostedZone"
	typeStack           = "AWS::CloudFormation::Stack"
)

// builders read the resource types that become model resources.
var builders = map[string]func(*build, *resource){
	typeVPC:             (*build).vpc,
	typeSubnet:          (*build).subnet,
	typeSecurityGroup:   (*build).securityGroup,
	typeNetworkACL:      (*build).networkACL,
	typeVPCEndpoint:     (*build).endpoint,
	typeEndpointService: (*build).endpointService,
	typeRouteTable:      (*build).routeTable,
	typeFlowLog:         (*build).flowLog,
	typePrefixList:      (*build).prefixList,
	typeHostedZone:      (*build).hostedZone,
}

// folders attach the resource types that are parts of others (rules,
// entries, associations) once every stack's resources exist.
var folders = map[string]func(*build, *resource){
	typeVPCCidrBlock:   (*build).vpcCidrBlock,
	typeSGIngress:      (*build).sgRuleResource,
	typeSGEgress:       (*build).sgRuleResource,
	typeNACLEntry:      (*build).naclEntry,
	typeSubnetACLAssoc: (*build).subnetACLAssociation,
	typeServicePerms:   (*build).servicePermissions,
	typeRoute:          (*build).route,
	typeSubnetRTAssoc:  (*build).subnetRouteTableAssociation,
	// A flow log is built already; these are those whose target could
	// not be resolved.
	typeFlowLog: func(b *build, res *resource) {
		b.mayAttach(b.r.resolve(res.props).val("ResourceId"), attachmentOf(typeFlowLog, "ResourceId"))
	},
}

// supported reports whether vpclint reads a resource type.
func supported(typ string) bool { return builders[typ] != nil || folders[typ] != nil }

// buildStack reads the current template's resources: first those that
// become model resources, then those folded into them.
func (b *build) buildStack(ctx context.Context) {
	// Nested stacks first, so that GetAtt Stack.Outputs.X resolves.
	for _, res := range b.t.resources {
		if res.typ == typeStack && b.r.resourceCondition(res) == triTrue {
			b.nestedStack(ctx, res)
		}
	}
	for _, res := range b.t.resources {
		switch b.r.resourceCondition(res) {
		case triFalse:
			continue
		case triUnknown:
			if attachmentsByType[res.typ] != nil {
				// It may or may not exist: what it would set on the
				// resources it names is unknown.
				b.folds = append(b.folds, fold{st: b.stack, res: res, uncertain: true})
				b.addError(model.LevelInfo, res.key.line, "%s: its Condition %s cannot be decided (%s); what it would change on the resources it names is unknown", res.logicalID, res.condition, b.r.conditionCause(res))
				continue
			}
			if supported(res.typ) || res.typ == typeStack {
				b.addError(model.LevelWarning, res.key.line, "%s: its Condition %s cannot be decided (%s), so it is not loaded", res.logicalID, res.condition, b.r.conditionCause(res))
			}
			continue
		}
		if build := builders[res.typ]; build != nil {
			build(b, res)
		} else if folders[res.typ] != nil {
			b.folds = append(b.folds, fold{st: b.stack, res: res})
		}
	}
}

// foldAll attaches the rule, entry and association resources of every
// stack.
func (b *build) foldAll() {
	for _, f := range b.folds {
		b.stack = f.st
		if f.uncertain {
			b.mayAttachAll(f.res)
		} else {
			folders[f.res.typ](b, f.res)
		}
	}
}

func (b *build) vpc(res *resource) {
	v := &model.VPC{Meta: b.meta(res), IPv6CIDRBlocks: []string{}}
	x := b.reader(res, &v.Meta, "")
	if c := x.prop(x.props, "CidrBlock", "cidr_blocks[0]"); c != nil {
		x.at("cidr_blocks", c)
		if s, ok := x.cidr(c, "cidr_blocks", false); ok {
			v.CIDRBlocks = []string{s}
		}
	} else {
		// An IPAM pool allocates the block.
		x.unknown("cidr_blocks")
	}
	v.EnableDNSSupport = x.boolean(x.props, "EnableDnsSupport", "enable_dns_support", model.Bool(true))
	v.EnableDNSHostnames = x.boolean(x.props, "EnableDnsHostnames", "enable_dns_hostnames", model.Bool(false))
	b.tagsAndSuppressions(x)
	b.vpcs[v.ID] = v
	b.m.VPCs = append(b.m.VPCs, v)
}

// vpcCidrBlock adds a secondary block to its VPC.
func (b *build) vpcCidrBlock(res *resource) {
	x := b.reader(res, &model.Meta{AttributeLines: map[string]int{}}, "")
	id, ok := b.targetID(x, typeVPCCidrBlock, "VpcId")
	v := b.vpcs[id]
	if !ok || v == nil {
		return
	}
	// A block named explicitly is that block, even when an IPAM pool
	// allocates it; only a pool with no block named leaves it to AWS.
	if c := x.props.val("CidrBlock"); c != nil {
		if s, ok := x.cidr(c, "", false); ok && v.CIDRBlocks != nil {
			v.CIDRBlocks = append(v.CIDRBlocks, s)
		} else {
			v.CIDRBlocks = nil
			v.Unknown = append(v.Unknown, "cidr_blocks")
		}
	} else if x.props.val("Ipv4IpamPoolId") != nil {
		v.CIDRBlocks = nil
		v.Unknown = append(v.Unknown, "cidr_blocks")
	}
	if c := x.props.val("Ipv6CidrBlock"); c != nil {
		if s, ok := x.cidr(c, "", true); ok && v.IPv6CIDRBlocks != nil {
			v.IPv6CIDRBlocks = append(v.IPv6CIDRBlocks, s)
		} else {
			v.IPv6CIDRBlocks = nil
			v.Unknown = append(v.Unknown, "ipv6_cidr_blocks")
		}
	} else if x.props.val("AmazonProvidedIpv6CidrBlock") != nil || x.props.val("Ipv6Pool") != nil || x.props.val("Ipv6IpamPoolId") != nil {
		v.IPv6CIDRBlocks = nil
		v.Unknown = append(v.Unknown, "ipv6_cidr_blocks")
	}
}

func (b *build) subnet(res *resource) {
	s := &model.Subnet{Meta: b.meta(res)}
	x := b.reader(res, &s.Meta, "")
	s.VPCID, _ = x.str(x.props, "VpcId", "vpc_id")
	az := x.prop(x.props, "AvailabilityZone", "availability_zone")
	switch {
	case az != nil && az.kind == kindScalar:
		s.AvailabilityZone = az.value
		s.AZRef = az.info().azRef
	case az != nil && az.kind == kindUnknown:
		x.unknown("availability_zone")
		s.AZRef = az.info().azRef
		if s.AZRef == "" && regionalZone(az.pattern()) {
			// ${AWS::Region}a: one zone of the stack's region.
			s.AZRef = az.pattern()
		}
		if az.info().azRef != "" {
			x.at("availability_zone_ref", az)
		}
	case az != nil:
		x.scalarOf(az, "availability_zone")
	}
	azID, azIDKnown := x.str(x.props, "AvailabilityZoneId", "availability_zone_id")
	s.AvailabilityZoneID = azID
	if az == nil && !azIDKnown {
		// AWS picks the zone.
		x.unknown("availability_zone")
	}
	if c := x.prop(x.props, "CidrBlock", "cidr_block"); c != nil {
		s.CIDRBlock, _ = x.cidr(c, "cidr_block", false)
	} else if x.props.val("Ipv4IpamPoolId") != nil {
		x.unknown("cidr_block")
	}
	if c := x.prop(x.props, "Ipv6CidrBlock", "ipv6_cidr_block"); c != nil {
		s.IPv6CIDRBlock, _ = x.cidr(c, "ipv6_cidr_block", true)
	} else if x.props.val("Ipv6IpamPoolId") != nil {
		x.unknown("ipv6_cidr_block")
	}
	b.tagsAndSuppressions(x)
	b.subnets[s.ID] = s
	b.m.Subnets = append(b.m.Subnets, s)
}

func (b *build) routeTable(res *resource) {
	t := &model.RouteTable{Meta: b.meta(res), SubnetIDs: []string{}, Routes: []*model.Route{}}
	x := b.reader(res, &t.Meta, "")
	t.VPCID, _ = x.str(x.props, "VpcId", "vpc_id")
	b.tagsAndSuppressions(x)
	b.tables[t.ID] = t
	b.m.RouteTables = append(b.m.RouteTables, t)
}

// routeTargets pairs the target properties of AWS::EC2::Route with
// Terraform's argument names, which are the model's target_type.
var routeTargets = [...]struct{ prop, typ string }{
	{"GatewayId", "gateway_id"},
	{"NatGatewayId", "nat_gateway_id"},
	{"InstanceId", "instance_id"},
	{"NetworkInterfaceId", "network_interface_id"},
	{"VpcPeeringConnectionId", "vpc_peering_connection_id"},
	{"TransitGatewayId", "transit_gateway_id"},
	{"VpcEndpointId", "vpc_endpoint_id"},
	{"EgressOnlyInternetGatewayId", "egress_only_gateway_id"},
	{"CarrierGatewayId", "carrier_gateway_id"},
	{"LocalGatewayId", "local_gateway_id"},
	{"CoreNetworkArn", "core_network_arn"},
}

func (b *build) route(res *resource) {
	x := b.reader(res, &model.Meta{AttributeLines: map[string]int{}}, "")
	id, ok := b.targetID(x, typeRoute, "RouteTableId")
	t := b.tables[id]
	if !ok || t == nil {
		return
	}
	rt := &model.Route{}
	rt.DestinationCIDRBlock, _ = x.str(x.props, "DestinationCidrBlock", "")
	rt.DestinationIPv6CIDRBlock, _ = x.str(x.props, "DestinationIpv6CidrBlock", "")
	rt.DestinationPrefixListID, _ = x.str(x.props, "DestinationPrefixListId", "")
	for _, tg := range routeTargets {
		if v, ok := x.str(x.props, tg.prop, ""); ok {
			rt.Target, rt.TargetType = v, tg.typ
			// A logical id says nothing of its type: GatewayId names an
			// internet or a virtual private gateway.
			if r, ok := b.t.byID[strings.TrimPrefix(v, b.prefix)]; ok && strings.HasPrefix(v, b.prefix) {
				rt.TargetResourceType = r.typ
			}
			break
		}
	}
	if len(x.meta.Unknown) > 0 {
		t.Unknown = append(t.Unknown, "routes")
	}
	i := len(t.Routes)
	t.Routes = append(t.Routes, rt)
	b.foldedAt(&t.Meta, "routes["+strconv.Itoa(i)+"]", res.key.line)
}

func (b *build) subnetRouteTableAssociation(res *resource) {
	x := b.reader(res, &model.Meta{AttributeLines: map[string]int{}}, "")
	sid, sok := b.targetID(x, typeSubnetRTAssoc, "SubnetId")
	tid, tok := b.targetID(x, typeSubnetRTAssoc, "RouteTableId")
	if s := b.subnets[sid]; sok && s != nil {
		if tok {
			s.RouteTableID = tid
		} else {
			s.Unknown = append(s.Unknown, "route_table_id")
		}
	}
	if t := b.tables[tid]; tok && t != nil {
		if sok {
			p := "subnet_ids[" + strconv.Itoa(len(t.SubnetIDs)) + "]"
			b.foldedAt(&t.Meta, p, res.key.line)
			if t.SubnetIDs != nil {
				t.SubnetIDs = append(t.SubnetIDs, sid)
			}
		} else {
			t.SubnetIDs = nil
			t.Unknown = append(t.Unknown, "subnet_ids")
		}
	}
}

func (b *build) flowLog(res *resource) {
	f := &model.FlowLog{Meta: b.meta(res)}
	x := b.reader(res, &f.Meta, "")
	f.ResourceID, _ = x.str(x.props, "ResourceId", "resource_id")
	if v := x.props.val("ResourceId"); v != nil && v.kind == kindUnknown {
		// It may record a VPC of this unit, or another template's.
		b.folds = append(b.folds, fold{st: b.stack, res: res})
	}
	f.ResourceType, _ = x.str(x.props, "ResourceType", "resource_type")
	f.TrafficType, _ = x.str(x.props, "TrafficType", "traffic_type")
	b.tagsAndSuppressions(x)
	b.m.FlowLogs = append(b.m.FlowLogs, f)
}

// hostedZone reads a Route 53 zone: private when VPCs lists a VPC.
func (b *build) hostedZone(res *resource) {
	z := &model.HostedZone{Meta: b.meta(res)}
	x := b.reader(res, &z.Meta, "")
	if name, ok := x.str(x.props, "Name", "name"); ok {
		z.Name = model.NormalizeZoneName(name)
	}
	vpcs := x.prop(x.props, "VPCs", "vpc_ids")
	switch {
	case vpcs == nil:
		z.Private, z.VPCIDs = model.Bool(false), []string{}
	case vpcs.kind == kindList:
		z.Private, z.VPCIDs = model.Bool(len(vpcs.vals) > 0), []string{}
		for i, e := range vpcs.vals {
			if id, ok := x.str(e, "VPCId", fmt.Sprintf("vpc_ids[%d]", len(z.VPCIDs))); ok {
				z.VPCIDs = append(z.VPCIDs, id)
			} else {
				x.unknown(fmt.Sprintf("VPCs[%d].VPCId", i))
			}
		}
	default:
		x.unknown("private")
		x.unknown("vpc_ids")
	}
	b.suppressions(x, "")
	b.m.HostedZones = append(b.m.HostedZones, z)
}

// prefixList reads a customer-managed prefix list.
func (b *build) prefixList(res *resource) {
	p := &model.PrefixList{Meta: b.meta(res)}
	x := b.reader(res, &p.Meta, "")
	p.Name, _ = x.str(x.props, "PrefixListName", "name")
	p.AddressFamily, _ = x.str(x.props, "AddressFamily", "address_family")
	p.MaxEntries, _ = x.intProp(x.props, "MaxEntries", "max_entries")
	entries := x.prop(x.props, "Entries", "cidrs")
	switch {
	case entries == nil:
		p.CIDRs = []string{}
	case entries.kind == kindList:
		p.CIDRs = make([]string, 0, len(entries.vals))
		for i, e := range entries.vals {
			c, ok := x.cidr(e.val("Cidr"), fmt.Sprintf("cidrs[%d]", i), p.AddressFamily == "IPv6")
			if !ok {
				p.CIDRs = nil
				x.unknown("cidrs")
				break
			}
			x.at(fmt.Sprintf("cidrs[%d]", i), e)
			p.CIDRs = append(p.CIDRs, c)
		}
	default:
		x.unknown("cidrs")
	}
	b.tagsAndSuppressions(x)
	b.m.PrefixLists = append(b.m.PrefixLists, p)
}

// regionalZone reports whether an unknown zone's pattern is the stack's
// region and a zone letter ("${AWS::Region}b").
func regionalZone(p string) bool {
	rest, ok := strings.CutPrefix(p, "${AWS::Region}")
	return ok && len(rest) == 1 && rest[0] >= 'a' && rest[0] <= 'z'
}
