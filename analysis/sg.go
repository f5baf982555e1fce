package analysis

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpclint/vpclint/analysis/boxset"
	"github.com/vpclint/vpclint/analysis/interval"
	"github.com/vpclint/vpclint/analysis/ipset"
	"github.com/vpclint/vpclint/model"
)

type (
	u32  = interval.U32
	u128 = interval.U128
)

// peer is one CIDR of a rule.
type peer[A interval.Point[A]] struct {
	list   string // cidr_blocks or ipv6_cidr_blocks
	pos    int    // position in that list
	cidr   string
	addrs  interval.Range[A]
	public bool
}

// sgRule is one security-group rule read into boxes.
type sgRule struct {
	dir        string
	index      int
	keys       keyRange
	portsKnown bool
	peersKnown bool
	v4         []peer[u32]
	v6         []peer[u128]
	// sym are symbolic peers: "pl:<id>", "sg:<id>", "self".
	sym []string
	// Address sets of the peers, computed once.
	set4 interval.Set[u32]
	set6 interval.Set[u128]
}

func (r *sgRule) known() bool { return r.portsKnown && r.peersKnown }

func (r *sgRule) hasPeers() bool { return len(r.v4)+len(r.v6)+len(r.sym) > 0 }

func (r *sgRule) v4Set() interval.Set[u32] { return r.set4 }

func (r *sgRule) v6Set() interval.Set[u128] { return r.set6 }

// peerAttr is the attribute path of a peer: "ingress[2].cidr_blocks[0]".
func peerAttr[A interval.Point[A]](r *sgRule, p peer[A]) string {
	var buf [64]byte
	b := append(buf[:0], r.dir...)
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(r.index), 10)
	b = append(b, "]."...)
	b = append(b, p.list...)
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(p.pos), 10)
	b = append(b, ']')
	return string(b)
}

// env is one worker's context: the constant address sets, caches and
// scratch memory. Workers never share an env.
type env struct {
	// scratch buffers of markUnique, reused between calls.
	cuts []uint64
	act  []int
	// arena holds the rules of the group being analysed; sgFacts resets
	// it, so nothing read from it may end up in the facts.
	arena arena
	// contribs is the current chunk of RuleContributions (see
	// contribs.contribution).
	contribs []model.RuleContribution
	// portSets caches the PortSet of single key ranges; the results are
	// shared read-only between facts.
	portSets map[keyRange]model.PortSet
	publicV4 ipset.V4
	publicV6 ipset.V6
	allV4    ipset.V4
	allV6    ipset.V6
}

func newEnv() *env {
	return &env{portSets: map[keyRange]model.PortSet{}, publicV4: ipset.PublicV4(), publicV6: ipset.PublicV6(), allV4: ipset.AllV4(), allV6: ipset.AllV6()}
}

// portSetOf is the PortSet of one key range, cached.
func (e *env) portSetOf(k keyRange) model.PortSet {
	p := int(k.Lo >> 16)
	if p != int(k.Hi>>16) || p == protoICMP || p == protoICMPv6 {
		// Several protocols, or ICMP: rarer, cached.
		if ps, ok := e.portSets[k]; ok {
			return ps
		}
		ps := portSet(interval.Of(k.Lo, k.Hi))
		e.portSets[k] = ps
		return ps
	}
	// One protocol: built directly (ranges are too varied to cache).
	ps := model.PortSet{TCP: []model.PortRange{}, UDP: []model.PortRange{}, Other: []string{}}
	r := []model.PortRange{{From: int(k.Lo & 0xFFFF), To: int(k.Hi & 0xFFFF)}}
	switch p {
	case protoTCP:
		ps.TCP = r
	case protoUDP:
		ps.UDP = r
	default:
		ps.Other = []string{strconv.Itoa(p)}
	}
	return ps
}

// portSetOfSet is portSet, cached when the set is a single range.
func (e *env) portSetOfSet(ks keySet) model.PortSet {
	if rs := ks.Ranges(); len(rs) == 1 {
		return e.portSetOf(rs[0])
	}
	return portSet(ks)
}

// readSGRule reads rule i of direction dir ("ingress" or "egress") of
// group own; a reference to own is read as self.
// out, when not nil, is filled instead of a new allocation.
func readSGRule(e *env, u unknowns, own, dir string, i int, r *model.SGRule, out *sgRule) *sgRule {
	if out == nil {
		out = &sgRule{}
	}
	*out = sgRule{dir: dir, index: i, peersKnown: true}
	var base string
	if u.any() {
		base = item(dir, i)
		if u.exact(base) {
			out.peersKnown = false
			return out
		}
		for _, f := range []string{".cidr_blocks", ".ipv6_cidr_blocks", ".prefix_list_ids", ".security_group_ids", ".self"} {
			if u.has(base + f) {
				out.peersKnown = false
			}
		}
	}
	out.keys, out.portsKnown = sgRuleKeys(u, base, r)
	r4 := take(&e.arena.r4, len(r.CIDRBlocks))
	out.v4 = take(&e.arena.p4, len(r.CIDRBlocks))
	for j, c := range r.CIDRBlocks {
		p, err := netip.ParsePrefix(c)
		if err != nil || !p.Addr().Is4() || (u.any() && u.exact(item(base+".cidr_blocks", j))) {
			out.peersKnown = false
			continue
		}
		rg := ipset.RangeV4(p)
		r4 = append(r4, rg)
		out.v4 = append(out.v4, peer[u32]{list: "cidr_blocks", pos: j, cidr: cidrString(c, p), addrs: rg,
			public: e.publicV4.OverlapsRange(rg)})
	}
	out.set4 = interval.Own(r4)
	r6 := take(&e.arena.r6, len(r.IPv6CIDRBlocks))
	out.v6 = take(&e.arena.p6, len(r.IPv6CIDRBlocks))
	for j, c := range r.IPv6CIDRBlocks {
		p, err := netip.ParsePrefix(c)
		if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() || (u.any() && u.exact(item(base+".ipv6_cidr_blocks", j))) {
			out.peersKnown = false
			continue
		}
		rg := ipset.RangeV6(p)
		r6 = append(r6, rg)
		out.v6 = append(out.v6, peer[u128]{list: "ipv6_cidr_blocks", pos: j, cidr: cidrString(c, p), addrs: rg,
			public: e.publicV6.OverlapsRange(rg)})
	}
	out.set6 = interval.Own(r6)
	for _, id := range r.PrefixListIDs {
		if id != "" {
			out.sym = append(out.sym, "pl:"+id)
		}
	}
	for _, id := range r.SecurityGroupIDs {
		switch id {
		case "":
		case own:
			out.sym = append(out.sym, "self") // the group names itself
		default:
			out.sym = append(out.sym, "sg:"+id)
		}
	}
	if r.Self {
		out.sym = append(out.sym, "self")
	}
	slices.Sort(out.sym)
	out.sym = slices.Compact(out.sym)
	return out
}

// sgRuleKeys is the key range a rule allows, as AWS reads it: all/-1 and
// protocols other than tcp, udp, icmp, icmpv6 cover every port; tcp/udp
// from..to (0-0 is port 0 only); icmp/icmpv6 from = type, to = code with
// -1 for all; icmpv6 without ports is every type and code.
func sgRuleKeys(u unknowns, base string, r *model.SGRule) (keyRange, bool) {
	if r.Protocol == "" || (u.any() && u.has(base+".protocol")) {
		return keyRange{}, false
	}
	p, ok := protoNumber(r.Protocol)
	if !ok {
		return keyRange{}, false
	}
	switch p {
	case -1:
		return allKeys(), true
	case protoTCP, protoUDP, protoICMP, protoICMPv6:
	default:
		return protoKeys(p), true
	}
	if u.any() && (u.has(base+".from_port") || u.has(base+".to_port")) {
		return keyRange{}, false
	}
	if r.FromPort == nil || r.ToPort == nil {
		if p == protoICMPv6 && r.FromPort == nil && r.ToPort == nil {
			return protoKeys(p), true
		}
		return keyRange{}, false
	}
	from, to := *r.FromPort, *r.ToPort
	if p == protoICMP || p == protoICMPv6 {
		return icmpKeys(p, from, to)
	}
	if from < 0 || to > 65535 || from > to {
		return keyRange{}, false
	}
	return portKeys(p, from, to), true
}

// vpcAddrs are a VPC's address blocks, when known.
type vpcAddrs struct {
	v4     ipset.V4
	v6     ipset.V6
	v6Know bool
}

// vpcAddresses returns the VPC's CIDRs; ok is false when the VPC or its
// IPv4 CIDRs are unknown.
func vpcAddresses(v *model.VPC) (vpcAddrs, bool) {
	if v == nil || v.Placeholder {
		return vpcAddrs{}, false
	}
	u := newUnknowns(&v.Meta)
	if len(v.CIDRBlocks) == 0 || u.has("cidr_blocks") {
		return vpcAddrs{}, false
	}
	var out vpcAddrs
	for _, c := range v.CIDRBlocks {
		p, err := netip.ParsePrefix(c)
		if err != nil || !p.Addr().Is4() {
			return vpcAddrs{}, false
		}
		out.v4 = out.v4.Union(ipset.FromV4Prefixes(p))
	}
	out.v6Know = !u.has("ipv6_cidr_blocks")
	for _, c := range v.IPv6CIDRBlocks {
		p, err := netip.ParsePrefix(c)
		if err != nil || !p.Addr().Is6() {
			out.v6Know = false
			continue
		}
		out.v6 = out.v6.Union(ipset.FromV6Prefixes(p))
	}
	return out, true
}

// sgFacts computes the facts of one group.
func sgFacts(e *env, g *model.SecurityGroup, vpc *vpcAddrs) *model.SGFacts {
	e.arena.reset()
	u := newUnknowns(&g.Meta)
	in, inRules := sgDirection(e, u, g.ID, "ingress", g.Ingress, vpc)
	out, outRules := sgDirection(e, u, g.ID, "egress", g.Egress, vpc)
	if g.Placeholder {
		// Only the rules written in the scan are known: a lower bound.
		in.Known, out.Known = false, false
	}
	red := []*model.RedundantRule{}
	red = append(red, redundantRules(e, "ingress", inRules)...)
	red = append(red, redundantRules(e, "egress", outRules)...)
	return &model.SGFacts{Ingress: in, Egress: out, Redundant: red}
}

func sgDirection(e *env, u unknowns, own, dir string, rules []*model.SGRule, vpc *vpcAddrs) (*model.DirectionFacts, []*sgRule) {
	df := &model.DirectionFacts{
		InternetRules:    []*model.RuleContribution{},
		PublicRules:      []*model.RuleContribution{},
		PrefixListIDs:    []string{},
		SecurityGroupIDs: []string{},
		Known:            !u.exact(dir) && (rules != nil || !u.has(dir)),
	}
	rs := take(&e.arena.rs, len(rules))
	slab := take(&e.arena.rules, len(rules))[:len(rules)]
	// The direction's own path in unknown (more rules may exist) makes the
	// facts a lower bound (Known above), not the rules it has unknown.
	ru := u.without(dir)
	for i, r := range rules {
		if r == nil {
			continue
		}
		sr := readSGRule(e, ru, own, dir, i, r, &slab[i])
		if !sr.known() {
			df.Known = false
		}
		rs = append(rs, sr)
	}

	var all keySet
	var b4 boxset.Builder[u32]
	var b6 boxset.Builder[u128]
	var allKeyRanges []keyRange
	for _, r := range rs {
		for _, s := range r.sym {
			switch {
			case strings.HasPrefix(s, "pl:"):
				df.PrefixListIDs = append(df.PrefixListIDs, s[3:])
			case strings.HasPrefix(s, "sg:"):
				df.SecurityGroupIDs = append(df.SecurityGroupIDs, s[3:])
			default:
				df.Self = true
			}
		}
		if !r.portsKnown {
			continue
		}
		if r.hasPeers() || !r.peersKnown {
			allKeyRanges = append(allKeyRanges, r.keys)
		}
		if len(r.v4) > 0 {
			b4.Add(r.keys, r.v4Set())
		}
		if len(r.v6) > 0 {
			b6.Add(r.keys, r.v6Set())
		}
	}
	all = interval.FromRanges(allKeyRanges...)
	df.All = e.portSetOfSet(all)
	slices.Sort(df.PrefixListIDs)
	df.PrefixListIDs = slices.Compact(df.PrefixListIDs)
	slices.Sort(df.SecurityGroupIDs)
	df.SecurityGroupIDs = slices.Compact(df.SecurityGroupIDs)

	inet4 := b4.CoveredKeys(e.allV4.Ranges()[0])
	inet6 := b6.CoveredKeys(e.allV6.Ranges()[0])
	df.Internet = e.portSetOfSet(inet4.Union(inet6))

	var outside4 ipset.V4
	var outside6 ipset.V6
	if vpc != nil {
		outside4 = e.allV4.Subtract(vpc.v4)
		if vpc.v6Know {
			outside6 = e.allV6.Subtract(vpc.v6)
		}
		df.OutsideVPCRules = []*model.RuleContribution{}
	}

	var public, outside []keyRange
	var cs contribs
	for _, r := range rs {
		if !r.portsKnown || len(r.v4)+len(r.v6) == 0 {
			continue
		}
		p4 := filterPeers(r.v4, func(p peer[u32]) bool { return p.public })
		p6 := filterPeers(r.v6, func(p peer[u128]) bool { return p.public })
		// Internet: the rule's keys that are internet-wide, through its
		// public peers of that family.
		var i4, i6 keySet
		if len(p4) > 0 && !inet4.IsEmpty() {
			i4 = inet4.Intersect(interval.Of(r.keys.Lo, r.keys.Hi))
		}
		if len(p6) > 0 && !inet6.IsEmpty() {
			i6 = inet6.Intersect(interval.Of(r.keys.Lo, r.keys.Hi))
		}
		if !i4.IsEmpty() || !i6.IsEmpty() {
			var q4 []peer[u32]
			var q6 []peer[u128]
			if !i4.IsEmpty() {
				q4 = p4
			}
			if !i6.IsEmpty() {
				q6 = p6
			}
			c := cs.contribution(e, r, q4, q6)
			c.Ports = e.portSetOfSet(i4.Union(i6))
			df.InternetRules = append(df.InternetRules, c)
		}
		// Public: any public peer.
		pc := cs.contribution(e, r, p4, p6)
		if pc != nil {
			public = append(public, r.keys)
			df.PublicRules = append(df.PublicRules, pc)
		}
		// Outside the VPC.
		if vpc != nil {
			o4 := filterPeers(r.v4, func(p peer[u32]) bool { return outside4.OverlapsRange(p.addrs) })
			o6 := filterPeers(r.v6, func(p peer[u128]) bool { return outside6.OverlapsRange(p.addrs) })
			c := pc // the same peers: share the public contribution
			if pc == nil || !samePeers(o4, p4) || !samePeers(o6, p6) {
				c = cs.contribution(e, r, o4, o6)
			}
			if c != nil {
				outside = append(outside, r.keys)
				df.OutsideVPCRules = append(df.OutsideVPCRules, c)
			}
		}
	}
	df.Public = e.portSetOfSet(interval.FromRanges(public...))
	if vpc != nil {
		ps := e.portSetOfSet(interval.FromRanges(outside...))
		df.OutsideVPC = &ps
	}
	return df, rs
}

// contribs shares the peer list and attribute of a rule between its
// contributions when they name all of its CIDRs.
type contribs struct {
	// Per rule: all of its CIDRs and the path of the first one.
	rule     *sgRule
	allPeers []string
	allAttr  string
}

// contribution is a rule's part of an exposure through the given peers;
// nil when there are none.
func (cs *contribs) contribution(e *env, r *sgRule, p4 []peer[u32], p6 []peer[u128]) *model.RuleContribution {
	if len(p4)+len(p6) == 0 {
		return nil
	}
	// Contributions outlive the group: they are carved from chunks that
	// are never reused, only filled.
	if len(e.contribs) == cap(e.contribs) {
		e.contribs = make([]model.RuleContribution, 0, 256)
	}
	e.contribs = append(e.contribs, model.RuleContribution{Index: r.index, Ports: e.portSetOf(r.keys)})
	c := &e.contribs[len(e.contribs)-1]
	full := len(p4) == len(r.v4) && len(p6) == len(r.v6)
	if full && cs.rule == r {
		c.Peers, c.Attribute = cs.allPeers, cs.allAttr
		return c
	}
	c.Peers = make([]string, 0, len(p4)+len(p6))
	if len(p4) > 0 {
		c.Attribute = peerAttr(r, p4[0])
	} else {
		c.Attribute = peerAttr(r, p6[0])
	}
	for _, p := range p4 {
		c.Peers = append(c.Peers, p.cidr)
	}
	for _, p := range p6 {
		c.Peers = append(c.Peers, p.cidr)
	}
	if full {
		cs.rule, cs.allPeers, cs.allAttr = r, c.Peers, c.Attribute
	}
	return c
}

// samePeers reports whether two peer lists of one rule name the same CIDRs.
func samePeers[A interval.Point[A]](a, b []peer[A]) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].pos != b[i].pos {
			return false
		}
	}
	return true
}

// filterPeers returns the peers that satisfy keep, without allocating
// when all or none do.
func filterPeers[A interval.Point[A]](ps []peer[A], keep func(peer[A]) bool) []peer[A] {
	n := 0
	for _, p := range ps {
		if keep(p) {
			n++
		}
	}
	switch n {
	case 0:
		return nil
	case len(ps):
		return ps
	}
	out := make([]peer[A], 0, n)
	for _, p := range ps {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// redundantRules finds the rules all of whose traffic other rules of the
// direction allow. Of several identical rules only the later ones are
// reported (each is covered by the first). Only fully known rules are
// reported; the known part of a partly unknown rule may cover others.
func redundantRules(e *env, dir string, rs []*sgRule) []*model.RedundantRule {
	// Participants: rules with a known box. Twins of an earlier identical
	// known rule do not participate; they are redundant by construction.
	parts := make([]*sgRule, 0, len(rs))
	twinOf := make([]*sgRule, len(rs)) // by position in rs
	anySym := false
	for p, r := range rs {
		if !r.portsKnown || !r.hasPeers() {
			continue
		}
		if r.known() {
			for _, o := range parts {
				if o.known() && o.sameBox(r) {
					twinOf[p] = o
					break
				}
			}
		}
		if twinOf[p] == nil {
			parts = append(parts, r)
			anySym = anySym || len(r.sym) > 0
		}
	}
	unique := make([]bool, len(parts))
	// IPv4, IPv6 and each symbolic peer are separate families.
	k4, k6 := make([]keyRange, 0, len(parts)), make([]keyRange, 0, len(parts))
	a4, a6 := make([][]interval.Range[u32], 0, len(parts)), make([][]interval.Range[u128], 0, len(parts))
	o4, o6 := make([]int, 0, len(parts)), make([]int, 0, len(parts))
	for i, r := range parts {
		if len(r.v4) > 0 {
			k4, a4, o4 = append(k4, r.keys), append(a4, r.set4.Ranges()), append(o4, i)
		}
		if len(r.v6) > 0 {
			k6, a6, o6 = append(k6, r.keys), append(a6, r.set6.Ranges()), append(o6, i)
		}
	}
	markUnique(e, k4, a4, o4, unique)
	markUnique(e, k6, a6, o6, unique)
	if anySym {
		symKeys := map[string][]keyRange{}
		symOwners := map[string][]int{}
		for i, r := range parts {
			for _, s := range r.sym {
				symKeys[s] = append(symKeys[s], r.keys)
				symOwners[s] = append(symOwners[s], i)
			}
		}
		point := []interval.Range[u32]{{Lo: 0, Hi: 0}}
		for s, ks := range symKeys {
			as := make([][]interval.Range[u32], len(ks))
			for i := range as {
				as[i] = point
			}
			markUnique(e, ks, as, symOwners[s], unique)
		}
	}
	redundant := make([]bool, len(rs))
	pi := 0
	for p, r := range rs {
		if pi < len(parts) && parts[pi] == r {
			redundant[p] = !unique[pi] && r.known()
			pi++
		}
		if twinOf[p] != nil {
			redundant[p] = true
		}
	}
	out := []*model.RedundantRule{}
	for p, r := range rs {
		if !redundant[p] {
			continue
		}
		var by []int
		if t := twinOf[p]; t != nil {
			by = []int{t.index}
		} else {
			for _, o := range parts {
				if o != r && r.overlaps(o) {
					by = append(by, o.index)
				}
			}
		}
		out = append(out, &model.RedundantRule{Direction: dir, Index: r.index, Attribute: item(dir, r.index), CoveredBy: by})
	}
	return out
}

// sameBox reports whether two rules allow exactly the same traffic.
func (r *sgRule) sameBox(o *sgRule) bool {
	return r.keys == o.keys && r.set4.Equal(o.set4) && r.set6.Equal(o.set6) && slices.Equal(r.sym, o.sym)
}

// overlaps reports whether two rules' boxes share a point.
func (r *sgRule) overlaps(o *sgRule) bool {
	if !r.keys.Overlaps(o.keys) {
		return false
	}
	if r.v4Set().Overlaps(o.v4Set()) || r.v6Set().Overlaps(o.v6Set()) {
		return true
	}
	for _, s := range r.sym {
		if slices.Contains(o.sym, s) {
			return true
		}
	}
	return false
}

// markUnique sets unique[owner[i]] for every box i that has a point no
// other box of the family covers. Box i is keys[i] × addrs[i].
func markUnique[A interval.Point[A]](e *env, keys []keyRange, addrs [][]interval.Range[A], owner []int, unique []bool) {
	if len(keys) == 0 {
		return
	}
	cuts := e.cuts[:0]
	for _, k := range keys {
		cuts = append(cuts, uint64(k.Lo), uint64(k.Hi)+1)
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	e.cuts = cuts
	// Address events (starts before ends at the same point: ranges are
	// closed) of the boxes active on one key range.
	type event struct {
		at    A
		end   bool
		owner int
	}
	less := func(x, y event) bool {
		if x.at != y.at {
			return x.at.Less(y.at)
		}
		return !x.end && y.end
	}
	act := e.act[:0]
	defer func() { e.act = act }()
	var sub []event
	for c := 0; c+1 < len(cuts); c++ {
		lo, hi := key(cuts[c]), key(cuts[c+1]-1)
		act = act[:0]
		pending := false
		for i, k := range keys {
			if k.Lo <= lo && hi <= k.Hi {
				act = append(act, i)
				pending = pending || !unique[owner[i]]
			}
		}
		switch {
		case len(act) == 0 || !pending:
			continue
		case len(act) == 1:
			unique[owner[act[0]]] = true
			continue
		}
		sub = sub[:0]
		for _, i := range act {
			for _, a := range addrs[i] {
				sub = append(sub, event{a.Lo, false, i}, event{a.Hi, true, i})
			}
		}
		if len(sub) <= 32 {
			for x := 1; x < len(sub); x++ {
				for y := x; y > 0 && less(sub[y], sub[y-1]); y-- {
					sub[y], sub[y-1] = sub[y-1], sub[y]
				}
			}
		} else {
			slices.SortFunc(sub, func(x, y event) int {
				switch {
				case less(x, y):
					return -1
				case less(y, x):
					return 1
				}
				return 0
			})
		}
		count, sum := 0, 0
		for i := 0; i < len(sub); {
			p := sub[i].at
			for i < len(sub) && sub[i].at == p && !sub[i].end {
				count++
				sum += sub[i].owner
				i++
			}
			if count == 1 {
				unique[owner[sum]] = true
			}
			for i < len(sub) && sub[i].at == p && sub[i].end {
				count--
				sum -= sub[i].owner
				i++
			}
			// Points strictly between p and the next event.
			if count == 1 && i < len(sub) && p.Succ() != sub[i].at {
				unique[owner[sum]] = true
			}
		}
	}
}

// cidrString is the canonical text of a prefix, reusing the model's string
// when it already is canonical (loaders store CIDRs masked).
func cidrString(s string, p netip.Prefix) string {
	if p.Addr() == p.Masked().Addr() {
		return s
	}
	return p.Masked().String()
}

// arena is scratch memory for the rules of one group: slices are carved
// from chunks that are reused by the next group after reset.
type arena struct {
	rules []sgRule
	rs    []*sgRule
	p4    []peer[u32]
	p6    []peer[u128]
	r4    []interval.Range[u32]
	r6    []interval.Range[u128]
}

func (a *arena) reset() {
	a.rules, a.rs, a.p4, a.p6, a.r4, a.r6 = a.rules[:0], a.rs[:0], a.p4[:0], a.p6[:0], a.r4[:0], a.r6[:0]
}

// take carves an empty slice of capacity n from *buf, starting a new chunk
// when the current one is full (the old chunk stays with its users).
func take[T any](buf *[]T, n int) []T {
	b := *buf
	if cap(b)-len(b) < n {
		b = make([]T, 0, max(1024, n))
	}
	s := b[len(b) : len(b) : len(b)+n]
	*buf = b[:len(b)+n]
	return s
}
