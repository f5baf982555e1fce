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

// naclEntry is one ACL entry read into a box.
type naclEntry struct {
	index     int
	attr      string // "entries[3]"
	num       int
	numKnown  bool
	allow     bool
	egress    bool
	fam       int
	keys      keyRange
	v4        interval.Range[u32]
	v6        interval.Range[u128]
	cidr      string
	public    bool
	known     bool // every field that decides matching is known
	dupNumber bool
	b4        boxset.Set[u32]
	b6        boxset.Set[u128]
}

// readNACLEntry reads entry i of an ACL.
func readNACLEntry(e *env, u unknowns, i int, x *model.NACLEntry) *naclEntry {
	base := item("entries", i)
	n := &naclEntry{index: i, attr: base, egress: x.Egress, known: true}
	if !u.any() {
		base = "" // not needed to look up unknown paths
	}
	if u.exact(base) {
		n.known = false
		return n
	}
	if x.RuleNumber != nil && !u.has(base+".rule_number") {
		n.num, n.numKnown = *x.RuleNumber, true
	} else {
		n.known = false
	}
	switch strings.ToLower(x.Action) {
	case "allow":
		n.allow = true
	case "deny":
	default:
		n.known = false
	}
	if u.has(base + ".action") {
		n.known = false
	}
	// Address family and CIDR.
	switch {
	case x.CIDRBlock != "" && !u.has(base+".cidr_block"):
		if p, err := netip.ParsePrefix(x.CIDRBlock); err == nil && p.Addr().Is4() {
			n.fam, n.v4, n.cidr = famV4, ipset.RangeV4(p), cidrString(x.CIDRBlock, p)
			n.public = e.publicV4.OverlapsRange(n.v4)
		}
	case x.IPv6CIDRBlock != "" && !u.has(base+".ipv6_cidr_block"):
		if p, err := netip.ParsePrefix(x.IPv6CIDRBlock); err == nil && p.Addr().Is6() && !p.Addr().Is4In6() {
			n.fam, n.v6, n.cidr = famV6, ipset.RangeV6(p), cidrString(x.IPv6CIDRBlock, p)
			n.public = e.publicV6.OverlapsRange(n.v6)
		}
	}
	if n.fam == famUnknown || u.has(base+".egress") {
		n.known = false
	}
	var ok bool
	n.keys, ok = naclEntryKeys(u, base, x, n.fam)
	if !ok {
		n.known = false
	}
	return n
}

// naclEntryKeys reads an entry's protocol and ports as AWS does: -1 and
// protocols other than 6, 17 and 1 match every port; ICMP uses the type
// and code (-1 = all); protocol 58 (ICMPv6) with an IPv4 CIDR matches all
// of it, with an IPv6 CIDR its type and code.
func naclEntryKeys(u unknowns, base string, x *model.NACLEntry, fam int) (keyRange, bool) {
	if x.Protocol == "" || u.has(base+".protocol") {
		return keyRange{}, false
	}
	p, ok := protoNumber(x.Protocol)
	if !ok {
		return keyRange{}, false
	}
	switch {
	case p == -1:
		return allKeys(), true
	case p == protoTCP || p == protoUDP:
		if x.FromPort == nil || x.ToPort == nil || u.has(base+".from_port") || u.has(base+".to_port") {
			return keyRange{}, false
		}
		from, to := *x.FromPort, *x.ToPort
		if from < 0 || to > 65535 || from > to {
			return keyRange{}, false
		}
		return portKeys(p, from, to), true
	case p == protoICMP || (p == protoICMPv6 && fam == famV6):
		if x.ICMPType == nil || x.ICMPCode == nil || u.has(base+".icmp_type") || u.has(base+".icmp_code") {
			return keyRange{}, false
		}
		return icmpKeys(p, *x.ICMPType, *x.ICMPCode)
	case p == protoICMPv6 && fam == famUnknown:
		return keyRange{}, false
	}
	return protoKeys(p), true
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

// famEval is the first-match evaluation of one direction and family.
type famEval[A interval.Point[A]] struct {
	// match[i] is what sorted entry i decides (its box minus every earlier
	// box); empty for entries of the other family.
	match []boxset.Set[A]
	// stop is the sorted position of the first entry that could affect
	// this family but is not known; len(entries) when all are known.
	stop int
	// allowed is what entries before stop allow; remaining is what no
	// entry before stop matches (denied by the final * when stop is the
	// end).
	allowed, remaining boxset.Set[A]
}

func evalFamily[A interval.Point[A]](entries []*naclEntry, fam int, all interval.Set[A], box func(*naclEntry) boxset.Set[A]) *famEval[A] {
	f := &famEval[A]{match: make([]boxset.Set[A], len(entries)), stop: len(entries)}
	f.remaining = boxset.Box(allKeys(), all)
	for i, n := range entries {
		if !n.known || n.dupNumber {
			if n.fam == fam || n.fam == famUnknown {
				f.stop = i
				break
			}
			continue
		}
		if n.fam != fam {
			continue
		}
		b := box(n)
		m := b.Intersect(f.remaining)
		f.match[i] = m
		if n.allow {
			f.allowed = f.allowed.Union(m)
		}
		f.remaining = f.remaining.Subtract(b)
	}
	return f
}

// box4 and box6 are an entry's box, built once.
func box4(n *naclEntry) boxset.Set[u32] {
	if n.b4.IsEmpty() {
		n.b4 = boxset.Box(n.keys, interval.Of(n.v4.Lo, n.v4.Hi))
	}
	return n.b4
}

func box6(n *naclEntry) boxset.Set[u128] {
	if n.b6.IsEmpty() {
		n.b6 = boxset.Box(n.keys, interval.Of(n.v6.Lo, n.v6.Hi))
	}
	return n.b6
}

// aclDir is one direction of an ACL, evaluated.
type aclDir struct {
	entries []*naclEntry // sorted by rule number
	f4      *famEval[u32]
	f6      *famEval[u128]
}

// aclInfo is an evaluated ACL.
type aclInfo struct {
	acl             *model.NetworkACL
	ingress, egress *aclDir
}

// evalACL evaluates both directions of an ACL and returns its facts.
func evalACL(e *env, a *model.NetworkACL) (*aclInfo, *model.NACLFacts) {
	u := newUnknowns(&a.Meta)
	listKnown := !u.exact("entries") && !a.Placeholder
	var in, out []*naclEntry
	for i, x := range a.Entries {
		if x == nil {
			continue
		}
		n := readNACLEntry(e, u, i, x)
		if u.has(item("entries", i) + ".egress") {
			in, out = append(in, n), append(out, n)
			continue
		}
		if n.egress {
			out = append(out, n)
		} else {
			in = append(in, n)
		}
	}
	info := &aclInfo{acl: a}
	f := &model.NACLFacts{SubnetIDs: []string{}}
	info.ingress, f.Ingress = evalDirection(e, in, listKnown)
	info.egress, f.Egress = evalDirection(e, out, listKnown)
	return info, f
}

func evalDirection(e *env, entries []*naclEntry, listKnown bool) (*aclDir, *model.NACLDirectionFacts) {
	// Entries with an unknown rule number could be anywhere: put them
	// first so that nothing after them counts as known.
	sorted := slices.Clone(entries)
	slices.SortStableFunc(sorted, func(a, b *naclEntry) int {
		switch {
		case !a.numKnown && !b.numKnown:
			return 0
		case !a.numKnown:
			return -1
		case !b.numKnown:
			return 1
		}
		return a.num - b.num
	})
	df := &model.NACLDirectionFacts{
		InternetEntries:      []int{},
		Anomalies:            []*model.NACLAnomaly{},
		DuplicateRuleNumbers: []*model.DuplicateRuleNumber{},
		Known:                listKnown,
	}
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[i].numKnown && sorted[j].numKnown && sorted[j].num == sorted[i].num {
			j++
		}
		if j-i > 1 {
			d := &model.DuplicateRuleNumber{RuleNumber: sorted[i].num}
			for _, n := range sorted[i:j] {
				n.dupNumber = true
				d.Indexes = append(d.Indexes, n.index)
			}
			slices.Sort(d.Indexes)
			df.DuplicateRuleNumbers = append(df.DuplicateRuleNumbers, d)
		}
		i = j
	}
	for _, n := range sorted {
		if !n.known || n.dupNumber {
			df.Known = false
		}
	}
	d := &aclDir{entries: sorted}
	d.f4 = evalFamily(sorted, famV4, e.allV4, box4)
	d.f6 = evalFamily(sorted, famV6, e.allV6, box6)

	df.Allowed = e.portSetOfSet(d.f4.allowed.Keys().Union(d.f6.allowed.Keys()))
	inet4 := d.f4.allowed.KeysWhere(func(a ipset.V4) bool { return a.Covers(e.allV4) })
	inet6 := d.f6.allowed.KeysWhere(func(a ipset.V6) bool { return a.Covers(e.allV6) })
	df.Internet = e.portSetOfSet(inet4.Union(inet6))
	for i, n := range sorted {
		if !n.allow || !n.public {
			continue
		}
		switch {
		case n.fam == famV4 && i < d.f4.stop && !d.f4.match[i].RestrictKeys(inet4).IsEmpty(),
			n.fam == famV6 && i < d.f6.stop && !d.f6.match[i].RestrictKeys(inet6).IsEmpty():
			df.InternetEntries = append(df.InternetEntries, n.index)
		}
	}
	slices.Sort(df.InternetEntries)
	df.Entries = []*model.NACLEntryFacts{}
	for i, n := range sorted {
		var decides, inet keySet
		switch {
		case n.fam == famV4 && i < d.f4.stop:
			decides = d.f4.match[i].Keys()
			inet = d.f4.match[i].KeysWhere(func(a ipset.V4) bool { return a.Covers(e.allV4) })
		case n.fam == famV6 && i < d.f6.stop:
			decides = d.f6.match[i].Keys()
			inet = d.f6.match[i].KeysWhere(func(a ipset.V6) bool { return a.Covers(e.allV6) })
		default:
			continue
		}
		act := "deny"
		if n.allow {
			act = "allow"
		}
		df.Entries = append(df.Entries, &model.NACLEntryFacts{Index: n.index, Attribute: n.attr, RuleNumber: n.num, Action: act,
			Applies: !decides.IsEmpty(), Decides: e.portSetOfSet(decides), Internet: e.portSetOfSet(inet)})
	}
	df.Anomalies = append(df.Anomalies, anomalies(sorted, famV4, d.f4, box4)...)
	df.Anomalies = append(df.Anomalies, anomalies(sorted, famV6, d.f6, box6)...)
	slices.SortStableFunc(df.Anomalies, func(a, b *model.NACLAnomaly) int { return a.Index - b.Index })
	if !listKnown {
		// A placeholder's other entries, or an unknown list, may come
		// first: nothing is known to be allowed. The anomalies among the
		// written entries stand.
		df.Allowed, df.Internet = e.portSetOfSet(keySet{}), e.portSetOfSet(keySet{})
		df.InternetEntries, df.Entries = []int{}, []*model.NACLEntryFacts{}
	}
	return d, df
}

// anomalies classifies each entry of one family against the entries
// before it (Al-Shaer & Hamed, set-based):
//   - shadowed: no packet is decided by the entry (earlier entries match
//     all of its traffic) and at least one earlier entry that decides some
//     of its traffic has the opposite action;
//   - redundant: no packet is decided by it, and every earlier entry that
//     decides some of its traffic has the same action (removing it changes
//     nothing);
//   - generalization: it applies, and strictly contains an earlier entry of
//     the opposite action;
//   - correlation: it applies, and partially overlaps an earlier entry of
//     the opposite action (neither contains the other).
//
// Only entries before the first unknown one are classified.
func anomalies[A interval.Point[A]](sorted []*naclEntry, fam int, f *famEval[A], box func(*naclEntry) boxset.Set[A]) []*model.NACLAnomaly {
	var out []*model.NACLAnomaly
	for i := 0; i < f.stop; i++ {
		n := sorted[i]
		if n.fam != fam {
			continue
		}
		b := box(n)
		if f.match[i].IsEmpty() {
			var by []*naclEntry
			opposite := false
			for j := 0; j < i; j++ {
				o := sorted[j]
				if o.fam == fam && f.match[j].Overlaps(b) {
					by = append(by, o)
					opposite = opposite || o.allow != n.allow
				}
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
		var gen, cor []*naclEntry
		for j := 0; j < i; j++ {
			o := sorted[j]
			if o.fam != fam || o.allow == n.allow {
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
