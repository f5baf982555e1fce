// Package model is vpclint's common inventory: the Go types whose JSON form is
// exactly the Rego `input` that rules read. Loaders fill it, analysis adds
// facts, the evaluator turns rule results into Findings.
//
// The JSON field names are a public contract for users' custom rules (see
// docs/model.md): keep them snake_case and never rename one.
//
// Unknown values: a value a loader could not determine (a variable without a
// default, a computed id in a plan, an unresolved intrinsic) is ABSENT from
// the JSON document and its attribute path is listed in the resource's
// `unknown`. Scalars that can be unknown are therefore pointers or strings
// with omitempty, and lists use omitzero so that a nil slice (unknown) is
// absent while an empty, known list is written as []. Loaders must set known
// empty lists to a non-nil empty slice.
package model

import (
	"slices"
)

// Formats of Source.Format.
const (
	FormatTerraform      = "terraform"
	FormatTFPlan         = "tfplan"
	FormatCloudFormation = "cloudformation"
	FormatAWS            = "aws"
)

// Source says where a resource (or one of its parts) was written or read.
type Source struct {
	// Format is terraform, tfplan, cloudformation or aws.
	Format string `json:"format"`
	// File is relative to the current directory when the file lies below
	// it, else relative to the scan root. Absent for live AWS.
	File      string `json:"file,omitempty"`
	StartLine int    `json:"start_line,omitempty"`
	EndLine   int    `json:"end_line,omitempty"`
	// Module is the Terraform module path ("module.net.module.sg"), or the
	// parent stack of a nested CloudFormation stack.
	Module  string `json:"module,omitempty"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
}

// Meta is carried by every resource; its fields are inlined in the
// resource's JSON.
type Meta struct {
	// ID is the real id or ARN when known (live AWS, an applied plan);
	// otherwise the loader's reference name for the resource (its address),
	// so that references between resources always resolve to a string
	// that equals the referenced resource's id.
	ID string `json:"id"`
	// Address is how the user names the resource: Terraform's full address
	// (module.net.aws_security_group.web["a"]), CloudFormation's logical id
	// (Parent/Child in nested stacks), the resource id in live AWS.
	Address string `json:"address"`
	// Type is the front end's resource type as written (aws_security_group,
	// AWS::EC2::SecurityGroup, ec2:security-group for live AWS). Its JSON
	// key is resource_type, because "type" of an endpoint is the endpoint
	// type (Interface, Gateway ...).
	Type   string `json:"resource_type"`
	Source Source `json:"source"`
	// ARN of a live resource.
	ARN string `json:"arn,omitempty"`
	// AttributeLines maps attribute paths ("ingress[0].cidr_blocks[1]") to
	// the line of their value, so findings point at the exact line.
	AttributeLines map[string]int `json:"attribute_lines,omitempty"`
	// AttributeFiles maps an attribute path prefix to the file that holds
	// it when that differs from Source.File: a separate rule resource
	// folded into its group ("ingress[3]" -> "sg_rules.tf").
	AttributeFiles map[string]string `json:"attribute_files,omitempty"`
	// Unknown lists the attribute paths whose value could not be decided.
	// Those values are absent from the document.
	Unknown []string `json:"unknown,omitempty"`
	// Defaulted lists the attribute paths whose value is the front end's
	// default rather than written by the user.
	Defaulted []string `json:"defaulted,omitempty"`
	// Placeholder marks a group, ACL or endpoint that is only referenced,
	// not defined, in the scan. It carries no implicit rules.
	Placeholder bool              `json:"placeholder,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
	// Suppressions written next to the resource (comments, CloudFormation
	// Metadata, live tags). The evaluator applies them.
	Suppressions []Suppression `json:"suppressions,omitempty"`
}

// GetMeta gives access to the shared part of any resource.
func (m *Meta) GetMeta() *Meta { return m }

// Tidy sorts and de-duplicates Unknown and Defaulted and turns empty
// lists and an empty AttributeLines into nil, so that a resource reads the
// same whatever order its loader found the paths in. A loader calls it once
// nothing more can change the resource.
func (m *Meta) Tidy() {
	m.Unknown = sortedSet(m.Unknown)
	m.Defaulted = sortedSet(m.Defaulted)
	if len(m.AttributeLines) == 0 {
		m.AttributeLines = nil
	}
}

// sortedSet sorts l in place and drops repeats; an empty l becomes nil.
func sortedSet(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	slices.Sort(l)
	return slices.Compact(l)
}

// Resource is implemented by every resource type through its Meta.
type Resource interface {
	GetMeta() *Meta
}

// Suppression is an inline request to silence findings, with its reason.
type Suppression struct {
	// RuleIDs are rule ids or areas (SG, NACL, EP ...).
	RuleIDs []string `json:"rule_ids"`
	Reason  string   `json:"reason,omitempty"`
	// Until is an expiry date, YYYY-MM-DD.
	Until string `json:"until,omitempty"`
	// Kind is comment, metadata or tag.
	Kind string `json:"kind"`
	// Tool is the tool whose ignore this is (checkov, tfsec, trivy), when
	// it is not vpclint's own: RuleIDs are then that tool's check ids, and
	// it covers the vpclint rules whose RuleInfo.Peers name one of them.
	Tool string `json:"tool,omitempty"`
	// File and Line are where the suppression is written.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Attribute, when set, limits the suppression to findings on this
	// attribute path (or below it); otherwise the whole resource.
	Attribute string `json:"attribute,omitempty"`
	// StartLine/EndLine: the block the comment stands before; a finding
	// located in this range of File is covered.
	StartLine int `json:"start_line,omitempty"`
	EndLine   int `json:"end_line,omitempty"`
}

// Model is one unit of inventory: a Terraform root module with its module
// tree, one CloudFormation template with its nested stacks, one plan, or one
// account and region read live. Rules evaluate one Model at a time, so
// addresses and ids are unique within it.
type Model struct {
	// Unit names what was loaded: a directory, a file, or account/region.
	Unit string `json:"unit"`
	// Format of the unit (see Source.Format).
	Format string `json:"format"`

	VPCs             []*VPC             `json:"vpcs"`
	Subnets          []*Subnet          `json:"subnets"`
	SecurityGroups   []*SecurityGroup   `json:"security_groups"`
	NetworkACLs      []*NetworkACL      `json:"network_acls"`
	VPCEndpoints     []*VPCEndpoint     `json:"vpc_endpoints"`
	EndpointServices []*EndpointService `json:"vpc_endpoint_services"`
	RouteTables      []*RouteTable      `json:"route_tables"`
	FlowLogs         []*FlowLog         `json:"flow_logs"`
	PrefixLists      []*PrefixList      `json:"prefix_lists"`
	HostedZones      []*HostedZone      `json:"hosted_zones"`

	// Facts are derived by package analysis before rules run.
	Facts *Facts `json:"facts,omitempty"`
	// Inventory describes how complete the model is.
	Inventory Inventory `json:"inventory"`
	// Context gives rules what the loader knew about where it ran.
	Context Context `json:"context"`
}

// Inventory describes the model's completeness.
type Inventory struct {
	// Complete is true only for a live account read (and its saved
	// snapshot): everything that exists is in the model, so "does not
	// exist" findings are sound.
	Complete bool `json:"complete"`
	// Lists records, per list the loader reads whole from an API (the
	// model's collection names: "vpcs", "subnets", "security_groups",
	// "network_acls", "route_tables", "vpc_endpoints",
	// "vpc_endpoint_services", "prefix_lists", "flow_logs",
	// "hosted_zones"), whether it was read completely: true when every
	// page was read, false when a call failed or was cut short. For code
	// (Terraform, plans, CloudFormation), where the model holds what the
	// code writes, it is absent unless the code may hold more resources
	// of a kind than the model does (a Terraform endpoint or zone whose
	// count or for_each is unknown): then that kind's list is false and
	// every other list true. When Lists is present, a list it does not
	// name was not read. A rule whose conclusion needs a list that was
	// not read completely is undecided (rules/lib/inventory.rego).
	Lists map[string]bool `json:"lists,omitempty"`
	// Error, set on a live unit that could not be read at all (its role
	// could not be assumed, the region is not enabled, the first call
	// failed or ran out of time), says why; such a unit has no resources
	// and every list of Lists is false, so it is recorded rather than
	// left out, and rules that need a list stay undecided on it.
	Error string `json:"error,omitempty"`
}

// ListRead reports whether the named list is complete for the rules: a
// model without Lists (code) holds what the code writes; a live model
// must have read the list completely.
func (i Inventory) ListRead(name string) bool {
	return i.Lists == nil || i.Lists[name]
}

// Context is what the loader knows of the deployment target.
type Context struct {
	Region    string `json:"region,omitempty"`
	Account   string `json:"account,omitempty"`
	Partition string `json:"partition,omitempty"`
}

// New returns an empty model with every collection set to a known empty list.
func New(unit, format string) *Model {
	return &Model{
		Unit:             unit,
		Format:           format,
		VPCs:             []*VPC{},
		Subnets:          []*Subnet{},
		SecurityGroups:   []*SecurityGroup{},
		NetworkACLs:      []*NetworkACL{},
		VPCEndpoints:     []*VPCEndpoint{},
		EndpointServices: []*EndpointService{},
		RouteTables:      []*RouteTable{},
		FlowLogs:         []*FlowLog{},
		PrefixLists:      []*PrefixList{},
		HostedZones:      []*HostedZone{},
	}
}

// Tidy tidies every resource's Meta (Meta.Tidy): a loader calls it once
// nothing more can change the unit.
func (m *Model) Tidy() {
	for _, r := range m.Resources() {
		r.GetMeta().Tidy()
	}
}

// SortByID orders every resource list by id, keeping the order of
// resources with the same id, so that two reads of the same state list
// it alike.
func (m *Model) SortByID() {
	for _, c := range collections {
		c.SortByID(m)
	}
}

// Len is the number of resources in the model.
func (m *Model) Len() int {
	n := 0
	for _, c := range collections {
		n += c.Len(m)
	}
	return n
}

// Resources returns every resource of the model, in a stable order (the
// order of Collections); nil when it has none.
func (m *Model) Resources() []Resource {
	n := m.Len()
	if n == 0 {
		return nil
	}
	out := make([]Resource, 0, n)
	for _, c := range collections {
		out = c.Append(m, out)
	}
	return out
}

// VPC is an aws_vpc / AWS::EC2::VPC.
type VPC struct {
	Meta
	CIDRBlocks     []string `json:"cidr_blocks,omitzero"`
	IPv6CIDRBlocks []string `json:"ipv6_cidr_blocks,omitzero"`
	// DNS attributes with the front end's defaults applied (support true,
	// hostnames false); absent when unknown.
	EnableDNSSupport   *bool `json:"enable_dns_support,omitempty"`
	EnableDNSHostnames *bool `json:"enable_dns_hostnames,omitempty"`
	// IsDefault is true for an account's default VPC (live AWS).
	IsDefault bool `json:"is_default"`
}

// Subnet is an aws_subnet / AWS::EC2::Subnet.
type Subnet struct {
	Meta
	VPCID string `json:"vpc_id,omitempty"`
	// AvailabilityZone is the AZ name; AvailabilityZoneID the AZ id
	// (live state). When neither is known but the loader can still tell
	// two subnets' AZs apart (CloudFormation `!Select [0, !GetAZs '']`,
	// Terraform `data.aws_availability_zones.x.names[0]`), AZRef holds a
	// symbolic identity: equal refs are the same AZ, different refs are
	// different AZs.
	AvailabilityZone   string `json:"availability_zone,omitempty"`
	AvailabilityZoneID string `json:"availability_zone_id,omitempty"`
	AZRef              string `json:"availability_zone_ref,omitempty"`
	CIDRBlock          string `json:"cidr_block,omitempty"`
	IPv6CIDRBlock      string `json:"ipv6_cidr_block,omitempty"`
	// NetworkACLID is the explicitly associated ACL; empty means the VPC's
	// default ACL (unless "network_acl_id" is in Unknown).
	NetworkACLID string `json:"network_acl_id,omitempty"`
	RouteTableID string `json:"route_table_id,omitempty"`
}

// SecurityGroup is a security group with all its rules, however written.
type SecurityGroup struct {
	Meta
	Name        string  `json:"name,omitempty"`
	VPCID       string  `json:"vpc_id,omitempty"`
	Description *string `json:"description,omitempty"`
	// IsDefault marks a VPC's default group (aws_default_security_group,
	// VPC.DefaultSecurityGroup, or group-name "default" live).
	IsDefault bool      `json:"is_default"`
	Ingress   []*SGRule `json:"ingress,omitzero"`
	Egress    []*SGRule `json:"egress,omitzero"`
}

// Protocol names used in normalized rules and entries. Other protocols are
// kept as their decimal number ("47").
const (
	ProtoAll    = "all"
	ProtoTCP    = "tcp"
	ProtoUDP    = "udp"
	ProtoICMP   = "icmp"
	ProtoICMPv6 = "icmpv6"
)

// SGRule is one security-group rule. For tcp/udp, FromPort..ToPort is the
// port range; for icmp/icmpv6 they are type and code (-1 = all).
type SGRule struct {
	// Protocol is tcp, udp, icmp, icmpv6, all, or a decimal number.
	Protocol string `json:"protocol,omitempty"`
	FromPort *int   `json:"from_port,omitempty"`
	ToPort   *int   `json:"to_port,omitempty"`
	// Sources (ingress) or destinations (egress). CIDRs are canonical
	// (host bits masked).
	CIDRBlocks       []string `json:"cidr_blocks,omitzero"`
	IPv6CIDRBlocks   []string `json:"ipv6_cidr_blocks,omitzero"`
	PrefixListIDs    []string `json:"prefix_list_ids,omitzero"`
	SecurityGroupIDs []string `json:"security_group_ids,omitzero"`
	Self             bool     `json:"self"`
	Description      *string  `json:"description,omitempty"`
	// Implicit marks a rule nobody wrote: a front end's default
	// (CloudFormation's allow-all egress, the default group's self rule).
	Implicit bool `json:"implicit,omitempty"`
	// Address and Source of a separate rule resource folded into the
	// group (aws_security_group_rule, AWS::EC2::SecurityGroupIngress).
	Address string  `json:"address,omitempty"`
	Source  *Source `json:"source,omitempty"`
	// RuleID is the live security-group rule id (sgr-...).
	RuleID string `json:"rule_id,omitempty"`
}

// NetworkACL is a network ACL with all its entries and associations.
type NetworkACL struct {
	Meta
	VPCID     string `json:"vpc_id,omitempty"`
	IsDefault bool   `json:"is_default"`
	// SubnetIDs are the explicitly associated subnets.
	SubnetIDs []string     `json:"subnet_ids,omitzero"`
	Entries   []*NACLEntry `json:"entries,omitzero"`
}

// NACLEntry is one ACL entry. The final `*` deny is not listed: every ACL
// has it. A default ACL's allow-all entries are listed with Implicit set
// when the front end creates them.
type NACLEntry struct {
	RuleNumber    *int   `json:"rule_number,omitempty"`
	Egress        bool   `json:"egress"`
	Protocol      string `json:"protocol,omitempty"`
	Action        string `json:"action,omitempty"` // allow | deny
	CIDRBlock     string `json:"cidr_block,omitempty"`
	IPv6CIDRBlock string `json:"ipv6_cidr_block,omitempty"`
	FromPort      *int   `json:"from_port,omitempty"`
	ToPort        *int   `json:"to_port,omitempty"`
	ICMPType      *int   `json:"icmp_type,omitempty"`
	ICMPCode      *int   `json:"icmp_code,omitempty"`
	Implicit      bool   `json:"implicit,omitempty"`
	// Address and Source of a separate entry resource folded into the ACL.
	Address string  `json:"address,omitempty"`
	Source  *Source `json:"source,omitempty"`
}

// Endpoint types.
const (
	EndpointInterface           = "Interface"
	EndpointGateway             = "Gateway"
	EndpointGatewayLoadBalancer = "GatewayLoadBalancer"
)

// VPCEndpoint is a VPC endpoint with its associations and policy.
type VPCEndpoint struct {
	Meta
	VPCID string `json:"vpc_id,omitempty"`
	// Type is Interface, Gateway, GatewayLoadBalancer, Resource,
	// ServiceNetwork, Tunnel, or a future type kept as written.
	Type        string `json:"type,omitempty"`
	ServiceName string `json:"service_name,omitempty"`
	// ServiceNamePattern is the known part of a ServiceName that is
	// unknown, each unknown part written "*": "com.amazonaws.*.kms" for
	// com.amazonaws.${region}.kms. Set only when ServiceName is absent
	// (and "service_name" is in Unknown).
	ServiceNamePattern string `json:"service_name_pattern,omitempty"`
	// Service is the short service derived from ServiceName, or from
	// ServiceNamePattern when only the region is unknown ("s3",
	// "ecr.api"); empty for non-AWS services and unknown services.
	Service           string   `json:"service,omitempty"`
	SubnetIDs         []string `json:"subnet_ids,omitzero"`
	SecurityGroupIDs  []string `json:"security_group_ids,omitzero"`
	RouteTableIDs     []string `json:"route_table_ids,omitzero"`
	PrivateDNSEnabled *bool    `json:"private_dns_enabled,omitempty"`
	// Policy is the parsed, normalized endpoint policy; absent when the
	// endpoint has none (and "policy" is not in Unknown), or when it does
	// not parse (then PolicyRaw holds the text and PolicyError why).
	Policy        *Policy     `json:"policy,omitempty"`
	PolicyRaw     *string     `json:"policy_raw,omitempty"`
	PolicyError   string      `json:"policy_error,omitempty"`
	IPAddressType string      `json:"ip_address_type,omitempty"`
	DNSOptions    *DNSOptions `json:"dns_options,omitempty"`
	State         string      `json:"state,omitempty"`
}

// DNSOptions of an interface endpoint.
type DNSOptions struct {
	DNSRecordIPType string `json:"dns_record_ip_type,omitempty"`
	// PrivateDNSOnlyForInboundResolverEndpoint is the tri-state of the
	// three front ends' encodings; absent when unknown or not specified.
	PrivateDNSOnlyForInboundResolverEndpoint *bool `json:"private_dns_only_for_inbound_resolver_endpoint,omitempty"`
}

// EndpointService is a PrivateLink endpoint service (provider side).
type EndpointService struct {
	Meta
	AcceptanceRequired      *bool    `json:"acceptance_required,omitempty"`
	AllowedPrincipals       []string `json:"allowed_principals,omitzero"`
	PrivateDNSName          string   `json:"private_dns_name,omitempty"`
	NetworkLoadBalancerARNs []string `json:"network_load_balancer_arns,omitzero"`
	GatewayLoadBalancerARNs []string `json:"gateway_load_balancer_arns,omitzero"`
	SupportedRegions        []string `json:"supported_regions,omitzero"`
	SupportedIPAddressTypes []string `json:"supported_ip_address_types,omitzero"`
	ServiceName             string   `json:"service_name,omitempty"`
}

// RouteTable is a route table with its associations and routes.
type RouteTable struct {
	Meta
	VPCID     string   `json:"vpc_id,omitempty"`
	IsMain    bool     `json:"is_main"`
	SubnetIDs []string `json:"subnet_ids,omitzero"`
	Routes    []*Route `json:"routes,omitzero"`
}

// Route is one route of a route table.
type Route struct {
	DestinationCIDRBlock     string `json:"destination_cidr_block,omitempty"`
	DestinationIPv6CIDRBlock string `json:"destination_ipv6_cidr_block,omitempty"`
	DestinationPrefixListID  string `json:"destination_prefix_list_id,omitempty"`
	// Target is the gateway, NAT, instance, peering, endpoint ... id.
	Target string `json:"target,omitempty"`
	// TargetType names the kind of target (gateway_id, vpc_endpoint_id ...).
	TargetType string `json:"target_type,omitempty"`
	// TargetResourceType is the type of the resource Target names when the
	// loader knows it: a CloudFormation logical id's
	// (AWS::EC2::InternetGateway), a Terraform address's
	// (aws_internet_gateway). Live ids (igw-..., vgw-...) carry their type
	// in their prefix.
	TargetResourceType string `json:"target_resource_type,omitempty"`
}

// FlowLog is a VPC, subnet or ENI flow log.
type FlowLog struct {
	Meta
	// ResourceID is the VPC, subnet or ENI the log is attached to.
	ResourceID string `json:"resource_id,omitempty"`
	// ResourceType is VPC, Subnet, NetworkInterface ...
	// (JSON resource_kind: resource_type names the flow log's own type.)
	ResourceType string `json:"resource_kind,omitempty"`
	TrafficType  string `json:"traffic_type,omitempty"`
}

// HostedZone is a Route 53 hosted zone (aws_route53_zone,
// AWS::Route53::HostedZone). A private zone named for an AWS service
// (ssm.eu-west-1.amazonaws.com) is how hub-and-spoke designs resolve the
// service to endpoints whose own private DNS is off.
type HostedZone struct {
	Meta
	// Name is lower case, without a final dot; absent when unknown.
	Name string `json:"name,omitempty"`
	// Private is true when the zone is associated with a VPC (inline or by
	// a separate association), false when it is known to have none; absent
	// when that is unknown.
	Private *bool `json:"private,omitempty"`
	// VPCIDs are the VPCs the zone is known to be associated with.
	VPCIDs []string `json:"vpc_ids,omitzero"`
}

// PrefixList is a managed prefix list known to the scan (live AWS).
type PrefixList struct {
	Meta
	Name          string   `json:"name,omitempty"`
	AddressFamily string   `json:"address_family,omitempty"`
	CIDRs         []string `json:"cidrs,omitzero"`
	MaxEntries    *int     `json:"max_entries,omitempty"`
	// AWSManaged lists are owned by AWS (com.amazonaws.<region>.s3 ...).
	AWSManaged bool `json:"aws_managed"`
}
