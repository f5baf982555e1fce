package terraform

import (
	"encoding/json"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// TestJSONMatchesNative loads configurations written both ways and
// compares the models, locations aside: a .tf.json file means what the
// .tf file it stands for means.
func TestJSONMatchesNative(t *testing.T) {
	tests := []struct {
		name       string
		native     string
		json       string
		wantErrors int
	}{
		{
			name: "locals, templates, count and nested blocks",
			native: `
variable "cidr" {
  type    = string
  default = "10.0.0.0/16"
}
locals {
  name  = "web"
  ports = [22, 443]
}
resource "aws_vpc" "main" {
  cidr_block = var.cidr
}
resource "aws_security_group" "web" {
  count       = 2
  name        = "${local.name}-${count.index}"
  description = "web ${count.index}"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port   = local.ports[count.index]
    to_port     = local.ports[count.index]
    protocol    = "tcp"
    cidr_blocks = [cidrsubnet(var.cidr, 8, count.index)]
    description = "in"
  }
}`,
			json: `{
  "//": "a comment",
  "variable": {"cidr": {"type": "string", "default": "10.0.0.0/16"}},
  "locals": {"name": "web", "ports": [22, 443]},
  "resource": {
    "aws_vpc": {"main": {"cidr_block": "${var.cidr}"}},
    "aws_security_group": {"web": {
      "count": 2,
      "name": "${local.name}-${count.index}",
      "description": "web ${count.index}",
      "vpc_id": "${aws_vpc.main.id}",
      "ingress": [{
        "from_port": "${local.ports[count.index]}",
        "to_port": "${local.ports[count.index]}",
        "protocol": "tcp",
        "cidr_blocks": ["${cidrsubnet(var.cidr, 8, count.index)}"],
        "description": "in"
      }]
    }}
  }
}`,
		},
		{
			name: "for_each over an object with template keys, and a literal default",
			native: `
variable "suffix" {
  default = "$${not a template}"
}
locals {
  groups = { a = "10.1.0.0/16", b = "10.2.0.0/16" }
}
resource "aws_security_group" "g" {
  for_each    = local.groups
  name        = "g-${each.key}"
  description = var.suffix
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [each.value]
    description = "out"
  }
}`,
			json: `{
  "variable": {"suffix": {"default": "${not a template}"}},
  "locals": {"groups": {"a": "10.1.0.0/16", "${\"b\"}": "10.2.0.0/16"}},
  "resource": {"aws_security_group": {"g": {
    "for_each": "${local.groups}",
    "name": "g-${each.key}",
    "description": "${var.suffix}",
    "egress": {"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["${each.value}"], "description": "out"}
  }}}
}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			native, nerrs := loadSource(t, map[string]string{"main.tf": tt.native}, loader.Options{})
			fromJSON, jerrs := loadSource(t, map[string]string{"main.tf.json": tt.json}, loader.Options{})
			if len(nerrs) != 0 || len(jerrs) != 0 {
				t.Fatalf("errors: native %v, JSON %v", nerrs, jerrs)
			}
			if a, b := withoutLocations(t, native), withoutLocations(t, fromJSON); a != b {
				t.Errorf("models differ\nnative: %s\nJSON:   %s", a, b)
			}
			if len(fromJSON.SecurityGroups) == 0 {
				t.Fatal("no security group read")
			}
			for _, g := range fromJSON.SecurityGroups {
				if g.Source.StartLine <= 1 {
					t.Errorf("%s: starts on line %d, want its own line", g.Address, g.Source.StartLine)
				}
			}
		})
	}
}

// withoutLocations is a model as JSON without its files and lines.
func withoutLocations(t *testing.T, m *model.Model) string {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	var strip func(any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range []string{"file", "line", "start_line", "end_line", "attribute_lines", "attribute_files"} {
				delete(x, k)
			}
			for _, c := range x {
				strip(c)
			}
		case []any:
			for _, c := range x {
				strip(c)
			}
		}
	}
	strip(v)
	out, _ := json.Marshal(v)
	return string(out)
}
