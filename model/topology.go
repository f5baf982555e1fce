package model

// VPCMap is the shape of one VPC's private connectivity, for the reports
// that draw it (the HTML diagram, Markdown's Mermaid, DOT): its subnets by
// AZ, the ACL each subnet uses, where each endpoint's network interfaces
// are, the groups on them, and the route tables gateway endpoints sit on.
// analysis.Topology builds it from a checked model; elements are named by
// their model id (references resolve to ids) and shown by their address,
// which is also how findings name them.
type VPCMap struct {
	// Root is the unit's root as findings show it (FindingResource.Root).
	Root string `json:"root"`
	MapNode
	// InScan is false for a VPC the scanned resources name but that is not
	// itself in the scan (a variable, a parameter, another stack).
	InScan bool     `json:"in_scan"`
	CIDRs  []string `json:"cidrs,omitzero"`
	// AZs are the columns, sorted; "" (last) holds the subnets whose AZ
	// the scan cannot know.
	AZs            []string        `json:"azs"`
	Subnets        []MapSubnet     `json:"subnets"`
	Endpoints      []MapEndpoint   `json:"endpoints"`
	SecurityGroups []MapNode       `json:"security_groups"`
	NACLs          []MapNode       `json:"network_acls"`
	RouteTables    []MapRouteTable `json:"route_tables"`
}

// MapNode names one element of a VPCMap.
type MapNode struct {
	ID      string `json:"id"`
	Address string `json:"address"`
	// Placeholder is set for an element the scan only knows by reference
	// (a group id from a variable, the VPC's default group).
	Placeholder bool `json:"placeholder,omitempty"`
}

// MapSubnet is a subnet with the ACL that filters its traffic.
type MapSubnet struct {
	MapNode
	AZ   string `json:"az"`
	CIDR string `json:"cidr,omitempty"`
	// NACL is the id of the ACL in effect (explicit association, else the
	// VPC's default ACL). Empty with NACLKnown: the VPC's default ACL is
	// not in the scan and AWS's default allows everything. Empty without
	// NACLKnown: the association cannot be decided.
	NACL      string `json:"nacl,omitempty"`
	NACLKnown bool   `json:"nacl_known"`
}

// MapEndpoint is a VPC endpoint: an interface endpoint's network
// interfaces are in Subnets, a gateway endpoint sits on RouteTables.
type MapEndpoint struct {
	MapNode
	// Type is Interface, Gateway, GatewayLoadBalancer ...; Service the
	// short AWS service ("ssm"), else the service name as written.
	Type    string   `json:"type"`
	Service string   `json:"service"`
	Subnets []string `json:"subnets,omitzero"`
	// SecurityGroups are the groups in effect (the VPC's default group
	// when an interface endpoint lists none).
	SecurityGroups []string `json:"security_groups,omitzero"`
	RouteTables    []string `json:"route_tables,omitzero"`
	// AZs the endpoint serves; MissingAZs the VPC's AZs it does not.
	// AZsKnown is false when its subnets' AZs are not all known.
	AZs        []string `json:"azs,omitzero"`
	MissingAZs []string `json:"missing_azs,omitzero"`
	AZsKnown   bool     `json:"azs_known"`
	// SubnetsKnown is false when the scan cannot see every subnet (or
	// route table) it is in: the lists may hold more.
	SubnetsKnown bool `json:"subnets_known"`
	// PrivateDNS is absent when unknown or not set.
	PrivateDNS *bool `json:"private_dns,omitempty"`
}

// MapRouteTable is a route table and the subnets associated with it.
type MapRouteTable struct {
	MapNode
	Main    bool     `json:"main"`
	Subnets []string `json:"subnets,omitzero"`
}
