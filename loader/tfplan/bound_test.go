package tfplan

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpclint/vpclint/loader"
)

// TestBoundAttributeOfPlannedResource: a computed attribute that stands
// for another resource (tfaws.BoundName) reads as the same placeholder
// the HCL loader gives it when the plan leaves it unknown, so both front
// ends see one prefix list (not a known one in HCL and an unknown one in
// the plan).
func TestBoundAttributeOfPlannedResource(t *testing.T) {
	const plan = `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "aws_vpc_endpoint.s3", "mode": "managed", "type": "aws_vpc_endpoint", "name": "s3",
     "change": {"actions": ["create"], "after": {"vpc_id": "vpc-1", "service_name": "com.amazonaws.eu-west-1.s3", "vpc_endpoint_type": "Gateway"},
                "after_unknown": {"id": true, "prefix_list_id": true, "policy": true}}},
    {"address": "aws_security_group.app", "mode": "managed", "type": "aws_security_group", "name": "app",
     "change": {"actions": ["create"], "after": {"vpc_id": "vpc-1", "description": "app", "ingress": [],
                "egress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": [], "ipv6_cidr_blocks": [], "security_groups": [], "self": false, "description": "s3"}]},
                "after_unknown": {"id": true, "egress": [{"prefix_list_ids": true}]}}}
  ],
  "configuration": {"root_module": {"resources": [
    {"address": "aws_vpc_endpoint.s3", "mode": "managed", "type": "aws_vpc_endpoint", "name": "s3",
     "expressions": {"vpc_id": {"constant_value": "vpc-1"}, "service_name": {"constant_value": "com.amazonaws.eu-west-1.s3"}}},
    {"address": "aws_security_group.app", "mode": "managed", "type": "aws_security_group", "name": "app",
     "expressions": {"vpc_id": {"constant_value": "vpc-1"}, "egress": [{"protocol": {"constant_value": "tcp"}, "from_port": {"constant_value": 443}, "to_port": {"constant_value": 443},
       "prefix_list_ids": {"references": ["aws_vpc_endpoint.s3.prefix_list_id", "aws_vpc_endpoint.s3"]}}]}}
  ]}}
}`
	const src = `resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.eu-west-1.s3"
}

resource "aws_security_group" "app" {
  vpc_id      = "vpc-1"
  description = "app"

  egress {
    description     = "s3"
    protocol        = "tcp"
    from_port       = 443
    to_port         = 443
    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]
  }
}
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plan.json"), []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	in := loader.Input{Path: filepath.Join(dir, "plan.json"), Rel: "plan.json", Content: []byte(plan)}
	units, errs := New().Load(context.Background(), in, loader.Options{WorkDir: dir, Root: dir})
	if len(units) != 1 {
		t.Fatalf("%d units, errors %v", len(units), errs)
	}
	m := units[0]
	for _, e := range errs {
		t.Log(e)
	}
	g := findGroup(t, m, "aws_security_group.app")
	if len(g.Egress) != 1 || asJSON(g.Egress[0].PrefixListIDs) != `["aws_vpc_endpoint.s3.prefix_list_id"]` {
		t.Errorf("egress = %s, unknown %v", asJSON(g.Egress), g.Unknown)
	}
}
