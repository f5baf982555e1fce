package analysis

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/analysis/boxset"
	"github.com/vpclint/vpclint/analysis/ipset"
	"github.com/vpclint/vpclint/model"
	"pgregory.net/rapid"
)

// The first-match facts with unknown entries against brute force: some
// fields of one or two entries are unknown; every way they could resolve
// (from domains that, for every sample packet, hold a value that matches it
// and one that does not) is enumerated, and each packet's verdict over all
// resolutions must be exactly what the facts say: allowed in every
// resolution (allowed, Internet), allowed in some (allowMay).

// unknownField is a field an entry may have unknown, with the model path
// listed in Unknown, how to clear it, and its resolution domain.
type unknownField struct {
	paths  []string
	clear  func(e *model.NACLEntry)
	domain func(orig *model.NACLEntry) []func(e *model.NACLEntry)
}

func setCIDR(c string) func(e *model.NACLEntry) {
	return func(e *model.NACLEntry) {
		e.CIDRBlock, e.IPv6CIDRBlock = "", ""
		if strings.Contains(c, ":") {
			e.IPv6CIDRBlock = c
		} else {
			e.CIDRBlock = c
		}
	}
}

func setters[T any](set func(*model.NACLEntry, T), vals ...T) []func(*model.NACLEntry) {
	var out []func(*model.NACLEntry)
	for _, v := range vals {
		out = append(out, func(e *model.NACLEntry) { set(e, v) })
	}
	return out
}

var unknownFields = map[string]unknownField{
	"cidr": { // both CIDR fields unknown: either family
		paths: []string{"cidr_block", "ipv6_cidr_block"},
		clear: func(e *model.NACLEntry) { e.CIDRBlock, e.IPv6CIDRBlock = "", "" },
		domain: func(*model.NACLEntry) []func(*model.NACLEntry) {
			return []func(*model.NACLEntry){setCIDR("0.0.0.0/0"), setCIDR("::/0")}
		},
	},
	"cidr_block": { // IPv4, address unknown
		paths: []string{"cidr_block"},
		clear: func(e *model.NACLEntry) { e.CIDRBlock, e.IPv6CIDRBlock = "", "" },
		domain: func(*model.NACLEntry) []func(*model.NACLEntry) {
			return []func(*model.NACLEntry){setCIDR("0.0.0.0/0"), setCIDR("10.0.0.1/32"), setCIDR("11.0.0.0/8")}
		},
	},
	"ipv6_cidr_block": {
		paths: []string{"ipv6_cidr_block"},
		clear: func(e *model.NACLEntry) { e.CIDRBlock, e.IPv6CIDRBlock = "", "" },
		domain: func(*model.NACLEntry) []func(*model.NACLEntry) {
			return []func(*model.NACLEntry){setCIDR("::/0"), setCIDR("2001:db8::1/128"), setCIDR("2001:db9::/32")}
		},
	},
	"action": {
		paths: []string{"action"},
		clear: func(e *model.NACLEntry) { e.Action = "" },
		domain: func(*model.NACLEntry) []func(*model.NACLEntry) {
			return setters(func(e *model.NACLEntry, v string) { e.Action = v }, "allow", "deny")
		},
	},
	"rule_number": { // places before, between and after every known entry
		paths: []string{"rule_number"},
		clear: func(e *model.NACLEntry) { e.RuleNumber = nil },
		domain: func(*model.NACLEntry) []func(*model.NACLEntry) {
			return setters(func(e *model.NACLEntry, v int) { e.RuleNumber = model.Int(v) }, 1, 2, 32766, 32767)
		},
	},
	"egress": {
		paths: []string{"egress"},
		clear: func(e *model.NACLEntry) { e.Egress = false },
		domain: func(*model.NACLEntry) []func(*model.NACLEntry) {
			return setters(func(e *model.NACLEntry, v bool) { e.Egress = v }, false, true)
		},
	},
	"protocol": {
		paths: []string{"protocol"},
		clear: func(e *model.NACLEntry) { e.Protocol = "" },
		domain: func(*model.NACLEntry) []func(*model.NACLEntry) {
			return setters(func(e *model.NACLEntry, v string) { e.Protocol = v }, "-1", "50", "tcp")
		},
	},
	"ports": {
		paths: []string{"from_port", "to_port"},
		clear: func(e *model.NACLEntry) { e.FromPort, e.ToPort = nil, nil },
		domain: func(*model.NACLEntry) []func(*model.NACLEntry) {
			return setters(func(e *model.NACLEntry, v [2]int) { e.FromPort, e.ToPort = model.Int(v[0]), model.Int(v[1]) },
				[2]int{0, 65535}, [2]int{0, 0}, [2]int{65535, 65535}, [2]int{3, 5})
		},
	},
	"to_port": { // the range starts at a known port
		paths: []string{"to_port"},
		clear: func(e *model.NACLEntry) { e.ToPort = nil },
		domain: func(orig *model.NACLEntry) []func(*model.NACLEntry) {
			return setters(func(e *model.NACLEntry, v int) { e.ToPort = model.Int(v) }, *orig.FromPort, 65535)
		},
	},
	"from_port": {
		paths: []string{"from_port"},
		clear: func(e *model.NACLEntry) { e.FromPort = nil },
		domain: func(orig *model.NACLEntry) []func(*model.NACLEntry) {
			return setters(func(e *model.NACLEntry, v int) { e.FromPort = model.Int(v) }, 0, *orig.ToPort)
		},
	},
	"icmp": {
		paths: []string{"icmp_type", "icmp_code"},
		clear: func(e *model.NACLEntry) { e.ICMPType, e.ICMPCode = nil, nil },
		domain: func(*model.NACLEntry) []func(*model.NACLEntry) {
			return setters(func(e *model.NACLEntry, v [2]int) { e.ICMPType, e.ICMPCode = model.Int(v[0]), model.Int(v[1]) },
				[2]int{-1, -1}, [2]int{0, 0}, [2]int{255, 255})
		},
	},
}

// refEntry is an entry compiled for the reference matcher.
type refEntry struct {
	num                int
	egress, allow      bool
	pfx                netip.Prefix
	proto              int
	from, to, typ, cod int
}

func compileRef(e *model.NACLEntry) refEntry {
	r := refEntry{num: *e.RuleNumber, egress: e.Egress, allow: e.Action != "deny", from: *e.FromPort, to: *e.ToPort, typ: *e.ICMPType, cod: *e.ICMPCode}
	if e.CIDRBlock != "" {
		r.pfx = netip.MustParsePrefix(e.CIDRBlock)
	} else {
		r.pfx = netip.MustParsePrefix(e.IPv6CIDRBlock)
	}
	r.proto, _ = protoNumber(e.Protocol)
	return r
}

func (r refEntry) matches(p packet) bool {
	if r.pfx.Addr().Is4() != p.addr.Is4() || !r.pfx.Contains(p.addr) {
		return false
	}
	switch {
	case r.proto == -1:
		return true
	case r.proto != p.proto:
		return false
	case r.proto == protoTCP || r.proto == protoUDP:
		return r.from <= p.port && p.port <= r.to
	case r.proto == protoICMP || (r.proto == protoICMPv6 && !r.pfx.Addr().Is4()):
		t, c := p.port>>8, p.port&0xFF
		return (r.typ == -1 || r.typ == t) && (r.typ == -1 || r.cod == -1 || r.cod == c)
	}
	return true
}

// refAllowed is the first-match verdict of one resolution's direction.
func refAllowed(sorted []refEntry, p packet) bool {
	for _, e := range sorted {
		if e.matches(p) {
			return e.allow
		}
	}
	return false
}

// sameValue: two unknown fields of one entry that name the same value.
func sameValue(a, b string) bool {
	group := func(f string) string {
		switch f {
		case "cidr", "cidr_block", "ipv6_cidr_block":
			return "cidr"
		case "ports", "to_port", "from_port":
			return "ports"
		}
		return f
	}
	return group(a) == group(b)
}

// fieldsFor lists the fields an entry can have unknown.
func fieldsFor(e *model.NACLEntry) []string {
	out := []string{"action", "rule_number", "egress", "protocol"}
	switch {
	case e.CIDRBlock != "":
		out = append(out, "cidr", "cidr_block")
	default:
		out = append(out, "cidr", "ipv6_cidr_block")
	}
	p, _ := protoNumber(e.Protocol)
	switch p {
	case protoTCP, protoUDP:
		out = append(out, "ports", "to_port", "from_port")
	case protoICMP, protoICMPv6:
		out = append(out, "icmp")
	}
	return out
}

func TestNACLUnknownsAgainstResolutions(t *testing.T) {
	packets := samplePackets()
	env := newEnv()
	rapid.Check(t, func(t *rapid.T) {
		entries := genEntries(t)
		if len(entries) == 0 {
			return
		}
		// Unknown fields: two in all, on one or two entries.
		type choice struct {
			entry int
			field string
		}
		var chosen []choice
		for k := range 2 {
			i := rapid.IntRange(0, len(entries)-1).Draw(t, fmt.Sprint("entry", k))
			f := rapid.SampledFrom(fieldsFor(entries[i])).Draw(t, fmt.Sprint("field", k))
			if slices.ContainsFunc(chosen, func(c choice) bool { return c.entry == i && sameValue(c.field, f) }) {
				continue
			}
			chosen = append(chosen, choice{i, f})
		}
		orig := make([]*model.NACLEntry, len(entries))
		scanned := make([]*model.NACLEntry, len(entries))
		var unknown []string
		for i, e := range entries {
			c := *e
			orig[i] = &c
			s := *e
			scanned[i] = &s
		}
		for _, c := range chosen {
			uf := unknownFields[c.field]
			uf.clear(scanned[c.entry])
			for _, p := range uf.paths {
				unknown = append(unknown, item("entries", c.entry)+"."+p)
			}
		}
		info, facts := evalACL(env, &model.NetworkACL{Meta: model.Meta{ID: "acl", Unknown: unknown}, Entries: scanned})

		// Every resolution.
		var resolutions [][]refEntry
		var walk func(k int, cur []*model.NACLEntry)
		walk = func(k int, cur []*model.NACLEntry) {
			if k == len(chosen) {
				nums := map[[2]any]bool{}
				var out []refEntry
				for _, e := range cur {
					r := compileRef(e)
					key := [2]any{r.egress, r.num}
					if nums[key] {
						return // AWS rejects two entries with one number
					}
					nums[key] = true
					out = append(out, r)
				}
				resolutions = append(resolutions, out)
				return
			}
			c := chosen[k]
			for _, set := range unknownFields[c.field].domain(orig[c.entry]) {
				next := slices.Clone(cur)
				x := *next[c.entry]
				set(&x)
				next[c.entry] = &x
				walk(k+1, next)
			}
		}
		walk(0, orig)

		for _, egress := range []bool{false, true} {
			d, df := info.ingress, facts.Ingress
			if egress {
				d, df = info.egress, facts.Egress
			}
			var sorted [][]refEntry
			for _, res := range resolutions {
				var dir []refEntry
				for _, r := range res {
					if r.egress == egress {
						dir = append(dir, r)
					}
				}
				sort.Slice(dir, func(i, j int) bool { return dir[i].num < dir[j].num })
				sorted = append(sorted, dir)
			}
			every := map[packet]bool{}
			for _, p := range packets {
				all, some := true, false
				for _, dir := range sorted {
					ok := refAllowed(dir, p)
					all, some = all && ok, some || ok
				}
				every[p] = all
				var must, may bool
				if p.addr.Is4() {
					must, may = contains4(d.f4.allowed, p), contains4(d.f4.allowMay, p)
				} else {
					must, may = contains6(d.f6.allowed, p), contains6(d.f6.allowMay, p)
				}
				if must != all || may != some {
					t.Fatalf("egress=%v packet %+v: allowed %v / may %v, want %v / %v over %d resolutions\nunknown %v%s",
						egress, p, must, may, all, some, len(resolutions), unknown, dump(scanned))
				}
			}
			// Internet: TCP and UDP keys allowed from every address of a
			// family in every resolution.
			byKey := map[key][2]bool{}
			for _, p := range packets {
				k := keyOf(p)
				v, ok := byKey[k]
				if !ok {
					v = [2]bool{true, true}
				}
				if p.addr.Is4() {
					v[0] = v[0] && every[p]
				} else {
					v[1] = v[1] && every[p]
				}
				byKey[k] = v
			}
			for k, v := range byKey {
				if p := int(k >> 16); p != protoTCP && p != protoUDP {
					continue
				}
				if got, want := portSetHas(df.Internet, k), v[0] || v[1]; got != want {
					t.Fatalf("egress=%v internet key %d/%d: %v, want %v\nunknown %v%s", egress, k>>16, k&0xFFFF, got, want, unknown, dump(scanned))
				}
			}
			checkAnomaliesSound(t, df, sorted, packets, unknown, scanned)
		}
	})
}

func contains4(s boxset.Set[u32], p packet) bool {
	return s.Contains(keyOf(p), ipset.V4Addr(p.addr))
}

func contains6(s boxset.Set[u128], p packet) bool {
	return s.Contains(keyOf(p), ipset.V6Addr(p.addr))
}

// checkAnomaliesSound: a reported anomaly holds in every resolution. A
// shadowed or redundant entry never decides a packet, and the entries
// that decide its packets are exactly CausedBy, with the kind's actions;
// a generalization or correlation entry decides some packet, and each of
// CausedBy is an earlier entry of the opposite action that it strictly
// contains or partly overlaps.
func checkAnomaliesSound(t *rapid.T, df *model.NACLDirectionFacts, sorted [][]refEntry, packets []packet, unknown []string, scanned []*model.NACLEntry) {
	for _, a := range df.Anomalies {
		for _, dir := range sorted {
			pos := slices.IndexFunc(dir, func(r refEntry) bool { return r.num == a.RuleNumber })
			if pos < 0 {
				t.Fatalf("anomaly %+v on an entry not in the direction", a)
			}
			e := dir[pos]
			decides := false
			deciders := map[int]bool{}
			opposite := false
			for _, p := range packets {
				if !e.matches(p) {
					continue
				}
				for j, o := range dir {
					if o.matches(p) {
						if j == pos {
							decides = true
						} else {
							deciders[o.num] = true
							opposite = opposite || o.allow != e.allow
						}
						break
					}
				}
			}
			var by []int
			for n := range deciders {
				by = append(by, n)
			}
			slices.Sort(by)
			got := slices.Sorted(slices.Values(a.CausedByRuleNumbers))
			fail := func(why string) {
				t.Fatalf("anomaly %s of rule %d (by %v) %s in a resolution (deciders %v)\nunknown %v%s", a.Kind, a.RuleNumber, got, why, by, unknown, dump(scanned))
			}
			switch a.Kind {
			case "shadowed", "redundant":
				if decides || !slices.Equal(by, got) || opposite != (a.Kind == "shadowed") {
					fail("does not hold")
				}
			default:
				if !decides {
					fail("never applies")
				}
				for _, n := range got {
					o := dir[slices.IndexFunc(dir, func(r refEntry) bool { return r.num == n })]
					if o.allow == e.allow || o.num > e.num {
						fail("names a wrong entry")
					}
					inE, inO, both := 0, 0, 0
					for _, p := range packets {
						me, mo := e.matches(p), o.matches(p)
						switch {
						case me && mo:
							both++
						case me:
							inE++
						case mo:
							inO++
						}
					}
					gen := both > 0 && inO == 0 && inE > 0
					cor := both > 0 && inO > 0 && inE > 0
					if a.Kind == "generalization" && !gen || a.Kind == "correlation" && !cor {
						fail("does not relate to " + fmt.Sprint(n))
					}
				}
			}
		}
	}
}
