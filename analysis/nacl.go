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

// Address families of an ACL entry.
const (
	famUnknown = iota
	famV4
	famV6
)

// Ephemeral-range entries: an allow entry for TCP or UDP whose ports start
// at ephemeralFrom or above and span at least ephemeralSpan ports is
// written for the return traffic of connections the subnet opens (AWS
// recommends inbound TCP 1024-65535 on a public subnet; Linux uses
// 32768-60999, Windows 49152-65535, Windows Server 2003 1025-5000). Such
// an entry reaches an admin port above 1024 only because ACLs are
// stateless; InternetNonEphemeral leaves it out.
const (
	ephemeralFrom = 1024
	ephemeralSpan = 1024
)

// naclEntry is one ACL entry read into boxes. An entry whose fields are all
// known matches exactly its box. An entry with unknown fields is "considered
// both ways": it may match the traffic its unknown fields could cover (keys
// and the addresses of its family, or of both families when the CIDR is
// unknown), and certainly matches only what every value of them covers
// (must); its action may be either when unknown, and its place any when its
// rule number is unknown.
type naclEntry struct {
	index    int
	attr     string // "entries[3]"
	num      int
	numKnown bool
	allow    bool
	actKnown bool
	egress   bool
	// dirKnown is false when the egress flag is unknown: the entry may
	// belong to either direction and is read as optional in both.
	dirKnown bool
	// fam is the address family; famUnknown when the CIDR, and so the
	// family, is unknown. addrKnown is false when the CIDR is unknown (the
	// family may still be known: cidr_block is IPv4).
	fam       int
	addrKnown bool
	v4        interval.Range[u32]
	v6        interval.Range[u128]
	cidr      string
	public    bool
	// keys the entry may match; must the keys it certainly matches
	// (mustOK false: none). keysKnown: keys == must.
	keys      keyRange
	must      keyRange
	mustOK    bool
	keysKnown bool
	// keys6 are the keys it may match in IPv6 when they differ from keys:
	// ICMPv6 with a type and code and an unknown family matches all of
	// protocol 58 in IPv4 but only the type and code in IPv6.
	keys6     keyRange
	hasKeys6  bool
	ephemeral bool
	known     bool // every field known: number, action, direction, CIDR, keys
	dupNumber bool
	// Boxes, built once: what it may match and what it must match, per
	// family.
	may4, must4 boxset.Set[u32]
	may6, must6 boxset.Set[u128]
	built4      bool
	built6      bool
}

// boxKnown: the entry's traffic is known (its number or action may not be).
func (n *naclEntry) boxKnown() bool { return n.fam != famUnknown && n.addrKnown && n.keysKnown }

// readNACLEntry reads entry i of an ACL.
func readNACLEntry(e *env, u unknowns, i int, x *model.NACLEntry) *naclEntry {
	base := item("entries", i)
	n := &naclEntry{index: i, attr: base, egress: x.Egress, dirKnown: true, actKnown: true}
	if u.exact(base) {
		// Nothing of it is known: it may be anything, anywhere.
		n.dirKnown, n.actKnown, n.keys = false, false, allKeys()
		return n
	}
	if x.RuleNumber != nil && !u.has(base+".rule_number") {
		n.num, n.numKnown = *x.RuleNumber, true
	}
	switch strings.ToLower(x.Action) {
	case "allow":
		n.allow = true
	case "deny":
	default:
		n.actKnown = false
	}
	if u.has(base + ".action") {
		n.actKnown = false
	}
	if u.has(base + ".egress") {
		n.dirKnown = false
	}
	// Address family and CIDR. An unknown cidr_block is still IPv4, an
	// unknown ipv6_cidr_block IPv6, when the other is not set.
	v4Unknown, v6Unknown := u.has(base+".cidr_block"), u.has(base+".ipv6_cidr_block")
	switch {
	case x.CIDRBlock != "" && !v4Unknown:
		if p, err := netip.ParsePrefix(x.CIDRBlock); err == nil && p.Addr().Is4() {
			n.fam, n.addrKnown, n.v4, n.cidr = famV4, true, ipset.RangeV4(p), cidrString(x.CIDRBlock, p)
			n.public = e.publicV4.OverlapsRange(n.v4)
		}
	case x.IPv6CIDRBlock != "" && !v6Unknown:
		if p, err := netip.ParsePrefix(x.IPv6CIDRBlock); err == nil && p.Addr().Is6() && !p.Addr().Is4In6() {
			n.fam, n.addrKnown, n.v6, n.cidr = famV6, true, ipset.RangeV6(p), cidrString(x.IPv6CIDRBlock, p)
			n.public = e.publicV6.OverlapsRange(n.v6)
		}
	case v4Unknown && !v6Unknown && x.IPv6CIDRBlock == "":
		n.fam = famV4
	case v6Unknown && !v4Unknown && x.CIDRBlock == "":
		n.fam = famV6
	}
	n.keys, n.must, n.mustOK, n.keysKnown = naclEntryKeys(u, base, x, n.fam)
	if n.fam == famUnknown && n.mustOK && n.keys == protoKeys(protoICMPv6) && n.must != n.keys {
		n.keys6, n.hasKeys6 = n.must, true
	}
	n.known = n.numKnown && n.actKnown && n.dirKnown && n.fam != famUnknown && n.addrKnown && n.keysKnown
	if n.keysKnown && n.allow {
		p := int(n.keys.Lo >> 16)
		from, to := int(n.keys.Lo&0xFFFF), int(n.keys.Hi&0xFFFF)
		n.ephemeral = (p == protoTCP || p == protoUDP) && p == int(n.keys.Hi>>16) && from >= ephemeralFrom && to-from+1 >= ephemeralSpan
	}
	return n
}

// naclEntryKeys reads an entry's protocol and ports as AWS does: -1 and
// protocols other than 6, 17 and 1 match every port; ICMP uses the type
// and code (-1 = all); protocol 58 (ICMPv6) with an IPv4 CIDR matches all
// of it, with an IPv6 CIDR its type and code. It returns the keys the entry
// may match, the keys it must match (mustOK false when none is certain) and
// whether the two are the same (every field that decides them known). A
// value AWS would reject (from above to, a port out of range) reads as
// unknown.
func naclEntryKeys(u unknowns, base string, x *model.NACLEntry, fam int) (may, must keyRange, mustOK, exact bool) {
	if x.Protocol == "" || u.has(base+".protocol") {
		return allKeys(), keyRange{}, false, false
	}
	p, ok := protoNumber(x.Protocol)
	if !ok {
		return allKeys(), keyRange{}, false, false
	}
	known := func(k keyRange) (keyRange, keyRange, bool, bool) { return k, k, true, true }
	switch {
	case p == -1:
		return known(allKeys())
	case p == protoTCP || p == protoUDP:
		fromOK := x.FromPort != nil && !u.has(base+".from_port") && *x.FromPort >= 0 && *x.FromPort <= 65535
		toOK := x.ToPort != nil && !u.has(base+".to_port") && *x.ToPort >= 0 && *x.ToPort <= 65535
		switch {
		case fromOK && toOK && *x.FromPort <= *x.ToPort:
			return known(portKeys(p, *x.FromPort, *x.ToPort))
		case fromOK && !toOK && x.ToPort == nil:
			// The range starts at from: from itself is matched.
			return portKeys(p, *x.FromPort, 65535), portKeys(p, *x.FromPort, *x.FromPort), true, false
		case toOK && !fromOK && x.FromPort == nil:
			return portKeys(p, 0, *x.ToPort), portKeys(p, *x.ToPort, *x.ToPort), true, false
		}
		return protoKeys(p), keyRange{}, false, false
	case p == protoICMP || (p == protoICMPv6 && fam != famV4):
		var k keyRange
		ok := x.ICMPType != nil && x.ICMPCode != nil && !u.has(base+".icmp_type") && !u.has(base+".icmp_code")
		if ok {
			k, ok = icmpKeys(p, *x.ICMPType, *x.ICMPCode)
		}
		switch {
		case !ok:
			return protoKeys(p), keyRange{}, false, false
		case p == protoICMPv6 && fam == famUnknown:
			// IPv4 would match all of protocol 58, IPv6 the type and code.
			return protoKeys(p), k, true, false
		}
		return known(k)
	}
	return known(protoKeys(p))
}

// build4 and build6 make the entry's boxes in one family, once.
func (n *naclEntry) build4(e *env) {
	if !n.built4 {
		n.built4 = true
		n.may4, n.must4 = entryBoxes(n, famV6, n.v4, e.allV4, n.keys)
	}
}

func (n *naclEntry) build6(e *env) {
	if !n.built6 {
		n.built6 = true
		keys := n.keys
		if n.hasKeys6 {
			keys = n.keys6
		}
		n.may6, n.must6 = entryBoxes(n, famV4, n.v6, e.allV6, keys)
	}
}

// entryBoxes are what an entry may and must match in one family: nothing
// when it is of the other family (other), its keys times its CIDR when
// that is known, else its keys times the whole family (and nothing for
// certain). keys are what it may match when the address is unknown.
func entryBoxes[A interval.Point[A]](n *naclEntry, other int, r interval.Range[A], all interval.Set[A], keys keyRange) (may, must boxset.Set[A]) {
	switch {
	case n.fam == other:
		return may, must
	case n.addrKnown:
		addrs := interval.Of(r.Lo, r.Hi)
		may = boxset.Box(n.keys, addrs)
		if n.mustOK {
			must = boxset.Box(n.must, addrs)
		}
		return may, must
	}
	return boxset.Box(keys, all), must
}

// describe renders an entry: "deny tcp/22 from 0.0.0.0/0". With verb it
// reads "denies tcp/22 from 0.0.0.0/0".
func (n *naclEntry) describe(verb bool) string {
	act := "deny"
	switch {
	case n.allow && verb:
		act = "allows"
	case n.allow:
		act = "allow"
	case verb:
		act = "denies"
	}
	dir := "from"
	if n.egress {
		dir = "to"
	}
	return fmt.Sprintf("%s %s %s %s", act, describeKeys(interval.Of(n.keys.Lo, n.keys.Hi)), dir, n.cidr)
}

func (n *naclEntry) name() string { return fmt.Sprintf("rule %d", n.num) }

// step is an entry at one place of the first-match order. An optional step
// may or may not match what it may match (it certainly matches nothing):
// an entry whose place is not known (an unknown rule number, a rule number
// two entries share, an unknown direction) is an optional step where it
// could come first and an ordinary step where it could come last, which
// together give every outcome of every place between.
type step struct {
	n        *naclEntry
	optional bool
}

// famEval is the first-match evaluation of one direction and family over
// every way the unknown entries could resolve. For each packet it tracks
// the outcomes it may have reached after each step: decided allow (A),
// decided deny (D), or not matched yet (P, denied by the final * at the
// end). The outcomes of a packet depend only on which entries match it and
// how, so the sets are exact for entries whose unknown fields are
// independent; an entry's fields shared with another (one variable in two
// entries) only make the result more cautious.
type famEval[A interval.Point[A]] struct {
	// hits[i] is what step i may be the first to match.
	hits []boxset.Set[A]
	// surely[i]: step i is certainly the first to match some packet.
	surely []bool
	// allowMay (A) may be allowed, pending (P) may be matched by no entry.
	allowMay, pending boxset.Set[A]
	// allowed is allowed whatever the unknowns are: A minus D minus P.
	allowed boxset.Set[A]
	// allowedService is allowed whatever the unknowns are, ephemeral-range
	// allow entries counted as not allowing (they still match first).
	allowedService boxset.Set[A]
	// exact: no step of this family has an unknown; allowed == allowMay.
	exact bool
}

func evalFamily[A interval.Point[A]](steps []step, fam int, all interval.Set[A],
	may, must func(*naclEntry) boxset.Set[A]) *famEval[A] {
	f := &famEval[A]{hits: make([]boxset.Set[A], len(steps)), surely: make([]bool, len(steps)), exact: true}
	for _, s := range steps {
		if s.n.fam == fam || s.n.fam == famUnknown {
			f.exact = f.exact && s.n.known && !s.optional
		}
	}
	p := boxset.Box(allKeys(), all)
	var a, d, aSvc, dSvc boxset.Set[A]
	anyEphemeral := false
	if f.exact {
		for i, s := range steps {
			n := s.n
			if n.fam != fam {
				continue
			}
			b := may(n)
			h := b.Intersect(p)
			f.hits[i], f.surely[i] = h, !h.IsEmpty()
			if n.allow {
				a = a.Union(h)
				if n.ephemeral {
					anyEphemeral = true
					dSvc = dSvc.Union(h)
				}
			}
			p = p.Subtract(b)
		}
		f.allowMay, f.pending, f.allowed = a, p, a
		f.allowedService = a
		if anyEphemeral {
			f.allowedService = a.Subtract(dSvc)
		}
		return f
	}
	// pSure: packets certainly matched by no step so far.
	pSure := p
	for i, s := range steps {
		n := s.n
		if n.fam != fam && n.fam != famUnknown {
			continue
		}
		b := may(n)
		h := b.Intersect(p)
		f.hits[i] = h
		if !h.IsEmpty() {
			if n.allow || !n.actKnown {
				a = a.Union(h)
				if n.ephemeral {
					anyEphemeral = true
				} else {
					aSvc = aSvc.Union(h)
				}
			}
			if !n.allow || !n.actKnown || n.ephemeral {
				if !n.allow || !n.actKnown {
					d = d.Union(h)
				}
				dSvc = dSvc.Union(h)
			}
		}
		if !s.optional && n.dirKnown {
			if m := must(n); !m.IsEmpty() {
				f.surely[i] = m.Overlaps(pSure)
				p = p.Subtract(m)
			}
		}
		pSure = pSure.Subtract(b)
	}
	f.allowMay, f.pending = a, p
	f.allowed = a.Subtract(d.Union(p))
	f.allowedService = f.allowed
	if anyEphemeral {
		f.allowedService = aSvc.Subtract(dSvc.Union(p))
	}
	return f
}

func mayBox4(e *env) func(*naclEntry) boxset.Set[u32] {
	return func(n *naclEntry) boxset.Set[u32] { n.build4(e); return n.may4 }
}

func mustBox4(e *env) func(*naclEntry) boxset.Set[u32] {
	return func(n *naclEntry) boxset.Set[u32] { n.build4(e); return n.must4 }
}

func mayBox6(e *env) func(*naclEntry) boxset.Set[u128] {
	return func(n *naclEntry) boxset.Set[u128] { n.build6(e); return n.may6 }
}

func mustBox6(e *env) func(*naclEntry) boxset.Set[u128] {
	return func(n *naclEntry) boxset.Set[u128] { n.build6(e); return n.must6 }
}

// aclDir is one direction of an ACL, evaluated.
type aclDir struct {
	// steps are the direction's entries in first-match order (see step).
	steps []step
	f4    *famEval[u32]
	f6    *famEval[u128]
}

// aclInfo is an evaluated ACL.
type aclInfo struct {
	acl             *model.NetworkACL
	ingress, egress *aclDir
	// listKnown is false for a placeholder or an unknown entry list:
	// other entries may come anywhere.
	listKnown bool
}

// evalACL evaluates both directions of an ACL and returns its facts.
func evalACL(e *env, a *model.NetworkACL) (*aclInfo, *model.NACLFacts) {
	u := newUnknowns(&a.Meta)
	listKnown := !u.exact("entries") && !a.Placeholder
	// "entries" itself in unknown: more entries may exist (listKnown), the
	// written ones stay known.
	eu := u.without("entries")
	var in, out []*naclEntry
	for i, x := range a.Entries {
		if x == nil {
			continue
		}
		n := readNACLEntry(e, eu, i, x)
		switch {
		case !n.dirKnown:
			in, out = append(in, n), append(out, n)
		case n.egress:
			out = append(out, n)
		default:
			in = append(in, n)
		}
	}
	info := &aclInfo{acl: a, listKnown: listKnown}
	f := &model.NACLFacts{SubnetIDs: []string{}}
	info.ingress, f.Ingress = evalDirection(e, in, listKnown)
	info.egress, f.Egress = evalDirection(e, out, listKnown)
	return info, f
}

// orderSteps puts a direction's entries in first-match order: the entries
// whose rule number is unknown first as optional steps, then the entries
// by rule number (the entries that share a number as optional steps, then
// as ordinary ones: their order is not known), then the unknown-number
// entries again as ordinary steps.
func orderSteps(entries []*naclEntry) []step {
	var numbered, floating []*naclEntry
	for _, n := range entries {
		if n.numKnown {
			numbered = append(numbered, n)
		} else {
			floating = append(floating, n)
		}
	}
	slices.SortStableFunc(numbered, func(a, b *naclEntry) int { return a.num - b.num })
	steps := make([]step, 0, len(entries)+len(floating))
	for _, n := range floating {
		steps = append(steps, step{n: n, optional: true})
	}
	for i := 0; i < len(numbered); {
		j := i + 1
		for j < len(numbered) && numbered[j].num == numbered[i].num {
			j++
		}
		group := numbered[i:j]
		for _, n := range group {
			if len(group) > 1 {
				steps = append(steps, step{n: n, optional: true})
			} else {
				steps = append(steps, step{n: n, optional: !n.dirKnown})
			}
		}
		if len(group) > 1 {
			for _, n := range group {
				steps = append(steps, step{n: n, optional: !n.dirKnown})
			}
		}
		i = j
	}
	for _, n := range floating {
		steps = append(steps, step{n: n, optional: !n.dirKnown})
	}
	return steps
}

func evalDirection(e *env, entries []*naclEntry, listKnown bool) (*aclDir, *model.NACLDirectionFacts) {
	df := &model.NACLDirectionFacts{
		InternetEntries:      []int{},
		Anomalies:            []*model.NACLAnomaly{},
		DuplicateRuleNumbers: []*model.DuplicateRuleNumber{},
		Known:                listKnown,
	}
	byNumber := map[int][]*naclEntry{}
	for _, n := range entries {
		if n.numKnown {
			byNumber[n.num] = append(byNumber[n.num], n)
		}
	}
	for num, ns := range byNumber {
		if len(ns) < 2 {
			continue
		}
		d := &model.DuplicateRuleNumber{RuleNumber: num}
		for _, n := range ns {
			n.dupNumber = true
			d.Indexes = append(d.Indexes, n.index)
		}
		slices.Sort(d.Indexes)
		df.DuplicateRuleNumbers = append(df.DuplicateRuleNumbers, d)
	}
	slices.SortFunc(df.DuplicateRuleNumbers, func(a, b *model.DuplicateRuleNumber) int { return a.RuleNumber - b.RuleNumber })
	for _, n := range entries {
		if !n.known || n.dupNumber {
			df.Known = false
		}
	}
	d := &aclDir{steps: orderSteps(entries)}
	d.f4 = evalFamily(d.steps, famV4, e.allV4, mayBox4(e), mustBox4(e))
	d.f6 = evalFamily(d.steps, famV6, e.allV6, mayBox6(e), mustBox6(e))

	df.Allowed = e.portSetOfSet(d.f4.allowed.Keys().Union(d.f6.allowed.Keys()))
	covers4 := func(a ipset.V4) bool { return a.Covers(e.allV4) }
	covers6 := func(a ipset.V6) bool { return a.Covers(e.allV6) }
	inet4 := d.f4.allowed.KeysWhere(covers4)
	inet6 := d.f6.allowed.KeysWhere(covers6)
	df.Internet = e.portSetOfSet(inet4.Union(inet6))
	df.InternetNonEphemeral = df.Internet
	if !d.f4.allowedService.Equal(d.f4.allowed) || !d.f6.allowedService.Equal(d.f6.allowed) {
		df.InternetNonEphemeral = e.portSetOfSet(d.f4.allowedService.KeysWhere(covers4).Union(d.f6.allowedService.KeysWhere(covers6)))
	}
	// Per entry (an entry of unknown place has two steps): what it may
	// decide, and of that what reaches every address.
	type entryAcc struct {
		n             *naclEntry
		decides, inet keySet
		surely        bool
	}
	var accs []*entryAcc
	byEntry := map[*naclEntry]*entryAcc{}
	for i, s := range d.steps {
		n := s.n
		if !n.boxKnown() || !n.actKnown {
			continue
		}
		var decides, inet keySet
		var inetAny bool
		switch n.fam {
		case famV4:
			decides = d.f4.hits[i].Keys()
			inet = d.f4.hits[i].KeysWhere(covers4)
			inetAny = !d.f4.hits[i].RestrictKeys(inet4).IsEmpty()
		case famV6:
			decides = d.f6.hits[i].Keys()
			inet = d.f6.hits[i].KeysWhere(covers6)
			inetAny = !d.f6.hits[i].RestrictKeys(inet6).IsEmpty()
		}
		if inetAny && n.allow && n.public && !slices.Contains(df.InternetEntries, n.index) {
			df.InternetEntries = append(df.InternetEntries, n.index)
		}
		acc := byEntry[n]
		if acc == nil {
			acc = &entryAcc{n: n}
			byEntry[n] = acc
			accs = append(accs, acc)
		}
		acc.decides = acc.decides.Union(decides)
		acc.inet = acc.inet.Union(inet)
		acc.surely = acc.surely || d.f4.surely[i] || d.f6.surely[i]
	}
	df.Entries = make([]*model.NACLEntryFacts, 0, len(accs))
	for _, acc := range accs {
		n := acc.n
		act, num := "deny", n.num
		if n.allow {
			act = "allow"
		}
		if !n.numKnown {
			num = -1
		}
		df.Entries = append(df.Entries, &model.NACLEntryFacts{Index: n.index, Attribute: n.attr, RuleNumber: num, Action: act,
			Applies: !acc.decides.IsEmpty(), AlwaysApplies: acc.surely, Ephemeral: n.ephemeral,
			Decides: e.portSetOfSet(acc.decides), Internet: e.portSetOfSet(acc.inet)})
	}
	slices.Sort(df.InternetEntries)
	df.Anomalies = append(df.Anomalies, anomalies(d.steps, famV4, d.f4, mayBox4(e))...)
	df.Anomalies = append(df.Anomalies, anomalies(d.steps, famV6, d.f6, mayBox6(e))...)
	slices.SortStableFunc(df.Anomalies, func(a, b *model.NACLAnomaly) int { return a.Index - b.Index })
	if !listKnown {
		// A placeholder's other entries, or an unknown list, may come
		// first: nothing is known to be allowed. The anomalies among the
		// written entries stand (more entries only shadow more).
		empty := e.portSetOfSet(keySet{})
		df.Allowed, df.Internet, df.InternetNonEphemeral = empty, empty, empty
		df.InternetEntries, df.Entries = []int{}, []*model.NACLEntryFacts{}
	}
	return d, df
}

// anomalies classifies each known entry of one family against the steps
// before it (Al-Shaer & Hamed, set-based):
//   - shadowed: whatever the unknowns are, no packet is decided by the
//     entry (earlier entries match all of its traffic), and at least one
//     earlier entry that decides some of its traffic has the opposite
//     action;
//   - redundant: the same, with every earlier entry that decides some of
//     its traffic of its action (removing it changes nothing);
//   - generalization: it certainly applies, and strictly contains an
//     earlier known entry of the opposite action;
//   - correlation: it certainly applies, and partially overlaps an earlier
//     known entry of the opposite action (neither contains the other).
//
// An entry is classified only when its own fields are known; a shadowed or
// redundant entry only when every entry that may decide its traffic is
// known (else which of the two it is may depend on the unknowns).
func anomalies[A interval.Point[A]](steps []step, fam int, f *famEval[A], box func(*naclEntry) boxset.Set[A]) []*model.NACLAnomaly {
	var out []*model.NACLAnomaly
	for i, s := range steps {
		n := s.n
		if n.fam != fam || !n.known || n.dupNumber {
			continue
		}
		b := box(n)
		if f.hits[i].IsEmpty() {
			var by []*naclEntry
			opposite, sure := false, true
			for j := 0; j < i; j++ {
				o := steps[j].n
				if (o.fam != fam && o.fam != famUnknown) || !f.hits[j].Overlaps(b) || slices.Contains(by, o) {
					continue
				}
				if !o.known || o.dupNumber {
					sure = false
					break
				}
				by = append(by, o)
				opposite = opposite || o.allow != n.allow
			}
			if !sure {
				continue
			}
			a := newAnomaly(n, by)
			if opposite {
				a.Kind = "shadowed"
				a.Description = fmt.Sprintf("%s (%s) never applies: %s first", n.name(), n.describe(false), decidedBy(by))
			} else {
				a.Kind = "redundant"
				a.Description = fmt.Sprintf("%s (%s) is redundant: %s already", n.name(), n.describe(false), decidedBy(by))
			}
			out = append(out, a)
			continue
		}
		if !f.surely[i] {
			continue
		}
		var gen, cor []*naclEntry
		for j := 0; j < i; j++ {
			o := steps[j].n
			if o.fam != fam || !o.known || o.dupNumber || o.allow == n.allow {
				continue
			}
			ob := box(o)
			switch {
			case !ob.Overlaps(b):
			case b.Covers(ob) && !ob.Covers(b):
				gen = append(gen, o)
			case !b.Covers(ob) && !ob.Covers(b):
				cor = append(cor, o)
			}
		}
		if len(gen) > 0 {
			a := newAnomaly(n, gen)
			a.Kind = "generalization"
			a.Description = fmt.Sprintf("%s (%s) generalizes %s, which take%s precedence on %s narrower traffic",
				n.name(), n.describe(false), listEntries(gen), plural(len(gen) == 1, "s", ""), plural(len(gen) == 1, "its", "their"))
			out = append(out, a)
		}
		if len(cor) > 0 {
			a := newAnomaly(n, cor)
			a.Kind = "correlation"
			a.Description = fmt.Sprintf("%s (%s) partially overlaps %s with the opposite action; the earlier rule decides the overlap",
				n.name(), n.describe(false), listEntries(cor))
			out = append(out, a)
		}
	}
	return out
}

func newAnomaly(n *naclEntry, by []*naclEntry) *model.NACLAnomaly {
	a := &model.NACLAnomaly{Index: n.index, Attribute: n.attr, RuleNumber: n.num, CausedBy: []int{}, CausedByRuleNumbers: []int{}}
	for _, o := range by {
		a.CausedBy = append(a.CausedBy, o.index)
		a.CausedByRuleNumbers = append(a.CausedByRuleNumbers, o.num)
	}
	return a
}

// decidedBy: "rule 100 allows all TCP from 0.0.0.0/0" or "rule 100 allows
// ... and rule 110 denies ...".
func decidedBy(by []*naclEntry) string {
	parts := make([]string, len(by))
	for i, o := range by {
		parts[i] = o.name() + " " + o.describe(true)
	}
	return joinAnd(parts)
}

// listEntries: "rule 100 (deny tcp/22 from 0.0.0.0/0)".
func listEntries(es []*naclEntry) string {
	parts := make([]string, len(es))
	for i, o := range es {
		parts[i] = fmt.Sprintf("%s (%s)", o.name(), o.describe(false))
	}
	return joinAnd(parts)
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func plural(one bool, a, b string) string {
	if one {
		return a
	}
	return b
}
