package awslive

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclint/vpclint/loader/suppress"
	"github.com/vpclint/vpclint/model"
)

// Resource types of live resources (Meta.Type).
const (
	TypeVPC             = "ec2:vpc"
	TypeSubnet          = "ec2:subnet"
	TypeSecurityGroup   = "ec2:security-group"
	TypeNetworkACL      = "ec2:network-acl"
	TypeVPCEndpoint     = "ec2:vpc-endpoint"
	TypeEndpointService = "ec2:vpc-endpoint-service"
	TypeRouteTable      = "ec2:route-table"
	TypeFlowLog         = "ec2:vpc-flow-log"
	TypePrefixList      = "ec2:prefix-list"
)

// Tags read for suppressions, besides suppress.Marker with the rule ids.
const (
	TagIgnoreReason = suppress.Marker + "-reason"
	TagIgnoreUntil  = suppress.Marker + "-until"
)

// meta builds the shared part of a live resource. arnType is the ARN's
// resource type (vpc, security-group ...); arnValue, when set, is the ARN
// AWS returned.
func (rr *regionRead) meta(id, typ, arnType, owner, arnValue string, tags []types.Tag) model.Meta {
	if owner == "" {
		owner = rr.account
	}
	if arnValue == "" && id != "" {
		arnValue = fmt.Sprintf("arn:%s:ec2:%s:%s:%s/%s", rr.partition, rr.region, owner, arnType, id)
	}
	m := model.Meta{
		ID: id, Address: id, Type: typ, ARN: arnValue,
		Source: model.Source{Format: model.FormatAWS, Account: rr.account, Region: rr.region},
	}
	m.Tags, m.Suppressions = tagsOf(tags)
	return m
}

// tagsOf turns tags into a map and reads the vpclint:ignore tag:
// "SG001,SG004" (commas or spaces) silences those rules on the resource,
// with the vpclint:ignore-reason tag as its reason and
// vpclint:ignore-until as its expiry.
func tagsOf(tags []types.Tag) (map[string]string, []model.Suppression) {
	if len(tags) == 0 {
		return nil, nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	ids := strings.FieldsFunc(m[suppress.Marker], func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
	if len(ids) == 0 {
		return m, nil
	}
	for i := range ids {
		ids[i] = strings.ToUpper(strings.TrimSpace(ids[i]))
	}
	s := model.Suppression{Kind: "tag", RuleIDs: ids, Reason: strings.TrimSpace(m[TagIgnoreReason]), Until: strings.TrimSpace(m[TagIgnoreUntil])}
	return m, []model.Suppression{s}
}

func (rr *regionRead) vpc(v *types.Vpc) *model.VPC {
	id := aws.ToString(v.VpcId)
	out := &model.VPC{
		Meta:           rr.meta(id, TypeVPC, "vpc", aws.ToString(v.OwnerId), "", v.Tags),
		CIDRBlocks:     []string{},
		IPv6CIDRBlocks: []string{},
		IsDefault:      aws.ToBool(v.IsDefault),
	}
	for _, a := range v.CidrBlockAssociationSet {
		if a.CidrBlockState != nil && !associated(string(a.CidrBlockState.State)) {
			continue
		}
		if c := canonical(aws.ToString(a.CidrBlock)); c != "" {
			out.CIDRBlocks = append(out.CIDRBlocks, c)
		}
	}
	if len(out.CIDRBlocks) == 0 {
		if c := canonical(aws.ToString(v.CidrBlock)); c != "" {
			out.CIDRBlocks = append(out.CIDRBlocks, c)
		}
	}
	for _, a := range v.Ipv6CidrBlockAssociationSet {
		if a.Ipv6CidrBlockState != nil && !associated(string(a.Ipv6CidrBlockState.State)) {
			continue
		}
		if c := canonical(aws.ToString(a.Ipv6CidrBlock)); c != "" {
			out.IPv6CIDRBlocks = append(out.IPv6CIDRBlocks, c)
		}
	}
	out.CIDRBlocks = sortedUnique(out.CIDRBlocks)
	out.IPv6CIDRBlocks = sortedUnique(out.IPv6CIDRBlocks)
	return out
}

// associated is true for an association state that is in effect.
func associated(state string) bool {
	return state == "" || state == "associated" || state == "associating"
}

func (rr *regionRead) subnet(s *types.Subnet) *model.Subnet {
	id := aws.ToString(s.SubnetId)
	out := &model.Subnet{
		Meta:               rr.meta(id, TypeSubnet, "subnet", aws.ToString(s.OwnerId), aws.ToString(s.SubnetArn), s.Tags),
		VPCID:              aws.ToString(s.VpcId),
		AvailabilityZone:   aws.ToString(s.AvailabilityZone),
		AvailabilityZoneID: aws.ToString(s.AvailabilityZoneId),
		CIDRBlock:          canonical(aws.ToString(s.CidrBlock)),
	}
	for _, a := range s.Ipv6CidrBlockAssociationSet {
		if a.Ipv6CidrBlockState != nil && !associated(string(a.Ipv6CidrBlockState.State)) {
			continue
		}
		if c := canonical(aws.ToString(a.Ipv6CidrBlock)); c != "" {
			out.IPv6CIDRBlock = c
			break
		}
	}
	return out
}

func (rr *regionRead) securityGroup(g *types.SecurityGroup) *model.SecurityGroup {
	id := aws.ToString(g.GroupId)
	out := &model.SecurityGroup{
		Meta:      rr.meta(id, TypeSecurityGroup, "security-group", aws.ToString(g.OwnerId), aws.ToString(g.SecurityGroupArn), g.Tags),
		Name:      aws.ToString(g.GroupName),
		VPCID:     aws.ToString(g.VpcId),
		IsDefault: aws.ToString(g.GroupName) == "default",
	}
	if g.Description != nil {
		out.Description = model.String(*g.Description)
	}
	return out
}

// rulesFromSGRules turns ec2:DescribeSecurityGroupRules results (one peer
// per rule) into the group's ingress and egress lists.
func rulesFromSGRules(groupID string, rules []types.SecurityGroupRule) (ingress, egress []*model.SGRule) {
	ingress, egress = []*model.SGRule{}, []*model.SGRule{}
	for _, ru := range rules {
		r := newRule(aws.ToString(ru.IpProtocol), ru.FromPort, ru.ToPort)
		r.RuleID = aws.ToString(ru.SecurityGroupRuleId)
		if ru.Description != nil && *ru.Description != "" {
			r.Description = model.String(*ru.Description)
		}
		switch {
		case ru.CidrIpv4 != nil:
			r.CIDRBlocks = []string{canonicalOr(*ru.CidrIpv4)}
		case ru.CidrIpv6 != nil:
			r.IPv6CIDRBlocks = []string{canonicalOr(*ru.CidrIpv6)}
		case ru.PrefixListId != nil:
			r.PrefixListIDs = []string{*ru.PrefixListId}
		case ru.ReferencedGroupInfo != nil:
			ref := aws.ToString(ru.ReferencedGroupInfo.GroupId)
			if ref == groupID {
				r.Self = true
			} else {
				r.SecurityGroupIDs = []string{ref}
			}
		}
		if aws.ToBool(ru.IsEgress) {
			egress = append(egress, r)
		} else {
			ingress = append(ingress, r)
		}
	}
	sortRules(ingress)
	sortRules(egress)
	return ingress, egress
}

// permissionRules splits a group's ec2:DescribeSecurityGroups permission
// lists into one rule per peer, as ec2:DescribeSecurityGroupRules gives
// them (without their ids).
func permissionRules(g *types.SecurityGroup) []types.SecurityGroupRule {
	var out []types.SecurityGroupRule
	for _, egress := range []bool{false, true} {
		perms := g.IpPermissions
		if egress {
			perms = g.IpPermissionsEgress
		}
		for _, p := range perms {
			add := func(desc *string, peer func(*types.SecurityGroupRule)) {
				r := types.SecurityGroupRule{GroupId: g.GroupId, IsEgress: aws.Bool(egress), IpProtocol: p.IpProtocol,
					FromPort: p.FromPort, ToPort: p.ToPort, Description: desc}
				peer(&r)
				out = append(out, r)
			}
			for _, x := range p.IpRanges {
				add(x.Description, func(r *types.SecurityGroupRule) { r.CidrIpv4 = aws.String(aws.ToString(x.CidrIp)) })
			}
			for _, x := range p.Ipv6Ranges {
				add(x.Description, func(r *types.SecurityGroupRule) { r.CidrIpv6 = aws.String(aws.ToString(x.CidrIpv6)) })
			}
			for _, x := range p.PrefixListIds {
				add(x.Description, func(r *types.SecurityGroupRule) { r.PrefixListId = aws.String(aws.ToString(x.PrefixListId)) })
			}
			for _, x := range p.UserIdGroupPairs {
				add(x.Description, func(r *types.SecurityGroupRule) {
					r.ReferencedGroupInfo = &types.ReferencedSecurityGroup{GroupId: x.GroupId}
				})
			}
		}
	}
	return out
}

// newRule normalizes a rule's protocol and ports. Ports of a rule for
// every protocol mean nothing and are left out; other values are kept as
// AWS gives them (-1 is "all" for ICMP types and codes).
func newRule(proto string, from, to *int32) *model.SGRule {
	r := &model.SGRule{}
	p, err := model.NormalizeProtocol(proto)
	if err != nil {
		p = proto
	}
	r.Protocol = p
	if p == model.ProtoAll {
		return r
	}
	if from != nil {
		r.FromPort = model.Int(int(*from))
	}
	if to != nil {
		r.ToPort = model.Int(int(*to))
	}
	return r
}

// sortRules orders rules by what they allow, so two reads of the same
// group list them alike.
func sortRules(rs []*model.SGRule) {
	sort.SliceStable(rs, func(i, j int) bool { return ruleKey(rs[i]) < ruleKey(rs[j]) })
}

func ruleKey(r *model.SGRule) string {
	port := func(p *int) string {
		if p == nil {
			return "      "
		}
		return fmt.Sprintf("%6d", *p)
	}
	peer := ""
	switch {
	case len(r.CIDRBlocks) > 0:
		peer = "1" + strings.Join(r.CIDRBlocks, ",")
	case len(r.IPv6CIDRBlocks) > 0:
		peer = "2" + strings.Join(r.IPv6CIDRBlocks, ",")
	case len(r.PrefixListIDs) > 0:
		peer = "3" + strings.Join(r.PrefixListIDs, ",")
	case len(r.SecurityGroupIDs) > 0:
		peer = "4" + strings.Join(r.SecurityGroupIDs, ",")
	case r.Self:
		peer = "5"
	}
	return fmt.Sprintf("%-8s%s%s|%s|%s", r.Protocol, port(r.FromPort), port(r.ToPort), peer, r.RuleID)
}

func (rr *regionRead) networkACL(a *types.NetworkAcl) *model.NetworkACL {
	id := aws.ToString(a.NetworkAclId)
	out := &model.NetworkACL{
		Meta:      rr.meta(id, TypeNetworkACL, "network-acl", aws.ToString(a.OwnerId), "", a.Tags),
		VPCID:     aws.ToString(a.VpcId),
		IsDefault: aws.ToBool(a.IsDefault),
		SubnetIDs: idsOf(a.Associations, func(as types.NetworkAclAssociation) *string { return as.SubnetId }),
		Entries:   []*model.NACLEntry{},
	}
	for _, e := range a.Entries {
		n := int(aws.ToInt32(e.RuleNumber))
		// 32767 (and 32768 for IPv6) is AWS's final "*" deny, which the
		// model's ACL carries implicitly.
		if n >= 32767 {
			continue
		}
		ent := &model.NACLEntry{
			RuleNumber: model.Int(n),
			Egress:     aws.ToBool(e.Egress),
			Action:     strings.ToLower(string(e.RuleAction)),
		}
		p, err := model.NormalizeProtocol(aws.ToString(e.Protocol))
		if err != nil {
			p = aws.ToString(e.Protocol)
		}
		ent.Protocol = p
		if e.CidrBlock != nil {
			ent.CIDRBlock = canonicalOr(*e.CidrBlock)
		}
		if e.Ipv6CidrBlock != nil {
			ent.IPv6CIDRBlock = canonicalOr(*e.Ipv6CidrBlock)
		}
		if (p == model.ProtoTCP || p == model.ProtoUDP) && e.PortRange != nil {
			ent.FromPort = model.Int(int(aws.ToInt32(e.PortRange.From)))
			ent.ToPort = model.Int(int(aws.ToInt32(e.PortRange.To)))
		}
		if (p == model.ProtoICMP || p == model.ProtoICMPv6) && e.IcmpTypeCode != nil {
			ent.ICMPType = model.Int(int(aws.ToInt32(e.IcmpTypeCode.Type)))
			ent.ICMPCode = model.Int(int(aws.ToInt32(e.IcmpTypeCode.Code)))
		}
		out.Entries = append(out.Entries, ent)
	}
	sort.SliceStable(out.Entries, func(i, j int) bool {
		a, b := out.Entries[i], out.Entries[j]
		if a.Egress != b.Egress {
			return !a.Egress
		}
		return *a.RuleNumber < *b.RuleNumber
	})
	return out
}

func (rr *regionRead) routeTable(t *types.RouteTable) *model.RouteTable {
	id := aws.ToString(t.RouteTableId)
	out := &model.RouteTable{
		Meta:      rr.meta(id, TypeRouteTable, "route-table", aws.ToString(t.OwnerId), "", t.Tags),
		VPCID:     aws.ToString(t.VpcId),
		SubnetIDs: []string{},
		Routes:    []*model.Route{},
	}
	for _, a := range t.Associations {
		if a.AssociationState != nil && !associated(string(a.AssociationState.State)) {
			continue
		}
		if aws.ToBool(a.Main) {
			out.IsMain = true
		}
		if s := aws.ToString(a.SubnetId); s != "" {
			out.SubnetIDs = append(out.SubnetIDs, s)
		}
	}
	out.SubnetIDs = sortedUnique(out.SubnetIDs)
	for _, r := range t.Routes {
		rt := &model.Route{
			DestinationCIDRBlock:     aws.ToString(r.DestinationCidrBlock),
			DestinationIPv6CIDRBlock: aws.ToString(r.DestinationIpv6CidrBlock),
			DestinationPrefixListID:  aws.ToString(r.DestinationPrefixListId),
		}
		rt.Target, rt.TargetType = routeTarget(&r)
		out.Routes = append(out.Routes, rt)
	}
	return out
}

// routeTarget names a route's target with Terraform's attribute names.
func routeTarget(r *types.Route) (string, string) {
	cands := []struct {
		v   *string
		typ string
	}{
		{r.GatewayId, "gateway_id"},
		{r.NatGatewayId, "nat_gateway_id"},
		{r.TransitGatewayId, "transit_gateway_id"},
		{r.VpcPeeringConnectionId, "vpc_peering_connection_id"},
		{r.NetworkInterfaceId, "network_interface_id"},
		{r.InstanceId, "instance_id"},
		{r.EgressOnlyInternetGatewayId, "egress_only_gateway_id"},
		{r.CarrierGatewayId, "carrier_gateway_id"},
		{r.LocalGatewayId, "local_gateway_id"},
		{r.CoreNetworkArn, "core_network_arn"},
	}
	for _, c := range cands {
		v := aws.ToString(c.v)
		if v == "" {
			continue
		}
		if c.typ == "gateway_id" && strings.HasPrefix(v, "vpce-") {
			return v, "vpc_endpoint_id"
		}
		return v, c.typ
	}
	return "", ""
}

func (rr *regionRead) endpoint(e *types.VpcEndpoint) *model.VPCEndpoint {
	id := aws.ToString(e.VpcEndpointId)
	out := &model.VPCEndpoint{
		Meta:             rr.meta(id, TypeVPCEndpoint, "vpc-endpoint", aws.ToString(e.OwnerId), "", e.Tags),
		VPCID:            aws.ToString(e.VpcId),
		Type:             string(e.VpcEndpointType),
		ServiceName:      aws.ToString(e.ServiceName),
		SubnetIDs:        sortedUnique(append([]string{}, e.SubnetIds...)),
		SecurityGroupIDs: idsOf(e.Groups, func(g types.SecurityGroupIdentifier) *string { return g.GroupId }),
		RouteTableIDs:    sortedUnique(append([]string{}, e.RouteTableIds...)),
		IPAddressType:    string(e.IpAddressType),
		State:            strings.ToLower(string(e.State)),
	}
	out.Service = model.EndpointServiceOf(out.ServiceName)
	if e.PrivateDnsEnabled != nil {
		out.PrivateDNSEnabled = model.Bool(*e.PrivateDnsEnabled)
	}
	if e.DnsOptions != nil {
		d := &model.DNSOptions{DNSRecordIPType: string(e.DnsOptions.DnsRecordIpType)}
		if e.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint != nil {
			d.PrivateDNSOnlyForInboundResolverEndpoint = model.Bool(*e.DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint)
		}
		if d.DNSRecordIPType != "" || d.PrivateDNSOnlyForInboundResolverEndpoint != nil {
			out.DNSOptions = d
		}
	}
	if doc := aws.ToString(e.PolicyDocument); strings.TrimSpace(doc) != "" {
		pol, err := parsePolicy(doc)
		switch {
		case err != nil:
			out.PolicyRaw = model.String(doc)
			out.PolicyError = err.Error()
		case isDefaultPolicy(pol):
			// AWS returns its default policy for an endpoint created
			// without one. Code that sets no policy reports EP001 (no
			// policy, so the default applies); the account reports the
			// same, not EP002 on a statement nobody wrote.
			out.Defaulted = append(out.Defaulted, "policy")
		default:
			out.Policy = pol
		}
	}
	return out
}

// isDefaultPolicy reports whether a policy is the one AWS attaches to an
// endpoint created without a policy: one statement allowing principal *
// every action on every resource, no condition, no Sid, and the Version
// AWS writes (2008-10-17) or none.
func isDefaultPolicy(p *model.Policy) bool {
	if len(p.Statement) != 1 || len(p.Problems) > 0 || p.ID != "" || p.Version != "" && p.Version != "2008-10-17" {
		return false
	}
	st := p.Statement[0]
	return st.Effect == "Allow" && st.Sid == "" && st.PrincipalStar && len(st.Principal) == 0 &&
		!st.HasNotPrincipal && slices.Equal(st.Action, []string{"*"}) && slices.Equal(st.Resource, []string{"*"}) &&
		len(st.NotAction) == 0 && len(st.NotResource) == 0 && len(st.Condition) == 0
}

// parsePolicy parses a policy document, URL-decoding it first when it is
// percent-encoded (as some AWS APIs return policies).
func parsePolicy(doc string) (*model.Policy, error) {
	pol, err := model.ParsePolicy(doc)
	if err == nil {
		return pol, nil
	}
	if strings.HasPrefix(strings.TrimSpace(doc), "%7B") {
		if dec, uerr := url.QueryUnescape(doc); uerr == nil {
			if p, perr := model.ParsePolicy(dec); perr == nil {
				return p, nil
			}
		}
	}
	return nil, err
}

func (rr *regionRead) endpointService(c *types.ServiceConfiguration) *model.EndpointService {
	id := aws.ToString(c.ServiceId)
	out := &model.EndpointService{
		Meta:                    rr.meta(id, TypeEndpointService, "vpc-endpoint-service", "", "", c.Tags),
		PrivateDNSName:          aws.ToString(c.PrivateDnsName),
		NetworkLoadBalancerARNs: sortedUnique(append([]string{}, c.NetworkLoadBalancerArns...)),
		GatewayLoadBalancerARNs: sortedUnique(append([]string{}, c.GatewayLoadBalancerArns...)),
		SupportedRegions:        idsOf(c.SupportedRegions, func(r types.SupportedRegionDetail) *string { return r.Region }),
		SupportedIPAddressTypes: []string{},
		ServiceName:             aws.ToString(c.ServiceName),
	}
	if c.AcceptanceRequired != nil {
		out.AcceptanceRequired = model.Bool(*c.AcceptanceRequired)
	}
	for _, t := range c.SupportedIpAddressTypes {
		out.SupportedIPAddressTypes = append(out.SupportedIPAddressTypes, string(t))
	}
	out.SupportedIPAddressTypes = sortedUnique(out.SupportedIPAddressTypes)
	return out
}

func (rr *regionRead) prefixList(p *types.ManagedPrefixList) *model.PrefixList {
	id := aws.ToString(p.PrefixListId)
	owner := aws.ToString(p.OwnerId)
	out := &model.PrefixList{
		Meta:          rr.meta(id, TypePrefixList, "prefix-list", owner, aws.ToString(p.PrefixListArn), p.Tags),
		Name:          aws.ToString(p.PrefixListName),
		AddressFamily: aws.ToString(p.AddressFamily),
		AWSManaged:    owner == "AWS",
	}
	if p.MaxEntries != nil {
		out.MaxEntries = model.Int(int(*p.MaxEntries))
	}
	if out.AWSManaged {
		// AWS-managed lists (S3, DynamoDB ...) are not read entry by
		// entry: their addresses are AWS's and change over time.
		out.Unknown = append(out.Unknown, "cidrs")
	}
	return out
}

func (rr *regionRead) flowLog(f *types.FlowLog) *model.FlowLog {
	id := aws.ToString(f.FlowLogId)
	res := aws.ToString(f.ResourceId)
	return &model.FlowLog{
		Meta:         rr.meta(id, TypeFlowLog, "vpc-flow-log", "", "", f.Tags),
		ResourceID:   res,
		ResourceType: flowLogResourceType(res),
		TrafficType:  string(f.TrafficType),
	}
}

// flowLogResourceType names the kind of resource a flow log watches,
// from its id.
func flowLogResourceType(id string) string {
	switch {
	case strings.HasPrefix(id, "vpc-"):
		return "VPC"
	case strings.HasPrefix(id, "subnet-"):
		return "Subnet"
	case strings.HasPrefix(id, "eni-"):
		return "NetworkInterface"
	case strings.HasPrefix(id, "tgw-attach-"):
		return "TransitGatewayAttachment"
	case strings.HasPrefix(id, "tgw-"):
		return "TransitGateway"
	}
	return ""
}

// linkSubnets fills each subnet's ACL (from the ACLs' associations: every
// live subnet is associated with exactly one, the default ACL included)
// and route table (its explicit association, else its VPC's main table).
func linkSubnets(m *model.Model) {
	acl := map[string]string{}
	for _, a := range m.NetworkACLs {
		for _, s := range a.SubnetIDs {
			acl[s] = a.ID
		}
	}
	rt := map[string]string{}
	mainRT := map[string]string{}
	for _, t := range m.RouteTables {
		for _, s := range t.SubnetIDs {
			rt[s] = t.ID
		}
		if t.IsMain {
			mainRT[t.VPCID] = t.ID
		}
	}
	for _, s := range m.Subnets {
		s.NetworkACLID = acl[s.ID]
		if id, ok := rt[s.ID]; ok {
			s.RouteTableID = id
		} else {
			s.RouteTableID = mainRT[s.VPCID]
		}
	}
}

// canonical masks a CIDR's host bits; "" when it is empty or invalid.
func canonical(c string) string {
	if c == "" {
		return ""
	}
	out, _, err := model.CanonicalCIDR(c)
	if err != nil {
		return ""
	}
	return out
}

// canonicalOr masks a CIDR's host bits, keeping an invalid one as given.
func canonicalOr(c string) string {
	if out := canonical(c); out != "" {
		return out
	}
	return c
}

// idsOf lists the non-empty strings id reads from items (the subnets of
// associations, the groups of an endpoint), sorted and unique.
func idsOf[T any](items []T, id func(T) *string) []string {
	out := []string{}
	for _, it := range items {
		if s := aws.ToString(id(it)); s != "" {
			out = append(out, s)
		}
	}
	return sortedUnique(out)
}

// sortedUnique sorts and deduplicates a non-nil list.
func sortedUnique(in []string) []string {
	if in == nil {
		return []string{}
	}
	slices.Sort(in)
	return slices.Compact(in)
}
