package cloudformation

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/loader"
)

// scaleTemplate writes a template of n security groups with two or three
// inline ingress rules each (every seventh open to the internet) and one
// separate SecurityGroupIngress, n/2 interface endpoints in two subnets
// of two zones (half with a policy), and a few VPCs, subnets, network ACLs
// with separate entries and associations, parameters, mappings and
// conditions that every resource goes through. It is the CloudFormation
// side of issue 14's scaling input.
func scaleTemplate(n int) []byte {
	var b strings.Builder
	b.Grow(n * 900)
	b.WriteString(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
  AdminCidr:
    Type: String
    Default: 10.0.0.0/8
Mappings:
  Ports:
    prod: {Https: 443, Ssh: 22}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  WithPolicy: !And [!Condition IsProd, !Not [!Equals [!Ref Env, dev]]]
Resources:
`)
	const vpcs = 4
	for v := 0; v < vpcs; v++ {
		fmt.Fprintf(&b, `  Vpc%[1]d:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.%[1]d.0.0/16
  Subnet%[1]dA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc%[1]d
      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc%[1]d.CidrBlock, 2, 8]]
      AvailabilityZone: !Select [0, !GetAZs ""]
  Subnet%[1]dB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc%[1]d
      CidrBlock: !Select [1, !Cidr [!GetAtt Vpc%[1]d.CidrBlock, 2, 8]]
      AvailabilityZone: !Select [1, !GetAZs ""]
  Acl%[1]d:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: !Ref Vpc%[1]d
  Acl%[1]dAssocA:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties:
      SubnetId: !Ref Subnet%[1]dA
      NetworkAclId: !Ref Acl%[1]d
  Acl%[1]dIn:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl%[1]d
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
      PortRange: {From: 443, To: 443}
  Acl%[1]dOut:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl%[1]d
      RuleNumber: 100
      Egress: true
      Protocol: -1
      RuleAction: allow
      CidrBlock: 0.0.0.0/0
`, v)
	}
	for i := 0; i < n; i++ {
		v := i % vpcs
		src := "!Ref AdminCidr"
		if i%7 == 0 {
			src = "0.0.0.0/0"
		}
		fmt.Fprintf(&b, `  Group%[1]d:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Sub "group ${Env} %[1]d"
      VpcId: !Ref Vpc%[2]d
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: !FindInMap [Ports, !Ref Env, Https]
          ToPort: !FindInMap [Ports, !Ref Env, Https]
          CidrIp: !GetAtt Vpc%[2]d.CidrBlock
          Description: https
        - IpProtocol: tcp
          FromPort: !FindInMap [Ports, !Ref Env, Ssh]
          ToPort: 22
          CidrIp: %[3]s
          Description: ssh
`, i, v, src)
		if i%2 == 0 {
			fmt.Fprintf(&b, `        - IpProtocol: udp
          FromPort: 1000
          ToPort: 2000
          SourceSecurityGroupId: !Ref Group%d
          Description: peer
`, (i+1)%n)
		}
		fmt.Fprintf(&b, `  Group%[1]dIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Condition: IsProd
    Properties:
      GroupId: !GetAtt Group%[1]d.GroupId
      IpProtocol: tcp
      FromPort: 8080
      ToPort: 8080
      SourceSecurityGroupId: !Ref Group%[2]d
      Description: app
`, i, (i+n-1)%n)
		if i%2 == 1 {
			continue
		}
		e := i / 2
		fmt.Fprintf(&b, `  Endpoint%[1]d:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcEndpointType: Interface
      ServiceName: !Sub "com.amazonaws.${AWS::Region}.svc%[1]d"
      VpcId: !Ref Vpc%[2]d
      SubnetIds: [!Ref Subnet%[2]dA, !Ref Subnet%[2]dB]
      SecurityGroupIds: [!Ref Group%[3]d]
      PrivateDnsEnabled: true
`, e, v, i)
		if e%2 == 0 {
			fmt.Fprintf(&b, `      PolicyDocument: !If
        - WithPolicy
        - Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: "*"
              Action: ["s3:GetObject"]
              Resource: !Sub "arn:${AWS::Partition}:s3:::bucket-%[1]d/*"
              Condition:
                StringEquals:
                  aws:PrincipalOrgID: o-abc%[1]d
        - !Ref AWS::NoValue
`, e)
		}
	}
	return []byte(b.String())
}

// BenchmarkLoad loads the scale template at 1,000 and 20,000 groups: the
// time per group must stay flat (issue 14: time(20k)/time(1k) <= 25) and
// the bytes allocated proportional. cpu-s/op is the process's CPU time
// (garbage collection included), steadier than wall time on a busy
// machine.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1000, 20000} {
		yaml := scaleTemplate(n)
		b.Run(fmt.Sprintf("groups=%d", n), func(b *testing.B) { benchmarkLoad(b, n, "scale.yaml", yaml) })
		// The same template in JSON, as the CDK writes it.
		root, err := parseTemplate(yaml)
		if err != nil {
			b.Fatal(err)
		}
		var js strings.Builder
		writeJSON(&js, root)
		b.Run(fmt.Sprintf("json/groups=%d", n), func(b *testing.B) { benchmarkLoad(b, n, "scale.json", []byte(js.String())) })
	}
}

// writeJSON writes a parsed template as JSON, intrinsics in their long
// form, one value a line.
func writeJSON(w *strings.Builder, n *node) {
	switch n.kind {
	case kindMap:
		w.WriteString("{\n")
		for i, k := range n.keys {
			if i > 0 {
				w.WriteString(",\n")
			}
			w.WriteString(strconv.Quote(k.value) + ": ")
			writeJSON(w, n.vals[i])
		}
		w.WriteString("}")
	case kindList:
		w.WriteString("[")
		for i, it := range n.vals {
			if i > 0 {
				w.WriteString(", ")
			}
			writeJSON(w, it)
		}
		w.WriteString("]")
	case kindNull:
		w.WriteString("null")
	default:
		if n.typ == typeString {
			w.WriteString(strconv.Quote(n.value))
		} else {
			w.WriteString(n.value)
		}
	}
}

// benchmarkLoad loads one template as a scan would.
func benchmarkLoad(b *testing.B, n int, name string, content []byte) {
	in := loader.Input{Path: name, Rel: name, Content: content}
	b.SetBytes(int64(len(content)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		ms, errs := New().Load(context.Background(), in, loader.Options{})
		if len(ms) != 1 || len(ms[0].SecurityGroups) < n {
			b.Fatalf("loaded %d units: %v", len(ms), errs)
		}
	}
	if cpu > 0 {
		b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	}
}

// BenchmarkParseJSON reads the 20,000-group scale template in JSON with
// the JSON reader alone (no YAML fallback, no resolution): the tokenizer's
// share of BenchmarkLoad's json runs.
func BenchmarkParseJSON(b *testing.B) {
	root, err := parseTemplate(scaleTemplate(20000))
	if err != nil {
		b.Fatal(err)
	}
	var js strings.Builder
	writeJSON(&js, root)
	data := []byte(js.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		if _, err := parseJSON(data); err != nil {
			b.Fatalf("the JSON reader did not read the template: %v", err)
		}
	}
	b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}
