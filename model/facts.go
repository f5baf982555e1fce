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
}

// PortRange is an inclusive range of ports (or ICMP types).
type PortRange struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// PortSet is a set of (protocol, port) pairs.
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
	// All is everything allowed, from any peer.
	All PortSet `json:"all"`
	// Internet is what is allowed from every address of 0.0.0.0/0 or of
	// ::/0, the rules' peers taken together (0.0.0.0/1 + 128.0.0.0/1 is
	// the internet).
	Internet PortSet `json:"internet"`
	// InternetRules are the rules that make up Internet, with the part of
	// Internet each one contributes.
	InternetRules []*RuleContribution `json:"internet_rules"`
	// Public is what is allowed from at least one public address (outside
	// RFC 1918, RFC 6598, link-local, loopback, ULA).
	Public      PortSet             `json:"public"`
	PublicRules []*RuleContribution `json:"public_rules"`
	// OutsideVPC is what is allowed from an address outside the group's
	// VPC CIDRs (absent when the VPC's CIDRs are unknown).
	OutsideVPC      *PortSet            `json:"outside_vpc,omitempty"`
	OutsideVPCRules []*RuleContribution `json:"outside_vpc_rules,omitempty"`
	// Symbolic peers kept by name: prefix lists and referenced groups.
	PrefixListIDs    []string `json:"prefix_list_ids"`
	SecurityGroupIDs []string `json:"security_group_ids"`
	// Self is true when a rule names the group itself (self = true, or
	// the default group's implicit self rule). The group's own id is not
	// repeated in SecurityGroupIDs. (Added by analysis.)
	Self bool `json:"self"`
	// Known is false when some rule of this direction has an unknown
	// protocol, port or peer: the sets above are then a lower bound.
	Known bool `json:"known"`
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
}

// NACLDirectionFacts is one direction of an ACL under first match.
type NACLDirectionFacts struct {
	// Allowed is everything the first-match result lets through.
	Allowed PortSet `json:"allowed"`
	// Internet is what the first-match result allows from every address
	// of 0.0.0.0/0 or of ::/0 (for ingress: sources; egress: destinations).
	Internet PortSet `json:"internet"`
	// InternetEntries are the indexes (in the ACL's entries) of the allow
	// entries that let internet traffic through.
	InternetEntries []int `json:"internet_entries"`
	// Anomalies per entry (Al-Shaer & Hamed).
	Anomalies []*NACLAnomaly `json:"anomalies"`
	// DuplicateRuleNumbers shared by two entries of this direction.
	DuplicateRuleNumbers []*DuplicateRuleNumber `json:"duplicate_rule_numbers"`
	// Known is false when an entry has an unknown number, protocol, port,
	// CIDR or action: the results above are then omitted or partial.
	Known bool `json:"known"`
	// Entries are this direction's entries in evaluation (rule-number)
	// order with what each decides under first match; only entries before
	// the first unknown one of their address family are listed. (Added by
	// analysis.)
	Entries []*NACLEntryFacts `json:"entries"`
}

// NACLEntryFacts is what one ACL entry decides under first match. (Added
// by analysis.)
type NACLEntryFacts struct {
	// Index in the ACL's entries; Attribute its path ("entries[3]").
	Index      int    `json:"index"`
	Attribute  string `json:"attribute"`
	RuleNumber int    `json:"rule_number"`
	// Action is allow or deny.
	Action string `json:"action"`
	// Applies is false when lower-numbered entries match all of its
	// traffic (it is shadowed or redundant).
	Applies bool `json:"applies"`
	// Decides is the traffic (protocols and ports) that this entry is the
	// first to match, for at least one address.
	Decides PortSet `json:"decides"`
	// Internet is the part of Decides that reaches every address of
	// 0.0.0.0/0 or ::/0 through this entry alone.
	Internet PortSet `json:"internet"`
}

// NACLAnomaly classifies one entry against the entries before it.
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
	// VPC's default group when an interface endpoint lists none.
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
}

// DuplicateAZ is one AZ that holds several of an endpoint's subnets.
type DuplicateAZ struct {
	AZ        string   `json:"az"`
	SubnetIDs []string `json:"subnet_ids"`
}

// PathCheck is whether clients in one subnet can use the endpoint's ENI in
// another subnet: the request (TCP 443) and the replies (ephemeral ports).
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
