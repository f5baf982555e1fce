package analysis

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"testing"

	"github.com/vpclint/vpclint/analysis/interval"
	"github.com/vpclint/vpclint/analysis/ipset"
	"github.com/vpclint/vpclint/model"
	"pgregory.net/rapid"
)

// The property tests draw ACL entries from a small universe (ports 0-7 or
// all, ICMP types and codes 0-3 or -1, CIDRs inside a /29 plus a few wider
// prefixes) and sample one packet from every equivalence class of it, so
// that checking the samples checks every packet.

var (
	v4Prefixes = []string{"0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/29", "10.0.0.0/30", "10.0.0.4/30", "10.0.0.0/31", "10.0.0.2/31", "10.0.0.6/31", "10.0.0.1/32", "10.0.0.5/32", "10.0.0.7/32"}
	v6Prefixes = []string{"::/0", "2001:db8::/32", "2001:db8::/125", "2001:db8::/126", "2001:db8::4/126", "2001:db8::/127", "2001:db8::2/127", "2001:db8::6/127", "2001:db8::1/128", "2001:db8::5/128", "2001:db8::7/128"}
	protos     = []string{"-1", "tcp", "udp", "icmp", "50", "58", "6", "all"}
)

type packet struct {
	proto, port int // port: tcp/udp port, or ICMP type<<8|code
	addr        netip.Addr
}

func samplePackets() []packet {
	var addrs []netip.Addr
	for _, s := range []string{"9.255.255.255", "10.0.0.8", "11.0.0.0", "255.255.255.255", "0.0.0.0",
		"2001:db7:ffff::", "2001:db8::8", "2001:db9::", "::"} {
		addrs = append(addrs, netip.MustParseAddr(s))
	}
	for i := range 8 {
		addrs = append(addrs, netip.AddrFrom4([4]byte{10, 0, 0, byte(i)}))
		addrs = append(addrs, netip.MustParseAddr(fmt.Sprintf("2001:db8::%d", i)))
	}
	var out []packet
	for _, a := range addrs {
		for _, p := range []int{protoTCP, protoUDP} {
			for _, port := range []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 100, 65535} {
				out = append(out, packet{p, port, a})
			}
		}
		for _, p := range []int{protoICMP, protoICMPv6} {
			for _, t := range []int{0, 1, 2, 3, 4, 255} {
				for _, c := range []int{0, 1, 2, 3, 4, 255} {
					out = append(out, packet{p, t<<8 | c, a})
				}
			}
		}
		out = append(out, packet{50, 0, a}, packet{50, 65535, a}, packet{51, 0, a}, packet{0, 0, a}, packet{255, 7, a})
	}
	return out
}

func genEntries(t *rapid.T) []*model.NACLEntry {
	n := rapid.IntRange(0, 8).Draw(t, "n")
	nums := rapid.Permutation([]int{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}).Draw(t, "nums")
	var out []*model.NACLEntry
	for i := range n {
		e := &model.NACLEntry{
			RuleNumber: model.Int(nums[i]),
			Egress:     rapid.Bool().Draw(t, "egress"),
			Action:     rapid.SampledFrom([]string{"allow", "deny", "ALLOW"}).Draw(t, "action"),
			Protocol:   rapid.SampledFrom(protos).Draw(t, "proto"),
		}
		if rapid.Bool().Draw(t, "v6") {
			e.IPv6CIDRBlock = rapid.SampledFrom(v6Prefixes).Draw(t, "cidr6")
		} else {
			e.CIDRBlock = rapid.SampledFrom(v4Prefixes).Draw(t, "cidr4")
		}
		if rapid.IntRange(0, 3).Draw(t, "full") == 0 {
			e.FromPort, e.ToPort = model.Int(0), model.Int(65535)
		} else {
			from := rapid.IntRange(0, 7).Draw(t, "from")
			e.FromPort, e.ToPort = model.Int(from), model.Int(rapid.IntRange(from, 7).Draw(t, "to"))
		}
		e.ICMPType = model.Int(rapid.IntRange(-1, 3).Draw(t, "type"))
		e.ICMPCode = model.Int(rapid.IntRange(-1, 3).Draw(t, "code"))
		out = append(out, e)
	}
	return out
}

// matches is the reference: does entry e match packet p (AWS semantics,
// written independently of the box encoding)?
func matches(e *model.NACLEntry, p packet) bool {
	if e.CIDRBlock != "" {
		if !p.addr.Is4() || !netip.MustParsePrefix(e.CIDRBlock).Contains(p.addr) {
			return false
		}
	} else if p.addr.Is4() || !netip.MustParsePrefix(e.IPv6CIDRBlock).Contains(p.addr) {
		return false
	}
	proto, _ := protoNumber(e.Protocol)
	switch {
	case proto == -1:
		return true
	case proto != p.proto:
		return false
	case proto == protoTCP || proto == protoUDP:
		return *e.FromPort <= p.port && p.port <= *e.ToPort
	case proto == protoICMP || (proto == protoICMPv6 && e.IPv6CIDRBlock != ""):
		t, c := p.port>>8, p.port&0xFF
		return (*e.ICMPType == -1 || *e.ICMPType == t) && (*e.ICMPType == -1 || *e.ICMPCode == -1 || *e.ICMPCode == c)
	}
	return true
}

// firstMatch returns the position (in rule-number order) of the entry that
// decides p, or -1 for the final deny.
func firstMatch(sorted []*model.NACLEntry, p packet) int {
	for i, e := range sorted {
		if matches(e, p) {
			return i
		}
	}
	return -1
}

func keyOf(p packet) key { return key(p.proto<<16 | p.port) }

func isAllow(e *model.NACLEntry) bool { return e.Action != "deny" }

func TestNACLFirstMatchAgainstBruteForce(t *testing.T) {
	packets := samplePackets()
	e := newEnv()
	rapid.Check(t, func(t *rapid.T) {
		entries := genEntries(t)
		a := &model.NetworkACL{Meta: model.Meta{ID: "acl"}, Entries: entries}
		info, facts := evalACL(e, a)
		for _, egress := range []bool{false, true} {
			d, df := info.ingress, facts.Ingress
			if egress {
				d, df = info.egress, facts.Egress
			}
			var sorted []*model.NACLEntry
			for _, x := range entries {
				if x.Egress == egress {
					sorted = append(sorted, x)
				}
			}
			sort.SliceStable(sorted, func(i, j int) bool { return *sorted[i].RuleNumber < *sorted[j].RuleNumber })
			if !df.Known {
				t.Fatalf("known entries gave Known=false")
			}
			// Every packet: allowed iff its first match allows it.
			allowedAll := map[key]bool{}
			for _, p := range packets {
				fm := firstMatch(sorted, p)
				want := fm >= 0 && isAllow(sorted[fm])
				var got bool
				if p.addr.Is4() {
					got = d.f4.allowed.Contains(keyOf(p), ipset.V4Addr(p.addr))
				} else {
					got = d.f6.allowed.Contains(keyOf(p), ipset.V6Addr(p.addr))
				}
				if got != want {
					t.Fatalf("egress=%v packet %+v: allowed=%v want %v (entries %s)", egress, p, got, want, dump(sorted))
				}
				allowedAll[keyOf(p)] = false
			}
			protoPresent := map[int]bool{}
			for k := range allowedAll {
				v4, v6 := true, true
				for _, p := range packets {
					if keyOf(p) != k {
						continue
					}
					fm := firstMatch(sorted, p)
					ok := fm >= 0 && isAllow(sorted[fm])
					if p.addr.Is4() {
						v4 = v4 && ok
					} else {
						v6 = v6 && ok
					}
				}
				want := v4 || v6
				p := int(k >> 16)
				if want {
					protoPresent[p] = true
				}
				if p != protoTCP && p != protoUDP {
					continue
				}
				if got := portSetHas(df.Internet, k); got != want {
					t.Fatalf("egress=%v internet key %d/%d: got %v want %v (entries %s)", egress, k>>16, k&0xFFFF, got, want, dump(sorted))
				}
			}
			// ICMP, ICMPv6 and other protocols are exposed by presence only.
			if df.Internet.ICMP != protoPresent[protoICMP] || df.Internet.ICMPv6 != protoPresent[protoICMPv6] ||
				(!df.Internet.AllProtocols && slices.Contains(df.Internet.Other, "50") != protoPresent[50]) {
				t.Fatalf("egress=%v internet %+v, want protocols %v (entries %s)", egress, df.Internet, protoPresent, dump(sorted))
			}
			checkAnomalies(t, sorted, packets, df)
		}
	})
}

// portSetHas reports whether key k is in a PortSet (TCP and UDP exactly;
// other protocols by presence).
func portSetHas(ps model.PortSet, k key) bool {
	p, port := int(k>>16), int(k&0xFFFF)
	if ps.AllProtocols {
		return true
	}
	var rs []model.PortRange
	switch p {
	case protoTCP:
		rs = ps.TCP
	case protoUDP:
		rs = ps.UDP
	case protoICMP, protoICMPv6:
		// Only presence is exposed; the brute force checks TCP and UDP.
		return ps.ICMP && p == protoICMP || ps.ICMPv6 && p == protoICMPv6
	default:
		return slices.Contains(ps.Other, fmt.Sprint(p))
	}
	for _, r := range rs {
		if r.From <= port && port <= r.To {
			return true
		}
	}
	return false
}

func checkAnomalies(t *rapid.T, sorted []*model.NACLEntry, packets []packet, df *model.NACLDirectionFacts) {
	type want struct {
		kind string
		by   []int
	}
	wants := map[string]want{} // "index/kind"
	idx := func(e *model.NACLEntry) int { return *e.RuleNumber }
	for i, e := range sorted {
		var s []packet
		decides := false
		deciders := map[int]bool{}
		for _, p := range packets {
			if matches(e, p) {
				s = append(s, p)
				fm := firstMatch(sorted, p)
				if fm == i {
					decides = true
				} else {
					deciders[fm] = true
				}
			}
		}
		if len(s) == 0 {
			t.Fatalf("entry matches no sample: %s", dump(sorted))
		}
		if !decides {
			kind := "redundant"
			var by []int
			for j := range deciders {
				by = append(by, idx(sorted[j]))
				if isAllow(sorted[j]) != isAllow(e) {
					kind = "shadowed"
				}
			}
			slices.Sort(by)
			wants[fmt.Sprint(idx(e), kind)] = want{kind, by}
			continue
		}
		var gen, cor []int
		for j := 0; j < i; j++ {
			o := sorted[j]
			if isAllow(o) == isAllow(e) {
				continue
			}
			inE, inO, both := 0, 0, 0
			for _, p := range packets {
				me, mo := matches(e, p), matches(o, p)
				switch {
				case me && mo:
					both++
				case me:
					inE++
				case mo:
					inO++
				}
			}
			switch {
			case both == 0:
			case inO == 0 && inE > 0:
				gen = append(gen, idx(o))
			case inO > 0 && inE > 0:
				cor = append(cor, idx(o))
			}
		}
		if len(gen) > 0 {
			wants[fmt.Sprint(idx(e), "generalization")] = want{"generalization", gen}
		}
		if len(cor) > 0 {
			wants[fmt.Sprint(idx(e), "correlation")] = want{"correlation", cor}
		}
	}
	got := map[string]want{}
	for _, a := range df.Anomalies {
		by := slices.Clone(a.CausedByRuleNumbers)
		slices.Sort(by)
		got[fmt.Sprint(a.RuleNumber, a.Kind)] = want{a.Kind, by}
	}
	if len(got) != len(wants) {
		t.Fatalf("anomalies %v, want %v (entries %s)", got, wants, dump(sorted))
	}
	for k, w := range wants {
		g, ok := got[k]
		if !ok || !slices.Equal(g.by, w.by) {
			t.Fatalf("anomaly %s: got %v, want %v (entries %s)", k, g, w, dump(sorted))
		}
	}
}

func dump(es []*model.NACLEntry) string {
	v := func(p *int) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	s := ""
	for _, e := range es {
		s += fmt.Sprintf("\n  %s egress=%v %s %s %s%s ports %s-%s icmp %s/%s", v(e.RuleNumber), e.Egress, e.Action, e.Protocol, e.CIDRBlock, e.IPv6CIDRBlock,
			v(e.FromPort), v(e.ToPort), v(e.ICMPType), v(e.ICMPCode))
	}
	return s
}

// Sanity check of the reference itself on a known case.
func TestReferenceMatches(t *testing.T) {
	e := ent(100, "allow", "icmp", "10.0.0.0/8", 8, -1)
	if !matches(e, packet{protoICMP, 8<<8 | 3, netip.MustParseAddr("10.1.1.1")}) || matches(e, packet{protoICMP, 0, netip.MustParseAddr("10.1.1.1")}) {
		t.Fatal("reference icmp")
	}
	_ = interval.U32(0)
}
