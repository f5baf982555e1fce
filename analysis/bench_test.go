package analysis

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"syscall"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// benchModel generates a large, realistic model: 100 VPCs with 5 subnets
// each, 2,000 security groups of 50 rules, 500 ACLs of 40 entries (20 per
// direction) and 200 interface endpoints.
func benchModel(groups, rules, acls, entries int) *model.Model {
	r := rand.New(rand.NewPCG(1, 2))
	m := model.New("bench", model.FormatAWS)
	const vpcs, subnetsPerVPC = 100, 5
	for v := range vpcs {
		vid := fmt.Sprintf("vpc-%d", v)
		m.VPCs = append(m.VPCs, &model.VPC{Meta: model.Meta{ID: vid}, CIDRBlocks: []string{fmt.Sprintf("10.%d.0.0/16", v)}})
		for s := range subnetsPerVPC {
			m.Subnets = append(m.Subnets, &model.Subnet{Meta: model.Meta{ID: fmt.Sprintf("subnet-%d-%d", v, s)}, VPCID: vid,
				CIDRBlock: fmt.Sprintf("10.%d.%d.0/24", v, s), AvailabilityZone: fmt.Sprintf("us-east-1%c", 'a'+s%3)})
		}
	}
	ports := []int{22, 80, 443, 3306, 5432, 6379, 8080, 8443, 3389, 53}
	cidr := func() (string, bool) {
		switch r.IntN(10) {
		case 0:
			return "0.0.0.0/0", false
		case 1:
			return "::/0", true
		case 2:
			return fmt.Sprintf("2600:1f18:%x::/48", r.IntN(0xffff)), true
		case 3, 4:
			return fmt.Sprintf("%d.%d.%d.0/24", 1+r.IntN(200), r.IntN(256), r.IntN(256)), false
		}
		// Loaders store CIDRs canonical (host bits masked).
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(r.IntN(256)), byte(r.IntN(256)), 0}), 16+r.IntN(9)).Masked().String(), false
	}
	for g := range groups {
		sg := &model.SecurityGroup{Meta: model.Meta{ID: fmt.Sprintf("sg-%d", g)}, VPCID: fmt.Sprintf("vpc-%d", g%vpcs), IsDefault: g < vpcs}
		for i := range rules {
			rl := &model.SGRule{Protocol: "tcp", CIDRBlocks: []string{}, IPv6CIDRBlocks: []string{}}
			switch x := r.IntN(20); {
			case x == 0:
				rl.Protocol, rl.FromPort, rl.ToPort = "-1", model.Int(0), model.Int(0)
			case x < 3:
				rl.Protocol = "udp"
				p := ports[r.IntN(len(ports))]
				rl.FromPort, rl.ToPort = model.Int(p), model.Int(p)
			case x < 4:
				rl.Protocol, rl.FromPort, rl.ToPort = "icmp", model.Int(8), model.Int(-1)
			case x < 7:
				lo := r.IntN(60000)
				rl.FromPort, rl.ToPort = model.Int(lo), model.Int(lo+r.IntN(5000))
			default:
				p := ports[r.IntN(len(ports))]
				rl.FromPort, rl.ToPort = model.Int(p), model.Int(p)
			}
			for range 1 + r.IntN(3) {
				c, v6 := cidr()
				if v6 {
					rl.IPv6CIDRBlocks = append(rl.IPv6CIDRBlocks, c)
				} else {
					rl.CIDRBlocks = append(rl.CIDRBlocks, c)
				}
			}
			if r.IntN(10) == 0 {
				rl.SecurityGroupIDs = []string{fmt.Sprintf("sg-%d", r.IntN(groups))}
			}
			if i%2 == 0 {
				sg.Ingress = append(sg.Ingress, rl)
			} else {
				sg.Egress = append(sg.Egress, rl)
			}
		}
		m.SecurityGroups = append(m.SecurityGroups, sg)
	}
	for a := range acls {
		v := a % vpcs
		acl := &model.NetworkACL{Meta: model.Meta{ID: fmt.Sprintf("acl-%d", a)}, VPCID: fmt.Sprintf("vpc-%d", v), IsDefault: a < vpcs}
		if a >= vpcs {
			acl.SubnetIDs = []string{fmt.Sprintf("subnet-%d-%d", v, a/vpcs)}
		}
		for i := range entries {
			e := &model.NACLEntry{RuleNumber: model.Int(10 * (i/2 + 1)), Egress: i%2 == 1, Action: []string{"allow", "deny"}[r.IntN(2)]}
			c, v6 := cidr()
			if v6 {
				e.IPv6CIDRBlock = c
			} else {
				e.CIDRBlock = c
			}
			switch x := r.IntN(10); {
			case x == 0:
				e.Protocol, e.FromPort, e.ToPort = "-1", model.Int(0), model.Int(0)
			case x == 1:
				e.Protocol, e.ICMPType, e.ICMPCode = "icmp", model.Int(-1), model.Int(-1)
			case x < 4:
				e.Protocol, e.FromPort, e.ToPort = "tcp", model.Int(1024), model.Int(65535)
			default:
				p := ports[r.IntN(len(ports))]
				e.Protocol, e.FromPort, e.ToPort = []string{"tcp", "udp"}[r.IntN(2)], model.Int(p), model.Int(p)
			}
			acl.Entries = append(acl.Entries, e)
		}
		m.NetworkACLs = append(m.NetworkACLs, acl)
	}
	for i := range 200 {
		v := i % vpcs
		m.VPCEndpoints = append(m.VPCEndpoints, &model.VPCEndpoint{Meta: model.Meta{ID: fmt.Sprintf("vpce-%d", i)}, VPCID: fmt.Sprintf("vpc-%d", v),
			Type: model.EndpointInterface, SubnetIDs: []string{fmt.Sprintf("subnet-%d-0", v), fmt.Sprintf("subnet-%d-1", v)},
			SecurityGroupIDs: []string{fmt.Sprintf("sg-%d", v+vpcs)}})
	}
	return m
}

// BenchmarkAnalyze reports wall time per Analyze (ns/op) and the CPU time
// of the process per Analyze (cpu-ms/op, user + system, all threads).
func BenchmarkAnalyze(b *testing.B) {
	m := benchModel(2000, 50, 500, 40)
	b.ReportAllocs()
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	for b.Loop() {
		Analyze(m)
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano()
	b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
}

// TestAnalyzeGenerated checks the benchmark's model at a tenth of its size.
func TestAnalyzeGenerated(t *testing.T) {
	m := benchModel(200, 50, 50, 40)
	Analyze(m)
	if len(m.Facts.SecurityGroups) != 200 || len(m.Facts.NetworkACLs) != 50 || len(m.Facts.Endpoints) != 200 {
		t.Fatalf("facts: %d groups, %d acls, %d endpoints", len(m.Facts.SecurityGroups), len(m.Facts.NetworkACLs), len(m.Facts.Endpoints))
	}
}

// TestAnalyzeDeterministic: one worker or several, the facts are the same.
func TestAnalyzeDeterministic(t *testing.T) {
	m := benchModel(150, 20, 100, 20)
	prev := runtime.GOMAXPROCS(1)
	Analyze(m)
	one, err := json.Marshal(m.Facts)
	runtime.GOMAXPROCS(max(prev, 2))
	defer runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	Analyze(m)
	two, _ := json.Marshal(m.Facts)
	if string(one) != string(two) {
		t.Fatal("facts differ between one and two workers")
	}
}
