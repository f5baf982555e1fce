package analysis

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
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
	attr   string // "ingress[2].cidr_blocks[0]"
	cidr   string
	addrs  interval.Range[A]
	public bool
}

// sgRule is one security-group rule read into boxes.
type sgRule struct {
	index      int
	keys       keyRange
	portsKnown bool
	peersKnown bool
	v4         []peer[u32]
	v6         []peer[u128]
	// sym are symbolic peers: "pl:<id>", "sg:<id>", "self".
	sym []string
}

func (r *sgRule) known() bool { return r.portsKnown && r.peersKnown }

func (r *sgRule) hasPeers() bool { return len(r.v4)+len(r.v6)+len(r.sym) > 0 }

func (r *sgRule) v4Set() interval.Set[u32] {
	rs := make([]interval.Range[u32], len(r.v4))
	for i, p := range r.v4 {
		rs[i] = p.addrs
	}
	return interval.FromRanges(rs...)
}

func (r *sgRule) v6Set() interval.Set[u128] {
	rs := make([]interval.Range[u128], len(r.v6))
	for i, p := range r.v6 {
		rs[i] = p.addrs
	}
	return interval.FromRanges(rs...)
}

// env holds the constant address sets used while analysing one model.
type env struct {
	publicV4 ipset.V4
	publicV6 ipset.V6
	allV4    ipset.V4
	allV6    ipset.V6
}

func newEnv() *env {
	return &env{publicV4: ipset.PublicV4(), publicV6: ipset.PublicV6(), allV4: ipset.AllV4(), allV6: ipset.AllV6()}
}

// readSGRule reads rule i of direction dir ("ingress" or "egress").
func readSGRule(e *env, u unknowns, dir string, i int, r *model.SGRule) *sgRule {
	base := item(dir, i)
	out := &sgRule{index: i, peersKnown: true}
	if u.exact(base) {
		out.peersKnown = false
		return out
	}
	out.keys, out.portsKnown = sgRuleKeys(u, base, r)
	for _, f := range []string{".cidr_blocks", ".ipv6_cidr_blocks", ".prefix_list_ids", ".security_group_ids", ".self"} {
		if u.has(base + f) {
			out.peersKnown = false
		}
	}
	for j, c := range r.CIDRBlocks {
		attr := item(base+".cidr_blocks", j)
		p, err := netip.ParsePrefix(c)
		if err != nil || !p.Addr().Is4() || u.exact(attr) {
			out.peersKnown = false
			continue
		}
		rg := ipset.RangeV4(p)
		out.v4 = append(out.v4, peer[u32]{attr: attr, cidr: p.Masked().String(), addrs: rg,
			public: e.publicV4.OverlapsRange(rg)})
	}
	for j, c := range r.IPv6CIDRBlocks {
		attr := item(base+".ipv6_cidr_blocks", j)
		p, err := netip.ParsePrefix(c)
		if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() || u.exact(attr) {
			out.peersKnown = false
			continue
		}
		rg := ipset.RangeV6(p)
		out.v6 = append(out.v6, peer[u128]{attr: attr, cidr: p.Masked().String(), addrs: rg,
			public: e.publicV6.OverlapsRange(rg)})
	}
	for _, id := range r.PrefixListIDs {
		if id != "" {
			out.sym = append(out.sym, "pl:"+id)
		}
	}
	for _, id := range r.SecurityGroupIDs {
		if id != "" {
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
	if r.Protocol == "" || u.has(base+".protocol") {
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
	if u.has(base+".from_port") || u.has(base+".to_port") {
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
	u := newUnknowns(&g.Meta)
	in, inRules := sgDirection(e, u, "ingress", g.Ingress, vpc)
	out, outRules := sgDirection(e, u, "egress", g.Egress, vpc)
	red := []*model.RedundantRule{}
	red = append(red, redundantRules("ingress", inRules)...)
	red = append(red, redundantRules("egress", outRules)...)
	return &model.SGFacts{Ingress: in, Egress: out, Redundant: red}
}

func sgDirection(e *env, u unknowns, dir string, rules []*model.SGRule, vpc *vpcAddrs) (*model.DirectionFacts, []*sgRule) {
	df := &model.DirectionFacts{
		InternetRules:    []*model.RuleContribution{},
		PublicRules:      []*model.RuleContribution{},
		PrefixListIDs:    []string{},
		SecurityGroupIDs: []string{},
		Known:            !u.exact(dir) && (rules != nil || !u.has(dir)),
	}
	rs := make([]*sgRule, 0, len(rules))
	for i, r := range rules {
		if r == nil {
			continue
		}
		sr := readSGRule(e, u, dir, i, r)
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
	}
	all = interval.FromRanges(allKeyRanges...)
	df.All = portSet(all)
	slices.Sort(df.PrefixListIDs)
	df.PrefixListIDs = slices.Compact(df.PrefixListIDs)
	slices.Sort(df.SecurityGroupIDs)
	df.SecurityGroupIDs = slices.Compact(df.SecurityGroupIDs)

	set4, set6 := b4.Build(), b6.Build()
	inet4 := set4.KeysWhere(func(a ipset.V4) bool { return a.Covers(e.allV4) })
	inet6 := set6.KeysWhere(func(a ipset.V6) bool { return a.Covers(e.allV6) })
	df.Internet = portSet(inet4.Union(inet6))

	var outside4 ipset.V4
	var outside6 ipset.V6
	if vpc != nil {
		outside4 = e.allV4.Subtract(vpc.v4)
		if vpc.v6Know {
			outside6 = e.allV6.Subtract(vpc.v6)
		}
		df.OutsideVPCRules = []*model.RuleContribution{}
	}

	var public, outside keySet
	for _, r := range rs {
		if !r.portsKnown {
			continue
		}
		ks := interval.FromRanges(r.keys)
		// Internet: the rule's keys that are internet-wide, through its
		// public peers of that family.
		var c4, c6 []string
		var attr string
		var contrib keySet
		if p4 := publicPeers(r.v4, func(p peer[u32]) bool { return p.public }); len(p4) > 0 {
			if k := ks.Intersect(inet4); !k.IsEmpty() {
				contrib, c4, attr = contrib.Union(k), cidrs(p4), p4[0].attr
			}
		}
		if p6 := publicPeers(r.v6, func(p peer[u128]) bool { return p.public }); len(p6) > 0 {
			if k := ks.Intersect(inet6); !k.IsEmpty() {
				contrib, c6 = contrib.Union(k), cidrs(p6)
				if attr == "" {
					attr = p6[0].attr
				}
			}
		}
		if !contrib.IsEmpty() {
			df.InternetRules = append(df.InternetRules, &model.RuleContribution{
				Index: r.index, Attribute: attr, Peers: append(c4, c6...), Ports: portSet(contrib)})
		}
		// Public: any public peer.
		p4 := publicPeers(r.v4, func(p peer[u32]) bool { return p.public })
		p6 := publicPeers(r.v6, func(p peer[u128]) bool { return p.public })
		if c := contribution(r, p4, p6); c != nil {
			public = public.Union(ks)
			df.PublicRules = append(df.PublicRules, c)
		}
		// Outside the VPC.
		if vpc != nil {
			o4 := publicPeers(r.v4, func(p peer[u32]) bool { return outside4.OverlapsRange(p.addrs) })
			o6 := publicPeers(r.v6, func(p peer[u128]) bool { return outside6.OverlapsRange(p.addrs) })
			if c := contribution(r, o4, o6); c != nil {
				outside = outside.Union(ks)
				df.OutsideVPCRules = append(df.OutsideVPCRules, c)
			}
		}
	}
	df.Public = portSet(public)
	if vpc != nil {
		ps := portSet(outside)
		df.OutsideVPC = &ps
	}
	return df, rs
}

func contribution(r *sgRule, p4 []peer[u32], p6 []peer[u128]) *model.RuleContribution {
	if len(p4)+len(p6) == 0 {
		return nil
	}
	attr := ""
	if len(p4) > 0 {
		attr = p4[0].attr
	} else {
		attr = p6[0].attr
	}
	return &model.RuleContribution{Index: r.index, Attribute: attr,
		Peers: append(cidrs(p4), cidrs(p6)...), Ports: portSet(interval.FromRanges(r.keys))}
}

func publicPeers[A interval.Point[A]](ps []peer[A], keep func(peer[A]) bool) []peer[A] {
	var out []peer[A]
	for _, p := range ps {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

func cidrs[A interval.Point[A]](ps []peer[A]) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.cidr)
	}
	return out
}

// redundantRules finds the rules all of whose traffic other rules of the
// direction allow. Of several identical rules only the later ones are
// reported (each is covered by the first). Only fully known rules are
// reported; the known part of a partly unknown rule may cover others.
func redundantRules(dir string, rs []*sgRule) []*model.RedundantRule {
	// Participants: rules with a known box. Twins of an earlier identical
	// known rule do not participate; they are redundant by construction.
	var parts []*sgRule
	twinOf := map[int]int{}
	first := map[string]int{}
	for _, r := range rs {
		if !r.portsKnown || !r.hasPeers() {
			continue
		}
		if r.known() {
			sig := r.signature()
			if f, ok := first[sig]; ok {
				twinOf[r.index] = f
				continue
			}
			first[sig] = r.index
		}
		parts = append(parts, r)
	}
	unique := make([]bool, len(parts))
	// IPv4, IPv6 and each symbolic peer are separate families.
	var k4, k6 []keyRange
	var a4 [][]interval.Range[u32]
	var a6 [][]interval.Range[u128]
	var o4, o6 []int
	symKeys := map[string][]keyRange{}
	symOwners := map[string][]int{}
	for i, r := range parts {
		if len(r.v4) > 0 {
			k4, a4, o4 = append(k4, r.keys), append(a4, r.v4Set().Ranges()), append(o4, i)
		}
		if len(r.v6) > 0 {
			k6, a6, o6 = append(k6, r.keys), append(a6, r.v6Set().Ranges()), append(o6, i)
		}
		for _, s := range r.sym {
			symKeys[s] = append(symKeys[s], r.keys)
			symOwners[s] = append(symOwners[s], i)
		}
	}
	markUnique(k4, a4, o4, unique)
	markUnique(k6, a6, o6, unique)
	point := []interval.Range[u32]{{Lo: 0, Hi: 0}}
	for s, ks := range symKeys {
		as := make([][]interval.Range[u32], len(ks))
		for i := range as {
			as[i] = point
		}
		markUnique(ks, as, symOwners[s], unique)
	}

	out := []*model.RedundantRule{}
	redundant := map[int]bool{}
	for i, r := range parts {
		if !unique[i] && r.known() {
			redundant[r.index] = true
		}
	}
	for idx := range twinOf {
		redundant[idx] = true
	}
	byIndex := map[int]*sgRule{}
	for _, r := range rs {
		byIndex[r.index] = r
	}
	idxs := make([]int, 0, len(redundant))
	for i := range redundant {
		idxs = append(idxs, i)
	}
	sort.Ints(idxs)
	for _, idx := range idxs {
		r := byIndex[idx]
		var by []int
		if f, ok := twinOf[idx]; ok {
			by = []int{f}
		} else {
			for _, o := range parts {
				if o.index != idx && r.overlaps(o) {
					by = append(by, o.index)
				}
			}
		}
		out = append(out, &model.RedundantRule{Direction: dir, Index: idx, Attribute: item(dir, idx), CoveredBy: by})
	}
	return out
}

// signature identifies a known rule's box.
func (r *sgRule) signature() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d-%d", r.keys.Lo, r.keys.Hi)
	for _, x := range r.v4Set().Ranges() {
		fmt.Fprintf(&b, "|4:%d-%d", x.Lo, x.Hi)
	}
	for _, x := range r.v6Set().Ranges() {
		fmt.Fprintf(&b, "|6:%x.%x-%x.%x", x.Lo.Hi, x.Lo.Lo, x.Hi.Hi, x.Hi.Lo)
	}
	for _, s := range r.sym {
		b.WriteString("|" + s)
	}
	return b.String()
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
func markUnique[A interval.Point[A]](keys []keyRange, addrs [][]interval.Range[A], owner []int, unique []bool) {
	if len(keys) == 0 {
		return
	}
	cuts := make([]uint64, 0, 2*len(keys))
	for _, k := range keys {
		cuts = append(cuts, uint64(k.Lo), uint64(k.Hi)+1)
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	type event struct {
		at    A
		end   bool
		owner int
	}
	var evs []event
	for c := 0; c+1 < len(cuts); c++ {
		lo, hi := key(cuts[c]), key(cuts[c+1]-1)
		evs = evs[:0]
		for i, k := range keys {
			if k.Lo <= lo && hi <= k.Hi {
				for _, a := range addrs[i] {
					evs = append(evs, event{a.Lo, false, i}, event{a.Hi, true, i})
				}
			}
		}
		if len(evs) == 0 {
			continue
		}
		slices.SortFunc(evs, func(x, y event) int {
			switch {
			case x.at.Less(y.at):
				return -1
			case y.at.Less(x.at):
				return 1
			case !x.end && y.end:
				return -1
			case x.end && !y.end:
				return 1
			}
			return 0
		})
		count, sum := 0, 0
		for i := 0; i < len(evs); {
			p := evs[i].at
			for i < len(evs) && evs[i].at == p && !evs[i].end {
				count++
				sum += evs[i].owner
				i++
			}
			if count == 1 {
				unique[owner[sum]] = true
			}
			for i < len(evs) && evs[i].at == p && evs[i].end {
				count--
				sum -= evs[i].owner
				i++
			}
			// Points strictly between p and the next event.
			if count == 1 && i < len(evs) && p.Succ() != evs[i].at {
				unique[owner[sum]] = true
			}
		}
	}
}
