package analysis

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpclint/vpclint/analysis/boxset"
	"github.com/vpclint/vpclint/analysis/interval"
	"github.com/vpclint/vpclint/analysis/ipset"
	"github.com/vpclint/vpclint/model"
)

// Ports of the reachability check (RULES.md NACL005/NACL006): requests to
// the endpoint on TCP 443, replies to the client's ephemeral ports.
const (
	servicePort   = 443
	ephemeralLow  = 1024
	ephemeralHigh = 65535
)

// endpointFacts computes the facts of one endpoint.
func endpointFacts(e *env, ix *index, ep *model.VPCEndpoint) *model.EndpointFacts {
	u := newUnknowns(&ep.Meta)
	f := &model.EndpointFacts{
		SecurityGroupIDs: []string{},
		ForeignGroups:    []string{},
		MissingGroups:    []string{},
		Reachability:     []*model.PathCheck{},
	}
	// Effective groups.
	sgKnown := !u.has("security_group_ids")
	for _, id := range ep.SecurityGroupIDs {
		if id != "" && !slices.Contains(f.SecurityGroupIDs, id) {
			f.SecurityGroupIDs = append(f.SecurityGroupIDs, id)
		}
	}
	if len(f.SecurityGroupIDs) == 0 && sgKnown && ep.Type == model.EndpointInterface && ep.VPCID != "" {
		f.UsesDefaultGroup = true
		if g := ix.defaultGroup[ep.VPCID]; g != nil {
			f.SecurityGroupIDs = append(f.SecurityGroupIDs, g.ID)
		} else {
			f.SecurityGroupIDs = append(f.SecurityGroupIDs, ep.VPCID+".default_security_group")
		}
	}
	if !f.UsesDefaultGroup {
		for _, id := range f.SecurityGroupIDs {
			g := ix.groups[id]
			if ix.m.Inventory.Complete && (g == nil || g.Placeholder) {
				f.MissingGroups = append(f.MissingGroups, id)
				continue
			}
			if g != nil && g.VPCID != "" && ep.VPCID != "" && g.VPCID != ep.VPCID && !newUnknowns(&g.Meta).has("vpc_id") {
				f.ForeignGroups = append(f.ForeignGroups, id)
			}
		}
	}
	azFacts(ix, ep, u, f)
	if ep.Type == model.EndpointInterface && ep.VPCID != "" {
		f.Reachability = reachability(e, ix, ep, u, f.SecurityGroupIDs, sgKnown)
	}
	f.BlockedReachability = []*model.PathCheck{}
	for _, pc := range f.Reachability {
		if pc.Request != nil && !pc.Request.Allowed || pc.Reply != nil && !pc.Reply.Allowed {
			f.BlockedReachability = append(f.BlockedReachability, pc)
		}
	}
	return f
}

// azOf returns a subnet's AZ: its name, else its id, else its symbolic
// ref; kind tells which, so that different kinds are never compared.
func azOf(s *model.Subnet) (az, kind string) {
	switch {
	case s.AvailabilityZone != "":
		return s.AvailabilityZone, "name"
	case s.AvailabilityZoneID != "":
		return s.AvailabilityZoneID, "id"
	case s.AZRef != "":
		return s.AZRef, "ref"
	}
	return "", ""
}

// azFacts fills the AZ coverage of an endpoint.
func azFacts(ix *index, ep *model.VPCEndpoint, u unknowns, f *model.EndpointFacts) {
	f.AZs, f.VPCAZs, f.MissingAZs, f.DuplicateAZs = []string{}, []string{}, []string{}, []*model.DuplicateAZ{}
	epKnown := !u.has("subnet_ids")
	allKnown := ep.VPCID != ""
	kinds := map[string]bool{}
	epKinds := map[string]bool{}
	bySubnet := map[string][]string{}
	for _, id := range ep.SubnetIDs {
		s := ix.subnets[id]
		if s == nil {
			epKnown = false
			continue
		}
		az, kind := azOf(s)
		if az == "" {
			epKnown = false
			continue
		}
		kinds[kind], epKinds[kind] = true, true
		if !slices.Contains(bySubnet[az], id) {
			bySubnet[az] = append(bySubnet[az], id)
		}
		if !slices.Contains(f.AZs, az) {
			f.AZs = append(f.AZs, az)
		}
	}
	for _, s := range ix.vpcSubnets[ep.VPCID] {
		az, kind := azOf(s)
		if az == "" {
			allKnown = false
			continue
		}
		kinds[kind] = true
		if !slices.Contains(f.VPCAZs, az) {
			f.VPCAZs = append(f.VPCAZs, az)
		}
	}
	if len(epKinds) > 1 {
		epKnown = false
	}
	if len(kinds) > 1 {
		allKnown = false
	}
	for _, az := range f.VPCAZs {
		if ep.Type == model.EndpointGateway {
			break // a gateway endpoint has no subnets: nothing is missing
		}
		if !slices.Contains(f.AZs, az) {
			f.MissingAZs = append(f.MissingAZs, az)
		}
	}
	for _, az := range f.AZs {
		if ids := bySubnet[az]; len(ids) > 1 {
			f.DuplicateAZs = append(f.DuplicateAZs, &model.DuplicateAZ{AZ: az, SubnetIDs: ids})
		}
	}
	slices.Sort(f.AZs)
	slices.Sort(f.VPCAZs)
	slices.Sort(f.MissingAZs)
	slices.SortFunc(f.DuplicateAZs, func(a, b *model.DuplicateAZ) int { return strings.Compare(a.AZ, b.AZ) })
	f.EndpointAZsKnown = epKnown
	f.AZsKnown = epKnown && allKnown
}

// groupPort is what a group's ingress allows on one TCP port.
type groupPort struct {
	v4       ipset.V4
	v6       ipset.V6
	symbolic bool // a prefix list, group or self rule allows the port
	known    bool // the group and its ingress rules are known
}

func (ix *index) groupIngress(e *env, id string, port int) *groupPort {
	if gp, ok := ix.sg443[id]; ok {
		return gp
	}
	gp := &groupPort{}
	ix.sg443[id] = gp
	g := ix.groups[id]
	if g == nil || g.Placeholder {
		return gp
	}
	u := newUnknowns(&g.Meta)
	// An unknown list, or one that may hold more rules, is not known; the
	// rules it holds still allow what they allow.
	gp.known = g.Ingress != nil && !u.exact("ingress")
	u = u.without("ingress")
	k := key(protoTCP<<16 | port)
	for i, r := range g.Ingress {
		if r == nil {
			continue
		}
		sr := readSGRule(e, u, id, "ingress", i, r, nil)
		if !sr.known() {
			gp.known = false
		}
		if !sr.portsKnown || !sr.keys.Contains(k) {
			continue
		}
		gp.v4 = gp.v4.Union(sr.v4Set())
		gp.v6 = gp.v6.Union(sr.v6Set())
		if len(sr.sym) > 0 {
			gp.symbolic = true
		}
	}
	return gp
}

// Outcome of one check on a path.
const (
	pass = iota
	blocked
	unknown
)

// hop is the outcome of one ACL or group check.
type hop struct {
	state     int
	aclID     string
	direction string
	entry     int // index of the deny entry, -1 for the final * deny
	groups    []string
	ports     keySet
	reason    string
}

// subnetAddrs are a subnet's CIDRs.
type subnetAddrs struct {
	v4, v6           *netip.Prefix
	v4Known, v6Known bool
}

func addrsOf(s *model.Subnet) subnetAddrs {
	var a subnetAddrs
	if s == nil {
		return a
	}
	u := newUnknowns(&s.Meta)
	a.v4Known = !u.has("cidr_block")
	a.v6Known = !u.has("ipv6_cidr_block")
	if s.CIDRBlock != "" {
		if p, err := netip.ParsePrefix(s.CIDRBlock); err == nil && p.Addr().Is4() {
			p = p.Masked()
			a.v4 = &p
		} else {
			a.v4Known = false
		}
	}
	if s.IPv6CIDRBlock != "" {
		if p, err := netip.ParsePrefix(s.IPv6CIDRBlock); err == nil && p.Addr().Is6() {
			p = p.Masked()
			a.v6 = &p
		} else {
			a.v6Known = false
		}
	}
	return a
}

func name(m *model.Meta) string {
	if m.Address != "" {
		return m.Address
	}
	return m.ID
}

// reachability checks every (client subnet, endpoint subnet) pair of an
// interface endpoint.
func reachability(e *env, ix *index, ep *model.VPCEndpoint, u unknowns, groups []string, sgKnown bool) []*model.PathCheck {
	out := []*model.PathCheck{}
	v4 := ep.IPAddressType == "" || strings.EqualFold(ep.IPAddressType, "ipv4") || strings.EqualFold(ep.IPAddressType, "dualstack")
	v6 := strings.EqualFold(ep.IPAddressType, "ipv6") || strings.EqualFold(ep.IPAddressType, "dualstack")
	for _, client := range ix.vpcSubnets[ep.VPCID] {
		for _, sid := range ep.SubnetIDs {
			es := ix.subnets[sid]
			pc := &model.PathCheck{ClientSubnet: client.ID, EndpointSubnet: sid}
			out = append(out, pc)
			if es == nil {
				pc.Request = &model.Verdict{BlockingEntry: -1}
				pc.Reply = &model.Verdict{BlockingEntry: -1}
				continue
			}
			p := &path{e: e, ix: ix, client: client, ep: es, ca: addrsOf(client), ea: addrsOf(es),
				groups: groups, sgKnown: sgKnown && !u.has("security_group_ids")}
			pc.Request = p.verdict(true, v4, v6)
			pc.Reply = p.verdict(false, v4, v6)
		}
	}
	return out
}

// path is one client subnet and one endpoint subnet.
type path struct {
	e          *env
	ix         *index
	client, ep *model.Subnet
	ca, ea     subnetAddrs
	groups     []string
	sgKnown    bool
}

// verdict evaluates the request (TCP 443 from client to endpoint) or the
// reply (TCP 1024-65535 from endpoint to client) in each address family
// the endpoint serves.
func (p *path) verdict(request, v4, v6 bool) *model.Verdict {
	var hops []hop
	checked := false
	if v4 {
		switch {
		case p.ca.v4 != nil && p.ea.v4 != nil:
			checked = true
			hops = append(hops, p.family4(request)...)
		case !p.ca.v4Known || !p.ea.v4Known:
			hops = append(hops, hop{state: unknown})
		}
	}
	if v6 {
		switch {
		case p.ca.v6 != nil && p.ea.v6 != nil:
			checked = true
			hops = append(hops, p.family6(request)...)
		case !p.ca.v6Known || !p.ea.v6Known:
			hops = append(hops, hop{state: unknown})
		}
	}
	v := &model.Verdict{BlockingEntry: -1}
	if !checked {
		return v
	}
	// ACL blocks come first (in path order, IPv4 before IPv6), then a
	// group block: NACL005/NACL006 read the ACL that blocks.
	slices.SortStableFunc(hops, func(a, b hop) int {
		ga, gb := a.groups != nil, b.groups != nil
		switch {
		case ga == gb:
			return 0
		case gb:
			return -1
		}
		return 1
	})
	anyUnknown := false
	for _, h := range hops {
		switch h.state {
		case blocked:
			v.Known, v.Allowed = true, false
			v.BlockedBy, v.BlockedDirection, v.BlockingEntry = h.aclID, h.direction, h.entry
			v.BlockedByGroups = h.groups
			v.BlockedPorts = tcpPorts(h.ports)
			v.Reason = h.reason
			return v
		case unknown:
			anyUnknown = true
		}
	}
	v.Known, v.Allowed = !anyUnknown, !anyUnknown
	return v
}

func tcpPorts(ks keySet) []model.PortRange {
	if ks.IsEmpty() {
		return nil
	}
	return portsOf(ks, protoTCP)
}

func (p *path) family4(request bool) []hop {
	c, ep := ipset.RangeV4(*p.ca.v4), ipset.RangeV4(*p.ea.v4)
	return pathHops(p, request, interval.FromRanges(c), interval.FromRanges(ep),
		func(d *aclDir) *famEval[u32] { return d.f4 },
		func(g *groupPort) interval.Set[u32] { return g.v4 })
}

func (p *path) family6(request bool) []hop {
	c, ep := ipset.RangeV6(*p.ca.v6), ipset.RangeV6(*p.ea.v6)
	return pathHops(p, request, interval.FromRanges(c), interval.FromRanges(ep),
		func(d *aclDir) *famEval[u128] { return d.f6 },
		func(g *groupPort) interval.Set[u128] { return g.v6 })
}

// pathHops returns the checks of one leg in one family, in path order.
func pathHops[A interval.Point[A]](p *path, request bool, client, endpoint interval.Set[A],
	fam func(*aclDir) *famEval[A], sgAddrs func(*groupPort) interval.Set[A]) []hop {
	var hops []hop
	same := p.client.ID == p.ep.ID
	cACL, eACL := p.ix.subnetACL(p.client), p.ix.subnetACL(p.ep)
	// Texts are built only when something blocks.
	cName := func() string { return describeSubnet(p.client, p.ca) }
	eName := func() string { return describeSubnet(p.ep, p.ea) }
	if request {
		keys := portKeys(protoTCP, servicePort, servicePort)
		if !same {
			what := func() string {
				return fmt.Sprintf("TCP %d from subnet %s cannot reach the endpoint in subnet %s", servicePort, cName(), eName())
			}
			hops = append(hops,
				aclHop(cACL, "egress", boxset.Box(keys, endpoint), fam, what),
				aclHop(eACL, "ingress", boxset.Box(keys, client), fam, what))
		}
		hops = append(hops, sgHop(p, client, sgAddrs, cName))
		return hops
	}
	if same {
		return nil
	}
	keys := portKeys(protoTCP, ephemeralLow, ephemeralHigh)
	what := func() string {
		return fmt.Sprintf("replies from the endpoint in subnet %s cannot return to subnet %s", eName(), cName())
	}
	return append(hops,
		aclHop(eACL, "egress", boxset.Box(keys, client), fam, what),
		aclHop(cACL, "ingress", boxset.Box(keys, endpoint), fam, what))
}

func describeSubnet(s *model.Subnet, a subnetAddrs) string {
	var cidrs []string
	if a.v4 != nil {
		cidrs = append(cidrs, a.v4.String())
	}
	if a.v6 != nil {
		cidrs = append(cidrs, a.v6.String())
	}
	if len(cidrs) == 0 {
		return name(&s.Meta)
	}
	return fmt.Sprintf("%s (%s)", name(&s.Meta), strings.Join(cidrs, ", "))
}

// aclHop checks packets against one direction of a subnet's ACL under
// first match. Any part of the packets denied whatever the unknown entries
// are blocks the leg; packets all allowed whatever they are pass; anything
// else is unknown.
func aclHop[A interval.Point[A]](sa subnetACL, dir string, packets boxset.Set[A], fam func(*aclDir) *famEval[A], what func() string) hop {
	if sa.allowAll {
		return hop{state: pass}
	}
	if sa.info == nil || !sa.info.listKnown {
		return hop{state: unknown}
	}
	a := sa.info.acl
	d := sa.info.ingress
	if dir == "egress" {
		d = sa.info.egress
	}
	f := fam(d)
	denied := packets.Subtract(f.allowMay)
	if denied.IsEmpty() {
		if f.allowed.Covers(packets) {
			return hop{state: pass}
		}
		return hop{state: unknown}
	}
	// Name the first known deny entry that may decide denied packets;
	// else no entry allows them and the final * denies them.
	var first *naclEntry
	for i, s := range d.steps {
		if n := s.n; n.known && !n.allow && f.hits[i].Overlaps(denied) {
			first = n
			break
		}
	}
	ports := denied.Keys()
	aclName := name(&a.Meta)
	if first != nil {
		return hop{state: blocked, aclID: a.ID, direction: dir, entry: first.index, ports: ports,
			reason: fmt.Sprintf("%s of network ACL %s %s (%s), so %s", first.name(), aclName, first.describe(true), dirWord(dir), what())}
	}
	return hop{state: blocked, aclID: a.ID, direction: dir, entry: -1, ports: ports,
		reason: fmt.Sprintf("no rule of network ACL %s allows %s %s %s (the final * entry denies it), so %s",
			aclName, dirWord(dir), describeKeys(ports), describeAddrs(denied, dir), what())}
}

func dirWord(dir string) string {
	if dir == "egress" {
		return "outbound"
	}
	return "inbound"
}

// describeAddrs renders the packets' addresses: sources for ingress
// ("from 10.0.1.0/24"), destinations for egress ("to 10.0.2.0/24").
func describeAddrs[A interval.Point[A]](packets boxset.Set[A], dir string) string {
	var ps []netip.Prefix
	switch s := any(packets.Addrs()).(type) {
	case ipset.V4:
		ps = ipset.PrefixesV4(s)
	case ipset.V6:
		ps = ipset.PrefixesV6(s)
	}
	strs := make([]string, len(ps))
	for i, p := range ps {
		strs[i] = p.String()
	}
	if dir == "egress" {
		return "to " + strings.Join(strs, ", ")
	}
	return "from " + strings.Join(strs, ", ")
}

// sgHop checks that the endpoint's groups allow TCP 443 from the client
// subnet. Some addresses of the subnet allowed is enough (rules naming
// single hosts are deliberate); a rule naming a prefix list, a group or
// the group itself cannot be proven either way and makes the check
// unknown rather than blocked.
func sgHop[A interval.Point[A]](p *path, client interval.Set[A], sgAddrs func(*groupPort) interval.Set[A], cName func() string) hop {
	if !p.sgKnown || len(p.groups) == 0 {
		return hop{state: unknown}
	}
	known, symbolic := true, false
	for _, id := range p.groups {
		gp := p.ix.groupIngress(p.e, id, servicePort)
		if sgAddrs(gp).Overlaps(client) {
			return hop{state: pass}
		}
		known = known && gp.known
		symbolic = symbolic || gp.symbolic
	}
	if !known || symbolic {
		return hop{state: unknown}
	}
	return hop{state: blocked, direction: "ingress", entry: -1, groups: slices.Clone(p.groups),
		ports: interval.FromRanges(portKeys(protoTCP, servicePort, servicePort)),
		reason: fmt.Sprintf("no ingress rule of security group %s allows TCP %d from subnet %s",
			joinAnd(p.groups), servicePort, cName())}
}
