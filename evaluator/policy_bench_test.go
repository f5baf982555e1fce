package evaluator

import (
	"context"
	"fmt"
	"testing"

	"github.com/vpclint/vpclint/analysis"
	"github.com/vpclint/vpclint/internal/benchgen"
	"github.com/vpclint/vpclint/model"
)

// policyModel is one interface endpoint carrying policy, in a VPC of
// its own.
func policyModel(policy string) (*model.Model, error) {
	m := model.New("policy", model.FormatTerraform)
	m.VPCs = append(m.VPCs, &model.VPC{Meta: model.Meta{ID: "vpc-1", Address: "aws_vpc.main", Type: "aws_vpc"}, CIDRBlocks: []string{"10.0.0.0/16"}})
	ep := &model.VPCEndpoint{
		Meta:  model.Meta{ID: "aws_vpc_endpoint.s3", Address: "aws_vpc_endpoint.s3", Type: "aws_vpc_endpoint"},
		VPCID: "vpc-1", Type: model.EndpointInterface, ServiceName: "com.amazonaws.eu-west-1.s3", Service: "s3",
	}
	p, err := model.ParsePolicy(policy)
	if err != nil {
		return nil, err
	}
	ep.Policy = p
	m.VPCEndpoints = append(m.VPCEndpoints, ep)
	return m, nil
}

// BenchmarkPolicy analyses one endpoint policy (parsing and
// normalization, the facts, and every rule) of varied statements
// (benchgen.PolicyStatements: allows with and without an organization
// condition or named resources, perimeter and unconditional denies):
//
//   - 1000, 10000: policies of 1,000 and 10,000 statements, over AWS's
//     limit of 20,480 characters (EP006): read up to
//     model.MaxPolicyStatements, content not judged;
//   - largest-valid: the longest such policy within the limit, judged;
//   - content-1000: 1,000 statements judged (the length recorded as within
//     the limit), the most the content rules can be given: their cost per
//     statement, which must not grow with the number of statements (every
//     Allow is checked against a summary of the Deny statements, not
//     against each).
func BenchmarkPolicy(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	largest, n := benchgen.PolicyWithin(model.MaxPolicyLength)
	cases := []struct {
		name     string
		text     string
		judgeAll bool
	}{
		{"1000", benchgen.PolicyStatements(1000), false},
		{"10000", benchgen.PolicyStatements(10000), false},
		{fmt.Sprintf("largest-valid-%d", n), largest, false},
		{"content-100", benchgen.PolicyStatements(100), true},
		{"content-1000", benchgen.PolicyStatements(1000), true},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			var findings []model.Finding
			cpu0 := cpuTime()
			for b.Loop() {
				m, err := policyModel(tc.text)
				if err != nil {
					b.Fatal(err)
				}
				if tc.judgeAll {
					m.VPCEndpoints[0].Policy.Length = model.MaxPolicyLength
				}
				analysis.Analyze(m)
				if findings, err = e.Evaluate(ctx, m); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e9, "cpu-s/op")
			b.ReportMetric(float64(len(tc.text)), "chars")
			b.ReportMetric(float64(len(findings)), "findings")
		})
	}
}
