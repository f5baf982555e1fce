package cloudformation

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/modeltest"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

func TestSecurityGroups(t *testing.T) {
	m, errs := mustLoad(t, `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Admin:
    Type: String
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupName: web
      GroupDescription: web tier
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - IpProtocol: TCP
          FromPort: "443"
          ToPort: 443
          CidrIp: 10.0.0.1/8
          Description: https
        - IpProtocol: "6"
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref Admin
        - IpProtocol: tcp
          FromPort: 90
          ToPort: 80
          CidrIp: 0.0.0.0/0
        - IpProtocol: udp
          FromPort: 53
          ToPort: 53
          CidrIp: 10.0.0.0/33
        - IpProtocol: icmp
          FromPort: -1
          ToPort: -1
          SourceSecurityGroupId: !Ref App
  App:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !Ref Vpc
      SecurityGroupEgress:
        - IpProtocol: "-1"
          DestinationPrefixListId: pl-123
  AppFromWeb:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt App.GroupId
      IpProtocol: tcp
      FromPort: 8080
      ToPort: 8080
      SourceSecurityGroupId: !Ref Web
  AppSelf:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref App
      IpProtocol: -1
      SourceSecurityGroupId: !Ref App
  AppEgressV6:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !Ref App
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIpv6: "::/0"
  Elsewhere:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: sg-0123456789abcdef0
      IpProtocol: tcp
      FromPort: 5432
      ToPort: 5432
      CidrIp: 10.0.0.0/16
  DefaultIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Vpc.DefaultSecurityGroup
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 10.0.0.0/8
`, loader.Options{})
	web := findSG(t, m, "Web")
	if web.Name != "web" || web.VPCID != "Vpc" || web.Description == nil || *web.Description != "web tier" {
		t.Errorf("web = %+v", web)
	}
	if len(web.Ingress) != 5 {
		t.Fatalf("web ingress = %d rules", len(web.Ingress))
	}
	r0 := web.Ingress[0]
	if r0.Protocol != "tcp" || intp(r0.FromPort) != "443" || intp(r0.ToPort) != "443" || !reflect.DeepEqual(r0.CIDRBlocks, []string{"10.0.0.0/8"}) || r0.Description == nil {
		t.Errorf("rule 0 = %+v", r0)
	}
	if r0.IPv6CIDRBlocks == nil || len(r0.IPv6CIDRBlocks) != 0 {
		t.Errorf("rule 0 ipv6 = %#v, want known empty", r0.IPv6CIDRBlocks)
	}
	if r1 := web.Ingress[1]; r1.Protocol != "tcp" || r1.CIDRBlocks != nil || !slices.Contains(web.Unknown, "ingress[1].cidr_blocks") {
		t.Errorf("rule 1 with unknown source: %+v, unknown %v", r1, web.Unknown)
	}
	if r2 := web.Ingress[2]; r2.FromPort != nil || r2.ToPort != nil || !slices.Contains(web.Unknown, "ingress[2].from_port") {
		t.Errorf("reversed range should be unknown: %+v", r2)
	}
	if len(errorsMatching(errs, "reversed")) != 1 {
		t.Errorf("want one reversed-range warning, got %v", errs)
	}
	if r3 := web.Ingress[3]; r3.CIDRBlocks != nil || !slices.Contains(web.Unknown, "ingress[3].cidr_blocks") {
		t.Errorf("invalid CIDR should be unknown: %+v", r3)
	}
	if e := errorsMatching(errs, "invalid CIDR"); len(e) != 1 || e[0].Line != 33 || e[0].Level != model.LevelWarning {
		t.Errorf("invalid CIDR warning = %v", e)
	}
	if r4 := web.Ingress[4]; r4.Protocol != "icmp" || intp(r4.FromPort) != "-1" || !reflect.DeepEqual(r4.SecurityGroupIDs, []string{"App"}) {
		t.Errorf("rule 4 = %+v", r4)
	}
	// Web writes no egress: CloudFormation adds allow-all.
	if len(web.Egress) != 1 || !web.Egress[0].Implicit || web.Egress[0].Protocol != "all" ||
		!reflect.DeepEqual(web.Egress[0].CIDRBlocks, []string{"0.0.0.0/0"}) || !reflect.DeepEqual(web.Egress[0].IPv6CIDRBlocks, []string{"::/0"}) {
		t.Errorf("web egress = %+v", web.Egress)
	}
	for path, line := range map[string]int{"ingress[0]": 17, "ingress[0].from_port": 18, "ingress[0].cidr_blocks[0]": 20, "ingress[0].description": 21, "ingress[2].from_port": 27, "description": 14} {
		if got := web.AttributeLines[path]; got != line {
			t.Errorf("web attribute_lines[%s] = %d, want %d", path, got, line)
		}
	}

	app := findSG(t, m, "App")
	if len(app.Egress) != 2 || app.Egress[0].Implicit || !reflect.DeepEqual(app.Egress[0].PrefixListIDs, []string{"pl-123"}) {
		t.Errorf("app egress = %+v", app.Egress)
	}
	if e := app.Egress[1]; e.Address != "AppEgressV6" || !reflect.DeepEqual(e.IPv6CIDRBlocks, []string{"::/0"}) || e.Source == nil || e.Source.StartLine != 60 || e.Source.EndLine != 67 {
		t.Errorf("folded egress = %+v (source %+v)", e, e.Source)
	}
	if len(app.Ingress) != 2 {
		t.Fatalf("app ingress = %+v", app.Ingress)
	}
	if in := app.Ingress[0]; in.Address != "AppFromWeb" || !reflect.DeepEqual(in.SecurityGroupIDs, []string{"Web"}) || in.Self {
		t.Errorf("folded ingress = %+v", in)
	}
	if in := app.Ingress[1]; !in.Self || len(in.SecurityGroupIDs) != 0 || in.Protocol != "all" {
		t.Errorf("self ingress = %+v", in)
	}
	if app.AttributeLines["ingress[0]"] != 46 || app.AttributeLines["ingress[0].from_port"] != 51 || app.AttributeLines["ingress[0].security_group_ids[0]"] != 53 {
		t.Errorf("folded attribute lines = %v", app.AttributeLines)
	}

	ph := findSG(t, m, "sg-0123456789abcdef0")
	if !ph.Placeholder || len(ph.Ingress) != 1 || len(ph.Egress) != 0 {
		t.Errorf("placeholder = %+v", ph)
	}
	def := findSG(t, m, "Vpc.DefaultSecurityGroup")
	if !def.IsDefault || def.Placeholder || def.VPCID != "Vpc" || len(def.Ingress) != 2 || def.Ingress[0].Implicit || !def.Ingress[1].Implicit || !def.Ingress[1].Self {
		t.Errorf("default group = %+v ingress %+v", def, def.Ingress)
	}
}

func TestSecurityGroupPortChecks(t *testing.T) {
	m, errs := mustLoad(t, `Resources:
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
      SecurityGroupIngress:
        - {IpProtocol: tcp, CidrIp: 10.0.0.0/8}
        - {IpProtocol: tcp, FromPort: 0, ToPort: 70000, CidrIp: 10.0.0.0/8}
        - {IpProtocol: icmpv6, CidrIpv6: "::/0"}
        - {IpProtocol: icmp, FromPort: -1, ToPort: 3, CidrIp: 10.0.0.0/8}
        - {IpProtocol: gre, CidrIp: 10.0.0.0/8}
        - {IpProtocol: 47, CidrIp: 10.0.0.0/8}
        - {IpProtocol: tcp, FromPort: 1, ToPort: 2, CidrIp: "::/0"}
        - {FromPort: 1, ToPort: 2}
`, loader.Options{})
	g := findSG(t, m, "G")
	for _, p := range []string{"ingress[0].from_port", "ingress[1].from_port", "ingress[3].from_port", "ingress[4].protocol", "ingress[6].cidr_blocks"} {
		if !slices.Contains(g.Unknown, p) {
			t.Errorf("%s not unknown: %v", p, g.Unknown)
		}
	}
	if g.Ingress[2].FromPort != nil || slices.Contains(g.Unknown, "ingress[2].from_port") {
		t.Errorf("icmpv6 without ports means all types: %+v", g.Ingress[2])
	}
	if g.Ingress[5].Protocol != "47" {
		t.Errorf("protocol 47 = %q", g.Ingress[5].Protocol)
	}
	if len(errs) != 7 || len(errorsMatching(errs, "needs IpProtocol")) != 1 || len(errorsMatching(errs, "names no source")) != 1 {
		t.Errorf("want 7 warnings, got %v", errs)
	}
}

func TestNetworkACLs(t *testing.T) {
	m, errs := mustLoad(t, `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Sub:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: eu-west-1a}
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: !Ref Vpc
      Tags: [{Key: Name, Value: private}]
  InSsh:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: ALLOW
      CidrBlock: 0.0.0.0/0
      PortRange: {From: 22, To: 22}
  InDup:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: -1
      RuleAction: deny
      CidrBlock: 10.0.0.0/8
  OutIcmp:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Egress: true
      Protocol: 1
      RuleAction: allow
      Ipv6CidrBlock: "::/0"
      Icmp: {Type: 8, Code: -1}
  OutBad:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 200
      Egress: "true"
      Protocol: 17
      RuleAction: allow
      CidrBlock: 10.0.0.0/8
      PortRange: {From: 2000, To: 1000}
  Assoc:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: {SubnetId: !Ref Sub, NetworkAclId: !Ref Acl}
  DefaultEntry:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !GetAtt Vpc.DefaultNetworkAcl
      RuleNumber: 50
      Protocol: 6
      RuleAction: deny
      CidrBlock: 0.0.0.0/0
      PortRange: {From: 3389, To: 3389}
`, loader.Options{})
	a := findACL(t, m, "Acl")
	if a.VPCID != "Vpc" || a.Tags["Name"] != "private" || !reflect.DeepEqual(a.SubnetIDs, []string{"Sub"}) || len(a.Entries) != 4 {
		t.Fatalf("acl = %+v", a)
	}
	e0 := a.Entries[0]
	if intp(e0.RuleNumber) != "100" || e0.Egress || e0.Protocol != "tcp" || e0.Action != "allow" || e0.CIDRBlock != "0.0.0.0/0" || intp(e0.FromPort) != "22" || intp(e0.ToPort) != "22" || e0.Address != "InSsh" {
		t.Errorf("entry 0 = %+v", e0)
	}
	if e1 := a.Entries[1]; e1.Protocol != "all" || e1.Action != "deny" || intp(e1.RuleNumber) != "100" {
		t.Errorf("entry 1 = %+v", e1)
	}
	if e2 := a.Entries[2]; !e2.Egress || e2.IPv6CIDRBlock != "::/0" || intp(e2.ICMPType) != "8" || intp(e2.ICMPCode) != "-1" {
		t.Errorf("entry 2 = %+v", e2)
	}
	if e3 := a.Entries[3]; !e3.Egress || e3.FromPort != nil || !slices.Contains(a.Unknown, "entries[3].from_port") {
		t.Errorf("entry 3 = %+v unknown %v", e3, a.Unknown)
	}
	if d := errorsMatching(errs, "rule number 100"); len(d) != 1 || d[0].Line != 22 {
		t.Errorf("duplicate warning = %v (all: %v)", d, errs)
	}
	for path, line := range map[string]int{"entries[0]": 13, "entries[0].cidr_block": 20, "entries[1].rule_number": 26, "entries[3].egress": 45} {
		if got := a.AttributeLines[path]; got != line {
			t.Errorf("attribute_lines[%s] = %d, want %d", path, got, line)
		}
	}
	if s := findSubnet(t, m, "Sub"); s.NetworkACLID != "Acl" || s.AvailabilityZone != "eu-west-1a" {
		t.Errorf("subnet = %+v", s)
	}
	def := findACL(t, m, "Vpc.DefaultNetworkAcl")
	if !def.IsDefault || def.Placeholder || len(def.Entries) != 3 || !def.Entries[0].Implicit || def.Entries[2].Implicit {
		t.Errorf("default ACL = %+v", def)
	}
}

func TestEndpoints(t *testing.T) {
	m, errs := mustLoad(t, `Parameters:
  Bucket:
    Type: String
Resources:
  S3:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-1
      ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
      RouteTableIds: [rtb-1]
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub arn:aws:s3:::${Bucket}/*
  Ssm:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-1
      VpcEndpointType: Interface
      ServiceName: com.amazonaws.eu-west-1.ssm
      SubnetIds: [subnet-a, subnet-b]
      SecurityGroupIds: [sg-1]
      PrivateDnsEnabled: true
      PolicyDocument: '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}'
      DnsOptions:
        DnsRecordIpType: ipv4
        PrivateDnsOnlyForInboundResolverEndpoint: OnlyInboundResolver
  Bad:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-1
      VpcEndpointType: Interface
      ServiceName: com.amazonaws.eu-west-1.ec2
      PolicyDocument: '{"Statement": ['
      SubnetIds: [subnet-a, !ImportValue other]
      DnsOptions:
        PrivateDnsOnlyForInboundResolverEndpoint: AllResolvers
  NotSpecified:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-1
      VpcEndpointType: Interface
      ServiceName: !ImportValue svc
      SecurityGroupIds: !Ref AWS::NoValue
      PolicyDocument: !ImportValue policy
      DnsOptions:
        PrivateDnsOnlyForInboundResolverEndpoint: NotSpecified
`, loader.Options{})
	if len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}
	s3 := findEndpoint(t, m, "S3")
	if s3.Type != "Gateway" || !slices.Contains(s3.Defaulted, "type") || s3.Service != "s3" || s3.ServiceName != "" || s3.ServiceNamePattern != "com.amazonaws.*.s3" || !slices.Contains(s3.Unknown, "service_name") {
		t.Errorf("s3 = %+v", s3)
	}
	if boolp(s3.PrivateDNSEnabled) != "false" || !slices.Contains(s3.Defaulted, "private_dns_enabled") {
		t.Errorf("s3 private dns = %s defaulted %v", boolp(s3.PrivateDNSEnabled), s3.Defaulted)
	}
	if s3.Policy == nil || len(s3.Policy.Statement) != 1 || !s3.Policy.Statement[0].PrincipalStar || s3.Policy.Statement[0].Resource[0] != "arn:aws:s3:::${Bucket}/*" {
		t.Errorf("s3 policy = %+v", s3.Policy)
	}
	if s3.AttributeLines["policy"] != 12 || !reflect.DeepEqual(s3.RouteTableIDs, []string{"rtb-1"}) || s3.SubnetIDs == nil || len(s3.SubnetIDs) != 0 {
		t.Errorf("s3 lines %v route tables %v subnets %#v", s3.AttributeLines, s3.RouteTableIDs, s3.SubnetIDs)
	}
	ssm := findEndpoint(t, m, "Ssm")
	if ssm.Type != "Interface" || ssm.Service != "ssm" || boolp(ssm.PrivateDNSEnabled) != "true" || len(ssm.Defaulted) != 0 {
		t.Errorf("ssm = %+v", ssm)
	}
	if ssm.Policy == nil || len(ssm.Policy.Statement) != 1 || !ssm.Policy.Statement[0].PrincipalStar || ssm.PolicyRaw != nil {
		t.Errorf("ssm policy = %+v", ssm.Policy)
	}
	if ssm.DNSOptions == nil || boolp(ssm.DNSOptions.PrivateDNSOnlyForInboundResolverEndpoint) != "true" || ssm.DNSOptions.DNSRecordIPType != "ipv4" {
		t.Errorf("ssm dns options = %+v", ssm.DNSOptions)
	}
	if ssm.AttributeLines["subnet_ids[1]"] != 24 || ssm.AttributeLines["security_group_ids[0]"] != 25 || ssm.AttributeLines["private_dns_enabled"] != 26 {
		t.Errorf("ssm lines = %v", ssm.AttributeLines)
	}
	bad := findEndpoint(t, m, "Bad")
	if bad.Policy != nil || bad.PolicyRaw == nil || bad.PolicyError == "" {
		t.Errorf("bad policy = %+v raw %v err %q", bad.Policy, bad.PolicyRaw, bad.PolicyError)
	}
	if bad.SubnetIDs != nil || !slices.Contains(bad.Unknown, "subnet_ids") {
		t.Errorf("partly unknown subnet list must be unknown: %#v %v", bad.SubnetIDs, bad.Unknown)
	}
	if boolp(bad.DNSOptions.PrivateDNSOnlyForInboundResolverEndpoint) != "false" {
		t.Errorf("AllResolvers = %s", boolp(bad.DNSOptions.PrivateDNSOnlyForInboundResolverEndpoint))
	}
	ns := findEndpoint(t, m, "NotSpecified")
	if ns.DNSOptions.PrivateDNSOnlyForInboundResolverEndpoint != nil || ns.Policy != nil || !slices.Contains(ns.Unknown, "policy") || ns.Service != "" || ns.ServiceNamePattern != "" {
		t.Errorf("not specified = %+v", ns)
	}
	if ns.SecurityGroupIDs == nil || len(ns.SecurityGroupIDs) != 0 {
		t.Errorf("NoValue list must be known empty: %#v", ns.SecurityGroupIDs)
	}
}

func TestEndpointServices(t *testing.T) {
	m, _ := mustLoad(t, `Resources:
  Svc:
    Type: AWS::EC2::VPCEndpointService
    Properties:
      NetworkLoadBalancerArns: [!Ref Nlb]
  Perms:
    Type: AWS::EC2::VPCEndpointServicePermissions
    Properties:
      ServiceId: !Ref Svc
      AllowedPrincipals:
        - arn:aws:iam::111122223333:root
        - "*"
  Svc2:
    Type: AWS::EC2::VPCEndpointService
    Properties:
      AcceptanceRequired: true
      GatewayLoadBalancerArns: [arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/gwy/x/y]
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network}
`, loader.Options{})
	if len(m.EndpointServices) != 2 {
		t.Fatalf("services = %v", modeltest.Addresses(m))
	}
	s := m.EndpointServices[0]
	if boolp(s.AcceptanceRequired) != "false" || !slices.Contains(s.Defaulted, "acceptance_required") {
		t.Errorf("acceptance = %s %v", boolp(s.AcceptanceRequired), s.Defaulted)
	}
	if !reflect.DeepEqual(s.AllowedPrincipals, []string{"arn:aws:iam::111122223333:root", "*"}) || s.AttributeLines["allowed_principals[1]"] != 12 {
		t.Errorf("principals = %v lines %v", s.AllowedPrincipals, s.AttributeLines)
	}
	if !reflect.DeepEqual(s.NetworkLoadBalancerARNs, []string{"Nlb"}) {
		t.Errorf("nlbs = %v", s.NetworkLoadBalancerARNs)
	}
	s2 := m.EndpointServices[1]
	if boolp(s2.AcceptanceRequired) != "true" || s2.AllowedPrincipals == nil || len(s2.AllowedPrincipals) != 0 {
		t.Errorf("svc2 = %+v", s2)
	}
}

func TestVPCSubnetsRoutesFlowLogs(t *testing.T) {
	m, _ := mustLoad(t, `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      EnableDnsSupport: "false"
      Tags:
        - {Key: Name, Value: main}
        - {Key: Env, Value: !Ref AWS::StackName}
  V6:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}
  Second:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.0.0/16}
  A:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Select [0, !GetAZs ""]}
  B:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [1, !GetAZs ""]}
  C:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}
  D:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.3.0/24, AvailabilityZone: !Sub "${AWS::Region}b"}
  E:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.4.0/24, AvailabilityZone: !Join ["", [!Ref AWS::Region, b]]}
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Default:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: nat-1}
  AssocA:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref A, RouteTableId: !Ref Rt}
  Log:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceId: !Ref Vpc, ResourceType: VPC, TrafficType: REJECT}
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: igw-1}
`, loader.Options{})
	v := m.VPCs[0]
	if boolp(v.EnableDNSSupport) != "false" || boolp(v.EnableDNSHostnames) != "false" || !slices.Contains(v.Defaulted, "enable_dns_hostnames") {
		t.Errorf("vpc dns = %s %s %v", boolp(v.EnableDNSSupport), boolp(v.EnableDNSHostnames), v.Defaulted)
	}
	if !reflect.DeepEqual(v.CIDRBlocks, []string{"10.0.0.0/16", "10.1.0.0/16"}) || v.IPv6CIDRBlocks != nil || !slices.Contains(v.Unknown, "ipv6_cidr_blocks") {
		t.Errorf("vpc blocks = %v %v unknown %v", v.CIDRBlocks, v.IPv6CIDRBlocks, v.Unknown)
	}
	if v.Tags["Name"] != "main" || !slices.Contains(v.Unknown, "tags.Env") {
		t.Errorf("tags = %v unknown %v", v.Tags, v.Unknown)
	}
	a, b, c := findSubnet(t, m, "A"), findSubnet(t, m, "B"), findSubnet(t, m, "C")
	if a.AZRef == "" || a.AZRef == b.AZRef || a.AvailabilityZone != "" || !slices.Contains(a.Unknown, "availability_zone") {
		t.Errorf("subnet AZ refs %q %q", a.AZRef, b.AZRef)
	}
	if c.AZRef != "" || !slices.Contains(c.Unknown, "availability_zone") {
		t.Errorf("subnet without AZ = %+v", c)
	}
	if d, e := findSubnet(t, m, "D"), findSubnet(t, m, "E"); d.AZRef != "${AWS::Region}b" || e.AZRef != d.AZRef {
		t.Errorf("regional zone refs %q %q", d.AZRef, e.AZRef)
	}
	if a.RouteTableID != "Rt" || b.RouteTableID != "" {
		t.Errorf("route tables %q %q", a.RouteTableID, b.RouteTableID)
	}
	rt := m.RouteTables[0]
	if len(rt.Routes) != 1 || rt.Routes[0].Target != "nat-1" || rt.Routes[0].TargetType != "nat_gateway_id" || !reflect.DeepEqual(rt.SubnetIDs, []string{"A"}) {
		t.Errorf("route table = %+v routes %+v", rt, rt.Routes)
	}
	if len(m.FlowLogs) != 1 || m.FlowLogs[0].ResourceID != "Vpc" || m.FlowLogs[0].TrafficType != "REJECT" {
		t.Errorf("flow logs = %+v", m.FlowLogs)
	}
	// With a region, GetAZs names the zones.
	m, _ = mustLoad(t, `Resources:
  A:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: v, CidrBlock: 10.0.0.0/24, AvailabilityZone: !Select [1, !GetAZs ""]}
`, loader.Options{Region: "eu-central-1"})
	if s := m.Subnets[0]; s.AvailabilityZone != "eu-central-1b" {
		t.Errorf("AZ with region = %+v", s)
	}
	if m.Context.Region != "eu-central-1" || m.Context.Partition != "aws" {
		t.Errorf("context = %+v", m.Context)
	}
}

func TestConditions(t *testing.T) {
	src := `Parameters:
  Env: {Type: String, Default: dev}
  Flag: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Maybe: !Equals [!Ref Flag, "yes"]
Resources:
  Always:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !If [IsProd, production, development]
      SecurityGroupIngress:
        - !If
          - IsProd
          - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}
          - !Ref AWS::NoValue
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !If [Maybe, 0.0.0.0/0, 10.0.0.0/8]}
  ProdOnly:
    Type: AWS::EC2::SecurityGroup
    Condition: IsProd
    Properties: {GroupDescription: prod}
  Undecided:
    Type: AWS::EC2::SecurityGroup
    Condition: Maybe
    Properties: {GroupDescription: maybe}
`
	m, errs := mustLoad(t, src, loader.Options{})
	if got := modeltest.Addresses(m); !reflect.DeepEqual(got, []string{"Always"}) {
		t.Errorf("dev resources = %v", got)
	}
	if e := errorsMatching(errs, "cannot be decided"); len(e) != 1 || e[0].Line != 22 || e[0].Level != model.LevelWarning {
		t.Errorf("undecided condition: %v", errs)
	}
	g := findSG(t, m, "Always")
	if *g.Description != "development" || len(g.Ingress) != 1 || g.Ingress[0].CIDRBlocks != nil || !slices.Contains(g.Unknown, "ingress[0].cidr_blocks") {
		t.Errorf("dev group = %+v ingress %+v unknown %v", g, g.Ingress, g.Unknown)
	}
	m, _ = mustLoad(t, src, loader.Options{Parameters: map[string]string{"Env": "prod", "Flag": "yes"}})
	if got := modeltest.Addresses(m); !reflect.DeepEqual(got, []string{"Always", "ProdOnly", "Undecided"}) {
		t.Errorf("prod resources = %v", got)
	}
	g = findSG(t, m, "Always")
	if *g.Description != "production" || len(g.Ingress) != 2 || g.Ingress[1].CIDRBlocks[0] != "0.0.0.0/0" {
		t.Errorf("prod group = %+v ingress %+v", g, g.Ingress)
	}
}

func TestParameterFiles(t *testing.T) {
	dir := testdataDir + "/params/"
	tests := []struct {
		name   string
		files  []string
		flags  map[string]string
		cidr   string
		port   string
		prodSG bool
	}{
		{name: "defaults", cidr: "", port: "22"},
		{name: "deploy form", files: []string{"deploy.json"}, cidr: "203.0.113.0/24", port: "22", prodSG: true},
		{name: "create-stack form", files: []string{"create-stack.json"}, cidr: "198.51.100.0/24", port: "22", prodSG: true},
		{name: "CodePipeline form", files: []string{"codepipeline.json"}, cidr: "192.0.2.0/24", port: "3389"},
		{name: "later file wins", files: []string{"codepipeline.json", "deploy.json"}, cidr: "203.0.113.0/24", port: "3389", prodSG: true},
		{name: "flag wins over file", files: []string{"deploy.json"}, flags: map[string]string{"AdminCidr": "10.9.0.0/16", "Env": "dev"}, cidr: "10.9.0.0/16", port: "22"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var files []string
			for _, f := range tc.files {
				files = append(files, dir+f)
			}
			m, errs := loadFile(t, "params/template.yaml", loader.Options{ParameterFiles: files, Parameters: tc.flags})
			if len(errs) != 0 {
				t.Fatalf("errors: %v", errs)
			}
			g := findSG(t, m, "AdminSG")
			r := g.Ingress[0]
			gotCIDR := ""
			if len(r.CIDRBlocks) > 0 {
				gotCIDR = r.CIDRBlocks[0]
			}
			if gotCIDR != tc.cidr || intp(r.FromPort) != tc.port {
				t.Errorf("cidr %q port %s, want %q %s", gotCIDR, intp(r.FromPort), tc.cidr, tc.port)
			}
			if tc.cidr == "" && !slices.Contains(g.Unknown, "ingress[0].cidr_blocks") {
				t.Errorf("parameter without value must be unknown: %v", g.Unknown)
			}
			has := false
			for _, sg := range m.SecurityGroups {
				has = has || sg.Address == "ProdOnlySG"
			}
			if has != tc.prodSG {
				t.Errorf("ProdOnlySG present = %v, want %v", has, tc.prodSG)
			}
		})
	}
	// A broken parameter file is an error, and the template still loads.
	m, errs := loadFile(t, "params/template.yaml", loader.Options{ParameterFiles: []string{dir + "template.yaml"}})
	if m == nil || len(errorsMatching(errs, "parameter file")) != 1 {
		t.Errorf("broken parameter file: %v", errs)
	}
}

func TestParseParameterFile(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`["A=1", "B=x=y"]`, "A=1 B=x=y"},
		{`[{"ParameterKey": "A", "ParameterValue": 5}]`, "A=5"},
		{`{"Parameters": {"A": ["x", "y"]}}`, "A=x,y"},
		{`{"A": true}`, "A=true"},
		{``, ""},
	} {
		m, err := parseParameterFile([]byte(tc.in))
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		var parts []string
		for _, k := range []string{"A", "B"} {
			if v, ok := m[k]; ok {
				parts = append(parts, k+"="+v)
			}
		}
		if got := strings.Join(parts, " "); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, bad := range []string{`["A"]`, `[{"ParameterValue": "x"}]`, `{"Parameters": 1}`, `"x"`, `[1]`, `{"A": {"b": 1}}`} {
		if _, err := parseParameterFile([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestPrefixLists(t *testing.T) {
	m, errs := mustLoad(t, `Resources:
  Office:
    Type: AWS::EC2::PrefixList
    Properties:
      PrefixListName: office
      AddressFamily: IPv4
      MaxEntries: 5
      Entries:
        - {Cidr: 203.0.113.0/24, Description: hq}
        - {Cidr: 198.51.100.7/24}
  Bad:
    Type: AWS::EC2::PrefixList
    Properties:
      PrefixListName: bad
      AddressFamily: IPv6
      MaxEntries: 1
      Entries: [{Cidr: 10.0.0.0/8}]
`, loader.Options{})
	if len(m.PrefixLists) != 2 {
		t.Fatalf("prefix lists = %v", modeltest.Addresses(m))
	}
	p := m.PrefixLists[0]
	if p.Name != "office" || intp(p.MaxEntries) != "5" || !reflect.DeepEqual(p.CIDRs, []string{"203.0.113.0/24", "198.51.100.0/24"}) || p.AWSManaged || p.AttributeLines["cidrs[1]"] != 10 {
		t.Errorf("prefix list = %+v", p)
	}
	if b := m.PrefixLists[1]; b.CIDRs != nil || !slices.Contains(b.Unknown, "cidrs") || len(errs) != 1 {
		t.Errorf("bad prefix list = %+v, errors %v", b, errs)
	}
}

func TestNetworkACLEntryRequiredFields(t *testing.T) {
	m, errs := mustLoad(t, `Resources:
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: vpc-1}
  NoIcmp:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 10, Protocol: 58, RuleAction: allow, Ipv6CidrBlock: "::/0"}
  Elsewhere:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: {SubnetId: subnet-1, NetworkAclId: acl-0123}
  NoNumber:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, Protocol: -1, RuleAction: allow, CidrBlock: 10.0.0.0/8}
`, loader.Options{})
	a := findACL(t, m, "Acl")
	for _, p := range []string{"entries[0].icmp_type", "entries[0].icmp_code", "entries[1].rule_number"} {
		if !slices.Contains(a.Unknown, p) {
			t.Errorf("%s not unknown: %v", p, a.Unknown)
		}
	}
	if len(errs) != 2 || errs[0].Line != 5 || errs[1].Line != 11 {
		t.Errorf("errors = %v", errs)
	}
	if ph := findACL(t, m, "acl-0123"); !ph.Placeholder || !reflect.DeepEqual(ph.SubnetIDs, []string{"subnet-1"}) || len(ph.Entries) != 0 {
		t.Errorf("placeholder ACL = %+v", ph)
	}
}

func TestServicePermissionsEdgeCases(t *testing.T) {
	m, errs := mustLoad(t, `Parameters:
  Who: {Type: String}
Resources:
  Svc:
    Type: AWS::EC2::VPCEndpointService
    Properties: {AcceptanceRequired: false}
  One:
    Type: AWS::EC2::VPCEndpointServicePermissions
    Properties: {ServiceId: !Ref Svc, AllowedPrincipals: "*"}
  Unknown:
    Type: AWS::EC2::VPCEndpointServicePermissions
    Properties: {ServiceId: vpce-svc-0123, AllowedPrincipals: [!Ref Who]}
  Lost:
    Type: AWS::EC2::VPCEndpointServicePermissions
    Properties: {ServiceId: !ImportValue svc, AllowedPrincipals: ["*"]}
`, loader.Options{})
	svc := m.EndpointServices[0]
	if !reflect.DeepEqual(svc.AllowedPrincipals, []string{"*"}) || boolp(svc.AcceptanceRequired) != "false" || len(svc.Defaulted) != 0 {
		t.Errorf("service = %+v", svc)
	}
	ph := m.EndpointServices[1]
	if !ph.Placeholder || ph.Address != "vpce-svc-0123" || ph.AllowedPrincipals != nil || !slices.Contains(ph.Unknown, "allowed_principals") {
		t.Errorf("placeholder = %+v", ph)
	}
	if len(m.EndpointServices) != 2 || len(errorsMatching(errs, "Lost names no endpoint service")) != 1 {
		t.Errorf("services %v errors %v", modeltest.Addresses(m), errs)
	}
}

// TestVPCCidrBlockSources checks which secondary blocks are known: a block
// named in the template is known whether or not an IPAM pool allocates it;
// a block AWS or a pool chooses is not, in both address families alike.
func TestVPCCidrBlockSources(t *testing.T) {
	for _, tc := range []struct {
		name, props  string
		v4, v6       []string
		v4Unk, v6Unk bool
	}{
		{"named v4", "CidrBlock: 10.1.0.0/16", []string{"10.0.0.0/16", "10.1.0.0/16"}, []string{}, false, false},
		{"named v4 from a pool", "CidrBlock: 10.1.0.0/16, Ipv4IpamPoolId: ipam-pool-1", []string{"10.0.0.0/16", "10.1.0.0/16"}, []string{}, false, false},
		{"v4 pool alone", "Ipv4IpamPoolId: ipam-pool-1, Ipv4NetmaskLength: 20", nil, []string{}, true, false},
		{"named v6 from a pool", "Ipv6CidrBlock: '2001:db8::/56', Ipv6IpamPoolId: ipam-pool-6", []string{"10.0.0.0/16"}, []string{"2001:db8::/56"}, false, false},
		{"v6 pool alone", "Ipv6IpamPoolId: ipam-pool-6, Ipv6NetmaskLength: 56", []string{"10.0.0.0/16"}, nil, false, true},
		{"Amazon-provided v6", "AmazonProvidedIpv6CidrBlock: true", []string{"10.0.0.0/16"}, nil, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := mustLoad(t, `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Block:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, `+tc.props+`}
`, loader.Options{})
			v := m.VPCs[0]
			if !reflect.DeepEqual(v.CIDRBlocks, tc.v4) || slices.Contains(v.Unknown, "cidr_blocks") != tc.v4Unk {
				t.Errorf("IPv4 blocks = %v, unknown %v; want %v, unknown %v", v.CIDRBlocks, v.Unknown, tc.v4, tc.v4Unk)
			}
			if !reflect.DeepEqual(v.IPv6CIDRBlocks, tc.v6) || slices.Contains(v.Unknown, "ipv6_cidr_blocks") != tc.v6Unk {
				t.Errorf("IPv6 blocks = %v, unknown %v; want %v, unknown %v", v.IPv6CIDRBlocks, v.Unknown, tc.v6, tc.v6Unk)
			}
		})
	}
}
