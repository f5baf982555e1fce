package evaluator

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/vpclint/vpclint/analysis"
	"github.com/vpclint/vpclint/model"
)

// benchServices are the interface endpoint services of each VPC.
var benchServices = []string{
	"ec2", "ec2messages", "ssm", "ssmmessages", "kms", "logs", "monitoring", "sts", "secretsmanager", "ecr.api",
	"ecr.dkr", "ecs", "ecs-agent", "ecs-telemetry", "elasticloadbalancing", "autoscaling", "sns", "sqs", "events", "lambda",
	"states", "execute-api", "kinesis-streams", "firehose", "glue", "athena", "rds", "elasticache", "cloudformation", "codebuild",
	"codecommit", "codepipeline", "git-codecommit", "config", "ebs", "servicecatalog", "sagemaker.api", "xray", "ssm-contacts", "application-autoscaling",
}

// benchPolicies are the endpoint policies of the generated model, from the
// usual data perimeter to the patterns the EP rules report.
var benchPolicies = []string{
	// organization perimeter on identities and resources: no finding
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1234567890","aws:ResourceOrgID":"o-1234567890"}}}]}`,
	// full access (EP002)
	`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`,
	// allow everything, then a perimeter Deny
	`{"Statement":[{"Sid":"All","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Sid":"Perimeter","Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-1234567890","aws:ResourceOrgID":"o-1234567890"},"Bool":{"aws:PrincipalIsAWSService":"false"}}}]}`,
	// Deny only: lets nothing through
	`{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}`,
	// read-only on named resources, with wildcard and foreign actions
	`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["s3:GetObject","ec2:Describe*","kms:*"],"Resource":["arn:aws:s3:::bucket/*"]}]}`,
	// NotAction and an untrusted account
	`{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::999999999999:root"]},"NotAction":"iam:*","Resource":"*"}]}`,
}

// benchModel generates a large, varied inventory: n security groups and n
// interface endpoints spread over n/40 VPCs. Each VPC has two subnets in
// two AZs (the second with a custom network ACL whose entries include an
// SSH allow from the internet, a deny shadowed by an allow and an
// ephemeral range), a default ACL, a default group, one interface endpoint
// per service, an S3 gateway endpoint and a flow log. Odd groups are
// workload groups: every tenth one open to the internet on SSH and every
// 25th on all ports over IPv6. Even groups are endpoint groups, shared by
// two endpoints: HTTPS from the VPC, every tenth also from the internet
// and every 15th also on another port. Some rules lack a description;
// endpoints cycle through benchPolicies and no policy, some without
// private DNS, and every 100th duplicates its neighbour's private DNS
// name.
func benchModel(n int) *model.Model {
	m := model.New("bench", model.FormatTerraform)
	vpcs := max(1, n/len(benchServices))
	ints := func(a, b int) (*int, *int) { return model.Int(a), model.Int(b) }
	for v := 0; v < vpcs; v++ {
		vpcID := fmt.Sprintf("aws_vpc.v%d", v)
		m.VPCs = append(m.VPCs, &model.VPC{
			Meta:             model.Meta{ID: vpcID, Address: vpcID, Type: "aws_vpc", Tags: map[string]string{"Name": vpcID}},
			CIDRBlocks:       []string{fmt.Sprintf("10.%d.%d.0/24", v/256, v%256)},
			IPv6CIDRBlocks:   []string{},
			EnableDNSSupport: model.Bool(true), EnableDNSHostnames: model.Bool(v%50 != 7),
		})
		for j, az := range []string{"a", "b"} {
			id := fmt.Sprintf("aws_subnet.v%d%s", v, az)
			m.Subnets = append(m.Subnets, &model.Subnet{Meta: model.Meta{ID: id, Address: id, Type: "aws_subnet"},
				VPCID: vpcID, AvailabilityZone: "eu-west-1" + az, CIDRBlock: fmt.Sprintf("10.%d.%d.%d/25", v/256, v%256, 128*j)})
		}
		dacl := fmt.Sprintf("aws_default_network_acl.v%d", v)
		m.NetworkACLs = append(m.NetworkACLs, &model.NetworkACL{Meta: model.Meta{ID: dacl, Address: dacl, Type: "aws_default_network_acl"},
			VPCID: vpcID, IsDefault: true, SubnetIDs: []string{}, Entries: []*model.NACLEntry{
				{RuleNumber: model.Int(100), Protocol: "-1", Action: "allow", CIDRBlock: "0.0.0.0/0", FromPort: model.Int(0), ToPort: model.Int(0)},
				{RuleNumber: model.Int(100), Egress: true, Protocol: "-1", Action: "allow", CIDRBlock: "0.0.0.0/0", FromPort: model.Int(0), ToPort: model.Int(0)},
			}})
		acl := fmt.Sprintf("aws_network_acl.v%d", v)
		entry := func(num int, egress bool, proto, action, cidr string, from, to int) *model.NACLEntry {
			f, t := ints(from, to)
			return &model.NACLEntry{RuleNumber: model.Int(num), Egress: egress, Protocol: proto, Action: action, CIDRBlock: cidr, FromPort: f, ToPort: t}
		}
		m.NetworkACLs = append(m.NetworkACLs, &model.NetworkACL{Meta: model.Meta{ID: acl, Address: acl, Type: "aws_network_acl"},
			VPCID: vpcID, SubnetIDs: []string{fmt.Sprintf("aws_subnet.v%db", v)}, Entries: []*model.NACLEntry{
				entry(100, false, "tcp", "allow", "10.0.0.0/8", 443, 443),
				entry(110, false, "tcp", "allow", "0.0.0.0/0", 22, 22),
				entry(120, false, "tcp", "allow", "0.0.0.0/0", 1024, 65535),
				entry(130, false, "tcp", "deny", "0.0.0.0/0", 2000, 2100),
				entry(100, true, "tcp", "allow", "10.0.0.0/8", 1024, 65535),
				entry(110, true, "tcp", "allow", "0.0.0.0/0", 443, 443),
			}})
		def := fmt.Sprintf("aws_default_security_group.v%d", v)
		m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{
			Meta: model.Meta{ID: def, Address: def, Type: "aws_default_security_group"}, VPCID: vpcID, IsDefault: true,
			Ingress: []*model.SGRule{{Protocol: "-1", FromPort: model.Int(0), ToPort: model.Int(0), Self: true}},
			Egress:  []*model.SGRule{{Protocol: "-1", FromPort: model.Int(0), ToPort: model.Int(0), CIDRBlocks: []string{"0.0.0.0/0"}}},
		})
		rt := fmt.Sprintf("aws_route_table.v%d", v)
		m.RouteTables = append(m.RouteTables, &model.RouteTable{Meta: model.Meta{ID: rt, Address: rt, Type: "aws_route_table"}, VPCID: vpcID, SubnetIDs: []string{}, Routes: []*model.Route{}})
		gw := fmt.Sprintf("aws_vpc_endpoint.s3_v%d", v)
		m.VPCEndpoints = append(m.VPCEndpoints, &model.VPCEndpoint{Meta: model.Meta{ID: gw, Address: gw, Type: "aws_vpc_endpoint"},
			VPCID: vpcID, Type: model.EndpointGateway, ServiceName: "com.amazonaws.eu-west-1.s3", Service: "s3",
			SubnetIDs: []string{}, SecurityGroupIDs: []string{}, RouteTableIDs: []string{rt}})
		if v%10 != 3 {
			fl := fmt.Sprintf("aws_flow_log.v%d", v)
			m.FlowLogs = append(m.FlowLogs, &model.FlowLog{Meta: model.Meta{ID: fl, Address: fl, Type: "aws_flow_log"}, ResourceID: vpcID, ResourceType: "VPC", TrafficType: "ALL"})
		}
	}
	policies := make([]*model.Policy, len(benchPolicies))
	for i, s := range benchPolicies {
		p, err := model.ParsePolicy(s)
		if err != nil {
			panic(err)
		}
		policies[i] = p
	}
	for i := 0; i < n; i++ {
		v := i / len(benchServices) % vpcs
		vpcID := fmt.Sprintf("aws_vpc.v%d", v)
		svc := benchServices[i%len(benchServices)]
		src := model.Source{Format: model.FormatTerraform, File: fmt.Sprintf("vpc%d.tf", v), StartLine: i % 1000, EndLine: i%1000 + 20}
		cidr := "10.0.0.0/8"
		if i%10 == 1 {
			cidr = "0.0.0.0/0"
		}
		desc := model.String("https")
		if i%7 == 0 {
			desc = nil
		}
		sgAddr := fmt.Sprintf("aws_security_group.sg%d", i)
		sg := &model.SecurityGroup{
			Meta: model.Meta{ID: sgAddr, Address: sgAddr, Type: "aws_security_group", Source: src,
				AttributeLines: map[string]int{"ingress[0]": i%1000 + 2, "ingress[0].cidr_blocks[0]": i%1000 + 3}},
			Name: fmt.Sprintf("sg%d", i), VPCID: vpcID, Description: model.String("bench group"),
			Ingress: []*model.SGRule{
				{Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22), CIDRBlocks: []string{cidr}, Description: model.String("ssh")},
				{Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443), CIDRBlocks: []string{"10.0.0.0/8", "192.168.0.0/16"}, Description: desc},
				{Protocol: "tcp", FromPort: model.Int(8080), ToPort: model.Int(8090), SecurityGroupIDs: []string{fmt.Sprintf("aws_security_group.sg%d", (i+1)%n)}, Description: model.String("app")},
			},
			Egress: []*model.SGRule{
				{Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443), CIDRBlocks: []string{"10.0.0.0/8"}, Description: model.String("https")},
			},
		}
		if i%25 == 0 {
			sg.Ingress = append(sg.Ingress, &model.SGRule{Protocol: "-1", FromPort: model.Int(0), ToPort: model.Int(0), IPv6CIDRBlocks: []string{"::/0"}, Description: model.String("all")})
			sg.Egress = append(sg.Egress, &model.SGRule{Protocol: "-1", FromPort: model.Int(0), ToPort: model.Int(0), CIDRBlocks: []string{"0.0.0.0/0"}})
		}
		if i%13 == 0 {
			sg.Description = nil
			sg.Ingress = append(sg.Ingress, &model.SGRule{Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443), CIDRBlocks: []string{"10.1.0.0/16"}, Description: model.String("covered")})
		}
		if i%2 == 0 {
			// Even groups belong to the endpoints (two each): HTTPS from
			// the VPC, and on a few of them from the internet or a port
			// beyond HTTPS.
			sg.Ingress = []*model.SGRule{{Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443), CIDRBlocks: []string{"10.0.0.0/8"}, Description: desc}}
			switch {
			case i%20 == 0:
				sg.Ingress = append(sg.Ingress, &model.SGRule{Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443), CIDRBlocks: []string{"0.0.0.0/0"}, Description: model.String("public")})
			case i%30 == 2:
				sg.Ingress = append(sg.Ingress, &model.SGRule{Protocol: "tcp", FromPort: model.Int(8080), ToPort: model.Int(8080), CIDRBlocks: []string{"10.0.0.0/8"}, Description: model.String("proxy")})
			}
		}
		m.SecurityGroups = append(m.SecurityGroups, sg)
		epAddr := fmt.Sprintf("aws_vpc_endpoint.ep%d", i)
		var pol *model.Policy
		if k := i % (len(policies) + 2); k < len(policies) {
			pol = policies[k]
		}
		dns := model.Bool(i%11 != 5)
		if i%100 == 99 {
			// the same service as the previous endpoint, in the same VPC
			svc = benchServices[(i-1)%len(benchServices)]
			dns = model.Bool(true)
		}
		m.VPCEndpoints = append(m.VPCEndpoints, &model.VPCEndpoint{
			Meta:  model.Meta{ID: epAddr, Address: epAddr, Type: "aws_vpc_endpoint", Source: src, Tags: map[string]string{"Name": epAddr}},
			VPCID: vpcID, Type: model.EndpointInterface,
			ServiceName: "com.amazonaws.eu-west-1." + svc, Service: svc,
			SubnetIDs:        []string{fmt.Sprintf("aws_subnet.v%da", v), fmt.Sprintf("aws_subnet.v%db", v)},
			SecurityGroupIDs: []string{fmt.Sprintf("aws_security_group.sg%d", i-i%2)}, RouteTableIDs: []string{},
			PrivateDNSEnabled: dns, Policy: pol,
		})
	}
	return m
}

// BenchmarkEvaluate measures one evaluation of the compiled built-in (and
// test) rules over 10,000 security groups and 10,000 interface endpoints
// in 250 VPCs (benchModel), input conversion included. The facts of
// package analysis are computed once beforehand, as scan does, so the
// rules that read input.facts do their real work; BenchmarkAnalyze times
// the analysis itself. The 5000 case is 10,000 resources in total.
func BenchmarkEvaluate(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, Options{RuleDirs: []string{"testdata/rules"}})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10000, 5000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := benchModel(n)
			analysis.Analyze(m)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			var found int
			for b.Loop() {
				fs, err := e.Evaluate(ctx, m)
				if err != nil {
					b.Fatal(err)
				}
				if len(fs) == 0 {
					b.Fatal("no findings")
				}
				found = len(fs)
			}
			// CPU time per evaluation (all threads, GC included) does not
			// grow when other processes load the machine, unlike ns/op.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e9, "cpu-s/op")
			b.ReportMetric(float64(len(e.Catalogue())), "rules")
			b.ReportMetric(float64(found), "findings")
		})
	}
}

// BenchmarkAnalyze measures package analysis over the model of
// BenchmarkEvaluate (scan runs it once per model before evaluation).
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{10000, 5000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := benchModel(n)
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				analysis.Analyze(m)
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e9, "cpu-s/op")
		})
	}
}

// BenchmarkCompile measures reading and compiling the built-in rules
// once (New, then the compilation the first evaluation starts).
func BenchmarkCompile(b *testing.B) {
	ctx := context.Background()
	cpu0 := cpuTime()
	for b.Loop() {
		e, err := New(ctx, Options{})
		if err != nil {
			b.Fatal(err)
		}
		mustProgram(b, e)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e9, "cpu-s/op")
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
	m := benchModel(10000)
	analysis.Analyze(m)
	in, err := InputValue(m)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range e.Catalogue() {
		name := strings.TrimPrefix(r.Package, rulesPrefix)
		pq, err := rego.New(rego.Query(cachePrelude+"data."+r.Package+".deny"), rego.Compiler(mustProgram(b, e).compiler), rego.Store(e.store)).PrepareForEval(ctx)
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
