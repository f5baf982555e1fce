package analysis

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// ent builds an ingress entry; proto "tcp"/"udp" use from..to ports,
// "icmp" uses them as type and code.
func ent(num int, action, proto, cidr string, from, to int) *model.NACLEntry {
	e := &model.NACLEntry{RuleNumber: model.Int(num), Action: action, Protocol: proto}
	if isV6(cidr) {
		e.IPv6CIDRBlock = cidr
	} else {
		e.CIDRBlock = cidr
	}
	switch proto {
	case "icmp", "1", "58", "icmpv6":
		e.ICMPType, e.ICMPCode = model.Int(from), model.Int(to)
	default:
		e.FromPort, e.ToPort = model.Int(from), model.Int(to)
	}
	return e
}

func egress(e *model.NACLEntry) *model.NACLEntry { e.Egress = true; return e }

func naclFacts(t *testing.T, a *model.NetworkACL) *model.NACLFacts {
	t.Helper()
	m := model.New("test", model.FormatTerraform)
	if a.ID == "" {
		a.ID = "acl-1"
	}
	m.NetworkACLs = append(m.NetworkACLs, a)
	Analyze(m)
	return m.Facts.NetworkACLs[a.ID]
}

func TestNACLFirstMatch(t *testing.T) {
	tests := []struct {
		name         string
		entries      []*model.NACLEntry
		unknown      []string
		wantAllowed  []model.PortRange
		wantInternet []model.PortRange
		wantEntries  []int
		wantAll      bool
		wantKnown    bool
	}{
		{
			name:         "deny 22 before allow all tcp",
			entries:      []*model.NACLEntry{ent(100, "deny", "tcp", "0.0.0.0/0", 22, 22), ent(200, "allow", "tcp", "0.0.0.0/0", 0, 65535)},
			wantAllowed:  []model.PortRange{pr(0, 21), pr(23, 65535)},
			wantInternet: []model.PortRange{pr(0, 21), pr(23, 65535)},
			wantEntries:  []int{1}, wantKnown: true,
		},
		{
			name:         "allow at 100 shadows deny at 200 (listed out of order)",
			entries:      []*model.NACLEntry{ent(200, "deny", "tcp", "0.0.0.0/0", 22, 22), ent(100, "allow", "tcp", "0.0.0.0/0", 0, 65535)},
			wantAllowed:  []model.PortRange{pr(0, 65535)},
			wantInternet: []model.PortRange{pr(0, 65535)},
			wantEntries:  []int{1}, wantKnown: true,
		},
		{
			name:         "internet split over two halves",
			entries:      []*model.NACLEntry{ent(100, "allow", "tcp", "0.0.0.0/1", 22, 22), ent(110, "allow", "tcp", "128.0.0.0/1", 22, 22)},
			wantAllowed:  []model.PortRange{pr(22, 22)},
			wantInternet: []model.PortRange{pr(22, 22)},
			wantEntries:  []int{0, 1}, wantKnown: true,
		},
		{
			name:         "partial deny of the internet",
			entries:      []*model.NACLEntry{ent(90, "deny", "tcp", "203.0.113.0/24", 22, 22), ent(100, "allow", "tcp", "0.0.0.0/0", 22, 22)},
			wantAllowed:  []model.PortRange{pr(22, 22)},
			wantInternet: []model.PortRange{},
			wantEntries:  []int{}, wantKnown: true,
		},
		{
			name:         "default ACL allows everything, v4 and v6",
			entries:      []*model.NACLEntry{ent(100, "allow", "-1", "0.0.0.0/0", 0, 0), ent(101, "allow", "-1", "::/0", 0, 0)},
			wantAllowed:  []model.PortRange{pr(0, 65535)},
			wantInternet: []model.PortRange{pr(0, 65535)},
			wantAll:      true, wantEntries: []int{0, 1}, wantKnown: true,
		},
		{
			name:         "ipv6 deny does not affect ipv4",
			entries:      []*model.NACLEntry{ent(100, "deny", "tcp", "::/0", 22, 22), ent(200, "allow", "tcp", "0.0.0.0/0", 22, 22)},
			wantAllowed:  []model.PortRange{pr(22, 22)},
			wantInternet: []model.PortRange{pr(22, 22)},
			wantEntries:  []int{1}, wantKnown: true,
		},
		{
			name:         "unknown entry: only the prefix before it counts",
			entries:      []*model.NACLEntry{ent(100, "allow", "tcp", "0.0.0.0/0", 443, 443), {RuleNumber: model.Int(110), Action: "deny", Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22)}, ent(120, "allow", "tcp", "0.0.0.0/0", 22, 22)},
			unknown:      []string{"entries[1].cidr_block"},
			wantAllowed:  []model.PortRange{pr(443, 443)},
			wantInternet: []model.PortRange{pr(443, 443)},
			wantEntries:  []int{0}, wantKnown: false,
		},
		{
			name: "unknown allow cannot stop a later allow",
			entries: []*model.NACLEntry{{RuleNumber: model.Int(100), Action: "allow", Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22)},
				ent(200, "allow", "tcp", "0.0.0.0/0", 22, 22)},
			unknown:      []string{"entries[0].cidr_block"},
			wantAllowed:  []model.PortRange{pr(22, 22)},
			wantInternet: []model.PortRange{pr(22, 22)},
			wantEntries:  []int{1}, wantKnown: false,
		},
		{
			name: "unknown action before an allow: that traffic is undecided",
			entries: []*model.NACLEntry{{RuleNumber: model.Int(100), Protocol: "tcp", CIDRBlock: "0.0.0.0/0", FromPort: model.Int(22), ToPort: model.Int(22)},
				ent(200, "allow", "tcp", "0.0.0.0/0", 0, 65535)},
			unknown:      []string{"entries[0].action"},
			wantAllowed:  []model.PortRange{pr(0, 21), pr(23, 65535)},
			wantInternet: []model.PortRange{pr(0, 21), pr(23, 65535)},
			wantEntries:  []int{1}, wantKnown: false,
		},
		{
			name: "deny with a known first port: that port is denied, the rest of the range undecided",
			entries: []*model.NACLEntry{{RuleNumber: model.Int(100), Action: "deny", Protocol: "tcp", CIDRBlock: "0.0.0.0/0", FromPort: model.Int(22)},
				ent(200, "allow", "tcp", "0.0.0.0/0", 0, 65535)},
			unknown:      []string{"entries[0].to_port"},
			wantAllowed:  []model.PortRange{pr(0, 21)},
			wantInternet: []model.PortRange{pr(0, 21)},
			wantEntries:  []int{1}, wantKnown: false,
		},
		{
			name: "unknown direction: the deny may be inbound",
			entries: []*model.NACLEntry{ent(100, "deny", "tcp", "0.0.0.0/0", 22, 22),
				ent(200, "allow", "tcp", "0.0.0.0/0", 0, 65535)},
			unknown:      []string{"entries[0].egress"},
			wantAllowed:  []model.PortRange{pr(0, 21), pr(23, 65535)},
			wantInternet: []model.PortRange{pr(0, 21), pr(23, 65535)},
			wantEntries:  []int{1}, wantKnown: false,
		},
		{
			name: "unknown IPv4 CIDR leaves IPv6 decided",
			entries: []*model.NACLEntry{{RuleNumber: model.Int(100), Action: "deny", Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22)},
				ent(200, "allow", "tcp", "::/0", 0, 65535)},
			unknown:      []string{"entries[0].cidr_block"},
			wantAllowed:  []model.PortRange{pr(0, 65535)},
			wantInternet: []model.PortRange{pr(0, 65535)},
			wantEntries:  []int{1}, wantKnown: false,
		},
		{
			name: "shared rule number: order unknown",
			entries: []*model.NACLEntry{ent(100, "allow", "tcp", "0.0.0.0/0", 22, 22), ent(100, "deny", "tcp", "10.0.0.0/8", 22, 22),
				ent(200, "allow", "tcp", "0.0.0.0/0", 443, 443)},
			wantAllowed:  []model.PortRange{pr(22, 22), pr(443, 443)},
			wantInternet: []model.PortRange{pr(443, 443)},
			wantEntries:  []int{2}, wantKnown: false,
		},
		{
			name:         "unknown entry list: nothing is known to be allowed",
			entries:      []*model.NACLEntry{ent(100, "allow", "tcp", "0.0.0.0/0", 22, 22)},
			unknown:      []string{"entries"},
			wantAllowed:  []model.PortRange{},
			wantInternet: []model.PortRange{},
			wantEntries:  []int{}, wantKnown: false,
		},
		{
			name:         "empty custom ACL denies everything",
			entries:      []*model.NACLEntry{},
			wantAllowed:  []model.PortRange{},
			wantInternet: []model.PortRange{},
			wantEntries:  []int{}, wantKnown: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := naclFacts(t, &model.NetworkACL{Meta: model.Meta{Unknown: tt.unknown}, Entries: tt.entries})
			in := f.Ingress
			if in.Known != tt.wantKnown {
				t.Errorf("known = %v", in.Known)
			}
			if !reflect.DeepEqual(in.Allowed.TCP, tt.wantAllowed) || in.Allowed.AllProtocols != tt.wantAll {
				t.Errorf("allowed = %+v", in.Allowed)
			}
			if !reflect.DeepEqual(in.Internet.TCP, tt.wantInternet) {
				t.Errorf("internet = %+v", in.Internet)
			}
			if !reflect.DeepEqual(in.InternetEntries, tt.wantEntries) {
				t.Errorf("internet entries = %v", in.InternetEntries)
			}
			if !f.Egress.Allowed.Empty {
				t.Errorf("egress = %+v", f.Egress.Allowed)
			}
		})
	}
}

func TestNACLAnomalies(t *testing.T) {
	type anom struct {
		index int
		kind  string
		by    []int
	}
	tests := []struct {
		name     string
		entries  []*model.NACLEntry
		want     []anom
		wantDesc string
	}{
		{
			name:     "allow at 100 shadows deny at 200",
			entries:  []*model.NACLEntry{ent(100, "allow", "tcp", "0.0.0.0/0", 0, 65535), ent(200, "deny", "tcp", "0.0.0.0/0", 22, 22)},
			want:     []anom{{1, "shadowed", []int{100}}},
			wantDesc: "rule 200 (deny tcp/22 from 0.0.0.0/0) never applies: rule 100 allows all TCP from 0.0.0.0/0 first",
		},
		{
			name:     "redundant same action",
			entries:  []*model.NACLEntry{ent(100, "allow", "tcp", "0.0.0.0/0", 0, 65535), ent(200, "allow", "tcp", "10.0.0.0/8", 22, 22)},
			want:     []anom{{1, "redundant", []int{100}}},
			wantDesc: "rule 200 (allow tcp/22 from 10.0.0.0/8) is redundant: rule 100 allows all TCP from 0.0.0.0/0 already",
		},
		{
			name:    "shadowed by a set of entries",
			entries: []*model.NACLEntry{ent(100, "allow", "tcp", "0.0.0.0/1", 22, 22), ent(110, "allow", "tcp", "128.0.0.0/1", 22, 22), ent(200, "deny", "tcp", "0.0.0.0/0", 22, 22)},
			want:    []anom{{2, "shadowed", []int{100, 110}}},
		},
		{
			name:     "generalization: deny 22 then allow all",
			entries:  []*model.NACLEntry{ent(100, "deny", "tcp", "0.0.0.0/0", 22, 22), ent(200, "allow", "-1", "0.0.0.0/0", 0, 0)},
			want:     []anom{{1, "generalization", []int{100}}},
			wantDesc: "rule 200 (allow all traffic from 0.0.0.0/0) generalizes rule 100 (deny tcp/22 from 0.0.0.0/0), which takes precedence on its narrower traffic",
		},
		{
			name:    "correlation",
			entries: []*model.NACLEntry{ent(100, "deny", "tcp", "10.0.0.0/8", 0, 1000), ent(200, "allow", "tcp", "10.1.0.0/16", 500, 2000)},
			want:    []anom{{1, "correlation", []int{100}}},
		},
		{
			name: "redundant, not shadowed, when the opposite entry decides nothing of it",
			// 110 (deny 22 from 10/8) is itself shadowed by 100; 200 is
			// decided by 100 alone.
			entries: []*model.NACLEntry{ent(100, "allow", "tcp", "0.0.0.0/0", 22, 22), ent(110, "deny", "tcp", "10.0.0.0/8", 22, 22), ent(200, "allow", "tcp", "0.0.0.0/0", 22, 22)},
			want:    []anom{{1, "shadowed", []int{100}}, {2, "redundant", []int{100}}},
		},
		{
			name:    "ipv4 and ipv6 do not interact",
			entries: []*model.NACLEntry{ent(100, "allow", "-1", "0.0.0.0/0", 0, 0), ent(200, "deny", "tcp", "::/0", 22, 22)},
			want:    nil,
		},
		{
			name:    "icmp type/code: echo request under all icmp",
			entries: []*model.NACLEntry{ent(100, "deny", "icmp", "0.0.0.0/0", -1, -1), ent(200, "allow", "icmp", "0.0.0.0/0", 8, 0)},
			want:    []anom{{1, "shadowed", []int{100}}},
		},
		{
			name:    "protocol 50 matches all its ports",
			entries: []*model.NACLEntry{ent(100, "allow", "50", "0.0.0.0/0", 0, 0), ent(200, "deny", "50", "10.0.0.0/8", 500, 500)},
			want:    []anom{{1, "shadowed", []int{100}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := naclFacts(t, &model.NetworkACL{Entries: tt.entries})
			var got []anom
			for _, a := range f.Ingress.Anomalies {
				got = append(got, anom{a.Index, a.Kind, a.CausedByRuleNumbers})
				if a.Attribute != item("entries", a.Index) || a.RuleNumber != *tt.entries[a.Index].RuleNumber {
					t.Errorf("bad anomaly %+v", a)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("anomalies = %+v, want %+v", got, tt.want)
			}
			if tt.wantDesc != "" && (len(f.Ingress.Anomalies) == 0 || f.Ingress.Anomalies[0].Description != tt.wantDesc) {
				for _, a := range f.Ingress.Anomalies {
					t.Logf("description: %s", a.Description)
				}
				t.Errorf("want description %q", tt.wantDesc)
			}
		})
	}
}

func TestNACLDuplicateRuleNumbers(t *testing.T) {
	f := naclFacts(t, &model.NetworkACL{Entries: []*model.NACLEntry{
		ent(100, "allow", "tcp", "0.0.0.0/0", 443, 443),
		ent(100, "deny", "tcp", "0.0.0.0/0", 22, 22),
		egress(ent(100, "allow", "-1", "0.0.0.0/0", 0, 0)),
	}})
	if got := f.Ingress.DuplicateRuleNumbers; len(got) != 1 || got[0].RuleNumber != 100 || !reflect.DeepEqual(got[0].Indexes, []int{0, 1}) {
		t.Errorf("duplicates = %+v", got)
	}
	if f.Ingress.Known {
		t.Error("duplicate rule numbers: ingress must not be known")
	}
	if len(f.Egress.DuplicateRuleNumbers) != 0 || !f.Egress.Known {
		t.Errorf("egress = %+v", f.Egress)
	}
}

func TestNACLUnknownRuleNumber(t *testing.T) {
	// Entry 0 may come anywhere: whatever its place, it allows what the
	// known entries do not decide, and 200 never applies (100 or entry 0
	// decides all of its traffic, both allowing). Whether 200 is
	// redundant or shadowed depends on no unknown, but one of the entries
	// that decide it has an unknown place, so it is not classified.
	f := naclFacts(t, &model.NetworkACL{
		Meta: model.Meta{Unknown: []string{"entries[0].rule_number"}},
		Entries: []*model.NACLEntry{
			{Action: "allow", Protocol: "-1", CIDRBlock: "0.0.0.0/0", FromPort: model.Int(0), ToPort: model.Int(0)},
			ent(100, "allow", "tcp", "0.0.0.0/0", 0, 65535),
			ent(200, "deny", "tcp", "0.0.0.0/0", 22, 22),
		}})
	in := f.Ingress
	if len(in.Anomalies) != 0 || in.Known || !in.Internet.AllProtocols {
		t.Errorf("ingress = %+v", in)
	}
	if len(in.Entries) != 3 || in.Entries[0].RuleNumber != -1 || !in.Entries[0].Applies || in.Entries[2].Applies {
		t.Errorf("entries = %+v %+v %+v", in.Entries[0], in.Entries[1], in.Entries[2])
	}
}

func TestNACLSubnets(t *testing.T) {
	m := model.New("test", model.FormatTerraform)
	m.VPCs = []*model.VPC{{Meta: model.Meta{ID: "vpc-1"}, CIDRBlocks: []string{"10.0.0.0/16"}}}
	m.Subnets = []*model.Subnet{
		{Meta: model.Meta{ID: "a"}, VPCID: "vpc-1", CIDRBlock: "10.0.1.0/24"},
		{Meta: model.Meta{ID: "b"}, VPCID: "vpc-1", CIDRBlock: "10.0.2.0/24", NetworkACLID: "custom"},
		{Meta: model.Meta{ID: "c"}, VPCID: "vpc-1", CIDRBlock: "10.0.3.0/24"},
		{Meta: model.Meta{ID: "d", Unknown: []string{"network_acl_id"}}, VPCID: "vpc-1", CIDRBlock: "10.0.4.0/24"},
	}
	m.NetworkACLs = []*model.NetworkACL{
		{Meta: model.Meta{ID: "default"}, VPCID: "vpc-1", IsDefault: true, Entries: []*model.NACLEntry{}},
		{Meta: model.Meta{ID: "custom"}, VPCID: "vpc-1", SubnetIDs: []string{"c"}, Entries: []*model.NACLEntry{}},
	}
	Analyze(m)
	if got := m.Facts.NetworkACLs["default"].SubnetIDs; !reflect.DeepEqual(got, []string{"a"}) {
		t.Errorf("default subnets = %v", got)
	}
	if got := m.Facts.NetworkACLs["custom"].SubnetIDs; !reflect.DeepEqual(got, []string{"b", "c"}) {
		t.Errorf("custom subnets = %v", got)
	}
}

func TestNACLDescribe(t *testing.T) {
	f := naclFacts(t, &model.NetworkACL{Entries: []*model.NACLEntry{
		egress(ent(100, "allow", "udp", "10.0.0.0/8", 53, 53)),
		egress(ent(200, "deny", "udp", "10.0.0.0/16", 53, 53)),
	}})
	if len(f.Egress.Anomalies) != 1 || !strings.Contains(f.Egress.Anomalies[0].Description, "rule 200 (deny udp/53 to 10.0.0.0/16) never applies: rule 100 allows udp/53 to 10.0.0.0/8 first") {
		t.Errorf("anomalies = %+v", f.Egress.Anomalies)
	}
}

func TestNACLEntryFacts(t *testing.T) {
	f := naclFacts(t, &model.NetworkACL{Entries: []*model.NACLEntry{
		ent(200, "allow", "-1", "0.0.0.0/0", 0, 0),
		ent(100, "deny", "tcp", "0.0.0.0/0", 22, 22),
		ent(300, "allow", "tcp", "10.0.0.0/8", 443, 443),
	}})
	es := f.Ingress.Entries
	if len(es) != 3 || es[0].RuleNumber != 100 || es[1].RuleNumber != 200 || es[2].RuleNumber != 300 {
		t.Fatalf("entries = %+v", es)
	}
	if !es[0].Applies || es[0].Action != "deny" || !reflect.DeepEqual(es[0].Decides.TCP, []model.PortRange{pr(22, 22)}) {
		t.Errorf("100 = %+v", es[0])
	}
	// 200 decides everything but tcp/22, from every address.
	if !es[1].Applies || es[1].Decides.AllProtocols || !reflect.DeepEqual(es[1].Internet.TCP, []model.PortRange{pr(0, 21), pr(23, 65535)}) || !es[1].Internet.ICMP {
		t.Errorf("200 = %+v", es[1])
	}
	if es[2].Applies || !es[2].Decides.Empty || es[2].Attribute != "entries[2]" {
		t.Errorf("300 = %+v", es[2])
	}
}

func TestNACLPlaceholder(t *testing.T) {
	f := naclFacts(t, &model.NetworkACL{Meta: model.Meta{Placeholder: true}, Entries: []*model.NACLEntry{
		ent(100, "allow", "tcp", "0.0.0.0/0", 0, 65535),
		ent(200, "deny", "tcp", "0.0.0.0/0", 22, 22),
	}})
	in := f.Ingress
	if in.Known || !in.Allowed.Empty || !in.Internet.Empty || len(in.InternetEntries) != 0 {
		t.Errorf("placeholder ingress = %+v", in)
	}
	if len(in.Anomalies) != 1 || in.Anomalies[0].Kind != "shadowed" {
		t.Errorf("anomalies = %+v", in.Anomalies)
	}
}

// An entry list that may hold more entries (an entry resource with an
// unknown count): nothing is known to be allowed, but the written entries
// are read as written and their anomalies stand.
func TestNACLListMayHoldMore(t *testing.T) {
	f := naclFacts(t, &model.NetworkACL{Meta: model.Meta{Unknown: []string{"entries"}}, Entries: []*model.NACLEntry{
		ent(100, "allow", "tcp", "0.0.0.0/0", 0, 65535),
		ent(200, "deny", "tcp", "0.0.0.0/0", 22, 22),
	}})
	in := f.Ingress
	if in.Known || !in.Allowed.Empty || len(in.Anomalies) != 1 || in.Anomalies[0].Kind != "shadowed" {
		t.Errorf("ingress = %+v", in)
	}
}
