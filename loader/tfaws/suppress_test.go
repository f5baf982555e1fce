package tfaws

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestSuppressions: a comment above an attribute or nested block names
// the model path the adapter reads it into, so both Terraform front
// ends give the same suppression (and the same unused-suppression
// finding) for one comment.
func TestSuppressions(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // "line attribute"
	}{
		{"resource and renamed attribute", `
# vpclint:ignore EP001 reason="owned elsewhere"
resource "aws_vpc_endpoint" "x" {
  # vpclint:ignore EP006 reason="gateway endpoint"
  vpc_endpoint_type = "Gateway"
}`, []string{"2 ", "4 type"}},
		{"ACL egress after every ingress", `
resource "aws_network_acl" "a" {
  egress {
    # vpclint:ignore NACL004 reason="return traffic"
    rule_no = 100
  }
  ingress {
    rule_no = 100
  }
  ingress {
    rule_no = 200
  }
}`, []string{"4 entries[2].rule_number"}},
		{"route block", `
resource "aws_route_table" "r" {
  # vpclint:ignore GW002 reason="inspected"
  route {
    cidr_block = "0.0.0.0/0"
  }
}`, []string{"3 routes[0]"}},
		{"dynamic template covers its lines only", `
resource "aws_security_group" "g" {
  # vpclint:ignore SG001 reason="bastion"
  dynamic "ingress" {
    for_each = var.rules
    content {}
  }
}`, []string{"3 "}},
		{"comment within the block", `
resource "aws_security_group" "g" {
  description = "web" # vpclint:ignore SG009 reason="legacy"
}`, []string{"3 "}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, diags := hclsyntax.ParseConfig([]byte(tt.src), "main.tf", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			blk := f.Body.(*hclsyntax.Body).Blocks[0]
			got, errs := Suppressions("main.tf", strings.Split(tt.src, "\n"), blk.Labels[0], blk.Range(), blk.Body)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			var lines []string
			for _, s := range got {
				lines = append(lines, fmt.Sprintf("%d %s", s.Line, s.Attribute))
			}
			if strings.Join(lines, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", lines, tt.want)
			}
			// A .tf.json block (no syntax body) keeps the comments above
			// and within only.
			whole, _ := Suppressions("main.tf", strings.Split(tt.src, "\n"), blk.Labels[0], blk.Range(), nil)
			for _, s := range whole {
				if s.Attribute != "" {
					t.Errorf("without a body: attribute %q", s.Attribute)
				}
			}
		})
	}
}
