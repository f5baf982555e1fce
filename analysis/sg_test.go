package analysis

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/vpclint/vpclint/model"
)

func ip(p string, from, to int, cidrs ...string) *model.SGRule {
	r := &model.SGRule{Protocol: p, FromPort: model.Int(from), ToPort: model.Int(to), CIDRBlocks: []string{}, IPv6CIDRBlocks: []string{}}
	for _, c := range cidrs {
		if isV6(c) {
			r.IPv6CIDRBlocks = append(r.IPv6CIDRBlocks, c)
		} else {
			r.CIDRBlocks = append(r.CIDRBlocks, c)
		}
	}
	return r
}

func isV6(c string) bool {
	for _, ch := range c {
		if ch == ':' {
			return true
		}
	}
	return false
}

func pr(from, to int) model.PortRange { return model.PortRange{From: from, To: to} }

func sgModel(g *model.SecurityGroup, vpcCIDRs ...string) *model.Model {
	m := model.New("test", model.FormatTerraform)
	vpc := &model.VPC{Meta: model.Meta{ID: "vpc-1"}, CIDRBlocks: vpcCIDRs}
	m.VPCs = append(m.VPCs, vpc)
	if g.ID == "" {
		g.ID = "sg-1"
	}
	g.VPCID = "vpc-1"
	m.SecurityGroups = append(m.SecurityGroups, g)
	return m
}

func sgIn(t *testing.T, g *model.SecurityGroup, vpcCIDRs ...string) *model.SGFacts {
	t.Helper()
	m := sgModel(g, vpcCIDRs...)
	Analyze(m)
	f := m.Facts.SecurityGroups[g.ID]
	if f == nil {
		t.Fatal("no facts")
	}
	return f
}

func TestSGInternet(t *testing.T) {
	tests := []struct {
		name      string
		ingress   []*model.SGRule
		unknown   []string
		wantTCP   []model.PortRange
		wantUDP   []model.PortRange
		wantAll   bool
		wantOther []string
		wantKnown bool
		wantRules []int
		wantAttr  string
	}{
		{
			name:      "ssh split over two halves",
			ingress:   []*model.SGRule{ip("tcp", 22, 22, "0.0.0.0/1"), ip("tcp", 22, 22, "128.0.0.0/1")},
			wantTCP:   []model.PortRange{pr(22, 22)},
			wantKnown: true, wantRules: []int{0, 1}, wantAttr: "ingress[0].cidr_blocks[0]",
		},
		{
			name:      "one half is not the internet",
			ingress:   []*model.SGRule{ip("tcp", 22, 22, "0.0.0.0/1"), ip("tcp", 22, 22, "128.0.0.0/2")},
			wantKnown: true,
		},
		{
			name:      "tcp 0-0 is port 0 only",
			ingress:   []*model.SGRule{ip("tcp", 0, 0, "0.0.0.0/0")},
			wantTCP:   []model.PortRange{pr(0, 0)},
			wantKnown: true, wantRules: []int{0}, wantAttr: "ingress[0].cidr_blocks[0]",
		},
		{
			name:      "all ports split over three rules",
			ingress:   []*model.SGRule{ip("tcp", 0, 1000, "0.0.0.0/0"), ip("tcp", 1001, 40000, "0.0.0.0/0"), ip("6", 40001, 65535, "0.0.0.0/0")},
			wantTCP:   []model.PortRange{pr(0, 65535)},
			wantKnown: true, wantRules: []int{0, 1, 2}, wantAttr: "ingress[0].cidr_blocks[0]",
		},
		{
			name:      "protocol 50 is all ports of 50",
			ingress:   []*model.SGRule{ip("50", 0, 0, "0.0.0.0/0")},
			wantOther: []string{"50"},
			wantKnown: true, wantRules: []int{0}, wantAttr: "ingress[0].cidr_blocks[0]",
		},
		{
			name:      "-1 is everything",
			ingress:   []*model.SGRule{ip("-1", 0, 0, "10.0.0.0/8", "::/0")},
			wantAll:   true,
			wantTCP:   []model.PortRange{pr(0, 65535)},
			wantUDP:   []model.PortRange{pr(0, 65535)},
			wantKnown: true, wantRules: []int{0}, wantAttr: "ingress[0].ipv6_cidr_blocks[0]",
		},
		{
			name:      "ipv6 ::/0 on 443",
			ingress:   []*model.SGRule{ip("tcp", 443, 443, "::/0")},
			wantTCP:   []model.PortRange{pr(443, 443)},
			wantKnown: true, wantRules: []int{0}, wantAttr: "ingress[0].ipv6_cidr_blocks[0]",
		},
		{
			name: "host bits and mixed families do not combine",
			// IPv4 half plus IPv6 half: neither family is covered.
			ingress:   []*model.SGRule{ip("tcp", 22, 22, "0.0.0.0/1"), ip("tcp", 22, 22, "::/1")},
			wantKnown: true,
		},
		{
			name:      "unknown cidr is a lower bound",
			ingress:   []*model.SGRule{ip("tcp", 22, 22, "0.0.0.0/1"), {Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22)}},
			unknown:   []string{"ingress[1].cidr_blocks"},
			wantKnown: false,
		},
		{
			name:      "unknown port",
			ingress:   []*model.SGRule{{Protocol: "tcp", CIDRBlocks: []string{"0.0.0.0/0"}}},
			unknown:   []string{"ingress[0].from_port", "ingress[0].to_port"},
			wantKnown: false,
		},
		{
			name:      "symbolic peers are not the internet",
			ingress:   []*model.SGRule{{Protocol: "-1", FromPort: model.Int(0), ToPort: model.Int(0), PrefixListIDs: []string{"pl-1"}, SecurityGroupIDs: []string{"sg-2"}, Self: true}},
			wantKnown: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &model.SecurityGroup{Meta: model.Meta{Unknown: tt.unknown}, Ingress: tt.ingress, Egress: []*model.SGRule{}}
			f := sgIn(t, g)
			in := f.Ingress
			if in.Known != tt.wantKnown {
				t.Errorf("known = %v", in.Known)
			}
			want := model.PortSet{AllProtocols: tt.wantAll, TCP: orEmpty(tt.wantTCP), UDP: orEmpty(tt.wantUDP), Other: orEmptyS(tt.wantOther),
				ICMP: tt.wantAll, ICMPv6: tt.wantAll}
			want.Empty = !want.AllProtocols && len(want.TCP)+len(want.UDP)+len(want.Other) == 0
			if !reflect.DeepEqual(in.Internet, want) {
				t.Errorf("internet = %+v, want %+v", in.Internet, want)
			}
			var idx []int
			for _, c := range in.InternetRules {
				idx = append(idx, c.Index)
			}
			if !reflect.DeepEqual(idx, tt.wantRules) {
				t.Errorf("internet rules = %v, want %v", idx, tt.wantRules)
			}
			if len(in.InternetRules) > 0 && in.InternetRules[0].Attribute != tt.wantAttr {
				t.Errorf("attribute = %q, want %q", in.InternetRules[0].Attribute, tt.wantAttr)
			}
		})
	}
}

func orEmpty(p []model.PortRange) []model.PortRange {
	if p == nil {
		return []model.PortRange{}
	}
	return p
}

func orEmptyS(p []string) []string {
	if p == nil {
		return []string{}
	}
	return p
}

func TestSGPublicAndOutsideVPC(t *testing.T) {
	g := &model.SecurityGroup{
		Ingress: []*model.SGRule{
			ip("tcp", 443, 443, "10.0.0.0/16"),     // the VPC: private, inside
			ip("tcp", 8443, 8443, "10.1.0.0/16"),   // private, outside the VPC
			ip("tcp", 22, 22, "203.0.113.0/24"),    // public
			ip("udp", 53, 53, "100.64.0.0/10"),     // shared space: private
			ip("tcp", 25, 25, "fd00::/8"),          // ULA: private
			ip("tcp", 3389, 3389, "2001:db8::/32"), // public IPv6
			ip("tcp", 80, 80, "0.0.0.0/8"),         // "this network": public per RULES.md
		},
	}
	f := sgIn(t, g, "10.0.0.0/16")
	in := f.Ingress
	if got := in.Public.TCP; !reflect.DeepEqual(got, []model.PortRange{pr(22, 22), pr(80, 80), pr(3389, 3389)}) {
		t.Errorf("public tcp = %v", got)
	}
	if len(in.Public.UDP) != 0 {
		t.Errorf("public udp = %v", in.Public.UDP)
	}
	if len(in.PublicRules) != 3 || in.PublicRules[1].Attribute != "ingress[5].ipv6_cidr_blocks[0]" || in.PublicRules[1].Peers[0] != "2001:db8::/32" {
		t.Errorf("public rules = %+v", in.PublicRules[1])
	}
	if in.OutsideVPC == nil {
		t.Fatal("outside vpc missing")
	}
	// Outside the VPC: everything but the 10.0.0.0/16 rule.
	if got := in.OutsideVPC.TCP; !reflect.DeepEqual(got, []model.PortRange{pr(22, 22), pr(25, 25), pr(80, 80), pr(3389, 3389), pr(8443, 8443)}) {
		t.Errorf("outside tcp = %v", got)
	}
	if !in.Internet.Empty {
		t.Errorf("internet = %+v", in.Internet)
	}
	// VPC CIDRs unknown: no OutsideVPC.
	g2 := &model.SecurityGroup{Ingress: []*model.SGRule{ip("tcp", 443, 443, "10.1.0.0/16")}}
	if f := sgIn(t, g2); f.Ingress.OutsideVPC != nil {
		t.Errorf("outside vpc with unknown VPC CIDRs: %+v", f.Ingress.OutsideVPC)
	}
}

func TestSGICMP(t *testing.T) {
	g := &model.SecurityGroup{Ingress: []*model.SGRule{
		ip("icmp", 8, -1, "0.0.0.0/0"),
		{Protocol: "icmpv6", CIDRBlocks: []string{}, IPv6CIDRBlocks: []string{"::/0"}},
	}}
	f := sgIn(t, g)
	if !f.Ingress.Internet.ICMP || !f.Ingress.Internet.ICMPv6 || f.Ingress.Internet.AllProtocols || !f.Ingress.Known {
		t.Errorf("internet = %+v known=%v", f.Ingress.Internet, f.Ingress.Known)
	}
}

func TestSGSymbolicAndImplicit(t *testing.T) {
	g := &model.SecurityGroup{
		IsDefault: true,
		Ingress:   []*model.SGRule{{Protocol: "-1", FromPort: model.Int(0), ToPort: model.Int(0), Self: true, Implicit: true}},
		Egress:    []*model.SGRule{{Protocol: "-1", FromPort: model.Int(0), ToPort: model.Int(0), CIDRBlocks: []string{"0.0.0.0/0"}, Implicit: true}},
	}
	f := sgIn(t, g)
	if !f.Ingress.Self || !f.Ingress.All.AllProtocols || !f.Ingress.Internet.Empty {
		t.Errorf("ingress = %+v", f.Ingress)
	}
	if !f.Egress.Internet.AllProtocols || len(f.Egress.InternetRules) != 1 {
		t.Errorf("egress = %+v", f.Egress)
	}
}

func TestSGRedundant(t *testing.T) {
	sym := func(p string, from, to int, sg string) *model.SGRule {
		return &model.SGRule{Protocol: p, FromPort: model.Int(from), ToPort: model.Int(to), SecurityGroupIDs: []string{sg}}
	}
	tests := []struct {
		name    string
		ingress []*model.SGRule
		unknown []string
		want    map[int][]int
	}{
		{"identical: only the later", []*model.SGRule{ip("tcp", 22, 22, "10.0.0.0/8"), ip("tcp", 22, 22, "10.0.0.0/8")}, nil, map[int][]int{1: {0}}},
		{"subset by range", []*model.SGRule{ip("tcp", 22, 22, "10.1.0.0/16"), ip("tcp", 0, 65535, "10.0.0.0/8")}, nil, map[int][]int{0: {1}}},
		{"covered by two rules", []*model.SGRule{ip("tcp", 20, 30, "10.0.0.0/8"), ip("tcp", 0, 25, "10.0.0.0/8"), ip("tcp", 26, 100, "10.0.0.0/8")}, nil, map[int][]int{0: {1, 2}}},
		{"split cidr covered", []*model.SGRule{ip("tcp", 22, 22, "0.0.0.0/1"), ip("tcp", 22, 22, "128.0.0.0/1"), ip("tcp", 22, 22, "10.0.0.0/8")}, nil, map[int][]int{2: {0}}},
		{"not covered", []*model.SGRule{ip("tcp", 22, 22, "10.0.0.0/8"), ip("tcp", 23, 23, "10.0.0.0/8"), ip("udp", 22, 22, "10.0.0.0/8")}, nil, map[int][]int{}},
		{"all covers protocol 50", []*model.SGRule{ip("50", 0, 0, "10.0.0.0/8"), ip("-1", 0, 0, "0.0.0.0/0")}, nil, map[int][]int{0: {1}}},
		{"tcp 0-0 does not cover tcp 22", []*model.SGRule{ip("tcp", 22, 22, "10.0.0.0/8"), ip("tcp", 0, 0, "0.0.0.0/0")}, nil, map[int][]int{}},
		{"symbolic peers", []*model.SGRule{sym("tcp", 443, 443, "sg-2"), sym("tcp", 0, 65535, "sg-2"), sym("tcp", 443, 443, "sg-3")}, nil, map[int][]int{0: {1}}},
		{"multi-peer rule partly covered", []*model.SGRule{ip("tcp", 22, 22, "10.0.0.0/8", "192.168.0.0/16"), ip("tcp", 22, 22, "10.0.0.0/8")}, nil, map[int][]int{1: {0}}},
		{"unknown rule is not reported", []*model.SGRule{ip("tcp", 0, 65535, "10.0.0.0/8"), ip("tcp", 22, 22, "10.0.0.0/8")}, []string{"ingress[1].cidr_blocks[1]"}, map[int][]int{}},
		{"unknown peers still cover", []*model.SGRule{ip("tcp", 0, 65535, "10.0.0.0/8"), ip("tcp", 22, 22, "10.0.0.0/8")}, []string{"ingress[0].cidr_blocks[1]"}, map[int][]int{1: {0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &model.SecurityGroup{Meta: model.Meta{Unknown: tt.unknown}, Ingress: tt.ingress}
			f := sgIn(t, g)
			got := map[int][]int{}
			for _, r := range f.Redundant {
				if r.Direction != "ingress" || r.Attribute != item("ingress", r.Index) {
					t.Errorf("bad redundant %+v", r)
				}
				got[r.Index] = r.CoveredBy
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("redundant = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSGGroupInUnknownVPCParallel(t *testing.T) {
	m := model.New("test", model.FormatTerraform)
	for i := range 300 {
		m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{Meta: model.Meta{ID: fmt.Sprint("sg-", i)}, VPCID: fmt.Sprint("vpc-", i%7),
			Ingress: []*model.SGRule{ip("tcp", 22, 22, "0.0.0.0/0")}})
	}
	Analyze(m)
	for _, g := range m.SecurityGroups {
		f := m.Facts.SecurityGroups[g.ID]
		if f == nil || f.Ingress.OutsideVPC != nil || len(f.Ingress.Internet.TCP) != 1 {
			t.Fatalf("%s: %+v", g.ID, f)
		}
	}
}

func TestSGOwnIDIsSelf(t *testing.T) {
	g := &model.SecurityGroup{Meta: model.Meta{ID: "sg-own"}, Ingress: []*model.SGRule{
		{Protocol: "-1", Self: true},
		{Protocol: "-1", SecurityGroupIDs: []string{"sg-own"}},
	}}
	f := sgIn(t, g)
	if !f.Ingress.Self || len(f.Ingress.SecurityGroupIDs) != 0 {
		t.Errorf("ingress = %+v", f.Ingress)
	}
	if len(f.Redundant) != 1 || f.Redundant[0].Index != 1 || !reflect.DeepEqual(f.Redundant[0].CoveredBy, []int{0}) {
		t.Errorf("redundant = %+v", f.Redundant)
	}
}

func TestSGPlaceholderIsLowerBound(t *testing.T) {
	g := &model.SecurityGroup{Meta: model.Meta{Placeholder: true}, Ingress: []*model.SGRule{ip("tcp", 22, 22, "0.0.0.0/0")}}
	f := sgIn(t, g)
	if f.Ingress.Known || f.Egress.Known || len(f.Ingress.Internet.TCP) != 1 {
		t.Errorf("placeholder = %+v / %+v", f.Ingress, f.Egress)
	}
}

// A direction whose list may hold more rules (a rule resource with an
// unknown count) is a lower bound: the rules it holds still count.
func TestSGListMayHoldMore(t *testing.T) {
	g := &model.SecurityGroup{Meta: model.Meta{ID: "sg", Unknown: []string{"ingress"}}, Ingress: []*model.SGRule{ip("tcp", 22, 22, "0.0.0.0/0")}}
	f := sgFacts(newEnv(), g, nil)
	if f.Ingress.Known || !reflect.DeepEqual(f.Ingress.Internet.TCP, []model.PortRange{pr(22, 22)}) {
		t.Errorf("ingress = %+v", f.Ingress)
	}
}
