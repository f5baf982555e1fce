package tfaws

import (
	"fmt"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// The network resources: VPCs, subnets, route tables, flow logs and
// Route 53 zones.

func (b *Builder) vpc(r *Resource) {
	v := &model.VPC{Meta: b.meta(r)}
	f := b.reader(r, &v.Meta, r.Body, "")
	c := f.attr("cidr_block", "cidr_blocks")
	f.line("cidr_blocks[0]", c.Line)
	if s, ok := c.String(); ok {
		v.CIDRBlocks = f.cidrs([]string{s}, "cidr_block", "cidr_blocks", false)
	} else {
		// Unknown, or allocated from IPAM when unset: known after apply.
		f.unknown("cidr_blocks")
	}
	c6 := f.attr("ipv6_cidr_block", "ipv6_cidr_blocks")
	f.line("ipv6_cidr_blocks[0]", c6.Line)
	s6, _ := c6.String()
	switch {
	case c6.State == Known && s6 != "":
		v.IPv6CIDRBlocks = f.cidrs([]string{s6}, "ipv6_cidr_block", "ipv6_cidr_blocks", true)
	case c6.State == Known:
		v.IPv6CIDRBlocks = []string{}
	case c6.State == Unknown:
		f.unknown("ipv6_cidr_blocks")
	default:
		// Amazon assigns a block when asked, or IPAM allocates one.
		gen, st := f.boolean("assign_generated_ipv6_cidr_block", "assign_generated_ipv6_cidr_block")
		if st == Unknown || gen != nil && *gen || r.Body.Attr("ipv6_ipam_pool_id").State != Unset {
			f.unknown("ipv6_cidr_blocks")
		} else {
			v.IPv6CIDRBlocks = []string{}
		}
	}
	v.EnableDNSSupport = f.boolDefault("enable_dns_support", "enable_dns_support", true)
	v.EnableDNSHostnames = f.boolDefault("enable_dns_hostnames", "enable_dns_hostnames", false)
	b.common(f)
	b.m.VPCs = append(b.m.VPCs, v)
	b.put(kindVPC, v)
	b.vpcRes[v.ID] = r
}

func (b *Builder) subnet(r *Resource) {
	s := &model.Subnet{Meta: b.meta(r)}
	f := b.reader(r, &s.Meta, r.Body, "")
	s.VPCID, _ = f.ref("vpc_id", "vpc_id")
	az, st := f.str("availability_zone", "availability_zone")
	if st == Known {
		s.AvailabilityZone = az
	} else if sym := r.Body.Attr("availability_zone").Symbol; sym != "" {
		// Not known by name, but told apart from other zones.
		s.AZRef = sym
	}
	id, idState := f.str("availability_zone_id", "availability_zone_id")
	if idState == Known {
		s.AvailabilityZoneID = id
	} else if sym := r.Body.Attr("availability_zone_id").Symbol; sym != "" && s.AZRef == "" {
		s.AZRef = sym
	}
	if st == Unset && idState == Unset {
		f.unknown("availability_zone") // AWS picks one
	}
	s.CIDRBlock = f.cidr("cidr_block", "cidr_block", false)
	s.IPv6CIDRBlock = f.cidr("ipv6_cidr_block", "ipv6_cidr_block", true)
	b.common(f)
	b.m.Subnets = append(b.m.Subnets, s)
	b.put(kindSubnet, s)
}

// routeTargets are the target attributes of a route, in the order read.
var routeTargets = []string{"vpc_endpoint_id", "gateway_id", "nat_gateway_id", "transit_gateway_id", "vpc_peering_connection_id",
	"network_interface_id", "egress_only_gateway_id", "local_gateway_id", "carrier_gateway_id", "core_network_arn", "instance_id"}

func (b *Builder) routeTable(r *Resource) {
	t := &model.RouteTable{Meta: b.meta(r), SubnetIDs: []string{}}
	f := b.reader(r, &t.Meta, r.Body, "")
	if r.Type == "aws_default_route_table" {
		t.IsMain = true
		if id, st := f.ref("default_route_table_id", "default_route_table_id"); st == Known {
			t.VPCID = b.adopt(id, "default_route_table_id", t.ID, "main_route_table_id")
		}
		if t.VPCID == "" {
			t.VPCID, _ = f.ref("vpc_id", "vpc_id")
		}
	} else {
		t.VPCID, _ = f.ref("vpc_id", "vpc_id")
	}
	routes, known := blocks(f, "route", "routes", 0, func(f *reader) *model.Route { return readRoute(f, "cidr_block", "ipv6_cidr_block") })
	if !known {
		f.unknown("routes")
	}
	t.Routes = routes
	b.common(f)
	b.m.RouteTables = append(b.m.RouteTables, t)
	b.put(kindRouteTable, t)
}

// readRoute reads a route block or an aws_route.
func readRoute(f *reader, cidr, cidr6 string) *model.Route {
	rt := &model.Route{}
	rt.DestinationCIDRBlock = f.cidr(cidr, "destination_cidr_block", false)
	rt.DestinationIPv6CIDRBlock = f.cidr(cidr6, "destination_ipv6_cidr_block", true)
	rt.DestinationPrefixListID, _ = f.ref("destination_prefix_list_id", "destination_prefix_list_id")
	unknownTarget := false
	for _, name := range routeTargets {
		ref := f.body.Ref(name)
		id, ok := ref.Resolved()
		switch {
		case ok && id != "":
			f.line("target", ref.Line)
			rt.Target, rt.TargetType, rt.TargetResourceType = id, name, addressType(id)
			return rt
		case !ok && ref.State == Unknown:
			unknownTarget = true
			f.line("target", ref.Line)
		}
	}
	if unknownTarget {
		f.unknown("target")
	}
	return rt
}

// flowLogTargets are the attributes naming what a flow log watches.
var flowLogTargets = [][2]string{{"vpc_id", "VPC"}, {"subnet_id", "Subnet"}, {"eni_id", "NetworkInterface"},
	{"transit_gateway_id", "TransitGateway"}, {"transit_gateway_attachment_id", "TransitGatewayAttachment"}}

func (b *Builder) flowLog(r *Resource) {
	l := &model.FlowLog{Meta: b.meta(r)}
	f := b.reader(r, &l.Meta, r.Body, "")
	for _, k := range flowLogTargets {
		if r.Body.Attr(k[0]).State == Unset {
			continue
		}
		l.ResourceType = k[1]
		id, st := f.ref(k[0], "resource_id")
		if st == Known {
			l.ResourceID = b.mapID(id)
		} else if k[1] == "VPC" {
			// Its VPC is one of the candidates, or any.
			b.mark(kindVPC, r.Body.Ref(k[0]), "flow_logs")
		}
		break
	}
	l.TrafficType, _ = f.str("traffic_type", "traffic_type")
	b.common(f)
	b.m.FlowLogs = append(b.m.FlowLogs, l)
}

// hostedZone reads a Route 53 zone: private when it has a vpc block.
func (b *Builder) hostedZone(r *Resource) {
	z := &model.HostedZone{Meta: b.meta(r)}
	f := b.reader(r, &z.Meta, r.Body, "")
	if name, st := f.str("name", "name"); st == Known {
		z.Name = model.NormalizeZoneName(name)
	}
	blocks, known := r.Body.Blocks("vpc")
	if !known {
		f.unknown("private")
		f.unknown("vpc_ids")
	} else {
		z.Private = model.Bool(len(blocks) > 0)
		z.VPCIDs = []string{}
		for _, blk := range blocks {
			ref := blk.Ref("vpc_id")
			if id, ok := ref.Resolved(); ok {
				f.line(fmt.Sprintf("vpc_ids[%d]", len(z.VPCIDs)), ref.Line)
				z.VPCIDs = append(z.VPCIDs, id)
			} else {
				f.unknown("vpc_ids")
			}
		}
	}
	b.remap[r.Addr+".zone_id"] = z.ID
	if id, ok := r.Body.Attr("zone_id").String(); ok && id != "" {
		b.remap[id] = z.ID
	}
	b.common(f)
	b.m.HostedZones = append(b.m.HostedZones, z)
	b.put(kindZone, z)
}

// addressType is the resource type of a Terraform address
// ("module.net.aws_internet_gateway.this[0]", "data.aws_internet_gateway.x"):
// the segment before the name, or "" when the string is no address.
func addressType(addr string) string {
	var segs []string
	for s := range strings.SplitSeq(addr, ".") {
		if i := strings.IndexByte(s, '['); i >= 0 {
			s = s[:i]
		}
		segs = append(segs, s)
	}
	if len(segs) < 2 || !strings.HasPrefix(segs[len(segs)-2], "aws_") {
		return ""
	}
	return segs[len(segs)-2]
}
