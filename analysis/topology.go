package analysis

import (
	"cmp"
	"slices"

	"github.com/vpclint/vpclint/model"
)

// Topology maps each VPC of an analysed model (Analyze has filled
// m.Facts) for the reports that draw private connectivity: the VPCs in the
// model and those its subnets and endpoints name without the VPC being in
// the scan. Only the groups, ACLs and route tables on an endpoint's path
// are in a map: the groups in effect on its network interfaces, the ACLs
// of the VPC's subnets, the route tables of its gateway endpoints.
// Root is left for the caller, which knows how units are shown.
func Topology(m *model.Model) []model.VPCMap {
	ix := newIndex(m)
	maps := map[string]*model.VPCMap{}
	var order []string
	vpcMap := func(id string) *model.VPCMap {
		if v, ok := maps[id]; ok {
			return v
		}
		v := &model.VPCMap{MapNode: model.MapNode{ID: id, Address: id, Placeholder: true}}
		if vpc := ix.vpcs[id]; vpc != nil {
			v.MapNode = node(&vpc.Meta)
			v.InScan = !vpc.Placeholder
			v.CIDRs = slices.Clone(vpc.CIDRBlocks)
		}
		maps[id] = v
		order = append(order, id)
		return v
	}
	for _, v := range m.VPCs {
		if v != nil && v.ID != "" {
			vpcMap(v.ID)
		}
	}
	subnetSeen := map[string]bool{}
	for _, s := range m.Subnets {
		if s == nil || s.ID == "" || s.VPCID == "" || subnetSeen[s.ID] {
			continue
		}
		subnetSeen[s.ID] = true
		v := vpcMap(s.VPCID)
		az, _ := azOf(s)
		ms := model.MapSubnet{MapNode: node(&s.Meta), AZ: az, CIDR: s.CIDRBlock}
		ms.NACL, ms.NACLKnown = ix.subnetACLID(s)
		v.Subnets = append(v.Subnets, ms)
	}
	for _, ep := range m.VPCEndpoints {
		if ep == nil || ep.ID == "" || ep.VPCID == "" {
			continue
		}
		v := vpcMap(ep.VPCID)
		u := newUnknowns(&ep.Meta)
		me := model.MapEndpoint{MapNode: node(&ep.Meta), Type: ep.Type, Service: endpointService(ep),
			PrivateDNS: ep.PrivateDNSEnabled}
		if ep.Type == model.EndpointGateway {
			me.RouteTables = slices.Clone(ep.RouteTableIDs)
			me.SubnetsKnown = !u.has("route_table_ids")
		} else {
			me.Subnets = slices.Clone(ep.SubnetIDs)
			me.SubnetsKnown = !u.has("subnet_ids")
		}
		if f := factsOf(m, ep.ID); f != nil {
			me.SecurityGroups = slices.Clone(f.SecurityGroupIDs)
			if ep.Type != model.EndpointGateway {
				me.AZs, me.MissingAZs = slices.Clone(f.AZs), slices.Clone(f.MissingAZs)
				me.AZsKnown = f.EndpointAZsKnown
			}
		}
		v.Endpoints = append(v.Endpoints, me)
	}
	out := make([]model.VPCMap, 0, len(order))
	for _, id := range order {
		v := maps[id]
		ix.completeMap(v)
		out = append(out, *v)
	}
	return out
}

// completeMap adds the subnets, groups, ACLs and route tables a VPC's
// endpoints name, sorts every list, and derives the AZ columns.
func (ix *index) completeMap(v *model.VPCMap) {
	have := map[string]bool{}
	for _, s := range v.Subnets {
		have[s.ID] = true
	}
	groups, tables := map[string]bool{}, map[string]bool{}
	for _, ep := range v.Endpoints {
		for _, id := range ep.Subnets {
			if id == "" || have[id] {
				continue
			}
			have[id] = true
			ms := model.MapSubnet{MapNode: model.MapNode{ID: id, Address: id, Placeholder: true}}
			if s := ix.subnets[id]; s != nil {
				// A subnet of another VPC (a mistake a rule reports):
				// drawn where the endpoint says it is.
				ms.MapNode = node(&s.Meta)
				ms.AZ, _ = azOf(s)
				ms.CIDR = s.CIDRBlock
				ms.NACL, ms.NACLKnown = ix.subnetACLID(s)
			}
			v.Subnets = append(v.Subnets, ms)
		}
		for _, id := range ep.SecurityGroups {
			groups[id] = true
		}
		for _, id := range ep.RouteTables {
			tables[id] = true
		}
	}
	for id := range groups {
		n := model.MapNode{ID: id, Address: id, Placeholder: true}
		if g := ix.groups[id]; g != nil {
			n = node(&g.Meta)
		}
		v.SecurityGroups = append(v.SecurityGroups, n)
	}
	acls := map[string]bool{}
	for _, s := range v.Subnets {
		if s.NACL != "" && !acls[s.NACL] {
			acls[s.NACL] = true
			n := model.MapNode{ID: s.NACL, Address: s.NACL, Placeholder: true}
			if a := ix.aclByID[s.NACL]; a != nil {
				n = node(&a.Meta)
			}
			v.NACLs = append(v.NACLs, n)
		}
	}
	for id := range tables {
		rt := model.MapRouteTable{MapNode: model.MapNode{ID: id, Address: id, Placeholder: true}}
		if t := ix.routeTable(id); t != nil {
			rt.MapNode = node(&t.Meta)
			rt.Main = t.IsMain
			rt.Subnets = slices.Clone(t.SubnetIDs)
			slices.Sort(rt.Subnets)
		}
		v.RouteTables = append(v.RouteTables, rt)
	}
	azs := map[string]bool{}
	for _, s := range v.Subnets {
		azs[s.AZ] = true
	}
	v.AZs = make([]string, 0, len(azs))
	for az := range azs {
		v.AZs = append(v.AZs, az)
	}
	// Known AZs first, in order; the column of unknown AZs last.
	slices.SortFunc(v.AZs, compareAZs)
	slices.SortFunc(v.Subnets, func(a, b model.MapSubnet) int {
		return cmp.Or(compareAZs(a.AZ, b.AZ), compareNodes(a.MapNode, b.MapNode))
	})
	slices.SortFunc(v.Endpoints, func(a, b model.MapEndpoint) int { return compareNodes(a.MapNode, b.MapNode) })
	slices.SortFunc(v.SecurityGroups, compareNodes)
	slices.SortFunc(v.NACLs, compareNodes)
	slices.SortFunc(v.RouteTables, func(a, b model.MapRouteTable) int { return compareNodes(a.MapNode, b.MapNode) })
	if v.Subnets == nil {
		v.Subnets = []model.MapSubnet{}
	}
	if v.Endpoints == nil {
		v.Endpoints = []model.MapEndpoint{}
	}
}

// subnetACLID names the ACL in effect on a subnet; see MapSubnet.NACL.
func (ix *index) subnetACLID(s *model.Subnet) (id string, known bool) {
	if ix.assocUnknown[s.ID] {
		return "", false
	}
	if id, ok := ix.assoc[s.ID]; ok {
		return id, true
	}
	if s.VPCID == "" {
		return "", false
	}
	if a := ix.defaultACL[s.VPCID]; a != nil {
		return a.ID, true
	}
	return "", true
}

// routeTable finds a route table by id.
func (ix *index) routeTable(id string) *model.RouteTable {
	if ix.tables == nil {
		ix.tables = map[string]*model.RouteTable{}
		for _, t := range ix.m.RouteTables {
			if t != nil && t.ID != "" && ix.tables[t.ID] == nil {
				ix.tables[t.ID] = t
			}
		}
	}
	return ix.tables[id]
}

func factsOf(m *model.Model, id string) *model.EndpointFacts {
	if m.Facts == nil {
		return nil
	}
	return m.Facts.Endpoints[id]
}

// endpointService is what a map calls an endpoint's service: the AWS
// service, else the name as written, else its known pattern.
func endpointService(ep *model.VPCEndpoint) string {
	return cmp.Or(ep.Service, ep.ServiceName, ep.ServiceNamePattern, "unknown service")
}

func node(m *model.Meta) model.MapNode {
	return model.MapNode{ID: m.ID, Address: name(m), Placeholder: m.Placeholder}
}

func compareNodes(a, b model.MapNode) int {
	return cmp.Or(cmp.Compare(a.Address, b.Address), cmp.Compare(a.ID, b.ID))
}

func compareAZs(a, b string) int {
	return cmp.Or(cmp.Compare(boolRank(a == ""), boolRank(b == "")), cmp.Compare(a, b))
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
