package evaluator

import (
	"context"
	"fmt"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// benchModel generates a model of n security groups and n interface
// endpoints spread over 100 VPCs, with every tenth group open to the
// internet.
func benchModel(n int) *model.Model {
	m := model.New("bench", model.FormatTerraform)
	for v := 0; v < 100; v++ {
		m.VPCs = append(m.VPCs, &model.VPC{
			Meta:             model.Meta{ID: fmt.Sprintf("vpc-%d", v), Address: fmt.Sprintf("aws_vpc.v%d", v), Type: "aws_vpc"},
			CIDRBlocks:       []string{fmt.Sprintf("10.%d.0.0/16", v)},
			IPv6CIDRBlocks:   []string{},
			EnableDNSSupport: model.Bool(true), EnableDNSHostnames: model.Bool(true),
		})
	}
	for i := 0; i < n; i++ {
		src := model.Source{Format: model.FormatTerraform, File: fmt.Sprintf("f%d.tf", i%50), StartLine: i, EndLine: i + 20}
		cidr := "10.0.0.0/8"
		if i%10 == 0 {
			cidr = "0.0.0.0/0"
		}
		sgAddr := fmt.Sprintf("aws_security_group.sg%d", i)
		m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{
			Meta: model.Meta{ID: sgAddr, Address: sgAddr, Type: "aws_security_group", Source: src,
				AttributeLines: map[string]int{"ingress[0]": i + 2, "ingress[0].cidr_blocks[0]": i + 3}},
			Name: fmt.Sprintf("sg%d", i), VPCID: fmt.Sprintf("vpc-%d", i%100), Description: model.String("bench group"),
			Ingress: []*model.SGRule{
				{Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22), CIDRBlocks: []string{cidr}, Description: model.String("ssh")},
				{Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443), CIDRBlocks: []string{"10.0.0.0/8"}, Description: model.String("https")},
			},
			Egress: []*model.SGRule{
				{Protocol: "all", FromPort: model.Int(0), ToPort: model.Int(0), CIDRBlocks: []string{"0.0.0.0/0"}},
			},
		})
		epAddr := fmt.Sprintf("aws_vpc_endpoint.ep%d", i)
		var pol *model.Policy
		if i%3 != 0 {
			pol, _ = model.ParsePolicy(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1234"}}}]}`)
		}
		m.VPCEndpoints = append(m.VPCEndpoints, &model.VPCEndpoint{
			Meta:  model.Meta{ID: epAddr, Address: epAddr, Type: "aws_vpc_endpoint", Source: src},
			VPCID: fmt.Sprintf("vpc-%d", i%100), Type: model.EndpointInterface,
			ServiceName: "com.amazonaws.eu-west-1.s3", Service: "s3",
			SubnetIDs: []string{"subnet-a", "subnet-b"}, SecurityGroupIDs: []string{sgAddr}, RouteTableIDs: []string{},
			PrivateDNSEnabled: model.Bool(true), Policy: pol,
		})
	}
	return m
}

// BenchmarkEvaluate measures one evaluation of the compiled built-in (and
// test) rules over 10,000 security groups and 10,000 endpoints, input
// conversion included.
func BenchmarkEvaluate(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, Options{RuleDirs: []string{"testdata/rules"}})
	if err != nil {
		b.Fatal(err)
	}
	m := benchModel(10000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		fs, err := e.Evaluate(ctx, m)
		if err != nil {
			b.Fatal(err)
		}
		if len(fs) == 0 {
			b.Fatal("no findings")
		}
	}
	b.ReportMetric(float64(len(e.Catalogue())), "rules")
}

// BenchmarkCompile measures compiling the built-in rules once.
func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		if _, err := New(ctx, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
