package scan

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/benchgen"
	"github.com/vpclint/vpclint/model"
)

// TestHugePolicyBounded scans an endpoint whose policy has 5,000
// statements (650 KB: AWS allows 20,480 characters), written in
// Terraform and in CloudFormation. The policy is reported invalid
// (EP006), read only up to model.MaxPolicyStatements, and its content is
// not judged: no other endpoint-policy rule fires on it. (Before the
// Deny statements were summarized, such a policy took minutes.)
func TestHugePolicyBounded(t *testing.T) {
	policy := benchgen.PolicyStatements(5000)
	var doc any
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		t.Fatal(err)
	}
	yamlPolicy, _ := json.Marshal(doc) // JSON is YAML
	tests := map[string]map[string]string{
		"terraform": {"main.tf": `resource "aws_vpc_endpoint" "s3" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = ["rtb-0a1b2c3d4e5f60718"]
  policy            = <<POLICY
` + policy + `
POLICY
}
`},
		"cloudformation": {"template.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-0a1b2c3d4e5f60718
      ServiceName: com.amazonaws.eu-west-1.s3
      RouteTableIds: [rtb-0a1b2c3d4e5f60718]
      PolicyDocument: ` + string(yamlPolicy) + `
`},
	}
	for name, files := range tests {
		t.Run(name, func(t *testing.T) {
			dir := writeFiles(t, files)
			res, err := Run(context.Background(), Options{Paths: []string{dir}, KeepUnits: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Units) != 1 || len(res.Units[0].VPCEndpoints) != 1 {
				t.Fatalf("units %d, errors %v", len(res.Units), res.Errors)
			}
			p := res.Units[0].VPCEndpoints[0].Policy
			if p == nil || len(p.Statement) != model.MaxPolicyStatements || !p.Truncated {
				t.Fatalf("policy not read up to the bound: %+v", p)
			}
			var ep006 int
			for _, f := range res.Findings {
				switch {
				case f.RuleID == "EP006":
					ep006++
					if !strings.Contains(f.Message, "AWS allows at most 20480") || !strings.Contains(f.Message, "vpclint read the first 1000") {
						t.Errorf("EP006 message: %s", f.Message)
					}
				case strings.HasPrefix(f.RuleID, "EP"):
					t.Errorf("%s judged the content of a policy AWS rejects: %s", f.RuleID, f.Message)
				}
			}
			if ep006 != 1 {
				t.Errorf("%d EP006 findings, want 1", ep006)
			}
		})
	}
}
