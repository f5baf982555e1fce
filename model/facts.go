package model

// Facts are exact answers computed in Go by package analysis and read by
// rules as input.facts. Maps are keyed by the resource's id. A fact that
// depends on an unknown value is omitted or marked with Known=false; rules
// stay silent on it.
type Facts struct {
	// SecurityGroups: per security group, what its rules allow.
	SecurityGroups map[string]*SGFacts `json:"security_groups"`
	// NetworkACLs: per ACL, its first-match semantics and anomalies.
	NetworkACLs map[string]*NACLFacts `json:"network_acls"`
	// Endpoints: per VPC endpoint, its effective groups, AZ coverage and
	// reachability through the ACLs.
	Endpoints map[string]*EndpointFacts `json:"endpoints"`
	// SGRuleCountsComplete is true when every security group of the
	// model has facts with rule_counts in both directions (each has an id
	// no other group has): GOV003 then reads the counts alone. (Added by
	// analysis.)
	SGRuleCountsComplete bool `json:"sg_rule_counts_complete"`
	// Index lists the few resources whose facts have a rare property, so
	// that a rule looking for them visits those instead of every resource.
	// Absent from facts written by hand; rules then read the facts above.
	// (Added by analysis.)
	Index *FactIndex `json:"index,omitempty"`
}

// FactIndex lists, for each rare property, the resources that have it:
// everything here is derived from the other facts and the model, and lists
// are sorted and never null. On a large model most groups are closed to
// the internet and most endpoints cover their VPC's zones; a rule that
// reads a list instead of testing every group or endpoint costs what it
// finds, not what the model holds.
type FactIndex struct {
	// InternetIngress, PublicIngress and InternetEgress are the groups
	// whose ingress.internet, ingress.public or egress.internet is not
	// empty.
	InternetIngress []string `json:"internet_ingress"`
	PublicIngress   []string `json:"public_ingress"`
	InternetEgress  []string `json:"internet_egress"`
	// RedundantRules are the groups with a redundant rule.
	RedundantRules []string `json:"redundant_rules"`
	// InterfaceEndpointGroups maps each group in effect on an interface
	// endpoint (endpoints[].security_group_ids) to the sorted addresses of
	// those endpoints.
	InterfaceEndpointGroups map[string][]string `json:"interface_endpoint_groups"`
	// MaxSGRuleCount is the largest rule_counts.max of any group and
	// direction (0 when none has counts).
	MaxSGRuleCount int `json:"max_sg_rule_count"`
	// SingleAZ, MissingAZs, DuplicateAZs and ForeignGroups are the
	// endpoints whose facts list exactly one AZ, or a missing AZ, a
	// duplicate AZ or a foreign group.
	SingleAZ      []string `json:"single_az"`
	MissingAZs    []string `json:"missing_azs"`
	DuplicateAZs  []string `json:"duplicate_azs"`
	ForeignGroups []string `json:"foreign_groups"`
	// BlockedEndpoints are the endpoints with a path whose request or
	// reply is known to be dropped by a network ACL (a check of
	// blocked_reachability that is known, not allowed, and names the ACL
	// in blocked_by).
	BlockedEndpoints []string `json:"blocked_endpoints"`
	// InternetReachableACLs are the positions in network_acls of the ACLs
	// whose internet_reachable is true: the only ones the internet
	// exposure rules (NACL001, NACL002) need to read.
	InternetReachableACLs []int `json:"internet_reachable_acls"`
	// GroupPositions maps each group id to its position in
	// security_groups (the first, should two groups share an id), so that
	// a rule holding an id from a list above reads the group directly.
	GroupPositions map[string]int `json:"group_positions"`
	// EndpointPolicies groups the endpoints whose policy the EP rules
	// read by service and policy digest, so that each distinct policy is
	// judged once and only the endpoints of an offending one are visited:
	// Interface and Gateway endpoints, not placeholders, with a service
	// and a policy digest. Sorted by service and digest.
	EndpointPolicies []*PolicyGroup `json:"endpoint_policies"`
	// OtherPolicyEndpoints are the positions in vpc_endpoints of the other
	// endpoints that have a policy (placeholders, no service or no
	// digest): rules read those one by one.
	OtherPolicyEndpoints []int `json:"other_policy_endpoints"`

	// The lists below hold positions in security_groups or vpc_endpoints
	// (a rule reads input.security_groups[i] directly) of the resources
	// that a rule about a plain attribute must look at; the rule still
	// decides.
	//
	// UndescribedGroups: groups whose description is absent, blank or
	// Terraform's default "Managed by Terraform"; UndescribedRuleGroups:
	// groups with a rule whose description is absent or blank;
	// DefaultGroups: the default groups.
	UndescribedGroups     []int `json:"undescribed_groups"`
	UndescribedRuleGroups []int `json:"undescribed_rule_groups"`
	DefaultGroups         []int `json:"default_groups"`
	// InvalidPolicies: endpoints with a policy error, a raw policy that
	// is not an object, or policy problems. NoPolicy: endpoints with
	// neither a policy nor a raw one.
	InvalidPolicies []int `json:"invalid_policies"`
	NoPolicy        []int `json:"no_policy"`
	// PrivateDNSDuplicates: interface endpoints (not placeholders) that
	// enable private DNS for a service name that another one enables in
	// the same VPC.
	PrivateDNSDuplicates []int `json:"private_dns_duplicates"`
	// MaxEndpointSecurityGroups is the longest security_group_ids list of
	// an endpoint; InterfaceEndpointsPerVPC counts the Interface and
	// GatewayLoadBalancer endpoints (not placeholders) of each vpc_id.
	MaxEndpointSecurityGroups int            `json:"max_endpoint_security_groups"`
	InterfaceEndpointsPerVPC  map[string]int `json:"interface_endpoints_per_vpc"`
}

// PolicyGroup is the endpoints of one service with the same policy.
type PolicyGroup struct {
	Service string `json:"service"`
	Digest  string `json:"digest"`
	// Endpoints are positions in vpc_endpoints, ascending: a rule reads
	// input.vpc_endpoints[i] directly.
	Endpoints []int `json:"endpoints"`
}

// PortRange is an inclusive range of ports (or ICMP types).
type PortRange struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// PortSet is a set of (protocol, port) pairs.
//
// When AllProtocols is true, TCP and UDP are also given as [0-65535] and
// ICMP and ICMPv6 are true, so a rule may test either form; Other is then
// empty. Lists are never null. (Semantics as computed by analysis.)
type PortSet struct {
	// AllProtocols: every protocol on every port (protocol -1, or a
	// union that covers everything).
	AllProtocols bool        `json:"all_protocols"`
	TCP          []PortRange `json:"tcp"`
	UDP          []PortRange `json:"udp"`
	// ICMP / ICMPv6: some ICMP type is allowed.
	ICMP   bool `json:"icmp"`
	ICMPv6 bool `json:"icmpv6"`
	// Other protocol numbers allowed (on all ports).
	Other []string `json:"other"`
	// Empty is true when nothing at all is in the set.
	Empty bool `json:"empty"`
}

// SGFacts is what one security group allows, per direction.
type SGFacts struct {
	Ingress *DirectionFacts `json:"ingress"`
	Egress  *DirectionFacts `json:"egress"`
	// Redundant rules: everything they allow is allowed by other rules of
	// the group (SG012).
	Redundant []*RedundantRule `json:"redundant"`
}

// DirectionFacts is the exposure of one direction of a security group.
// Peers are sources for ingress and destinations for egress.
type DirectionFacts struct {
	// All is everything allowed, from any peer (CIDRs, prefix lists,
	// groups, self), by the rules whose protocol and ports are known.
	All PortSet `json:"all"`
	// Internet is what is allowed from every address of 0.0.0.0/0 or of
	// ::/0, the rules' peers taken together (0.0.0.0/1 + 128.0.0.0/1 is
	// the internet).
	Internet PortSet `json:"internet"`
	// InternetRules are the rules that make up Internet, with the part of
	// Internet each one contributes: a rule is listed when it has a public
	// CIDR of a family whose internet-wide ports it allows; its Peers are
	// its public CIDRs of those families (a private CIDR in the same rule
	// is not an offender).
	InternetRules []*RuleContribution `json:"internet_rules"`
	// Public is what is allowed from at least one public address (outside
	// RFC 1918, RFC 6598, link-local, loopback, ULA). Exactly: an IPv4
	// address is private in 10/8, 172.16/12, 192.168/16, 100.64/10, 127/8
	// and 169.254/16, an IPv6 address in ::1/128, fc00::/7 and fe80::/10;
	// every other address is public (0.0.0.0/8 included, as RULES.md
	// words it). PublicRules are the rules with a public CIDR, with that
	// rule's ports and its public CIDRs as Peers.
	Public      PortSet             `json:"public"`
	PublicRules []*RuleContribution `json:"public_rules"`
	// OutsideVPC is what is allowed from an address outside the group's
	// VPC CIDRs (absent when the VPC or its IPv4 CIDRs are unknown; when
	// only its IPv6 CIDRs are unknown, IPv6 peers are left out).
	OutsideVPC      *PortSet            `json:"outside_vpc,omitempty"`
	OutsideVPCRules []*RuleContribution `json:"outside_vpc_rules,omitempty"`
	// Symbolic peers kept by name: prefix lists and referenced groups.
	PrefixListIDs    []string `json:"prefix_list_ids"`
	SecurityGroupIDs []string `json:"security_group_ids"`
	// Self is true when a rule names the group itself (self = true, its
	// own id as a referenced group, or the default group's implicit self
	// rule). The group's own id is not repeated in SecurityGroupIDs.
	// (Added by analysis.)
	Self bool `json:"self"`
	// Known is false when some rule of this direction has an unknown
	// protocol, port or peer, when the direction may hold rules the scan
	// cannot see (its own path in unknown: a rule resource with an
	// unknown count), or the group is a placeholder (only the rules
	// written in the scan are known): the sets above are then a lower
	// bound, made of the rules that are known.
	Known bool `json:"known"`
	// RuleCounts are the direction's rules as AWS counts them against the
	// rules-per-group quota (GOV003), absent when another group of the
	// model has the same id. (Added by analysis.)
	RuleCounts *RuleCounts `json:"rule_counts,omitempty"`
}

// RuleCounts count a direction's rules per address family, as AWS does:
// one per CIDR of the family, plus one per referenced group, prefix list
// and self in either family.
type RuleCounts struct {
	IPv4 int `json:"ipv4"`
	IPv6 int `json:"ipv6"`
	// Max is the larger of the two.
	Max int `json:"max"`
}

// RuleContribution ties part of an exposure to the rule that causes it.
type RuleContribution struct {
	// Index of the rule in the group's ingress or egress list.
	Index int `json:"index"`
	// Attribute is the path of the offending peer inside the group, e.g.
	// "ingress[2].cidr_blocks[0]", for the finding's location.
	Attribute string `json:"attribute"`
	// Peers are the offending CIDRs of this rule.
	Peers []string `json:"peers"`
	// Ports is the part of the exposure this rule contributes.
	Ports PortSet `json:"ports"`
}

// RedundantRule is a rule whose traffic is all allowed by other rules.
// Only rules whose every value is known are reported. Of several identical
// rules the first is not reported (unless other rules cover it) and each
// later one is, covered by the first; otherwise CoveredBy lists every
// other rule that overlaps it. Symbolic peers (prefix lists, groups, self)
// are compared by name.
type RedundantRule struct {
	Direction string `json:"direction"` // ingress | egress
	Index     int    `json:"index"`
	Attribute string `json:"attribute"`
	// CoveredBy are the indexes of the rules that already allow it.
	CoveredBy []int `json:"covered_by"`
}

// NACLFacts is the first-match meaning of one network ACL.
type NACLFacts struct {
	Ingress *NACLDirectionFacts `json:"ingress"`
	Egress  *NACLDirectionFacts `json:"egress"`
	// SubnetIDs are the subnets that use this ACL: explicit associations,
	// plus for a default ACL the VPC's subnets without one.
	SubnetIDs []string `json:"subnet_ids"`
	// InternetReachable says whether a host on the internet can open a
	// connection to a subnet this ACL filters: true when one of its
	// subnets routes to an internet gateway (an igw- id, an
	// aws_internet_gateway, an AWS::EC2::InternetGateway) through its
	// route table (the explicitly associated one, else its VPC's main
	// table; a VPC whose main table the scan does not manage has AWS's,
	// with the local route only); false when none does (private, data,
	// transit and NAT subnets, or no subnet at all); absent when that
	// cannot be decided: a subnet, association, route table, route
	// target or destination is unknown, a subnet's route table is not in
	// the scan, a default route goes to a VPC endpoint (a Gateway Load
	// Balancer or Network Firewall endpoint forwards internet traffic in
	// distributed inspection designs), or a live list of subnets or route
	// tables could not be read. An egress-only internet gateway carries no
	// inbound connection. (Added by analysis.)
	InternetReachable *bool `json:"internet_reachable,omitempty"`
	// InternetReachableSubnets are the subnets of SubnetIDs that route to
	// an internet gateway. (Added by analysis.)
	InternetReachableSubnets []string `json:"internet_reachable_subnets"`
}

// NACLDirectionFacts is one direction of an ACL under first match.
//
// Entries with unknown values (an unknown CIDR, port, protocol, ICMP type,
// action, direction or rule number) are considered both ways: such an
// entry may match anything its unknown fields could cover and certainly
// matches only what all of their values cover; an unknown action may be
// allow or deny; an entry of unknown rule number may come anywhere. An
// unknown allow therefore cannot hide a later allow: Allowed and Internet
// hold what is allowed in every way the unknowns can resolve, so a rule
// that finds a port in them holds whatever the unknowns are, and a port not
// in them is either denied or undecided.
type NACLDirectionFacts struct {
	// Allowed is everything the first-match result lets through (for at
	// least one address), whatever the unknown entries are.
	Allowed PortSet `json:"allowed"`
	// Internet is what the first-match result allows from every address
	// of 0.0.0.0/0 or of ::/0 (for ingress: sources; egress:
	// destinations), whatever the unknown entries are.
	Internet PortSet `json:"internet"`
	// InternetNonEphemeral is Internet counting only the allow entries
	// that are not ephemeral-range entries (see NACLEntryFacts.Ephemeral):
	// what the internet reaches through entries written for traffic the
	// internet opens, not for the return traffic of the subnet's own
	// connections. (Added by analysis.)
	InternetNonEphemeral PortSet `json:"internet_non_ephemeral"`
	// InternetEntries are the indexes (in the ACL's entries) of the allow
	// entries that may decide some of the traffic in Internet (public
	// CIDR, known traffic and action).
	InternetEntries []int `json:"internet_entries"`
	// Anomalies per entry (Al-Shaer & Hamed).
	Anomalies []*NACLAnomaly `json:"anomalies"`
	// DuplicateRuleNumbers shared by two entries of this direction.
	DuplicateRuleNumbers []*DuplicateRuleNumber `json:"duplicate_rule_numbers"`
	// Known is false when an entry has an unknown number, protocol, port,
	// CIDR, direction or action (two entries sharing a rule number count
	// as unknown: their order is not known): Allowed and Internet are then
	// what every resolution of the unknowns allows, a sound lower bound.
	// For a placeholder ACL or an unknown entry list, where entries the
	// scan cannot see may come first, they are empty, and so are
	// InternetEntries and Entries; the anomalies among the written
	// entries stand.
	Known bool `json:"known"`
	// Entries are this direction's entries whose traffic and action are
	// known, in evaluation (rule-number) order, with what each may decide
	// under first match. (Added by analysis.)
	Entries []*NACLEntryFacts `json:"entries"`
}

// NACLEntryFacts is what one ACL entry decides under first match. (Added
// by analysis.)
type NACLEntryFacts struct {
	// Index in the ACL's entries; Attribute its path ("entries[3]").
	Index     int    `json:"index"`
	Attribute string `json:"attribute"`
	// RuleNumber is -1 when unknown.
	RuleNumber int `json:"rule_number"`
	// Action is allow or deny.
	Action string `json:"action"`
	// Applies is false when, whatever the unknown entries are,
	// lower-numbered entries match all of its traffic (it is shadowed or
	// redundant); AlwaysApplies is true when, whatever they are, some of
	// its traffic reaches it.
	Applies       bool `json:"applies"`
	AlwaysApplies bool `json:"always_applies"`
	// Ephemeral marks an allow entry for TCP or UDP whose ports start at
	// 1024 or above and span at least 1024 ports: a range for the return
	// traffic of connections the subnet opens (AWS recommends inbound TCP
	// 1024-65535 on public subnets), not a service the subnet offers.
	Ephemeral bool `json:"ephemeral"`
	// Decides is the traffic (protocols and ports) that this entry may be
	// the first to match, for at least one address.
	Decides PortSet `json:"decides"`
	// Internet is the part of Decides that reaches every address of
	// 0.0.0.0/0 or ::/0 through this entry alone.
	Internet PortSet `json:"internet"`
}

// NACLAnomaly classifies one entry against the entries before it (lower
// rule numbers, same address family). Analysis computes them on sets:
//   - shadowed: lower entries match all of its traffic, and among the
//     entries that decide that traffic (the first match of some of its
//     packets) at least one has the opposite action; CausedBy are those
//     deciding entries;
//   - redundant: the same, with every deciding entry of its action;
//   - generalization: it applies to some traffic and strictly contains a
//     lower entry of the opposite action (CausedBy: those entries);
//   - correlation: it applies to some traffic and partly overlaps a lower
//     entry of the opposite action, neither containing the other.
//
// An entry can have both a generalization and a correlation record.
// With unknown entries, an entry is classified only when its own fields
// are known and the classification holds whatever the unknowns are:
// shadowed and redundant when no resolution lets it apply and every entry
// that may decide its traffic is known; generalization and correlation
// when it applies in every resolution, against known earlier entries.
type NACLAnomaly struct {
	// Index of the entry in the ACL's entries; Attribute its path.
	Index      int    `json:"index"`
	Attribute  string `json:"attribute"`
	RuleNumber int    `json:"rule_number"`
	// Kind is shadowed, redundant, generalization or correlation.
	Kind string `json:"kind"`
	// CausedBy are the earlier entries' indexes and rule numbers.
	CausedBy            []int `json:"caused_by"`
	CausedByRuleNumbers []int `json:"caused_by_rule_numbers"`
	// Description is a sentence for the message: "rule 200 (deny tcp/22
	// from 0.0.0.0/0) never applies: rule 100 allows all TCP from
	// 0.0.0.0/0 first".
	Description string `json:"description"`
}

// DuplicateRuleNumber is a rule number used twice in one direction.
type DuplicateRuleNumber struct {
	RuleNumber int   `json:"rule_number"`
	Indexes    []int `json:"indexes"`
}

// EndpointFacts are derived facts about one VPC endpoint.
type EndpointFacts struct {
	// SecurityGroupIDs are the groups in effect: the listed ones, or the
	// VPC's default group when an interface endpoint lists none (its id
	// when the model has it, else "<vpc id>.default_security_group").
	SecurityGroupIDs []string `json:"security_group_ids"`
	UsesDefaultGroup bool     `json:"uses_default_group"`
	// ForeignGroups are listed groups that belong to another VPC;
	// MissingGroups are listed groups that do not exist in a complete
	// inventory (SG013).
	ForeignGroups []string `json:"foreign_groups"`
	MissingGroups []string `json:"missing_groups"`
	// AZ coverage. AZs are names, ids or symbolic refs (Subnet.AZRef).
	AZs []string `json:"azs"`
	// VPCAZs are the AZs where the endpoint's VPC has subnets.
	VPCAZs     []string `json:"vpc_azs"`
	MissingAZs []string `json:"missing_azs"`
	// DuplicateAZs: AZs with more than one of the endpoint's subnets.
	DuplicateAZs []*DuplicateAZ `json:"duplicate_azs"`
	// AZsKnown is false when some subnet's AZ is unknown.
	AZsKnown bool `json:"azs_known"`
	// EndpointAZsKnown is true when the AZ of each of the endpoint's own
	// subnets is known (AZs and DuplicateAZs are then exact), even if
	// some other subnet of the VPC has an unknown AZ. AZsKnown implies it.
	// (Added by analysis.)
	EndpointAZsKnown bool `json:"endpoint_azs_known"`
	// Reachability of an interface endpoint from each client subnet.
	Reachability []*PathCheck `json:"reachability"`
	// BlockedReachability are the checks of Reachability (the same
	// values, in the same order) whose request or reply is not allowed:
	// a rule looking for blocked paths iterates these instead of every
	// path. Never null when analysis ran; a model without it (facts
	// written by hand) is read through Reachability. (Added by analysis.)
	BlockedReachability []*PathCheck `json:"blocked_reachability"`
}

// DuplicateAZ is one AZ that holds several of an endpoint's subnets.
type DuplicateAZ struct {
	AZ        string   `json:"az"`
	SubnetIDs []string `json:"subnet_ids"`
}

// PathCheck is whether clients in one subnet can use the endpoint's ENI in
// another subnet: the request (TCP 443) and the replies (ephemeral ports).
//
// Semantics (analysis): checked per address family the endpoint serves
// (IPv4 unless ip_address_type is ipv6; IPv6 for ipv6 and dualstack) when
// both subnets have a CIDR of that family. The request is TCP 443 from the
// whole client CIDR to the whole endpoint-subnet CIDR through the client
// ACL's egress, the endpoint ACL's ingress and the endpoint's groups; the
// reply is TCP 1024-65535 back through the endpoint ACL's egress and the
// client ACL's ingress. An ACL blocks when it denies any part of that
// traffic (first match, final * deny). The groups block only when no
// address of the client CIDR is allowed on TCP 443 and no rule for 443
// names a prefix list, group or self (those make the check unknown). The
// same subnet on both ends crosses no ACL. A subnet without an explicit
// association uses its VPC's default ACL, or AWS's allow-all default ACL
// when that is not in the model; an unknown association, a placeholder ACL
// or an unknown entry before the deciding ones makes the verdict unknown.
type PathCheck struct {
	ClientSubnet   string   `json:"client_subnet"`
	EndpointSubnet string   `json:"endpoint_subnet"`
	Request        *Verdict `json:"request"`
	Reply          *Verdict `json:"reply"`
}

// Verdict says whether traffic passes, and if not, what blocks it.
type Verdict struct {
	Known   bool `json:"known"`
	Allowed bool `json:"allowed"`
	// BlockedBy is the ACL (id) that drops the traffic, in direction
	// BlockedDirection (ingress/egress); BlockingEntry is the index of the
	// deny entry in that ACL's entries, or -1 for "no allowing rule" (the
	// final * deny). For a security group block, BlockedBy is empty and
	// BlockedByGroups lists the endpoint's groups.
	BlockedBy        string   `json:"blocked_by,omitempty"`
	BlockedDirection string   `json:"blocked_direction,omitempty"`
	BlockingEntry    int      `json:"blocking_entry"`
	BlockedByGroups  []string `json:"blocked_by_groups,omitempty"`
	// Ports that are blocked (for replies, the part of 1024-65535 denied).
	BlockedPorts []PortRange `json:"blocked_ports,omitempty"`
	Reason       string      `json:"reason,omitempty"`
}
