package tfplan

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/modeltest"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// TestMinimalHandWrittenPlan is the shape documented in the package doc:
// what rule fixtures (<scenario>.plan.json) look like.
func TestMinimalHandWrittenPlan(t *testing.T) {
	m, errs := loadText(t, "pos_open.plan.json", `{
  "format_version": "1.2",
  "resource_changes": [
    {
      "address": "aws_security_group.web",
      "type": "aws_security_group",
      "name": "web",
      "change": {
        "actions": ["create"],
        "after": {
          "ingress": [{"protocol": "6", "from_port": 22, "to_port": 22, "cidr_blocks": ["10.0.0.1/0"]}]
        },
        "after_unknown": {"id": true, "vpc_id": true}
      }
    },
    {
      "address": "aws_vpc_endpoint.x",
      "type": "aws_vpc_endpoint",
      "name": "x",
      "change": {"actions": ["create"], "after": {"service_name": "com.amazonaws.us-east-1.s3"}}
    },
    {
      "address": "aws_vpc.main",
      "type": "aws_vpc",
      "name": "main",
      "change": {"actions": ["create"], "after": {"cidr_block": "10.0.0.0/16"}, "after_unknown": {"id": true}}
    }
  ],
  "configuration": {
    "root_module": {
      "resources": [
        {"address": "aws_security_group.web", "mode": "managed", "type": "aws_security_group", "name": "web",
         "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}}
      ]
    }
  }
}`, loader.Options{})
	if len(errs) > 0 {
		t.Errorf("errors %v", errs)
	}
	g := findGroup(t, m, "aws_security_group.web")
	if g.VPCID != "aws_vpc.main" || g.Description == nil || *g.Description != "Managed by Terraform" || !slices.Contains(g.Defaulted, "description") {
		t.Errorf("group = %s", asJSON(g))
	}
	if len(g.Ingress) != 1 || g.Ingress[0].Protocol != "tcp" || g.Ingress[0].CIDRBlocks[0] != "0.0.0.0/0" {
		t.Errorf("ingress = %s", asJSON(g.Ingress))
	}
	if g.Egress == nil || len(g.Egress) != 0 {
		t.Errorf("egress = %s, want a known empty list", asJSON(g.Egress))
	}
	ep := findEndpoint(t, m, "aws_vpc_endpoint.x")
	if ep.Type != model.EndpointGateway || !slices.Contains(ep.Defaulted, "type") || ep.PrivateDNSEnabled == nil || *ep.PrivateDNSEnabled || ep.Policy != nil || slices.Contains(ep.Unknown, "policy") {
		t.Errorf("endpoint = %s", asJSON(ep))
	}
	if ep.Source.File != "pos_open.plan.json" || ep.Source.StartLine != 16 {
		t.Errorf("endpoint source = %+v", ep.Source)
	}
	v := m.VPCs[0]
	if *v.EnableDNSSupport != true || *v.EnableDNSHostnames != false {
		t.Errorf("vpc = %s", asJSON(v))
	}
}

func TestAfterUnknown(t *testing.T) {
	m, _ := loadText(t, "plan.json", `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "aws_security_group.g", "type": "aws_security_group", "name": "g",
     "change": {"actions": ["create"],
       "after": {"description": "g", "ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": [null]}], "egress": null},
       "after_unknown": {"id": true, "vpc_id": true, "egress": true, "ingress": [{"cidr_blocks": [true]}]}}},
    {"address": "aws_security_group.h", "type": "aws_security_group", "name": "h",
     "change": {"actions": ["update"], "after": {"id": "sg-0h", "description": "h"},
       "after_unknown": {"ingress": true, "egress": true}}},
    {"address": "aws_vpc_endpoint.e", "type": "aws_vpc_endpoint", "name": "e",
     "change": {"actions": ["create"], "after": {"vpc_endpoint_type": "Interface", "service_name": "com.amazonaws.us-east-1.sts"},
       "after_unknown": {"vpc_id": true, "policy": true, "subnet_ids": true, "private_dns_enabled": true}}},
    {"address": "aws_security_group_rule.r", "type": "aws_security_group_rule", "name": "r",
     "change": {"actions": ["create"], "after": {"type": "ingress", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"], "self": false},
       "after_unknown": {"security_group_id": true, "source_security_group_id": true, "id": true}}},
    {"address": "aws_security_group_rule.x", "type": "aws_security_group_rule", "name": "x",
     "change": {"actions": ["create"], "after": {"type": "egress", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]},
       "after_unknown": {"security_group_id": true}}}
  ],
  "configuration": {"root_module": {"resources": [
    {"address": "aws_security_group.g", "mode": "managed", "type": "aws_security_group", "name": "g",
     "expressions": {"vpc_id": {"references": ["var.vpc_id"]}}},
    {"address": "aws_vpc_endpoint.e", "mode": "managed", "type": "aws_vpc_endpoint", "name": "e",
     "expressions": {"vpc_id": {"references": ["var.vpc_id"]},
                     "policy": {"references": ["data.aws_iam_policy_document.p.json", "data.aws_iam_policy_document.p"]},
                     "subnet_ids": {"references": ["local.subnets"]},
                     "private_dns_enabled": {"references": ["var.dns"]}}},
    {"address": "aws_security_group_rule.r", "mode": "managed", "type": "aws_security_group_rule", "name": "r",
     "expressions": {"security_group_id": {"references": ["aws_security_group.g.id", "aws_security_group.g"]}}},
    {"address": "aws_security_group_rule.x", "mode": "managed", "type": "aws_security_group_rule", "name": "x",
     "expressions": {"security_group_id": {"references": ["local.sg_id"]}}}
  ]}}
}`, loader.Options{})
	g := findGroup(t, m, "aws_security_group.g")
	if len(g.Ingress) != 2 || g.Ingress[0].CIDRBlocks != nil || !slices.Contains(g.Unknown, "ingress[0].cidr_blocks") {
		t.Errorf("unknown cidr: %s", asJSON(g))
	}
	if g.VPCID != "" || !slices.Contains(g.Unknown, "vpc_id") {
		t.Errorf("vpc_id from a root variable must stay unknown: %s", asJSON(g))
	}
	// The rule resolved through the configuration, its own source group
	// is computed (not written), so known empty.
	if r := g.Ingress[1]; r.Address != "aws_security_group_rule.r" || r.SecurityGroupIDs == nil || len(r.SecurityGroupIDs) != 0 || slices.Contains(g.Unknown, "ingress[1].security_group_ids") {
		t.Errorf("folded rule: %s", asJSON(g))
	}
	if g.Egress == nil {
		t.Errorf("egress not written on create must be known empty: %s", asJSON(g))
	}
	// An update keeps the group's rules unknown: they exist already.
	h := findGroup(t, m, "aws_security_group.h")
	if h.ID != "sg-0h" || h.Ingress != nil || !slices.Contains(h.Unknown, "ingress") || !slices.Contains(h.Unknown, "egress") {
		t.Errorf("update: %s", asJSON(h))
	}
	e := findEndpoint(t, m, "aws_vpc_endpoint.e")
	for _, p := range []string{"vpc_id", "policy", "subnet_ids", "private_dns_enabled"} {
		if !slices.Contains(e.Unknown, p) {
			t.Errorf("endpoint: %q not unknown: %s", p, asJSON(e))
		}
	}
	if e.SubnetIDs != nil || e.PrivateDNSEnabled != nil || e.Policy != nil {
		t.Errorf("unknown values must be absent: %s", asJSON(e))
	}
	// The rule whose group is a local goes to a placeholder named by it.
	p := findGroup(t, m, "local.sg_id")
	if !p.Placeholder || len(p.Egress) != 1 || p.Egress[0].Protocol != model.ProtoAll {
		t.Errorf("placeholder: %s", asJSON(p))
	}
}

func TestDeletedAndOtherActions(t *testing.T) {
	m, _ := loadText(t, "plan.json", `{
  "format_version": "1.1",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_security_group.kept", "mode": "managed", "type": "aws_security_group", "name": "kept", "values": {"description": "k"}},
    {"address": "aws_security_group.only_planned", "mode": "managed", "type": "aws_security_group", "name": "only_planned", "values": {"id": "sg-1", "description": "p"}}
  ]}},
  "resource_changes": [
    {"address": "aws_security_group.gone", "type": "aws_security_group", "name": "gone",
     "change": {"actions": ["delete"], "before": {"id": "sg-gone"}, "after": null}},
    {"address": "aws_security_group.replaced", "type": "aws_security_group", "name": "replaced",
     "change": {"actions": ["delete", "create"], "after": {"description": "r"}}},
    {"address": "aws_security_group.same", "type": "aws_security_group", "name": "same",
     "change": {"actions": ["no-op"], "after": {"id": "sg-same", "description": "s", "ingress": [], "egress": []}}},
    {"address": "aws_security_group.kept", "type": "aws_security_group", "name": "kept",
     "change": {"actions": ["update"], "after": null}},
    {"address": "aws_security_group.old", "type": "aws_security_group", "name": "old", "deposed": "abc",
     "change": {"actions": ["delete"], "after": null}},
    {"address": "aws_security_group.forgotten", "type": "aws_security_group", "name": "forgotten",
     "change": {"actions": ["forget"], "after": null}},
    {"address": "data.aws_security_group.d", "mode": "data", "type": "aws_security_group", "name": "d",
     "change": {"actions": ["read"], "after": {"id": "sg-d"}}},
    {"address": "aws_instance.i", "type": "aws_instance", "name": "i", "change": {"actions": ["create"], "after": {}}}
  ]
}`, loader.Options{})
	got := strings.Join(modeltest.Addresses(m), " ")
	want := "aws_security_group.replaced aws_security_group.same aws_security_group.kept aws_security_group.only_planned"
	if got != want {
		t.Errorf("resources %q, want %q", got, want)
	}
	if k := findGroup(t, m, "aws_security_group.kept"); k.Description == nil || *k.Description != "k" {
		t.Errorf("a change without after falls back to planned_values: %s", asJSON(k))
	}
	if s := findGroup(t, m, "aws_security_group.same"); s.ID != "sg-same" {
		t.Errorf("id: %s", asJSON(s))
	}
}

// TestModules: child modules in planned_values, module instances from
// for_each with their variables bound from the call, and a rule folded
// into the group of its own module instance.
func TestModules(t *testing.T) {
	m, errs := loadText(t, "plan.json", `{
  "format_version": "1.2",
  "planned_values": {"root_module": {
    "resources": [{"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "values": {"cidr_block": "10.0.0.0/16"}}],
    "child_modules": [{"address": "module.net", "resources": [],
      "child_modules": [{"address": "module.net.module.inner", "resources": [
        {"address": "module.net.module.inner.aws_subnet.s", "mode": "managed", "type": "aws_subnet", "name": "s",
         "values": {"id": "subnet-1", "vpc_id": "vpc-1", "cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a"}}]}]}]
  }},
  "resource_changes": [
    {"address": "module.sg[\"a\"].aws_security_group.this", "module_address": "module.sg[\"a\"]", "type": "aws_security_group", "name": "this",
     "change": {"actions": ["create"], "after": {"description": "a"}, "after_unknown": {"id": true, "vpc_id": true}}},
    {"address": "module.sg[\"b\"].aws_security_group.this", "module_address": "module.sg[\"b\"]", "type": "aws_security_group", "name": "this",
     "change": {"actions": ["create"], "after": {"description": "b"}, "after_unknown": {"id": true, "vpc_id": true}}},
    {"address": "module.sg[\"b\"].aws_vpc_security_group_ingress_rule.r[0]", "module_address": "module.sg[\"b\"]", "type": "aws_vpc_security_group_ingress_rule", "name": "r", "index": 0,
     "change": {"actions": ["create"], "after": {"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": "10.1.2.3/16"},
       "after_unknown": {"security_group_id": true}}},
    {"address": "aws_vpc_endpoint.e", "type": "aws_vpc_endpoint", "name": "e",
     "change": {"actions": ["create"], "after": {"vpc_endpoint_type": "Interface", "service_name": "com.amazonaws.us-east-1.ssm"},
       "after_unknown": {"security_group_ids": true, "vpc_id": true}}}
  ],
  "configuration": {"root_module": {
    "resources": [
      {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main"},
      {"address": "aws_vpc_endpoint.e", "mode": "managed", "type": "aws_vpc_endpoint", "name": "e",
       "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]},
                       "security_group_ids": {"references": ["module.sg[\"b\"].id", "module.sg[\"b\"]", "module.sg"]}}}],
    "module_calls": {
      "sg": {"source": "./sg", "for_each_expression": {"constant_value": ["a", "b"]},
        "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}},
        "module": {
          "outputs": {"id": {"expression": {"references": ["aws_security_group.this.id", "aws_security_group.this"]}}},
          "resources": [
            {"address": "aws_security_group.this", "mode": "managed", "type": "aws_security_group", "name": "this",
             "expressions": {"vpc_id": {"references": ["var.vpc_id"]}}},
            {"address": "aws_vpc_security_group_ingress_rule.r", "mode": "managed", "type": "aws_vpc_security_group_ingress_rule", "name": "r",
             "count_expression": {"constant_value": 1},
             "expressions": {"security_group_id": {"references": ["aws_security_group.this.id", "aws_security_group.this"]}}}]}},
      "net": {"source": "./net", "module": {"module_calls": {"inner": {"source": "./inner", "module": {}}}}}
    }
  }}
}`, loader.Options{})
	if len(errs) > 0 {
		t.Errorf("errors %v", errs)
	}
	a := findGroup(t, m, `module.sg["a"].aws_security_group.this`)
	b := findGroup(t, m, `module.sg["b"].aws_security_group.this`)
	if a.VPCID != "aws_vpc.main" || b.VPCID != "aws_vpc.main" {
		t.Errorf("vpc through the module variable: %q %q", a.VPCID, b.VPCID)
	}
	if a.Source.Module != `module.sg["a"]` {
		t.Errorf("module %q", a.Source.Module)
	}
	if len(a.Ingress) != 0 || len(b.Ingress) != 1 || b.Ingress[0].CIDRBlocks[0] != "10.1.0.0/16" {
		t.Errorf("rule folded into the wrong instance: a %s b %s", asJSON(a.Ingress), asJSON(b.Ingress))
	}
	e := findEndpoint(t, m, "aws_vpc_endpoint.e")
	if asJSON(e.SecurityGroupIDs) != `["module.sg[\"b\"].aws_security_group.this"]` || e.VPCID != "aws_vpc.main" {
		t.Errorf("endpoint through the module output: %s", asJSON(e))
	}
	if len(m.Subnets) != 1 || m.Subnets[0].Address != "module.net.module.inner.aws_subnet.s" || m.Subnets[0].ID != "subnet-1" || m.Subnets[0].Source.Module != "module.net.module.inner" {
		t.Errorf("nested child module: %s", asJSON(m.Subnets))
	}
	if m.Subnets[0].Source.StartLine <= 1 {
		t.Errorf("planned_values resource line: %+v", m.Subnets[0].Source)
	}
}

// TestRejectedValues: values AWS would reject are warnings at their line,
// and the value is unknown.
func TestRejectedValues(t *testing.T) {
	m, errs := loadText(t, "plan.json", `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "aws_security_group.g", "type": "aws_security_group", "name": "g",
     "change": {"actions": ["create"], "after": {"description": "g", "ingress": [
        {"protocol": "tcp", "from_port": 443, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]},
        {"protocol": "tcp", "from_port": 22, "to_port": 22,
         "cidr_blocks": ["10.0.0.300/8"]},
        {"protocol": "bogus", "from_port": 1, "to_port": 2, "cidr_blocks": []}
     ]}}},
    {"address": "aws_network_acl.n", "type": "aws_network_acl", "name": "n",
     "change": {"actions": ["create"], "after": {"vpc_id": "vpc-1", "subnet_ids": [], "ingress": [
        {"rule_no": 100, "action": "allow", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_block": "0.0.0.0/0"},
        {"rule_no": 100, "action": "deny", "protocol": "6", "from_port": 22, "to_port": 22, "cidr_block": "0.0.0.0/0"},
        {"rule_no": 40000, "action": "maybe", "protocol": "tcp", "from_port": 1, "to_port": 2, "cidr_block": "10.0.0.0/8"}
     ], "egress": []}}}
  ]
}`, loader.Options{})
	g := findGroup(t, m, "aws_security_group.g")
	if g.Ingress[0].FromPort != nil || !slices.Contains(g.Unknown, "ingress[0].from_port") {
		t.Errorf("reversed range: %s", asJSON(g))
	}
	if g.Ingress[1].CIDRBlocks != nil || !slices.Contains(g.Unknown, "ingress[1].cidr_blocks") {
		t.Errorf("bad cidr: %s", asJSON(g))
	}
	if g.Ingress[2].Protocol != "" || !slices.Contains(g.Unknown, "ingress[2].protocol") {
		t.Errorf("bad protocol: %s", asJSON(g))
	}
	acl := m.NetworkACLs[0]
	if acl.Entries[0].Protocol != model.ProtoAll || acl.Entries[1].Protocol != model.ProtoTCP {
		t.Errorf("protocols: %s", asJSON(acl.Entries))
	}
	if acl.Entries[2].RuleNumber != nil || acl.Entries[2].Action != "" {
		t.Errorf("bad entry: %s", asJSON(acl.Entries[2]))
	}
	wants := []struct {
		line int
		text string
	}{
		{6, "port range 443-22"},
		{8, "10.0.0.300/8"},
		{9, "bogus"},
		{14, "two ingress entries with rule number 100"},
		{15, "outside 1-32766"},
		{15, "neither allow nor deny"},
	}
	for _, w := range wants {
		found := false
		for _, e := range errs {
			if e.Level == model.LevelWarning && e.File == "plan.json" && e.Line == w.line && strings.Contains(e.Message, w.text) {
				found = true
			}
		}
		if !found {
			t.Errorf("no warning %q at line %d in %v", w.text, w.line, errs)
		}
	}
}

// TestGarbledPlans: a broken plan is one error naming the file (and line
// when the JSON says where), never a crash.
func TestGarbledPlans(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
	}{
		{"truncated", "{\"format_version\": \"1.1\",\n\"planned_values\": {\"root_module\": {", 2},
		{"wrong type", "{\"format_version\": \"1.1\",\n\"resource_changes\": 5}", 2},
		{"unsupported version", "{\n\"format_version\": \"2.0\", \"planned_values\": {}}", 2},
		{"bad version", "{\"format_version\": \"x\", \"planned_values\": {}}", 1},
		{"trailing data", "{\"format_version\": \"1.0\", \"planned_values\": {}}\n}", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := loader.Input{Path: "", Rel: "broken.json", Content: []byte(tt.text)}
			if !New().Detect(in) {
				t.Fatal("not detected")
			}
			units, errs := New().Load(context.Background(), in, loader.Options{})
			if len(units) != 0 || len(errs) != 1 || errs[0].Level != model.LevelError || errs[0].File != "broken.json" || errs[0].Line != tt.line {
				t.Errorf("units %d errors %+v, want one error at line %d", len(units), errs, tt.line)
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	units, errs := New().Load(ctx, loader.Input{Rel: "p.json", Content: []byte(`{"format_version":"1.0","planned_values":{}}`)}, loader.Options{})
	if len(units) != 0 || len(errs) != 1 {
		t.Errorf("units %d errors %v", len(units), errs)
	}
}

// TestVPCDefaults: references to a VPC's default group, ACL and route
// table reach the resources that adopt them.
func TestVPCDefaults(t *testing.T) {
	m, errs := loadText(t, "plan.json", `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "aws_vpc.main", "type": "aws_vpc", "name": "main",
     "change": {"actions": ["create"], "after": {"cidr_block": "10.0.0.0/16"}, "after_unknown": {"id": true, "default_security_group_id": true, "default_network_acl_id": true, "default_route_table_id": true}}},
    {"address": "aws_default_security_group.d", "type": "aws_default_security_group", "name": "d",
     "change": {"actions": ["create"], "after": {"ingress": [], "egress": []}, "after_unknown": {"id": true, "vpc_id": true}}},
    {"address": "aws_security_group_rule.r", "type": "aws_security_group_rule", "name": "r",
     "change": {"actions": ["create"], "after": {"type": "ingress", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]},
       "after_unknown": {"security_group_id": true}}},
    {"address": "aws_default_network_acl.d", "type": "aws_default_network_acl", "name": "d",
     "change": {"actions": ["create"], "after": {"ingress": [], "egress": []}, "after_unknown": {"id": true, "default_network_acl_id": true, "subnet_ids": true}}},
    {"address": "aws_network_acl_rule.n", "type": "aws_network_acl_rule", "name": "n",
     "change": {"actions": ["create"], "after": {"rule_number": 10, "egress": false, "protocol": "-1", "rule_action": "allow", "cidr_block": "0.0.0.0/0", "from_port": 0, "to_port": 0},
       "after_unknown": {"network_acl_id": true}}},
    {"address": "aws_default_route_table.d", "type": "aws_default_route_table", "name": "d",
     "change": {"actions": ["create"], "after": {"route": []}, "after_unknown": {"id": true, "default_route_table_id": true}}},
    {"address": "aws_vpc_endpoint.e", "type": "aws_vpc_endpoint", "name": "e",
     "change": {"actions": ["create"], "after": {"vpc_endpoint_type": "interface", "service_name": "com.amazonaws.us-east-1.sts", "subnet_ids": []},
       "after_unknown": {"security_group_ids": true, "vpc_id": true, "private_dns_enabled": true}}},
    {"address": "aws_vpc_endpoint_private_dns.e", "type": "aws_vpc_endpoint_private_dns", "name": "e",
     "change": {"actions": ["create"], "after": {"private_dns_enabled": true}, "after_unknown": {"vpc_endpoint_id": true}}}
  ],
  "configuration": {"root_module": {"resources": [
    {"address": "aws_default_security_group.d", "mode": "managed", "type": "aws_default_security_group", "name": "d",
     "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}},
    {"address": "aws_security_group_rule.r", "mode": "managed", "type": "aws_security_group_rule", "name": "r",
     "expressions": {"security_group_id": {"references": ["aws_vpc.main.default_security_group_id", "aws_vpc.main"]}}},
    {"address": "aws_default_network_acl.d", "mode": "managed", "type": "aws_default_network_acl", "name": "d",
     "expressions": {"default_network_acl_id": {"references": ["aws_vpc.main.default_network_acl_id", "aws_vpc.main"]}}},
    {"address": "aws_network_acl_rule.n", "mode": "managed", "type": "aws_network_acl_rule", "name": "n",
     "expressions": {"network_acl_id": {"references": ["aws_vpc.main.default_network_acl_id", "aws_vpc.main"]}}},
    {"address": "aws_default_route_table.d", "mode": "managed", "type": "aws_default_route_table", "name": "d",
     "expressions": {"default_route_table_id": {"references": ["aws_vpc.main.default_route_table_id", "aws_vpc.main"]}}},
    {"address": "aws_vpc_endpoint.e", "mode": "managed", "type": "aws_vpc_endpoint", "name": "e",
     "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]},
                     "security_group_ids": {"references": ["aws_vpc.main.default_security_group_id", "aws_vpc.main"]}}},
    {"address": "aws_vpc_endpoint_private_dns.e", "mode": "managed", "type": "aws_vpc_endpoint_private_dns", "name": "e",
     "expressions": {"vpc_endpoint_id": {"references": ["aws_vpc_endpoint.e.id", "aws_vpc_endpoint.e"]}}}
  ]}}
}`, loader.Options{})
	if len(errs) > 0 {
		t.Errorf("errors %v", errs)
	}
	if len(m.SecurityGroups) != 1 {
		t.Fatalf("groups %v", modeltest.Addresses(m))
	}
	d := m.SecurityGroups[0]
	if !d.IsDefault || d.Name != "default" || d.VPCID != "aws_vpc.main" || d.ID != "aws_default_security_group.d" || len(d.Ingress) != 1 || len(d.Egress) != 0 {
		t.Errorf("default group: %s", asJSON(d))
	}
	if len(m.NetworkACLs) != 1 {
		t.Fatalf("acls %v", modeltest.Addresses(m))
	}
	acl := m.NetworkACLs[0]
	if !acl.IsDefault || acl.VPCID != "aws_vpc.main" || len(acl.Entries) != 1 || acl.SubnetIDs == nil {
		t.Errorf("default acl: %s", asJSON(acl))
	}
	rt := m.RouteTables[0]
	if !rt.IsMain || rt.VPCID != "aws_vpc.main" {
		t.Errorf("default route table: %s", asJSON(rt))
	}
	e := findEndpoint(t, m, "aws_vpc_endpoint.e")
	if e.Type != model.EndpointInterface || asJSON(e.SecurityGroupIDs) != `["aws_default_security_group.d"]` {
		t.Errorf("endpoint: %s", asJSON(e))
	}
	if e.PrivateDNSEnabled == nil || !*e.PrivateDNSEnabled || slices.Contains(e.Unknown, "private_dns_enabled") || slices.Contains(e.Defaulted, "private_dns_enabled") {
		t.Errorf("private dns: %s", asJSON(e))
	}
}

// TestFixtureDirectory: in a directory of one-file scenarios (rule
// fixtures), a plan takes its source from the .tf named like it, never
// from another scenario.
func TestFixtureDirectory(t *testing.T) {
	dir := t.TempDir()
	sg := func(desc string) string {
		return "resource \"aws_security_group\" \"web\" {\n  description = \"" + desc + "\"\n}\n"
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pos_a.tf", sg("a"))
	write("pos_b.tf", "\n\n"+sg("b"))
	plan := `{"format_version": "1.2", "resource_changes": [
  {"address": "aws_security_group.web", "type": "aws_security_group", "name": "web",
   "change": {"actions": ["create"], "after": {"description": "b"}}}]}`
	write("pos_b.plan.json", plan)
	write("neg_c.plan.json", plan)
	for _, tt := range []struct {
		plan, file string
		line       int
	}{
		{"pos_b.plan.json", "pos_b.tf", 3},
		{"neg_c.plan.json", "neg_c.plan.json", 2},
	} {
		_, units, errs := loadFile(t, filepath.Join(dir, tt.plan), loader.Options{WorkDir: dir})
		if len(units) != 1 {
			t.Fatalf("%s: %v", tt.plan, errs)
		}
		g := units[0].SecurityGroups[0]
		if g.Source.File != tt.file || g.Source.StartLine != tt.line {
			t.Errorf("%s: source %+v, want %s:%d", tt.plan, g.Source, tt.file, tt.line)
		}
	}
}

// TestSuppressionComments: comments before a block, an attribute or a
// nested block of the source become suppressions covering its lines.
func TestSuppressionComments(t *testing.T) {
	dir := t.TempDir()
	tf := `# vpclint:ignore SG010 reason="legacy"
resource "aws_security_group" "g" {
  description = "g"
  ingress {
    protocol  = "tcp"
    from_port = 22
    to_port   = 22
    # vpclint:ignore SG001 until=2099-01-01
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`
	plan := `{"format_version": "1.2", "resource_changes": [
  {"address": "aws_security_group.g", "type": "aws_security_group", "name": "g",
   "change": {"actions": ["create"], "after": {"description": "g",
     "ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]}}}]}`
	for name, text := range map[string]string{"main.tf": tf, "plan.json": plan} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, units, errs := loadFile(t, filepath.Join(dir, "plan.json"), loader.Options{WorkDir: dir})
	if len(units) != 1 || len(errs) > 0 {
		t.Fatalf("errors %v", errs)
	}
	s := units[0].SecurityGroups[0].Suppressions
	if len(s) != 2 {
		t.Fatalf("suppressions %s", asJSON(s))
	}
	if s[0].Line != 1 || s[0].StartLine != 2 || s[0].EndLine != 11 || s[0].Reason != "legacy" || s[0].File != "main.tf" {
		t.Errorf("block suppression %s", asJSON(s[0]))
	}
	if s[1].Line != 8 || s[1].StartLine != 9 || s[1].EndLine != 9 || s[1].Until != "2099-01-01" {
		t.Errorf("attribute suppression %s", asJSON(s[1]))
	}
	if l := units[0].SecurityGroups[0].AttributeLines["ingress[0].cidr_blocks[0]"]; l != 9 {
		t.Errorf("cidr line %d", l)
	}
}

// TestInstalledModuleSource: a registry module that terraform init
// installed is found through .terraform/modules/modules.json.
func TestInstalledModuleSource(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf": "module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n",
		".terraform/modules/modules.json": `{"Modules":[{"Key":"","Source":"","Dir":"."},` +
			`{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Dir":".terraform/modules/vpc"}]}`,
		".terraform/modules/vpc/main.tf": "\nresource \"aws_vpc\" \"this\" {\n  count      = 1\n  cidr_block = \"10.0.0.0/16\"\n}\n",
		"plan.json": `{"format_version": "1.2", "resource_changes": [
  {"address": "module.vpc.aws_vpc.this[0]", "module_address": "module.vpc", "type": "aws_vpc", "name": "this", "index": 0,
   "change": {"actions": ["create"], "after": {"cidr_block": "10.0.0.0/16"}}}],
  "configuration": {"root_module": {"module_calls": {"vpc": {"source": "terraform-aws-modules/vpc/aws", "module": {
    "resources": [{"address": "aws_vpc.this", "mode": "managed", "type": "aws_vpc", "name": "this"}]}}}}}}`,
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, units, errs := loadFile(t, filepath.Join(dir, "plan.json"), loader.Options{WorkDir: dir})
	if len(units) != 1 {
		t.Fatalf("errors %v", errs)
	}
	v := units[0].VPCs[0]
	if v.Source.File != ".terraform/modules/vpc/main.tf" || v.Source.StartLine != 2 || v.AttributeLines["cidr_blocks"] != 4 || v.Source.Module != "module.vpc" {
		t.Errorf("vpc %s", asJSON(v))
	}
}

// TestState: `terraform show -json` of a state reads as known values.
func TestState(t *testing.T) {
	m, errs := loadText(t, "state.json", `{
  "format_version": "1.0",
  "terraform_version": "1.9.0",
  "values": {"root_module": {
    "resources": [
      {"address": "aws_security_group.g", "mode": "managed", "type": "aws_security_group", "name": "g",
       "values": {"id": "sg-1", "vpc_id": "vpc-1", "description": "g", "ingress": [], "egress": [
         {"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [], "self": false, "description": ""}]}},
      {"address": "data.aws_vpc.d", "mode": "data", "type": "aws_vpc", "name": "d", "values": {"id": "vpc-1"}}
    ],
    "child_modules": [{"address": "module.m", "resources": [
      {"address": "module.m.aws_security_group_rule.r", "mode": "managed", "type": "aws_security_group_rule", "name": "r",
       "values": {"id": "sgrule-1", "type": "ingress", "security_group_id": "sg-1", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"]}}]}]
  }}
}`, loader.Options{})
	if len(errs) > 0 {
		t.Errorf("errors %v", errs)
	}
	if len(m.SecurityGroups) != 1 || len(m.VPCs) != 0 {
		t.Fatalf("resources %v", modeltest.Addresses(m))
	}
	g := m.SecurityGroups[0]
	if g.ID != "sg-1" || g.VPCID != "vpc-1" || len(g.Egress) != 1 || g.Egress[0].Description != nil || len(g.Ingress) != 1 || g.Ingress[0].Address != "module.m.aws_security_group_rule.r" {
		t.Errorf("group %s", asJSON(g))
	}
	if g.Source.StartLine != 6 {
		t.Errorf("source %+v", g.Source)
	}
}

// TestModuleSourceStaysInWorkTree: a local module source leading out of
// the scan root (the git work tree) is not followed.
func TestModuleSourceStaysInWorkTree(t *testing.T) {
	base := t.TempDir()
	files := map[string]string{
		"repo/.git/HEAD":        "ref: refs/heads/main\n",
		"repo/env/main.tf":      "module \"in\" {\n  source = \"../modules/in\"\n}\nmodule \"out\" {\n  source = \"../../outside\"\n}\n",
		"repo/modules/in/sg.tf": "resource \"aws_security_group\" \"g\" {\n}\n",
		"outside/sg.tf":         "resource \"aws_security_group\" \"g\" {\n}\n",
		"repo/env/plan.json": `{"format_version": "1.2", "resource_changes": [
  {"address": "module.in.aws_security_group.g", "module_address": "module.in", "type": "aws_security_group", "name": "g",
   "change": {"actions": ["create"], "after": {"description": "in"}}},
  {"address": "module.out.aws_security_group.g", "module_address": "module.out", "type": "aws_security_group", "name": "g",
   "change": {"actions": ["create"], "after": {"description": "out"}}}]}`,
	}
	for name, text := range files {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root, err := loader.ScanRoot(filepath.Join(base, "repo", "env", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, units, errs := loadFile(t, filepath.Join(base, "repo", "env", "plan.json"), loader.Options{WorkDir: filepath.Join(base, "repo"), Root: root})
	if len(units) != 1 {
		t.Fatalf("errors %v", errs)
	}
	got := map[string]string{}
	for _, g := range units[0].SecurityGroups {
		got[g.Address] = g.Source.File
	}
	if got["module.in.aws_security_group.g"] != "modules/in/sg.tf" || got["module.out.aws_security_group.g"] != "env/plan.json" {
		t.Errorf("sources %v", got)
	}
}

// TestJSONSource: a plan of a .tf.json configuration (cdktf synth) points
// at the JSON source and resolves its references.
func TestJSONSource(t *testing.T) {
	dir := t.TempDir()
	src := `{
  "resource": {
    "aws_security_group": {
      "web": {
        "description": "web"
      }
    },
    "aws_security_group_rule": {
      "ssh": {
        "type": "ingress",
        "security_group_id": "${aws_security_group.web.id}",
        "protocol": "tcp",
        "from_port": 22,
        "to_port": 22,
        "cidr_blocks": ["0.0.0.0/0"]
      }
    }
  }
}
`
	plan := `{"format_version": "1.2", "resource_changes": [
  {"address": "aws_security_group.web", "type": "aws_security_group", "name": "web",
   "change": {"actions": ["create"], "after": {"description": "web"}, "after_unknown": {"id": true}}},
  {"address": "aws_security_group_rule.ssh", "type": "aws_security_group_rule", "name": "ssh",
   "change": {"actions": ["create"], "after": {"type": "ingress", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]},
     "after_unknown": {"security_group_id": true}}}]}`
	for name, text := range map[string]string{"cdk.tf.json": src, "plan.json": plan} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, units, errs := loadFile(t, filepath.Join(dir, "plan.json"), loader.Options{WorkDir: dir})
	if len(units) != 1 {
		t.Fatalf("errors %v", errs)
	}
	m := units[0]
	if len(m.SecurityGroups) != 1 {
		t.Fatalf("groups %v", modeltest.Addresses(m))
	}
	g := m.SecurityGroups[0]
	if g.Source.File != "cdk.tf.json" || g.Source.StartLine != 4 || len(g.Ingress) != 1 {
		t.Errorf("group %s", asJSON(g))
	}
	if r := g.Ingress[0]; r.Source == nil || r.Source.File != "cdk.tf.json" || r.Source.StartLine != 9 || g.AttributeLines["ingress[0].cidr_blocks"] != 15 {
		t.Errorf("rule %s lines %v", asJSON(r), g.AttributeLines)
	}
}
