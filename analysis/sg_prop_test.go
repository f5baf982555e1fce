package analysis

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/vpclint/vpclint/analysis/ipset"
	"github.com/vpclint/vpclint/model"
	"pgregory.net/rapid"
)

// Security-group facts against brute force on the same small universe as
// the ACL property tests, plus symbolic peers as extra "addresses".

type sgPacket struct {
	packet
	sym string // a symbolic peer instead of an address
}

func sgSamples() []sgPacket {
	var out []sgPacket
	for _, p := range samplePackets() {
		out = append(out, sgPacket{packet: p})
	}
	for _, s := range []string{"sg:sg-a", "sg:sg-b", "pl:pl-1", "self"} {
		for _, p := range samplePackets() {
			if p.addr == netip.MustParseAddr("10.0.0.0") {
				out = append(out, sgPacket{packet: packet{proto: p.proto, port: p.port}, sym: s})
			}
		}
	}
	return out
}

func genSGRules(t *rapid.T) []*model.SGRule {
	n := rapid.IntRange(0, 6).Draw(t, "n")
	var out []*model.SGRule
	for range n {
		r := &model.SGRule{Protocol: rapid.SampledFrom([]string{"-1", "tcp", "udp", "icmp", "icmpv6", "50", "17"}).Draw(t, "proto"),
			CIDRBlocks: []string{}, IPv6CIDRBlocks: []string{}}
		switch r.Protocol {
		case "icmp", "icmpv6":
			r.FromPort = model.Int(rapid.IntRange(-1, 3).Draw(t, "type"))
			c := rapid.IntRange(-1, 3).Draw(t, "code")
			if *r.FromPort == -1 {
				c = -1
			}
			r.ToPort = model.Int(c)
		default:
			if rapid.IntRange(0, 3).Draw(t, "full") == 0 {
				r.FromPort, r.ToPort = model.Int(0), model.Int(65535)
			} else {
				from := rapid.IntRange(0, 7).Draw(t, "from")
				r.FromPort, r.ToPort = model.Int(from), model.Int(rapid.IntRange(from, 7).Draw(t, "to"))
			}
		}
		for range rapid.IntRange(0, 2).Draw(t, "n4") {
			r.CIDRBlocks = append(r.CIDRBlocks, rapid.SampledFrom(v4Prefixes).Draw(t, "cidr4"))
		}
		for range rapid.IntRange(0, 1).Draw(t, "n6") {
			r.IPv6CIDRBlocks = append(r.IPv6CIDRBlocks, rapid.SampledFrom(v6Prefixes).Draw(t, "cidr6"))
		}
		switch rapid.IntRange(0, 5).Draw(t, "sym") {
		case 0:
			r.SecurityGroupIDs = []string{"sg-a"}
		case 1:
			r.SecurityGroupIDs = []string{"sg-b"}
		case 2:
			r.PrefixListIDs = []string{"pl-1"}
		case 3:
			r.Self = true
		}
		if len(r.CIDRBlocks)+len(r.IPv6CIDRBlocks)+len(r.SecurityGroupIDs)+len(r.PrefixListIDs) == 0 && !r.Self {
			r.CIDRBlocks = []string{"10.0.0.0/8"}
		}
		out = append(out, r)
	}
	return out
}

// sgMatches is the reference reading of a rule.
func sgMatches(r *model.SGRule, p sgPacket) bool {
	proto, _ := protoNumber(r.Protocol)
	switch {
	case proto == -1:
	case proto != p.proto:
		return false
	case proto == protoTCP || proto == protoUDP:
		if p.port < *r.FromPort || p.port > *r.ToPort {
			return false
		}
	case proto == protoICMP || proto == protoICMPv6:
		t, c := p.port>>8, p.port&0xFF
		if *r.FromPort != -1 && (*r.FromPort != t || (*r.ToPort != -1 && *r.ToPort != c)) {
			return false
		}
	}
	if p.sym != "" {
		switch {
		case p.sym == "self":
			return r.Self
		case p.sym[:3] == "sg:":
			return slices.Contains(r.SecurityGroupIDs, p.sym[3:])
		}
		return slices.Contains(r.PrefixListIDs, p.sym[3:])
	}
	for _, c := range append(slices.Clone(r.CIDRBlocks), r.IPv6CIDRBlocks...) {
		if netip.MustParsePrefix(c).Contains(p.addr) {
			return true
		}
	}
	return false
}

func isPublic(a netip.Addr) bool {
	for _, c := range []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "::1/128", "fc00::/7", "fe80::/10"} {
		if netip.MustParsePrefix(c).Contains(a) {
			return false
		}
	}
	return true
}

func TestSGFactsAgainstBruteForce(t *testing.T) {
	samples := sgSamples()
	e := newEnv()
	vpc := &vpcAddrs{v4: ipset.FromV4Prefixes(netip.MustParsePrefix("10.0.0.0/30")), v6Know: true}
	rapid.Check(t, func(t *rapid.T) {
		rules := genSGRules(t)
		g := &model.SecurityGroup{Meta: model.Meta{ID: "sg"}, Ingress: rules}
		f := sgFacts(e, g, vpc)
		internet, public, outside := map[key]bool{}, map[key]bool{}, map[key]bool{}
		keys := map[key]bool{}
		for _, p := range samples {
			keys[keyOf(p.packet)] = true
		}
		for k := range keys {
			v4, v6 := true, true
			for _, p := range samples {
				if keyOf(p.packet) != k || p.sym != "" {
					continue
				}
				ok := false
				for _, r := range rules {
					ok = ok || sgMatches(r, p)
				}
				if p.addr.Is4() {
					v4 = v4 && ok
				} else {
					v6 = v6 && ok
				}
				if ok && isPublic(p.addr) {
					public[k] = true
				}
				if ok && !(p.addr.Is4() && netip.MustParsePrefix("10.0.0.0/30").Contains(p.addr)) {
					outside[k] = true
				}
			}
			internet[k] = v4 || v6
		}
		for k := range keys {
			if int(k>>16) != protoTCP && int(k>>16) != protoUDP {
				continue
			}
			if portSetHas(f.Ingress.Internet, k) != internet[k] || portSetHas(f.Ingress.Public, k) != public[k] ||
				portSetHas(*f.Ingress.OutsideVPC, k) != outside[k] {
				t.Fatalf("key %d/%d: internet %v public %v outside %v, want %v %v %v\n%+v", k>>16, k&0xFFFF,
					portSetHas(f.Ingress.Internet, k), portSetHas(f.Ingress.Public, k), portSetHas(*f.Ingress.OutsideVPC, k),
					internet[k], public[k], outside[k], f.Ingress)
			}
		}
		// Redundancy: rule i is reported iff every packet it allows is
		// allowed by another rule, not counting later identical rules.
		match := make([][]bool, len(rules))
		for i, r := range rules {
			match[i] = make([]bool, len(samples))
			for j, p := range samples {
				match[i][j] = sgMatches(r, p)
			}
		}
		want := map[int]bool{}
		for i := range rules {
			covered := true
			for j := range samples {
				if !match[i][j] {
					continue
				}
				ok := false
				for o := range rules {
					if o == i || (o > i && slices.Equal(match[o], match[i])) {
						continue
					}
					ok = ok || match[o][j]
				}
				covered = covered && ok
			}
			if covered && slices.Contains(match[i], true) {
				want[i] = true
			}
		}
		got := map[int]bool{}
		for _, r := range f.Redundant {
			got[r.Index] = true
			for _, c := range r.CoveredBy {
				if c == r.Index {
					t.Fatalf("rule covers itself")
				}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("redundant = %v, want %v", got, want)
		}
	})
}

// TestSGUnknownRulesAgainstResolutions: an unknown rule can only add
// exposure. With some rules' protocol, ports or whole value unknown (and
// perhaps more rules the scan cannot see), the facts must be exactly the
// exposure of the known rules, marked not known, and must hold in every
// resolution of the unknowns: a port in Internet is exposed whatever the
// unknowns are.
func TestSGUnknownRulesAgainstResolutions(t *testing.T) {
	samples := sgSamples()
	e := newEnv()
	rapid.Check(t, func(t *rapid.T) {
		rules := genSGRules(t)
		if len(rules) == 0 {
			return
		}
		scanned := make([]*model.SGRule, len(rules))
		for i, r := range rules {
			c := *r
			scanned[i] = &c
		}
		var unknown []string
		unknownRule := map[int]bool{}
		for k := range rapid.IntRange(1, 2).Draw(t, "unknowns") {
			i := rapid.IntRange(0, len(rules)-1).Draw(t, fmt.Sprint("rule", k))
			base := item("ingress", i)
			field := rapid.SampledFrom([]string{"ports", "protocol", "rule"}).Draw(t, fmt.Sprint("field", k))
			if p, _ := protoNumber(rules[i].Protocol); field == "ports" && p != protoTCP && p != protoUDP && p != protoICMP && p != protoICMPv6 {
				field = "protocol" // AWS ignores the ports of the other protocols
			}
			switch field {
			case "ports":
				scanned[i].FromPort, scanned[i].ToPort = nil, nil
				unknown = append(unknown, base+".from_port", base+".to_port")
			case "protocol":
				scanned[i].Protocol = ""
				unknown = append(unknown, base+".protocol")
			default:
				scanned[i] = &model.SGRule{}
				unknown = append(unknown, base)
			}
			unknownRule[i] = true
		}
		more := rapid.Bool().Draw(t, "more rules")
		if more {
			unknown = append(unknown, "ingress")
		}
		f := sgFacts(e, &model.SecurityGroup{Meta: model.Meta{ID: "sg", Unknown: unknown}, Ingress: scanned}, nil)
		if f.Ingress.Known {
			t.Fatalf("unknown rules gave Known=true")
		}
		var known []*model.SGRule
		for i, r := range rules {
			if !unknownRule[i] {
				known = append(known, r)
			}
		}
		// Resolutions: each unknown rule as it was drawn, or narrowed to
		// one port of another protocol; an unseen rule or none.
		var resolutions [][]*model.SGRule
		resolutions = append(resolutions, rules)
		narrow := slices.Clone(rules)
		for i := range unknownRule {
			c := *rules[i]
			c.Protocol, c.FromPort, c.ToPort = "50", nil, nil
			narrow[i] = &c
		}
		resolutions = append(resolutions, narrow)
		if more {
			resolutions = append(resolutions, append(slices.Clone(rules), &model.SGRule{Protocol: "-1", CIDRBlocks: []string{"0.0.0.0/0"}}))
		}
		internetOf := func(rs []*model.SGRule) map[key]bool {
			out := map[key]bool{}
			byKey := map[key][2]bool{}
			for _, p := range samples {
				if p.sym != "" {
					continue
				}
				ok := false
				for _, r := range rs {
					ok = ok || sgMatches(r, p)
				}
				k := keyOf(p.packet)
				v, seen := byKey[k]
				if !seen {
					v = [2]bool{true, true}
				}
				if p.addr.Is4() {
					v[0] = v[0] && ok
				} else {
					v[1] = v[1] && ok
				}
				byKey[k] = v
			}
			for k, v := range byKey {
				out[k] = v[0] || v[1]
			}
			return out
		}
		want := internetOf(known)
		all := make([]map[key]bool, len(resolutions))
		for i, rs := range resolutions {
			all[i] = internetOf(rs)
		}
		for k, w := range want {
			if p := int(k >> 16); p != protoTCP && p != protoUDP {
				continue
			}
			got := portSetHas(f.Ingress.Internet, k)
			if got != w {
				t.Fatalf("key %d/%d: internet %v, want %v from the known rules (unknown %v)", k>>16, k&0xFFFF, got, w, unknown)
			}
			for i, res := range all {
				if got && !res[k] {
					t.Fatalf("key %d/%d: internet in the facts but not in resolution %d (unknown %v)", k>>16, k&0xFFFF, i, unknown)
				}
			}
		}
	})
}
