// Package analysis computes exact network facts in Go and stores them in
// model.Facts, which rules read as input.facts.
//
// Every security-group rule and network-ACL entry is a box: a protocol key
// range (protocol and port, or ICMP type and code, see keys.go) times an
// IPv4 or IPv6 address range. Finite unions of boxes (package boxset, on
// the interval sets of package interval and the CIDR conversions of
// package ipset) are closed under union, intersection and difference, so
// every fact is exact: 0.0.0.0/1 + 128.0.0.0/1 is the internet, 0-65535
// split over three rules is all ports, and tcp 0-0 is port 0 only.
//
// The facts:
//   - security groups (sg.go): per direction what is allowed at all, from
//     the internet, from public addresses and from outside the VPC, with the
//     rules responsible; redundant rules.
//   - network ACLs (nacl.go): first-match semantics per direction, what the
//     internet may send, Al-Shaer & Hamed anomalies, duplicate rule numbers,
//     the subnets that use the ACL.
//   - endpoints (endpoint.go): effective security groups, AZ coverage and
//     the reachability of interface endpoints through ACLs and groups.
//
// Unknown values never produce a definite answer: the affected facts are
// marked Known=false and hold only what is certain.
package analysis

import "github.com/vpclint/vpclint/model"

// Analyze fills m.Facts.
func Analyze(m *model.Model) {
	e := newEnv()
	f := &model.Facts{
		SecurityGroups: map[string]*model.SGFacts{},
		NetworkACLs:    map[string]*model.NACLFacts{},
		Endpoints:      map[string]*model.EndpointFacts{},
	}
	m.Facts = f
	ix := newIndex(m)
	for _, g := range m.SecurityGroups {
		if g == nil || g.ID == "" {
			continue
		}
		f.SecurityGroups[g.ID] = sgFacts(e, g, ix.vpcAddrs(g.VPCID))
	}
}

// index gives the lookups the facts need, built once per model.
type index struct {
	m        *model.Model
	vpcs     map[string]*model.VPC
	vpcAddr  map[string]*vpcAddrs
	vpcKnown map[string]bool
}

func newIndex(m *model.Model) *index {
	ix := &index{m: m, vpcs: map[string]*model.VPC{}, vpcAddr: map[string]*vpcAddrs{}, vpcKnown: map[string]bool{}}
	for _, v := range m.VPCs {
		if v != nil && v.ID != "" {
			ix.vpcs[v.ID] = v
		}
	}
	return ix
}

// vpcAddrs returns the address blocks of a VPC, or nil when unknown.
func (ix *index) vpcAddrs(id string) *vpcAddrs {
	if id == "" {
		return nil
	}
	if done, ok := ix.vpcKnown[id]; ok {
		if !done {
			return nil
		}
		return ix.vpcAddr[id]
	}
	a, ok := vpcAddresses(ix.vpcs[id])
	ix.vpcKnown[id] = ok
	if !ok {
		return nil
	}
	ix.vpcAddr[id] = &a
	return &a
}
