package analysis

import (
	"net/netip"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// tri is a three-valued answer: no, maybe (undecided), yes.
type tri int8

const (
	no tri = iota
	maybe
	yes
)

// or is the three-valued disjunction.
func (a tri) or(b tri) tri { return max(a, b) }

// routing answers whether the internet can open connections to a subnet:
// whether its route table routes to an internet gateway. Built once per
// model, on first use.
type routing struct {
	tables map[string]*model.RouteTable
	// explicit is each subnet's table from a table's subnet_ids.
	explicit map[string]string
	// main is each VPC's main table.
	main map[string]*model.RouteTable
	// assocUnknown are the VPCs ("" for an unknown VPC) with a table whose
	// associations are unknown: any subnet without a known one may be
	// associated with it.
	assocUnknown map[string]bool
	// verdicts caches each table's answer.
	verdicts map[*model.RouteTable]tri
	// listsRead: the live lists of subnets and route tables were read.
	listsRead bool
}

func newRouting(m *model.Model) *routing {
	r := &routing{tables: map[string]*model.RouteTable{}, explicit: map[string]string{}, main: map[string]*model.RouteTable{},
		assocUnknown: map[string]bool{}, verdicts: map[*model.RouteTable]tri{},
		listsRead: m.Inventory.ListRead("subnets") && m.Inventory.ListRead("route_tables")}
	for _, t := range m.RouteTables {
		if t == nil || t.ID == "" {
			continue
		}
		if _, dup := r.tables[t.ID]; !dup {
			r.tables[t.ID] = t
		}
		if t.IsMain && t.VPCID != "" {
			if _, dup := r.main[t.VPCID]; !dup {
				r.main[t.VPCID] = t
			}
		}
		for _, s := range t.SubnetIDs {
			if _, dup := r.explicit[s]; !dup && s != "" {
				r.explicit[s] = t.ID
			}
		}
		if newUnknowns(&t.Meta).has("subnet_ids") {
			r.assocUnknown[t.VPCID] = true
		}
	}
	return r
}

// subnet answers for one subnet: yes when its route table routes to an
// internet gateway, no when it certainly does not.
func (r *routing) subnet(ix *index, s *model.Subnet) tri {
	if s == nil || s.Placeholder || !r.listsRead {
		return maybe
	}
	id := s.RouteTableID
	if id == "" {
		if newUnknowns(&s.Meta).has("route_table_id") {
			return maybe
		}
		id = r.explicit[s.ID]
	}
	if id != "" {
		t := r.tables[id]
		if t == nil {
			return maybe // a table the scan does not have
		}
		return r.table(ix, t)
	}
	if r.assocUnknown[s.VPCID] || r.assocUnknown[""] {
		return maybe
	}
	if t := r.main[s.VPCID]; t != nil {
		return r.table(ix, t)
	}
	// No table manages the VPC's main one: AWS's main table has the local
	// route only, when the VPC is in the scan (its main table is then the
	// one AWS created with it).
	if v := ix.vpcs[s.VPCID]; v != nil && !v.Placeholder {
		return no
	}
	return maybe
}

// table answers for one route table, cached.
func (r *routing) table(ix *index, t *model.RouteTable) tri {
	if v, ok := r.verdicts[t]; ok {
		return v
	}
	v := r.evalTable(ix, t)
	r.verdicts[t] = v
	return v
}

func (r *routing) evalTable(ix *index, t *model.RouteTable) tri {
	u := newUnknowns(&t.Meta)
	switch {
	case t.Routes == nil:
		return maybe
	case t.Placeholder && !(t.IsMain && ix.vpcs[t.VPCID] != nil && !ix.vpcs[t.VPCID].Placeholder):
		// A table only referenced: its routes are not in the scan. (The
		// main table of a VPC in the scan is AWS's, with the routes the
		// scan adds to it.)
		return maybe
	}
	// "routes" itself in unknown: the table may hold more routes; those it
	// holds are known, and a route to an internet gateway stays one.
	out := no
	if u.exact("routes") {
		out = maybe
		u = u.without("routes")
	}
	for i, rt := range t.Routes {
		if rt == nil {
			continue
		}
		out = out.or(routeToInternet(u, item("routes", i), rt))
		if out == yes {
			break
		}
	}
	return out
}

// routeToInternet answers whether one route lets internet hosts reach the
// subnet: a route to an internet gateway for a destination with public
// addresses. A route whose target is unknown, or that sends the default
// route to a VPC endpoint (a Gateway Load Balancer or Network Firewall
// endpoint, which forwards internet traffic to the subnet in distributed
// inspection designs), may.
func routeToInternet(u unknowns, base string, rt *model.Route) tri {
	dest := routeDestination(u, base, rt)
	if dest == no {
		return no
	}
	switch igw := internetGateway(u, base, rt); {
	case igw == no && rt.TargetType == "vpc_endpoint_id":
		// A gateway endpoint's prefix-list routes are not; a default
		// route, or one whose CIDR is unknown, may be.
		if isDefaultRoute(rt) || u.has(base+".destination_cidr_block") || u.has(base+".destination_ipv6_cidr_block") {
			return maybe
		}
		return no
	case igw == no:
		return no
	case igw == yes && dest == yes:
		return yes
	}
	return maybe
}

// routeDestination: yes when the destination holds public addresses, no
// when it holds none, maybe when unknown or a prefix list (whose entries
// the scan may not know).
func routeDestination(u unknowns, base string, rt *model.Route) tri {
	if u.has(base+".destination_cidr_block") || u.has(base+".destination_ipv6_cidr_block") ||
		u.has(base+".destination_prefix_list_id") || u.exact(base) {
		return maybe
	}
	out := no
	for _, c := range []string{rt.DestinationCIDRBlock, rt.DestinationIPv6CIDRBlock} {
		if c == "" {
			continue
		}
		p, err := netip.ParsePrefix(c)
		if err != nil {
			out = out.or(maybe)
			continue
		}
		if hasPublic(p) {
			return yes
		}
	}
	if rt.DestinationPrefixListID != "" {
		out = out.or(maybe)
	}
	if rt.DestinationCIDRBlock == "" && rt.DestinationIPv6CIDRBlock == "" && rt.DestinationPrefixListID == "" {
		return maybe
	}
	return out
}

func isDefaultRoute(rt *model.Route) bool {
	return rt.DestinationCIDRBlock == "0.0.0.0/0" || rt.DestinationIPv6CIDRBlock == "::/0"
}

// hasPublic reports whether a prefix holds an address outside the private
// ranges (RFC 1918, RFC 6598, loopback, link-local, ULA).
func hasPublic(p netip.Prefix) bool {
	p = p.Masked()
	for _, priv := range privatePrefixes {
		if priv.Addr().Is4() == p.Addr().Is4() && priv.Bits() <= p.Bits() && priv.Contains(p.Addr()) {
			return false
		}
	}
	return true
}

var privatePrefixes = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("fc00::/7"), netip.MustParsePrefix("fe80::/10"),
}

// internetGatewayTypes are the resource types of internet gateways, as
// the front ends write them in TargetResourceType.
var internetGatewayTypes = map[string]bool{"aws_internet_gateway": true, "AWS::EC2::InternetGateway": true}

// internetGateway answers whether a route's target is an internet gateway:
// by the type the loader read (TargetResourceType), else by the live id's
// prefix (igw-, vgw-). Only gateway_id
// names one (an egress-only gateway carries no inbound connection).
func internetGateway(u unknowns, base string, rt *model.Route) tri {
	if u.has(base + ".target") {
		return maybe
	}
	switch rt.TargetType {
	case "gateway_id":
	case "":
		if rt.Target == "" {
			return maybe // no known target
		}
		return no
	default:
		return no
	}
	t := rt.Target
	switch {
	case t == "":
		return maybe
	case t == "local":
		return no
	case internetGatewayTypes[rt.TargetResourceType]:
		return yes
	case rt.TargetResourceType != "":
		return no
	case strings.HasPrefix(t, "igw-"):
		return yes
	case strings.HasPrefix(t, "vgw-"):
		return no
	}
	return maybe
}

// aclInternet answers for an ACL: yes when a subnet it filters routes to an
// internet gateway, no when none does (or it filters no subnet), maybe when
// that cannot be decided, with the subnets that do.
func (ix *index) aclInternet(a *model.NetworkACL, subnets []string) (tri, []string) {
	if a.Placeholder {
		return maybe, nil
	}
	out := no
	var via []string
	if newUnknowns(&a.Meta).has("subnet_ids") || !ix.routes.listsRead {
		out = maybe
	}
	// A subnet whose association is unknown may use this ACL: its own
	// network_acl_id is unknown, or (for the default ACL) another ACL's
	// subnet_ids are. It may make the ACL reachable, never certainly.
	for _, s := range ix.vpcSubnets[a.VPCID] {
		if _, explicit := ix.assoc[s.ID]; explicit || out == maybe {
			continue
		}
		if a.IsDefault && ix.assocUnknown[s.ID] || newUnknowns(&s.Meta).has("network_acl_id") {
			if ix.routes.subnet(ix, s) != no {
				out = maybe
			}
		}
	}
	for _, id := range subnets {
		v := ix.routes.subnet(ix, ix.subnets[id])
		if v == yes {
			via = append(via, id)
		}
		out = out.or(v)
	}
	return out, via
}
