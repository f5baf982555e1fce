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
//   - the index (index.go): the few groups and endpoints with a rare fact
//     (open to the internet, one AZ ...), for rules to visit alone.
//
// Unknown values never produce a definite answer: the affected facts are
// marked Known=false and hold only what is certain.
package analysis

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/vpclint/vpclint/model"
)

// Analyze fills m.Facts. Groups and ACLs are analysed in parallel, one
// worker per CPU; the result does not depend on the number of workers.
// Facts may share slices (the port lists of equal PortSets): treat them as
// read-only.
func Analyze(m *model.Model) {
	f := &model.Facts{
		SecurityGroups: map[string]*model.SGFacts{},
		NetworkACLs:    map[string]*model.NACLFacts{},
		Endpoints:      map[string]*model.EndpointFacts{},
	}
	m.Facts = f
	ix := newIndex(m)
	// Fill the VPC cache before the parallel phase only reads it.
	for _, g := range m.SecurityGroups {
		if g != nil {
			ix.vpcAddrs(g.VPCID)
		}
	}
	sgs := make([]*model.SGFacts, len(m.SecurityGroups))
	parallel(len(m.SecurityGroups), func(e *env, i int) {
		if g := m.SecurityGroups[i]; g != nil && g.ID != "" {
			sgs[i] = sgFacts(e, g, ix.vpcAddrs(g.VPCID))
		}
	})
	ids := make(map[string]int, len(m.SecurityGroups))
	for _, g := range m.SecurityGroups {
		if g != nil {
			ids[g.ID]++
		}
	}
	f.SGRuleCountsComplete = true
	for i, g := range m.SecurityGroups {
		if g == nil {
			continue
		}
		if sgs[i] == nil || ids[g.ID] != 1 {
			f.SGRuleCountsComplete = false
		}
		if sgs[i] != nil {
			if ids[g.ID] == 1 {
				sgs[i].Ingress.RuleCounts = ruleCounts(g.Ingress)
				sgs[i].Egress.RuleCounts = ruleCounts(g.Egress)
			}
			f.SecurityGroups[g.ID] = sgs[i]
		}
	}
	infos := make([]*aclInfo, len(m.NetworkACLs))
	acls := make([]*model.NACLFacts, len(m.NetworkACLs))
	parallel(len(m.NetworkACLs), func(e *env, i int) {
		if a := m.NetworkACLs[i]; a != nil && a.ID != "" {
			infos[i], acls[i] = evalACL(e, a)
		}
	})
	ix.routes = newRouting(m)
	for i, a := range m.NetworkACLs {
		if acls[i] != nil {
			acls[i].SubnetIDs = ix.aclSubnets(a)
			reach, via := ix.aclInternet(a, acls[i].SubnetIDs)
			if reach != maybe {
				b := reach == yes
				acls[i].InternetReachable = &b
			}
			acls[i].InternetReachableSubnets = append([]string{}, via...)
			ix.acls[a.ID] = infos[i]
			f.NetworkACLs[a.ID] = acls[i]
		}
	}
	e := newEnv()
	for _, ep := range m.VPCEndpoints {
		if ep == nil || ep.ID == "" {
			continue
		}
		f.Endpoints[ep.ID] = endpointFacts(e, ix, ep)
	}
	f.Index = buildIndex(m, f)
}

// parallel runs work(e, i) for i in [0, n) on up to GOMAXPROCS workers,
// each with its own env.
func parallel(n int, work func(e *env, i int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+63)/64)
	if workers <= 1 {
		e := newEnv()
		for i := range n {
			work(e, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			e := newEnv()
			for {
				start := int(next.Add(32)) - 32
				if start >= n {
					return
				}
				for i := start; i < min(start+32, n); i++ {
					work(e, i)
				}
			}
		})
	}
	wg.Wait()
}

// index gives the lookups the facts need, built once per model.
type index struct {
	m        *model.Model
	vpcs     map[string]*model.VPC
	vpcAddr  map[string]*vpcAddrs
	vpcKnown map[string]bool
	subnets  map[string]*model.Subnet
	// vpcSubnets lists each VPC's subnets in model order.
	vpcSubnets map[string][]*model.Subnet
	groups     map[string]*model.SecurityGroup
	// defaultGroup is each VPC's default security group.
	defaultGroup map[string]*model.SecurityGroup
	acls         map[string]*aclInfo
	aclByID      map[string]*model.NetworkACL
	defaultACL   map[string]*model.NetworkACL
	// assoc is each subnet's explicitly associated ACL (from the subnet or
	// from an ACL's subnet_ids).
	assoc map[string]string
	// byACL inverts assoc, built on first use.
	byACL map[string][]string
	// assocUnknown: subnets whose association cannot be decided.
	assocUnknown map[string]bool
	// sg443 caches what each group's ingress allows on TCP 443.
	sg443 map[string]*groupPort
	// routes answers which subnets the internet can reach.
	routes *routing
	// tables are the route tables by id, built on first use (maps).
	tables map[string]*model.RouteTable
}

func newIndex(m *model.Model) *index {
	ix := &index{m: m, vpcs: map[string]*model.VPC{}, vpcAddr: map[string]*vpcAddrs{}, vpcKnown: map[string]bool{},
		subnets: map[string]*model.Subnet{}, vpcSubnets: map[string][]*model.Subnet{},
		groups: map[string]*model.SecurityGroup{}, defaultGroup: map[string]*model.SecurityGroup{},
		acls: map[string]*aclInfo{}, aclByID: map[string]*model.NetworkACL{}, defaultACL: map[string]*model.NetworkACL{},
		assoc: map[string]string{}, assocUnknown: map[string]bool{}, sg443: map[string]*groupPort{}}
	for _, v := range m.VPCs {
		if v != nil && v.ID != "" {
			ix.vpcs[v.ID] = v
		}
	}
	for _, s := range m.Subnets {
		if s == nil || s.ID == "" {
			continue
		}
		ix.subnets[s.ID] = s
		if s.VPCID != "" {
			ix.vpcSubnets[s.VPCID] = append(ix.vpcSubnets[s.VPCID], s)
		}
		if s.NetworkACLID != "" {
			ix.assoc[s.ID] = s.NetworkACLID
		} else if newUnknowns(&s.Meta).has("network_acl_id") {
			ix.assocUnknown[s.ID] = true
		}
	}
	for _, g := range m.SecurityGroups {
		if g == nil || g.ID == "" {
			continue
		}
		ix.groups[g.ID] = g
		if g.IsDefault && g.VPCID != "" {
			if _, ok := ix.defaultGroup[g.VPCID]; !ok {
				ix.defaultGroup[g.VPCID] = g
			}
		}
	}
	unknownLists := map[string]bool{} // VPCs with an ACL whose subnet_ids are unknown
	for _, a := range m.NetworkACLs {
		if a == nil || a.ID == "" {
			continue
		}
		ix.aclByID[a.ID] = a
		if a.IsDefault && a.VPCID != "" {
			if _, ok := ix.defaultACL[a.VPCID]; !ok {
				ix.defaultACL[a.VPCID] = a
			}
		}
		for _, s := range a.SubnetIDs {
			if _, ok := ix.assoc[s]; !ok && s != "" {
				ix.assoc[s] = a.ID
			}
		}
		if newUnknowns(&a.Meta).has("subnet_ids") {
			unknownLists[a.VPCID] = true
		}
	}
	for _, s := range m.Subnets {
		if s == nil || s.ID == "" {
			continue
		}
		if _, ok := ix.assoc[s.ID]; !ok && (unknownLists[s.VPCID] || unknownLists[""]) {
			ix.assocUnknown[s.ID] = true
		}
	}
	return ix
}

// vpcAddrs returns the address blocks of a VPC, or nil when unknown.
func (ix *index) vpcAddrs(id string) *vpcAddrs {
	if id == "" {
		return nil
	}
	if ok, done := ix.vpcKnown[id]; done {
		if !ok {
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

// aclSubnets lists the subnets that use an ACL: its explicit associations,
// plus for a VPC's default ACL the VPC's subnets without one.
func (ix *index) aclSubnets(a *model.NetworkACL) []string {
	if ix.byACL == nil {
		ix.byACL = map[string][]string{}
		for s, id := range ix.assoc {
			ix.byACL[id] = append(ix.byACL[id], s)
		}
	}
	out := append([]string{}, ix.byACL[a.ID]...)
	if a.IsDefault && a.VPCID != "" && ix.defaultACL[a.VPCID] == a {
		for _, s := range ix.vpcSubnets[a.VPCID] {
			if _, ok := ix.assoc[s.ID]; !ok && !ix.assocUnknown[s.ID] {
				out = append(out, s.ID)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// subnetACL is the ACL that filters a subnet's traffic.
type subnetACL struct {
	// info is the evaluated ACL; nil with allowAll for a VPC whose default
	// ACL is not in the model (AWS's default allows everything), nil
	// without allowAll when the ACL cannot be known.
	info     *aclInfo
	allowAll bool
}

func (ix *index) subnetACL(s *model.Subnet) subnetACL {
	if ix.assocUnknown[s.ID] {
		return subnetACL{}
	}
	if id, ok := ix.assoc[s.ID]; ok {
		a := ix.aclByID[id]
		if a == nil || a.Placeholder {
			return subnetACL{}
		}
		return subnetACL{info: ix.acls[id]}
	}
	if s.VPCID == "" {
		return subnetACL{}
	}
	a := ix.defaultACL[s.VPCID]
	if a == nil {
		return subnetACL{allowAll: true}
	}
	if a.Placeholder {
		return subnetACL{}
	}
	return subnetACL{info: ix.acls[a.ID]}
}

// ruleCounts counts a direction's rules as AWS does against the quota.
func ruleCounts(rules []*model.SGRule) *model.RuleCounts {
	c := &model.RuleCounts{}
	for _, r := range rules {
		if r == nil {
			continue
		}
		shared := len(r.SecurityGroupIDs) + len(r.PrefixListIDs)
		if r.Self {
			shared++
		}
		c.IPv4 += len(r.CIDRBlocks) + shared
		c.IPv6 += len(r.IPv6CIDRBlocks) + shared
	}
	c.Max = max(c.IPv4, c.IPv6)
	return c
}
