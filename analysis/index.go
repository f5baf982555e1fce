package analysis

import (
	"slices"

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
	}
	for _, ep := range m.VPCEndpoints {
		if ep == nil || ep.Type != model.EndpointInterface || f.Endpoints[ep.ID] == nil {
			continue
		}
		for _, g := range f.Endpoints[ep.ID].SecurityGroupIDs {
			x.InterfaceEndpointGroups[g] = append(x.InterfaceEndpointGroups[g], ep.Address)
		}
	}
	for g, addrs := range x.InterfaceEndpointGroups {
		slices.Sort(addrs)
		x.InterfaceEndpointGroups[g] = slices.Compact(addrs)
	}
	for _, l := range [][]string{x.InternetIngress, x.PublicIngress, x.InternetEgress, x.RedundantRules, x.SingleAZ, x.MissingAZs, x.DuplicateAZs, x.ForeignGroups} {
		slices.Sort(l)
	}
	return x
}
