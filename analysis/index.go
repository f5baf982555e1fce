package analysis

import (
	"slices"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// buildIndex lists the resources whose facts have a rare property
// (model.FactIndex), once the facts are complete.
func buildIndex(m *model.Model, f *model.Facts) *model.FactIndex {
	x := &model.FactIndex{
		InternetIngress:         []string{},
		PublicIngress:           []string{},
		InternetEgress:          []string{},
		RedundantRules:          []string{},
		InterfaceEndpointGroups: map[string][]string{},
		SingleAZ:                []string{},
		MissingAZs:              []string{},
		DuplicateAZs:            []string{},
		ForeignGroups:           []string{},
		BlockedEndpoints:        []string{},
		InternetReachableACLs:   []int{},
		GroupPositions:          make(map[string]int, len(m.SecurityGroups)),
	}
	for i, g := range m.SecurityGroups {
		if g == nil {
			continue
		}
		if _, dup := x.GroupPositions[g.ID]; !dup {
			x.GroupPositions[g.ID] = i
		}
	}
	for id, g := range f.SecurityGroups {
		if g.Ingress != nil && !g.Ingress.Internet.Empty {
			x.InternetIngress = append(x.InternetIngress, id)
		}
		if g.Ingress != nil && !g.Ingress.Public.Empty {
			x.PublicIngress = append(x.PublicIngress, id)
		}
		if g.Egress != nil && !g.Egress.Internet.Empty {
			x.InternetEgress = append(x.InternetEgress, id)
		}
		if len(g.Redundant) > 0 {
			x.RedundantRules = append(x.RedundantRules, id)
		}
		for _, d := range []*model.DirectionFacts{g.Ingress, g.Egress} {
			if d != nil && d.RuleCounts != nil {
				x.MaxSGRuleCount = max(x.MaxSGRuleCount, d.RuleCounts.Max)
			}
		}
	}
	for i, a := range m.NetworkACLs {
		if a == nil {
			continue
		}
		if af := f.NetworkACLs[a.ID]; af != nil && af.InternetReachable != nil && *af.InternetReachable {
			x.InternetReachableACLs = append(x.InternetReachableACLs, i)
		}
	}
	for id, e := range f.Endpoints {
		if len(e.AZs) == 1 {
			x.SingleAZ = append(x.SingleAZ, id)
		}
		if len(e.MissingAZs) > 0 {
			x.MissingAZs = append(x.MissingAZs, id)
		}
		if len(e.DuplicateAZs) > 0 {
			x.DuplicateAZs = append(x.DuplicateAZs, id)
		}
		if len(e.ForeignGroups) > 0 {
			x.ForeignGroups = append(x.ForeignGroups, id)
		}
		if slices.ContainsFunc(e.BlockedReachability, blockedByACL) {
			x.BlockedEndpoints = append(x.BlockedEndpoints, id)
		}
	}
	for _, ep := range m.VPCEndpoints {
		if ep == nil || ep.Type != model.EndpointInterface || f.Endpoints[ep.ID] == nil {
			continue
		}
		for _, g := range f.Endpoints[ep.ID].SecurityGroupIDs {
			x.InterfaceEndpointGroups[g] = append(x.InterfaceEndpointGroups[g], ep.Address)
		}
	}
	x.EndpointPolicies, x.OtherPolicyEndpoints = policyGroups(m.VPCEndpoints)
	indexGroupAttributes(x, m.SecurityGroups)
	indexEndpointAttributes(x, m.VPCEndpoints)
	for g, addrs := range x.InterfaceEndpointGroups {
		slices.Sort(addrs)
		x.InterfaceEndpointGroups[g] = slices.Compact(addrs)
	}
	for _, l := range [][]string{x.InternetIngress, x.PublicIngress, x.InternetEgress, x.RedundantRules, x.SingleAZ, x.MissingAZs, x.DuplicateAZs, x.ForeignGroups, x.BlockedEndpoints} {
		slices.Sort(l)
	}
	return x
}

// policyGroups groups the endpoints with a policy by service and digest
// (model.FactIndex.EndpointPolicies) and lists the positions of the others
// with a policy.
func policyGroups(eps []*model.VPCEndpoint) ([]*model.PolicyGroup, []int) {
	type key struct{ service, digest string }
	byKey := map[key]*model.PolicyGroup{}
	groups := []*model.PolicyGroup{}
	other := []int{}
	for i, ep := range eps {
		if ep == nil || ep.Policy == nil {
			continue
		}
		if ep.Placeholder || ep.Service == "" || ep.Policy.Digest == "" ||
			ep.Type != model.EndpointInterface && ep.Type != model.EndpointGateway {
			other = append(other, i)
			continue
		}
		k := key{ep.Service, ep.Policy.Digest}
		g := byKey[k]
		if g == nil {
			g = &model.PolicyGroup{Service: k.service, Digest: k.digest}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.Endpoints = append(g.Endpoints, i)
	}
	slices.SortFunc(groups, func(a, b *model.PolicyGroup) int {
		if c := strings.Compare(a.Service, b.Service); c != 0 {
			return c
		}
		return strings.Compare(a.Digest, b.Digest)
	})
	return groups, other
}

// terraformDefaultDescription is what Terraform writes when a group has no
// description.
const terraformDefaultDescription = "Managed by Terraform"

// indexGroupAttributes lists the groups with a description to look at and
// the default groups.
func indexGroupAttributes(x *model.FactIndex, groups []*model.SecurityGroup) {
	x.UndescribedGroups, x.UndescribedRuleGroups, x.DefaultGroups = []int{}, []int{}, []int{}
	blank := func(s *string) bool { return s == nil || strings.TrimSpace(*s) == "" }
	for i, g := range groups {
		if g == nil {
			continue
		}
		if blank(g.Description) || strings.TrimSpace(*g.Description) == terraformDefaultDescription {
			x.UndescribedGroups = append(x.UndescribedGroups, i)
		}
		undescribed := func(r *model.SGRule) bool { return r != nil && blank(r.Description) }
		if slices.ContainsFunc(g.Ingress, undescribed) || slices.ContainsFunc(g.Egress, undescribed) {
			x.UndescribedRuleGroups = append(x.UndescribedRuleGroups, i)
		}
		if g.IsDefault {
			x.DefaultGroups = append(x.DefaultGroups, i)
		}
	}
}

// indexEndpointAttributes lists the endpoints with an invalid or no
// policy, and the duplicate private DNS names, and counts what the quota
// rule needs.
func indexEndpointAttributes(x *model.FactIndex, eps []*model.VPCEndpoint) {
	x.InvalidPolicies, x.NoPolicy, x.PrivateDNSDuplicates = []int{}, []int{}, []int{}
	x.InterfaceEndpointsPerVPC = map[string]int{}
	type dnsKey struct{ vpc, service string }
	dns := map[dnsKey][]int{}
	for i, ep := range eps {
		if ep == nil {
			continue
		}
		if ep.PolicyError != "" || ep.Policy == nil && ep.PolicyRaw != nil || ep.Policy != nil && len(ep.Policy.Problems) > 0 {
			x.InvalidPolicies = append(x.InvalidPolicies, i)
		}
		if ep.Policy == nil && ep.PolicyRaw == nil {
			x.NoPolicy = append(x.NoPolicy, i)
		}
		x.MaxEndpointSecurityGroups = max(x.MaxEndpointSecurityGroups, len(ep.SecurityGroupIDs))
		if ep.Placeholder {
			continue
		}
		if ep.VPCID != "" && (ep.Type == model.EndpointInterface || ep.Type == model.EndpointGatewayLoadBalancer) {
			x.InterfaceEndpointsPerVPC[ep.VPCID]++
		}
		if ep.Type == model.EndpointInterface && ep.VPCID != "" && ep.ServiceName != "" && ep.PrivateDNSEnabled != nil && *ep.PrivateDNSEnabled {
			k := dnsKey{ep.VPCID, ep.ServiceName}
			dns[k] = append(dns[k], i)
		}
	}
	for _, pos := range dns {
		if len(pos) > 1 {
			x.PrivateDNSDuplicates = append(x.PrivateDNSDuplicates, pos...)
		}
	}
	slices.Sort(x.PrivateDNSDuplicates)
}

// blockedByACL: the request or the reply of a path is known to be dropped
// by a network ACL (a security group's block names no ACL). Only such
// paths make NACL005 and NACL006 findings, and an endpoint whose paths are
// blocked by its groups alone is common: listing it would make those rules
// read its paths for nothing.
func blockedByACL(pc *model.PathCheck) bool {
	for _, v := range []*model.Verdict{pc.Request, pc.Reply} {
		if v != nil && v.Known && !v.Allowed && v.BlockedBy != "" {
			return true
		}
	}
	return false
}
