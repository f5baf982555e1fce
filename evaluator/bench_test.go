package evaluator

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/vpclint/vpclint/model"
)

// benchServices are the interface endpoint services of each VPC.
var benchServices = []string{
	"ec2", "ec2messages", "ssm", "ssmmessages", "kms", "logs", "monitoring", "sts", "secretsmanager", "ecr.api",
	"ecr.dkr", "ecs", "ecs-agent", "ecs-telemetry", "elasticloadbalancing", "autoscaling", "sns", "sqs", "events", "lambda",
	"states", "execute-api", "kinesis-streams", "firehose", "glue", "athena", "rds", "elasticache", "cloudformation", "codebuild",
	"codecommit", "codepipeline", "git-codecommit", "config", "ebs", "servicecatalog", "sagemaker.api", "xray", "ssm-contacts", "application-autoscaling",
}

// benchModel generates a realistic large inventory: n security groups and
// n interface endpoints spread over n/40 VPCs, each VPC with two subnets in
// two AZs, one endpoint per service, an S3 gateway endpoint and a flow
// log; every tenth group is open to the internet on SSH and every third
// endpoint has no policy.
func benchModel(n int) *model.Model {
	m := model.New("bench", model.FormatTerraform)
	vpcs := max(1, n/len(benchServices))
	for v := 0; v < vpcs; v++ {
		vpcID := fmt.Sprintf("aws_vpc.v%d", v)
		m.VPCs = append(m.VPCs, &model.VPC{
			Meta:             model.Meta{ID: vpcID, Address: vpcID, Type: "aws_vpc", Tags: map[string]string{"Name": vpcID}},
			CIDRBlocks:       []string{fmt.Sprintf("10.%d.%d.0/24", v/256, v%256)},
			IPv6CIDRBlocks:   []string{},
			EnableDNSSupport: model.Bool(true), EnableDNSHostnames: model.Bool(true),
		})
		for _, az := range []string{"a", "b"} {
			id := fmt.Sprintf("aws_subnet.v%d%s", v, az)
			m.Subnets = append(m.Subnets, &model.Subnet{Meta: model.Meta{ID: id, Address: id, Type: "aws_subnet"},
				VPCID: vpcID, AvailabilityZone: "eu-west-1" + az, CIDRBlock: fmt.Sprintf("10.%d.%d.0/25", v/256, v%256)})
		}
		rt := fmt.Sprintf("aws_route_table.v%d", v)
		m.RouteTables = append(m.RouteTables, &model.RouteTable{Meta: model.Meta{ID: rt, Address: rt, Type: "aws_route_table"}, VPCID: vpcID, SubnetIDs: []string{}, Routes: []*model.Route{}})
		gw := fmt.Sprintf("aws_vpc_endpoint.s3_v%d", v)
		m.VPCEndpoints = append(m.VPCEndpoints, &model.VPCEndpoint{Meta: model.Meta{ID: gw, Address: gw, Type: "aws_vpc_endpoint"},
			VPCID: vpcID, Type: model.EndpointGateway, ServiceName: "com.amazonaws.eu-west-1.s3", Service: "s3",
			SubnetIDs: []string{}, SecurityGroupIDs: []string{}, RouteTableIDs: []string{rt}})
		fl := fmt.Sprintf("aws_flow_log.v%d", v)
		m.FlowLogs = append(m.FlowLogs, &model.FlowLog{Meta: model.Meta{ID: fl, Address: fl, Type: "aws_flow_log"}, ResourceID: vpcID, ResourceType: "VPC", TrafficType: "ALL"})
	}
	policy, _ := model.ParsePolicy(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1234567890","aws:ResourceOrgID":"o-1234567890"}}}]}`)
	for i := 0; i < n; i++ {
		v := i / len(benchServices) % vpcs
		vpcID := fmt.Sprintf("aws_vpc.v%d", v)
		svc := benchServices[i%len(benchServices)]
		src := model.Source{Format: model.FormatTerraform, File: fmt.Sprintf("vpc%d.tf", v), StartLine: i % 1000, EndLine: i%1000 + 20}
		cidr := "10.0.0.0/8"
		if i%10 == 0 {
			cidr = "0.0.0.0/0"
		}
		sgAddr := fmt.Sprintf("aws_security_group.sg%d", i)
		m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{
			Meta: model.Meta{ID: sgAddr, Address: sgAddr, Type: "aws_security_group", Source: src,
				AttributeLines: map[string]int{"ingress[0]": i%1000 + 2, "ingress[0].cidr_blocks[0]": i%1000 + 3}},
			Name: fmt.Sprintf("sg%d", i), VPCID: vpcID, Description: model.String("bench group"),
			Ingress: []*model.SGRule{
				{Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22), CIDRBlocks: []string{cidr}, Description: model.String("ssh")},
				{Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443), CIDRBlocks: []string{"10.0.0.0/8"}, Description: model.String("https")},
			},
			Egress: []*model.SGRule{
				{Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443), CIDRBlocks: []string{"10.0.0.0/8"}, Description: model.String("https")},
			},
		})
		epAddr := fmt.Sprintf("aws_vpc_endpoint.ep%d", i)
		var pol *model.Policy
		if i%3 != 0 {
			pol = policy
		}
		m.VPCEndpoints = append(m.VPCEndpoints, &model.VPCEndpoint{
			Meta:  model.Meta{ID: epAddr, Address: epAddr, Type: "aws_vpc_endpoint", Source: src},
			VPCID: vpcID, Type: model.EndpointInterface,
			ServiceName: "com.amazonaws.eu-west-1." + svc, Service: svc,
			SubnetIDs:        []string{fmt.Sprintf("aws_subnet.v%da", v), fmt.Sprintf("aws_subnet.v%db", v)},
			SecurityGroupIDs: []string{sgAddr}, RouteTableIDs: []string{},
			PrivateDNSEnabled: model.Bool(true), Policy: pol,
		})
	}
	return m
}

// BenchmarkEvaluate measures one evaluation of the compiled built-in (and
// test) rules over 10,000 security groups and 10,000 interface endpoints
// in 250 VPCs, input conversion included.
func BenchmarkEvaluate(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, Options{RuleDirs: []string{"testdata/rules"}})
	if err != nil {
		b.Fatal(err)
	}
	m := benchModel(10000)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		fs, err := e.Evaluate(ctx, m)
		if err != nil {
			b.Fatal(err)
		}
		if len(fs) == 0 {
			b.Fatal("no findings")
		}
	}
	// CPU time per evaluation (all threads, GC included) does not grow
	// when other processes load the machine, unlike ns/op.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e9, "cpu-s/op")
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

// cpuTime is the process's user and system CPU time, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkRules measures each built-in rule alone over the same model,
// to find the rule that makes BenchmarkEvaluate slow:
//
//	go test ./evaluator -run '^$' -bench 'Rules/ep_' -benchtime 3x
//
// A rule alone does not share the library documents the others compute,
// so the figures do not add up to BenchmarkEvaluate's.
func BenchmarkRules(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	in, err := InputValue(benchModel(10000))
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range e.Catalogue() {
		name := strings.TrimPrefix(r.Package, rulesPrefix)
		pq, err := rego.New(rego.Query("data."+r.Package+".deny"), rego.Compiler(e.compiler), rego.Store(e.store)).PrepareForEval(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := pq.Eval(ctx, rego.EvalParsedInput(in)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e9, "cpu-s/op")
		})
	}
}
