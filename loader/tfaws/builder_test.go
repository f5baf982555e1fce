package tfaws

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// body is a Body written out: what a front end would read.
type body struct {
	attrs    map[string]Value
	refs     map[string]Ref
	blocks   map[string][]Body
	unknown  map[string]bool // block types that cannot be decided
	patterns map[string]string
}

func (b body) Attr(name string) Value { return b.attrs[name] }
func (b body) Ref(name string) Ref {
	if r, ok := b.refs[name]; ok {
		return r
	}
	if s, ok := b.attrs[name].String(); ok {
		return Ref{State: Known, ID: s}
	}
	return Ref{State: b.attrs[name].State}
}
func (b body) Refs(name string) Value { return b.attrs[name] }
func (b body) Blocks(name string) ([]Body, bool) {
	return b.blocks[name], !b.unknown[name]
}
func (b body) Line() int { return 1 }
func (b body) Pattern(name string) (string, bool) {
	p, ok := b.patterns[name]
	return p, ok
}

func known(v any) Value { return Value{State: Known, V: v, Line: 2} }

var unknownValue = Value{State: Unknown, Line: 3}

func ids(l ...string) Value {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return known(out)
}

func res(typ, name string, attrs map[string]Value, refs map[string]Ref) *Resource {
	addr := typ + "." + name
	return &Resource{Type: typ, Addr: addr, ID: addr, Source: model.Source{Format: "terraform", File: "main.tf", StartLine: 1, EndLine: 9},
		Body: body{attrs: attrs, refs: refs, patterns: map[string]string{}}}
}

func maybe(r *Resource) *Resource { r.Maybe = true; return r }

func endpoint(name string, attrs map[string]Value) *Resource {
	a := map[string]Value{"vpc_id": known("aws_vpc.main"), "service_name": known("com.amazonaws.eu-west-1.ssm"),
		"vpc_endpoint_type": known("Interface")}
	for k, v := range attrs {
		a[k] = v
	}
	return res("aws_vpc_endpoint", name, a, nil)
}

func build(t *testing.T, unseen []string, rs ...*Resource) *model.Model {
	t.Helper()
	m := model.New("unit", "terraform")
	b := NewBuilder(m)
	for _, r := range rs {
		b.Add(r)
	}
	b.Unseen(unseen...)
	for _, e := range b.Build() {
		t.Logf("%s", e.Error())
	}
	return m
}

func find[T model.Resource](t *testing.T, list []T, addr string) T {
	t.Helper()
	for _, r := range list {
		if r.GetMeta().Address == addr {
			return r
		}
	}
	t.Fatalf("%s not in the model", addr)
	var zero T
	return zero
}

func asJSON(x any) string { b, _ := json.Marshal(x); return string(b) }

// TestDefaults: what the provider does with an attribute left unset,
// once for both front ends.
func TestDefaults(t *testing.T) {
	m := build(t, nil,
		res("aws_vpc", "main", map[string]Value{"cidr_block": known("10.0.0.0/16")}, nil),
		res("aws_security_group", "g", map[string]Value{"vpc_id": known("aws_vpc.main")}, nil),
		res("aws_vpc_endpoint", "s3", map[string]Value{"vpc_id": known("aws_vpc.main"), "service_name": known("com.amazonaws.eu-west-1.s3")}, nil),
		res("aws_subnet", "a", map[string]Value{"vpc_id": known("aws_vpc.main"), "cidr_block": known("10.0.1.9/24")}, nil),
	)
	v := m.VPCs[0]
	if *v.EnableDNSSupport != true || *v.EnableDNSHostnames != false || asJSON(v.Defaulted) != `["enable_dns_hostnames","enable_dns_support"]` || asJSON(v.IPv6CIDRBlocks) != "[]" {
		t.Errorf("vpc %s", asJSON(v))
	}
	g := m.SecurityGroups[0]
	if g.Egress == nil || len(g.Egress) != 0 || *g.Description != "Managed by Terraform" || !slices.Contains(g.Unknown, "name") {
		t.Errorf("a new group has no egress, Terraform's description and a generated name: %s", asJSON(g))
	}
	e := m.VPCEndpoints[0]
	if e.Type != model.EndpointGateway || *e.PrivateDNSEnabled || asJSON(e.Defaulted) != `["private_dns_enabled","type"]` || e.Policy != nil || len(e.Unknown) > 0 {
		t.Errorf("endpoint %s", asJSON(e))
	}
	if s := m.Subnets[0]; s.CIDRBlock != "10.0.1.0/24" || !slices.Contains(s.Unknown, "availability_zone") {
		t.Errorf("subnet: AWS picks its zone: %s", asJSON(s))
	}
}

// TestUnknownIsNotDefault: an unknown value is absent and listed, never
// the provider's default.
func TestUnknownIsNotDefault(t *testing.T) {
	m := build(t, nil,
		endpoint("e", map[string]Value{"private_dns_enabled": unknownValue, "policy": unknownValue, "subnet_ids": unknownValue,
			"vpc_endpoint_type": unknownValue}),
		res("aws_vpc", "v", map[string]Value{"cidr_block": unknownValue, "enable_dns_hostnames": unknownValue}, nil),
	)
	e := m.VPCEndpoints[0]
	if e.PrivateDNSEnabled != nil || e.SubnetIDs != nil || e.Type != "" || asJSON(e.Unknown) != `["policy","private_dns_enabled","subnet_ids","type"]` || len(e.Defaulted) > 0 {
		t.Errorf("endpoint %s", asJSON(e))
	}
	if v := m.VPCs[0]; v.EnableDNSHostnames != nil || v.CIDRBlocks != nil || asJSON(v.Unknown) != `["cidr_blocks","enable_dns_hostnames"]` {
		t.Errorf("vpc %s", asJSON(v))
	}
}

// TestServiceNamePattern: a service name with an unknown region still
// names its service.
func TestServiceNamePattern(t *testing.T) {
	r := endpoint("kms", map[string]Value{"service_name": unknownValue})
	r.Body.(body).patterns["service_name"] = "com.amazonaws.*.kms"
	m := build(t, nil, r)
	e := m.VPCEndpoints[0]
	if e.ServiceName != "" || e.ServiceNamePattern != "com.amazonaws.*.kms" || e.Service != "kms" || asJSON(e.Unknown) != `["service_name"]` {
		t.Errorf("endpoint %s", asJSON(e))
	}
}

// TestUncertainParts: a part whose target is not one resource, or that
// may not exist, or a resource handed to something the scan cannot see,
// makes what the part would set unknown on every possible target.
func TestUncertainParts(t *testing.T) {
	twoEndpoints := func(extra ...*Resource) []*Resource {
		return append([]*Resource{
			endpoint("a", map[string]Value{"route_table_ids": ids("aws_route_table.x")}),
			endpoint("b", map[string]Value{"route_table_ids": ids()}),
			res("aws_vpc", "main", map[string]Value{"cidr_block": known("10.0.0.0/16")}, nil),
		}, extra...)
	}
	dns := func(target Ref) *Resource {
		return res("aws_vpc_endpoint_private_dns", "d", map[string]Value{"private_dns_enabled": known(true)}, map[string]Ref{"vpc_endpoint_id": target})
	}
	type want struct {
		addr, path string
		unknown    bool
	}
	tests := []struct {
		name   string
		parts  []*Resource
		unseen []string
		want   []want
	}{
		{"resolved", twoEndpoints(dns(Ref{State: Known, ID: "aws_vpc_endpoint.a"})),
			nil, []want{{"aws_vpc_endpoint.a", "private_dns_enabled", false}, {"aws_vpc_endpoint.b", "private_dns_enabled", false}}},
		{"one candidate is resolved", twoEndpoints(dns(Ref{State: Unknown, Candidates: []string{"aws_vpc_endpoint.a"}})),
			nil, []want{{"aws_vpc_endpoint.a", "private_dns_enabled", false}, {"aws_vpc_endpoint.b", "private_dns_enabled", false}}},
		{"candidates", twoEndpoints(dns(Ref{State: Unknown, Candidates: []string{"aws_vpc_endpoint.a", "aws_vpc_endpoint.b"}, Name: "x"})),
			nil, []want{{"aws_vpc_endpoint.a", "private_dns_enabled", true}, {"aws_vpc_endpoint.b", "private_dns_enabled", true}}},
		{"any", twoEndpoints(dns(Ref{State: Unknown, Name: "var.endpoint_id"})),
			nil, []want{{"aws_vpc_endpoint.a", "private_dns_enabled", true}, {"aws_vpc_endpoint.b", "private_dns_enabled", true}}},
		{"none the scan defines", twoEndpoints(dns(Ref{State: Unknown, Candidates: []string{}, Name: "aws_vpc_endpoint.gone"})),
			nil, []want{{"aws_vpc_endpoint.a", "private_dns_enabled", false}, {"aws_vpc_endpoint.b", "private_dns_enabled", false}}},
		{"unknown count", twoEndpoints(maybe(res("aws_vpc_endpoint_route_table_association", "r", nil,
			map[string]Ref{"vpc_endpoint_id": {State: Known, ID: "aws_vpc_endpoint.b"}, "route_table_id": {State: Known, ID: "aws_route_table.y"}}))),
			nil, []want{{"aws_vpc_endpoint.b", "route_table_ids", true}, {"aws_vpc_endpoint.a", "route_table_ids", false}}},
		{"flow log of an unknown VPC", twoEndpoints(res("aws_flow_log", "f", map[string]Value{"vpc_id": unknownValue}, nil)),
			nil, []want{{"aws_vpc.main", "flow_logs", true}}},
		{"flow log with an unknown count", twoEndpoints(maybe(res("aws_flow_log", "f", map[string]Value{"vpc_id": known("aws_vpc.main")}, nil))),
			nil, []want{{"aws_vpc.main", "flow_logs", true}}},
		{"handed to a module not installed", twoEndpoints(), []string{"aws_vpc.main", "aws_vpc_endpoint.a", "10.0.0.0/16"},
			[]want{{"aws_vpc.main", "flow_logs", true}, {"aws_vpc_endpoint.a", "policy", true}, {"aws_vpc_endpoint.a", "route_table_ids", true},
				{"aws_vpc_endpoint.a", "private_dns_enabled", true}, {"aws_vpc_endpoint.b", "policy", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := build(t, tt.unseen, tt.parts...)
			for _, w := range tt.want {
				var meta *model.Meta
				for _, r := range m.Resources() {
					if r.GetMeta().Address == w.addr {
						meta = r.GetMeta()
					}
				}
				if meta == nil {
					t.Fatalf("%s not in the model", w.addr)
				}
				if got := slices.Contains(meta.Unknown, w.path); got != w.unknown {
					t.Errorf("%s: %s unknown %v, want %v: %v", w.addr, w.path, got, w.unknown, meta.Unknown)
				}
			}
			a := find(t, m.VPCEndpoints, "aws_vpc_endpoint.a")
			if slices.Contains(a.Unknown, "private_dns_enabled") != (a.PrivateDNSEnabled == nil) {
				t.Errorf("an unknown value must be absent, a known one present: %s", asJSON(a))
			}
			if slices.Contains(a.Unknown, "route_table_ids") && asJSON(a.RouteTableIDs) != `["aws_route_table.x"]` {
				t.Errorf("a list that may hold more keeps what it holds: %s", asJSON(a))
			}
		})
	}
}

// TestFolding: separate rules and associations land in what they name,
// at their own lines and files.
func TestFolding(t *testing.T) {
	rule := res("aws_security_group_rule", "ssh", map[string]Value{"type": known("ingress"), "protocol": known("6"),
		"from_port": known(json.Number("22")), "to_port": known(json.Number("22")), "cidr_blocks": ids("0.0.0.0/0")},
		map[string]Ref{"security_group_id": {State: Known, ID: "aws_security_group.g"}})
	rule.Source.File = "rules.tf"
	orphan := res("aws_vpc_security_group_egress_rule", "out", map[string]Value{"ip_protocol": known("-1"), "cidr_ipv4": known("0.0.0.0/0")},
		map[string]Ref{"security_group_id": {State: Unknown, Name: "var.sg"}})
	assoc := res("aws_network_acl_association", "a", nil, map[string]Ref{"network_acl_id": {State: Known, ID: "aws_network_acl.n"},
		"subnet_id": {State: Known, ID: "aws_subnet.a", Line: 7}})
	m := build(t, nil,
		res("aws_security_group", "g", map[string]Value{"description": known("g")}, nil),
		res("aws_network_acl", "n", map[string]Value{"vpc_id": known("aws_vpc.main")}, nil),
		res("aws_subnet", "a", map[string]Value{"availability_zone": known("eu-west-1a")}, nil),
		rule, orphan, assoc)
	g := find(t, m.SecurityGroups, "aws_security_group.g")
	if len(g.Ingress) != 1 || g.Ingress[0].Protocol != "tcp" || g.Ingress[0].Address != "aws_security_group_rule.ssh" ||
		g.AttributeFiles["ingress[0]"] != "rules.tf" || g.AttributeLines["ingress[0].cidr_blocks[0]"] != 2 {
		t.Errorf("group %s", asJSON(g))
	}
	if !slices.Contains(g.Unknown, "egress") || len(g.Egress) != 0 {
		t.Errorf("an egress rule whose group is unknown may be this group's: %s", asJSON(g))
	}
	p := find(t, m.SecurityGroups, "var.sg")
	if !p.Placeholder || len(p.Egress) != 1 || p.Egress[0].Protocol != "all" {
		t.Errorf("placeholder %s", asJSON(p))
	}
	if s := m.Subnets[0]; s.NetworkACLID != "aws_network_acl.n" {
		t.Errorf("subnet %s", asJSON(s))
	}
	if n := find(t, m.NetworkACLs, "aws_network_acl.n"); asJSON(n.SubnetIDs) != `["aws_subnet.a"]` || n.AttributeLines["subnet_ids[0]"] != 7 {
		t.Errorf("acl %s", asJSON(n))
	}
}

// TestRejectedValues: values AWS rejects are warnings, and unknown.
func TestRejectedValues(t *testing.T) {
	m := model.New("unit", "terraform")
	b := NewBuilder(m)
	b.Add(res("aws_network_acl_rule", "bad", map[string]Value{"rule_number": known(json.Number("40000")), "rule_action": known("maybe"),
		"protocol": known("tcp"), "from_port": known(json.Number("443")), "to_port": known(json.Number("80")), "cidr_block": known("10.0.0.300/8")},
		map[string]Ref{"network_acl_id": {State: Known, ID: "acl-1"}}))
	errs := b.Build()
	e := m.NetworkACLs[0].Entries[0]
	if e.RuleNumber != nil || e.Action != "" || e.FromPort != nil || e.CIDRBlock != "" || len(errs) != 4 {
		t.Errorf("entry %s, errors %v", asJSON(e), errs)
	}
	if u := m.NetworkACLs[0].Unknown; asJSON(u) != `["entries[0].action","entries[0].cidr_block","entries[0].from_port","entries[0].rule_number","entries[0].to_port"]` {
		t.Errorf("unknown %v", u)
	}
}

// TestMaybePrimaries: a resource that may or may not exist is not in the
// model, but its kind's list is not whole (model.Inventory.Lists), so a
// rule concluding from its absence is undecided; a flow log says which
// VPCs it may log instead.
func TestMaybePrimaries(t *testing.T) {
	tests := []struct {
		name  string
		r     *Resource
		lists map[string]bool // nil: no lists
	}{
		{"endpoint", maybe(endpoint("gw", nil)), map[string]bool{"vpc_endpoints": false, "vpcs": true, "hosted_zones": true}},
		{"zone", maybe(res("aws_route53_zone", "z", map[string]Value{"name": known("ssm.eu-west-1.amazonaws.com")}, nil)),
			map[string]bool{"hosted_zones": false, "vpc_endpoints": true}},
		{"flow log", maybe(res("aws_flow_log", "f", map[string]Value{"vpc_id": known("aws_vpc.main")}, nil)), nil},
		{"subnet", maybe(res("aws_subnet", "s", map[string]Value{"vpc_id": known("aws_vpc.main")}, nil)), nil},
		{"no such resource", res("aws_route53_zone", "z", nil, nil), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := build(t, nil, res("aws_vpc", "main", map[string]Value{"cidr_block": known("10.0.0.0/16")}, nil), tt.r)
			if tt.lists == nil {
				if m.Inventory.Lists != nil {
					t.Errorf("lists %v", m.Inventory.Lists)
				}
				return
			}
			if len(m.Inventory.Lists) != 10 {
				t.Errorf("every list must be named: %v", m.Inventory.Lists)
			}
			for l, want := range tt.lists {
				if got, ok := m.Inventory.Lists[l]; !ok || got != want {
					t.Errorf("%s: %v, want %v", l, got, want)
				}
			}
			if len(m.VPCEndpoints)+len(m.HostedZones) > 0 && tt.r.Maybe {
				t.Errorf("a resource of unknown count is not in the model: %s", asJSON(m))
			}
		})
	}
}
