package analysis

import (
	"net/netip"
	"sort"
	"testing"

	"github.com/vpclint/vpclint/model"
	"pgregory.net/rapid"
)

// Reachability against brute force: random ACLs on the client subnet
// (10.0.1.0/30) and the endpoint subnet (10.0.2.0/30), the group allowing
// TCP 443 from the VPC, and every (client address, endpoint address, port)
// class checked packet by packet under first match.

func genACLEntries(t *rapid.T, label string) []*model.NACLEntry {
	cidrs := []string{"0.0.0.0/0", "10.0.0.0/16", "10.0.1.0/30", "10.0.1.0/31", "10.0.1.2/31", "10.0.1.1/32", "10.0.2.0/30", "10.0.2.0/31", "10.0.2.3/32", "192.168.0.0/16"}
	ports := [][2]int{{443, 443}, {0, 65535}, {1024, 65535}, {0, 1023}, {32768, 65535}, {1000, 2000}, {2001, 32767}}
	n := rapid.IntRange(0, 6).Draw(t, label+"_n")
	nums := rapid.Permutation([]int{10, 20, 30, 40, 50, 60, 70, 80}).Draw(t, label+"_nums")
	var out []*model.NACLEntry
	for i := range n {
		pp := rapid.SampledFrom(ports).Draw(t, label+"_ports")
		out = append(out, &model.NACLEntry{
			RuleNumber: model.Int(nums[i]),
			Egress:     rapid.Bool().Draw(t, label+"_egress"),
			Action:     rapid.SampledFrom([]string{"allow", "allow", "deny"}).Draw(t, label+"_action"),
			Protocol:   rapid.SampledFrom([]string{"-1", "tcp", "tcp", "udp"}).Draw(t, label+"_proto"),
			CIDRBlock:  rapid.SampledFrom(cidrs).Draw(t, label+"_cidr"),
			FromPort:   model.Int(pp[0]), ToPort: model.Int(pp[1]),
		})
	}
	return out
}

// refHop returns the rule number of the entry that first denies one of the
// packets (port, address), -1 for the final deny, or 0 when all pass. When
// several packets are denied, the lowest deciding rule number wins, and
// the final deny only when no entry denies.
func refHop(entries []*model.NACLEntry, egress bool, ports []int, addrs []netip.Addr) (int, bool) {
	var es []*model.NACLEntry
	for _, e := range entries {
		if e.Egress == egress {
			es = append(es, e)
		}
	}
	sort.SliceStable(es, func(i, j int) bool { return *es[i].RuleNumber < *es[j].RuleNumber })
	best, denied, final := 0, false, false
	for _, port := range ports {
		for _, a := range addrs {
			fm := firstMatch(es, packet{protoTCP, port, a})
			switch {
			case fm < 0:
				denied, final = true, true
			case !isAllow(es[fm]):
				denied = true
				if n := *es[fm].RuleNumber; best == 0 || n < best {
					best = n
				}
			}
		}
	}
	if best == 0 && final {
		best = -1
	}
	return best, denied
}

func TestReachabilityAgainstBruteForce(t *testing.T) {
	clientAddrs := []netip.Addr{netip.MustParseAddr("10.0.1.0"), netip.MustParseAddr("10.0.1.1"), netip.MustParseAddr("10.0.1.2"), netip.MustParseAddr("10.0.1.3")}
	epAddrs := []netip.Addr{netip.MustParseAddr("10.0.2.0"), netip.MustParseAddr("10.0.2.1"), netip.MustParseAddr("10.0.2.2"), netip.MustParseAddr("10.0.2.3")}
	replyPorts := []int{1024, 1999, 2000, 2001, 32767, 32768, 65535}
	rapid.Check(t, func(t *rapid.T) {
		m := epModel()
		m.Subnets[0].CIDRBlock, m.Subnets[1].CIDRBlock = "10.0.1.0/30", "10.0.2.0/30"
		m.Subnets[0].NetworkACLID, m.Subnets[1].NetworkACLID = "cacl", "eacl"
		cacl := &model.NetworkACL{Meta: model.Meta{ID: "cacl"}, VPCID: "vpc-1", Entries: genACLEntries(t, "client")}
		eacl := &model.NetworkACL{Meta: model.Meta{ID: "eacl"}, VPCID: "vpc-1", Entries: genACLEntries(t, "endpoint")}
		m.NetworkACLs = []*model.NetworkACL{cacl, eacl}
		Analyze(m)
		p := findPathT(t, m.Facts.Endpoints["vpce"], "app", "ep")

		type hopRef struct {
			acl    *model.NetworkACL
			egress bool
			ports  []int
			addrs  []netip.Addr
		}
		check := func(leg string, v *model.Verdict, hops []hopRef) {
			for _, h := range hops {
				num, denied := refHop(h.acl.Entries, h.egress, h.ports, h.addrs)
				if !denied {
					continue
				}
				dir := "ingress"
				if h.egress {
					dir = "egress"
				}
				gotNum := -1
				if v.BlockingEntry >= 0 {
					gotNum = *h.acl.Entries[v.BlockingEntry].RuleNumber
				}
				if !v.Known || v.Allowed || v.BlockedBy != h.acl.ID || v.BlockedDirection != dir || gotNum != num {
					t.Fatalf("%s: got %+v, want blocked by %s %s rule %d\nclient:%s\nendpoint:%s", leg, v, h.acl.ID, dir, num, dump(cacl.Entries), dump(eacl.Entries))
				}
				return
			}
			if !v.Known || !v.Allowed {
				t.Fatalf("%s: got %+v, want allowed\nclient:%s\nendpoint:%s", leg, v, dump(cacl.Entries), dump(eacl.Entries))
			}
		}
		check("request", p.Request, []hopRef{{cacl, true, []int{443}, epAddrs}, {eacl, false, []int{443}, clientAddrs}})
		check("reply", p.Reply, []hopRef{{eacl, true, replyPorts, clientAddrs}, {cacl, false, replyPorts, epAddrs}})
	})
}

func findPathT(t *rapid.T, f *model.EndpointFacts, client, ep string) *model.PathCheck {
	for _, p := range f.Reachability {
		if p.ClientSubnet == client && p.EndpointSubnet == ep {
			return p
		}
	}
	t.Fatalf("no path %s -> %s", client, ep)
	return nil
}
