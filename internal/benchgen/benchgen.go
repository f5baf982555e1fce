// Package benchgen generates the large inputs of vpclint's scaling
// benchmark (scripts/benchscale, make bench) and of the Go benchmarks of
// each pipeline stage: one Terraform root module or one CloudFormation
// template holding N security groups with two or three inline rules (one
// in ten open to the internet on SSH, one in ten on all ports), N/2
// interface endpoints spread over two subnets in two AZs (half of them
// with an inline policy, of a few shapes, from an organization perimeter
// to full access), and the VPCs, subnets and network ACLs they live in.
//
// Both formats describe the same infrastructure, so the timings of the two
// front ends compare, and so do those of peers scanning the same files.
// The output is deterministic: the same N gives the same bytes.
package benchgen

import (
	"fmt"
	"strings"
)

// services are the endpoint services the generated endpoints cycle
// through: real interface services, so the service data applies.
var services = []string{
	"ec2", "ec2messages", "ssm", "ssmmessages", "kms", "logs", "monitoring",
	"sts", "secretsmanager", "ecr.api", "ecr.dkr", "sqs", "sns", "lambda",
	"events", "elasticloadbalancing", "autoscaling", "ecs", "ecs-agent",
	"ecs-telemetry", "execute-api", "kinesis-streams", "glue", "athena",
	"states", "codebuild", "codecommit", "codepipeline", "cloudformation",
	"config", "rds", "elasticfilesystem", "servicecatalog", "sagemaker.api",
	"sagemaker.runtime", "xray", "ebs", "backup", "appconfig", "ssm-contacts",
}

// Sizes are the sizes the scaling benchmark runs by default.
var Sizes = []int{100, 1000, 5000, 20000}

// layout is what both formats generate for a given N.
type layout struct {
	groups, endpoints, vpcs int
}

func newLayout(n int) layout {
	eps := n / 2
	// one endpoint per service and VPC: no VPC has two endpoints for the
	// same service (as in a real account), so VPCs grow with endpoints.
	vpcs := max(1, (eps+len(services)-1)/len(services))
	return layout{groups: n, endpoints: eps, vpcs: vpcs}
}

// Resources is the number of resources the generated input holds for n
// (groups, endpoints, VPCs, two subnets and one network ACL per VPC).
func Resources(n int) int {
	l := newLayout(n)
	return l.groups + l.endpoints + 4*l.vpcs
}

// groupKind says how security group i is open: "ssh" to the internet,
// "all" ports to the internet, or "" (its VPC only).
func groupKind(i int) string {
	switch i % 10 {
	case 3:
		return "ssh"
	case 7:
		return "all"
	}
	return ""
}

// policyKind says which policy endpoint j carries: "" none, else one of
// a few shapes the EP rules judge differently.
func policyKind(j int) string {
	if j%2 == 1 {
		return ""
	}
	switch (j / 2) % 4 {
	case 0:
		return "org" // an organization perimeter: no finding
	case 1:
		return "full" // full access: EP002
	case 2:
		return "deny" // allow all, deny outside the organization
	default:
		return "foreign" // actions of another service
	}
}

// statement is one policy statement in a neutral form both writers print.
type statement struct {
	effect    string
	actions   []string
	resource  string
	condition [3]string // operator, key, value; empty when none
}

func policy(kind, svc string, orgID string) []statement {
	prefix := strings.SplitN(svc, ".", 2)[0]
	switch kind {
	case "org":
		return []statement{{effect: "Allow", actions: []string{prefix + ":*"}, resource: "*",
			condition: [3]string{"StringEquals", "aws:PrincipalOrgID", orgID}}}
	case "full":
		return []statement{{effect: "Allow", actions: []string{"*"}, resource: "*"}}
	case "deny":
		return []statement{
			{effect: "Allow", actions: []string{"*"}, resource: "*"},
			{effect: "Deny", actions: []string{"*"}, resource: "*",
				condition: [3]string{"StringNotEquals", "aws:PrincipalOrgID", orgID}},
		}
	default:
		return []statement{{effect: "Allow", actions: []string{prefix + ":Get*", "s3:GetObject"}, resource: "*",
			condition: [3]string{"StringEquals", "aws:PrincipalOrgID", orgID}}}
	}
}

const orgID = "o-a1b2c3d4e5"

// perFile is the number of groups or endpoints of one generated .tf file.
const perFile = 1000

// Terraform returns the files of a root module for n security groups:
// main.tf with the provider, variables and network, then the groups and
// the endpoints, perFile resources a file (groups_000.tf ...,
// endpoints_000.tf ...), as a large configuration is usually split.
func Terraform(n int) map[string][]byte {
	l := newLayout(n)
	var main, groups, eps strings.Builder
	files := map[string][]byte{}
	// flush stores b as file number i/perFile of prefix once it holds
	// perFile resources (or, with last, whatever it holds).
	flush := func(b *strings.Builder, prefix string, i int, last bool) {
		if b.Len() > 0 && (last || i%perFile == 0) {
			files[fmt.Sprintf("%s_%03d.tf", prefix, (i-1)/perFile)] = []byte(b.String())
			b.Reset()
		}
	}
	main.WriteString(`terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "admin_cidr" {
  type    = string
  default = "198.51.100.0/24"
}

data "aws_availability_zones" "available" {}
`)
	for v := range l.vpcs {
		fmt.Fprintf(&main, `
resource "aws_vpc" "v%[1]d" {
  cidr_block           = "10.%[1]d.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {
    Name = "vpc-%[1]d"
  }
}

resource "aws_subnet" "v%[1]d_a" {
  vpc_id            = aws_vpc.v%[1]d.id
  cidr_block        = cidrsubnet(aws_vpc.v%[1]d.cidr_block, 8, 0)
  availability_zone = "${var.region}a"
}

resource "aws_subnet" "v%[1]d_b" {
  vpc_id            = aws_vpc.v%[1]d.id
  cidr_block        = cidrsubnet(aws_vpc.v%[1]d.cidr_block, 8, 1)
  availability_zone = "${var.region}b"
}

resource "aws_network_acl" "v%[1]d" {
  vpc_id     = aws_vpc.v%[1]d.id
  subnet_ids = [aws_subnet.v%[1]d_a.id, aws_subnet.v%[1]d_b.id]

  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = aws_vpc.v%[1]d.cidr_block
    from_port  = 443
    to_port    = 443
  }

  ingress {
    rule_no    = 110
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }

  ingress {
    rule_no    = 120
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 65535
  }

  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}
`, v)
	}
	for i := range l.groups {
		flush(&groups, "groups", i, false)
		v := i % l.vpcs
		fmt.Fprintf(&groups, `
resource "aws_security_group" "sg%[1]d" {
  name        = "sg-%[1]d"
  description = "workload %[1]d"
  vpc_id      = aws_vpc.v%[2]d.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.v%[2]d.cidr_block]
  }
`, i, v)
		switch groupKind(i) {
		case "ssh":
			groups.WriteString(`
  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
`)
		case "all":
			groups.WriteString(`
  ingress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
`)
		default:
			groups.WriteString(`
  ingress {
    description = "SSH from the administrators"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
`)
		}
		groups.WriteString(`
  egress {
    description = "all out"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`)
	}
	flush(&groups, "groups", l.groups, true)
	for j := range l.endpoints {
		flush(&eps, "endpoints", j, false)
		svc := services[j%len(services)]
		v := j / len(services)
		fmt.Fprintf(&eps, `
resource "aws_vpc_endpoint" "ep%[1]d" {
  vpc_id              = aws_vpc.v%[2]d.id
  service_name        = "com.amazonaws.${var.region}.%[3]s"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.v%[2]d_a.id, aws_subnet.v%[2]d_b.id]
  security_group_ids  = [aws_security_group.sg%[4]d.id]
  private_dns_enabled = true
`, j, v, svc, 2*j)
		if kind := policyKind(j); kind != "" {
			eps.WriteString("\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [\n")
			for _, st := range policy(kind, svc, orgID) {
				eps.WriteString("      {\n")
				fmt.Fprintf(&eps, "        Effect    = %q\n        Principal = \"*\"\n", st.effect)
				fmt.Fprintf(&eps, "        Action    = [%s]\n", quoteList(st.actions))
				fmt.Fprintf(&eps, "        Resource  = %q\n", st.resource)
				if st.condition[0] != "" {
					fmt.Fprintf(&eps, "        Condition = {\n          %s = {\n            %q = %q\n          }\n        }\n",
						st.condition[0], st.condition[1], st.condition[2])
				}
				eps.WriteString("      },\n")
			}
			eps.WriteString("    ]\n  })\n")
		}
		eps.WriteString("}\n")
	}
	flush(&eps, "endpoints", l.endpoints, true)
	files["main.tf"] = []byte(main.String())
	return files
}

func quoteList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// CloudFormation returns a YAML template describing the same
// infrastructure as Terraform(n), with !Ref, !GetAtt, !Sub and !Select
// where a real template has them.
func CloudFormation(n int) []byte {
	l := newLayout(n)
	var b strings.Builder
	b.WriteString(`AWSTemplateFormatVersion: "2010-09-09"
Description: vpclint scaling benchmark
Parameters:
  AdminCidr:
    Type: String
    Default: 198.51.100.0/24
Resources:
`)
	for v := range l.vpcs {
		fmt.Fprintf(&b, `  Vpc%[1]d:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.%[1]d.0.0/16
      EnableDnsSupport: true
      EnableDnsHostnames: true
      Tags:
        - Key: Name
          Value: vpc-%[1]d
  Vpc%[1]dSubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc%[1]d
      CidrBlock: 10.%[1]d.0.0/24
      AvailabilityZone: !Select [0, !GetAZs ""]
  Vpc%[1]dSubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc%[1]d
      CidrBlock: 10.%[1]d.1.0/24
      AvailabilityZone: !Select [1, !GetAZs ""]
  Vpc%[1]dAcl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: !Ref Vpc%[1]d
  Vpc%[1]dAclHttps:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Vpc%[1]dAcl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: !GetAtt Vpc%[1]d.CidrBlock
      PortRange: {From: 443, To: 443}
  Vpc%[1]dAclSsh:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Vpc%[1]dAcl
      RuleNumber: 110
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange: {From: 22, To: 22}
  Vpc%[1]dAclEphemeral:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Vpc%[1]dAcl
      RuleNumber: 120
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange: {From: 1024, To: 65535}
  Vpc%[1]dAclOut:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Vpc%[1]dAcl
      RuleNumber: 100
      Egress: true
      Protocol: -1
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
  Vpc%[1]dAclA:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties:
      SubnetId: !Ref Vpc%[1]dSubnetA
      NetworkAclId: !Ref Vpc%[1]dAcl
  Vpc%[1]dAclB:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties:
      SubnetId: !Ref Vpc%[1]dSubnetB
      NetworkAclId: !Ref Vpc%[1]dAcl
`, v)
	}
	for i := range l.groups {
		v := i % l.vpcs
		fmt.Fprintf(&b, `  Sg%[1]d:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: sg-%[1]d
      GroupDescription: workload %[1]d
      VpcId: !Ref Vpc%[2]d
      SecurityGroupIngress:
        - Description: HTTPS from the VPC
          IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: !GetAtt Vpc%[2]d.CidrBlock
`, i, v)
		switch groupKind(i) {
		case "ssh":
			b.WriteString(`        - Description: SSH
          IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
`)
		case "all":
			b.WriteString(`        - IpProtocol: "-1"
          CidrIp: 0.0.0.0/0
        - IpProtocol: "-1"
          CidrIpv6: ::/0
`)
		default:
			b.WriteString(`        - Description: SSH from the administrators
          IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref AdminCidr
`)
		}
		b.WriteString(`      SecurityGroupEgress:
        - Description: all out
          IpProtocol: "-1"
          CidrIp: 0.0.0.0/0
`)
	}
	for j := range l.endpoints {
		svc := services[j%len(services)]
		v := j / len(services)
		fmt.Fprintf(&b, `  Ep%[1]d:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc%[2]d
      ServiceName: !Sub com.amazonaws.${AWS::Region}.%[3]s
      VpcEndpointType: Interface
      SubnetIds: [!Ref Vpc%[2]dSubnetA, !Ref Vpc%[2]dSubnetB]
      SecurityGroupIds: [!Ref Sg%[4]d]
      PrivateDnsEnabled: true
`, j, v, svc, 2*j)
		if kind := policyKind(j); kind != "" {
			b.WriteString("      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n")
			for _, st := range policy(kind, svc, orgID) {
				fmt.Fprintf(&b, "          - Effect: %s\n            Principal: \"*\"\n", st.effect)
				fmt.Fprintf(&b, "            Action: [%s]\n", quoteList(st.actions))
				fmt.Fprintf(&b, "            Resource: %q\n", st.resource)
				if st.condition[0] != "" {
					fmt.Fprintf(&b, "            Condition:\n              %s:\n                %s: %s\n",
						st.condition[0], st.condition[1], st.condition[2])
				}
			}
		}
	}
	return []byte(b.String())
}

// PolicyStatements returns an endpoint policy document (JSON) of n
// statements of varied shapes: allows of one service's actions with and
// without an organization condition, allows of named resources, and
// perimeter and unconditional denies, so every endpoint-policy rule has
// work to do on each statement.
func PolicyStatements(n int) string {
	p, _ := policyStatements(n, 0)
	return p
}

// PolicyWithin returns the longest policy PolicyStatements writes that
// has at most max characters, and its number of statements.
func PolicyWithin(max int) (string, int) {
	return policyStatements(1<<30, max)
}

// policyStatements writes n statements, or as many as fit in max
// characters when max > 0.
func policyStatements(n, max int) (string, int) {
	const head, tail = `{"Version":"2012-10-17","Statement":[`, `]}`
	var b, st strings.Builder
	b.WriteString(head)
	count := 0
	for i := range n {
		st.Reset()
		if i > 0 {
			st.WriteByte(',')
		}
		writeStatement(&st, i)
		if max > 0 && b.Len()+st.Len()+len(tail) > max {
			break
		}
		b.WriteString(st.String())
		count++
	}
	b.WriteString(tail)
	return b.String(), count
}

// writeStatement writes statement i of PolicyStatements.
func writeStatement(b *strings.Builder, i int) {
	switch i % 5 {
	case 0:
		fmt.Fprintf(b, `{"Sid":"A%d","Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-%d/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"%s"}}}`, i, i, orgID)
	case 1:
		fmt.Fprintf(b, `{"Sid":"B%d","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%012d:root"},"Action":"s3:List*","Resource":"*"}`, i, 100000000000+i)
	case 2:
		fmt.Fprintf(b, `{"Sid":"C%d","Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}`, i)
	case 3:
		fmt.Fprintf(b, `{"Sid":"D%d","Effect":"Deny","Principal":"*","Action":"s3:Delete%d","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"%s"}}}`, i, i, orgID)
	default:
		fmt.Fprintf(b, `{"Sid":"E%d","Effect":"Deny","Principal":"*","Action":["s3:PutBucketPolicy","ec2:Run%d"],"Resource":"*"}`, i, i)
	}
}
