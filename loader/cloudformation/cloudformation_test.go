package cloudformation

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vpclint/vpclint/internal/modeltest"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name, file, content string
		want                bool
	}{
		{"yaml with version", "t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", true},
		{"yaml resources only", "t.yml", "Resources:\n  A:\n    Type: AWS::EC2::VPC\n", true},
		{"quoted yaml keys", "t.yaml", "\"Resources\":\n  A:\n    \"Type\": \"AWS::EC2::VPC\"\n", true},
		{"json", "t.json", `{"Resources": {"A": {"Type": "AWS::EC2::VPC"}}}`, true},
		{"minified json", "t.json", `{"Description":"x","Resources":{"A":{"Type":"AWS::EC2::VPC"}}}`, true},
		{"json quoting a template", "t.json", `{"body": "{\"AWSTemplateFormatVersion\": 1, \"Resources\": {}}"}`, false},
		{"template extension", "vpc.template", `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`, true},
		{"CDK output", "cdk.out/Stack.template.json", "{\n \"Resources\": {\n  \"Vpc\": {\n   \"Type\": \"AWS::EC2::VPC\"}}}", true},
		{"SAM", "template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", true},
		{"resources without AWS types", "t.yaml", "Resources:\n  A:\n    Type: Custom::Thing\n", false},
		{"nested Resources key", "serverless.yml", "service: x\nresources:\n  Resources:\n    A:\n      Type: AWS::SQS::Queue\n", false},
		{"kubernetes", "deploy.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n", false},
		{"terraform plan", "plan.json", `{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [{"values": {"template_body": "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}}"}}]}}}`, false},
		{"inventory snapshot", "inventory.json", `{"unit": "123/eu-west-1", "format": "aws", "vpcs": [], "security_groups": [{"type": "AWS::EC2::SecurityGroup"}], "vpc_endpoints": [], "inventory": {"complete": true}, "Resources": 1}`, false},
		{"vpclint inventory", "snap.json", `{"vpclint_inventory": 1, "units": [{"Resources": {"Type": "AWS::EC2::VPC"}}]}`, false},
		{"byte order mark", "t.json", "\ufeff{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}}", true},
		{"other extension", "main.tf", "AWSTemplateFormatVersion: x\n", false},
		{"empty", "t.yaml", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := New().Detect(loader.Input{Path: tc.file, Rel: tc.file, Content: []byte(tc.content)})
			if got != tc.want {
				t.Errorf("Detect = %v, want %v", got, tc.want)
			}
		})
	}
	if New().Name() != "cloudformation" {
		t.Error("name")
	}
}

// TestJSONAttributeLines checks that a JSON template's findings-relevant
// attributes point at the right lines.
func TestJSONAttributeLines(t *testing.T) {
	m, errs := loadFile(t, "lines.json", loader.Options{})
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	sg := findSG(t, m, "WebSG")
	want := map[string]int{
		"description":                    16,
		"vpc_id":                         17,
		"ingress[0]":                     19,
		"ingress[0].from_port":           21,
		"ingress[0].cidr_blocks[0]":      23,
		"ingress[1]":                     25,
		"ingress[1].cidr_blocks[0]":      29,
		"ingress[1].description":         30,
		"ingress[2]":                     35,
		"ingress[2].from_port":           40,
		"ingress[2].ipv6_cidr_blocks[0]": 42,
	}
	for p, l := range want {
		if got := sg.AttributeLines[p]; got != l {
			t.Errorf("WebSG %s: line %d, want %d", p, got, l)
		}
	}
	if sg.Source.StartLine != 13 || sg.Source.EndLine != 34 || sg.Source.File != "lines.json" {
		t.Errorf("WebSG source = %+v", sg.Source)
	}
	if r := sg.Ingress[2]; r.Address != "SshFromV6" || r.Source.StartLine != 35 || r.Source.EndLine != 44 {
		t.Errorf("folded rule = %+v %+v", r, r.Source)
	}
	ep := findEndpoint(t, m, "Endpoint")
	for p, l := range map[string]int{"subnet_ids[1]": 51, "security_group_ids[0]": 52, "private_dns_enabled": 53, "policy": 54, "type": 50} {
		if got := ep.AttributeLines[p]; got != l {
			t.Errorf("Endpoint %s: line %d, want %d", p, got, l)
		}
	}
	if ep.Policy == nil || !reflect.DeepEqual(ep.Policy.Statement[0].Action, []string{"*"}) || ep.Service != "ssm" {
		t.Errorf("endpoint = %+v", ep)
	}
	acl := findACL(t, m, "Acl")
	for p, l := range map[string]int{"entries[0]": 61, "entries[0].rule_number": 65, "entries[0].cidr_block": 68, "entries[0].from_port": 69} {
		if got := acl.AttributeLines[p]; got != l {
			t.Errorf("Acl %s: line %d, want %d", p, got, l)
		}
	}
	vpc := m.VPCs[0]
	if vpc.AttributeLines["cidr_blocks[0]"] != 8 || vpc.AttributeLines["enable_dns_hostnames"] != 10 {
		t.Errorf("vpc lines = %v", vpc.AttributeLines)
	}
}

func TestJSONEscapesAndTabs(t *testing.T) {
	m, errs := loadString(t, "t.json", "{\n\t\"Resources\": {\n\t\t\"G\": {\n\t\t\t\"Type\": \"AWS::EC2::SecurityGroup\",\n\t\t\t\"Properties\": {\"GroupDescription\": \"a\\/b \\\\/ \\u00e9\"}\n\t\t}\n\t}\n}\n", loader.Options{})
	if m == nil {
		t.Fatalf("errors: %v", errs)
	}
	g := findSG(t, m, "G")
	if *g.Description != `a/b \/ é` || g.AttributeLines["description"] != 5 || g.Source.EndLine != 6 {
		t.Errorf("group = %q lines %v source %+v", *g.Description, g.AttributeLines, g.Source)
	}
}

func TestByteOrderMark(t *testing.T) {
	m, errs := loadString(t, "bom.yaml", "\ufeffResources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n", loader.Options{})
	if m == nil || len(m.VPCs) != 1 || m.VPCs[0].Source.StartLine != 2 {
		t.Errorf("BOM template: %v", errs)
	}
}

func TestOtherTransformsAreNoted(t *testing.T) {
	m, errs := mustLoad(t, "Transform: [AWS::Serverless-2016-10-31, MyMacro]\nResources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n", loader.Options{})
	if len(m.VPCs) != 1 || len(errs) != 1 || !strings.Contains(errs[0].Message, "MyMacro") || errs[0].Level != model.LevelInfo {
		t.Errorf("errors = %v", errs)
	}
}

func TestForEachIsNoted(t *testing.T) {
	m, errs := mustLoad(t, "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Groups:\n    - G\n    - [a, b]\n    - SG${G}: {Type: AWS::EC2::SecurityGroup}\n", loader.Options{})
	if len(m.SecurityGroups) != 0 || len(errs) != 1 || errs[0].Level != model.LevelInfo || errs[0].Line != 3 {
		t.Errorf("errors = %v", errs)
	}
}

func TestNestedStack(t *testing.T) {
	m, errs := loadFile(t, "nested/parent.yaml", loader.Options{})
	if len(errorsMatching(errs, "remote template")) != 1 {
		t.Errorf("want an info note on the remote template: %v", errs)
	}
	for _, e := range errs {
		if e.Level != model.LevelInfo {
			t.Errorf("unexpected problem %v", e)
		}
	}
	g := findSG(t, m, "Net/AppSG")
	if g.ID != "Net/AppSG" || g.VPCID != "Vpc" || g.Source.File != "nested/child.yaml" || g.Source.Module != "Net" || g.Source.StartLine != 9 {
		t.Errorf("nested group = %+v", g)
	}
	if len(g.Ingress) != 2 || g.Ingress[0].CIDRBlocks[0] != "192.168.0.0/16" {
		t.Fatalf("nested ingress = %+v", g.Ingress)
	}
	// The parent's rule joins the child's group through its output.
	r := g.Ingress[1]
	if r.Address != "ExtraRule" || r.Source.File != "nested/parent.yaml" || intp(r.FromPort) != "8443" {
		t.Errorf("folded parent rule = %+v %+v", r, r.Source)
	}
	if g.AttributeFiles["ingress[1]"] != "nested/parent.yaml" || g.AttributeLines["ingress[1].from_port"] != 23 || g.AttributeFiles["ingress[0]"] != "" {
		t.Errorf("folded rule lines %v files %v", g.AttributeLines, g.AttributeFiles)
	}
}

func TestNestedStackCycle(t *testing.T) {
	dir := t.TempDir()
	self := "Resources:\n  Me:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./self.yaml\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: g}\n"
	p := filepath.Join(dir, "self.yaml")
	if err := os.WriteFile(p, []byte(self), 0o600); err != nil {
		t.Fatal(err)
	}
	ms, errs := New().Load(context.Background(), loader.Input{Path: p, Rel: "self.yaml", Content: []byte(self)}, loader.Options{})
	if e := errorsMatching(errs, "includes itself"); len(e) != 1 || e[0].Line != 2 {
		t.Errorf("cycle: %v", errs)
	}
	missing := "Resources:\n  Gone:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: nested/missing.yaml}\n"
	p2 := filepath.Join(dir, "missing.yaml")
	if _, errs := New().Load(context.Background(), loader.Input{Path: p2, Rel: "missing.yaml", Content: []byte(missing)}, loader.Options{}); len(errorsMatching(errs, "template nested/missing.yaml does not exist")) != 1 || strings.Contains(errs[0].Message, dir) {
		t.Errorf("missing nested template: %v", errs)
	}
	if len(ms) != 1 || len(ms[0].SecurityGroups) != 1 || len(errorsMatching(errs, "includes itself")) != 1 {
		t.Errorf("cycle: %d models, errors %v, %v", len(ms), errs, modeltest.Addresses(ms[0]))
	}
}

func TestCDKOutput(t *testing.T) {
	m, errs := loadFile(t, "cdk.out/NetStack.template.json", loader.Options{})
	if len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}
	if len(m.VPCs) != 1 || len(m.Subnets) != 2 || len(m.VPCEndpoints) != 1 {
		t.Fatalf("resources = %v", modeltest.Addresses(m))
	}
	a, b := findSubnet(t, m, "VpcPrivateSubnet1Subnet536B997A"), findSubnet(t, m, "VpcPrivateSubnet2Subnet3788AAA1")
	if a.AZRef != "GetAZs[0]" || b.AZRef != "GetAZs[1]" {
		t.Errorf("AZ refs %q %q", a.AZRef, b.AZRef)
	}
	ep := m.VPCEndpoints[0]
	if ep.Service != "s3" || ep.Type != "Gateway" || !reflect.DeepEqual(ep.RouteTableIDs, []string{"VpcPrivateSubnet1RouteTableB2C5B500"}) {
		t.Errorf("endpoint = %+v", ep)
	}
	if m.VPCs[0].Tags["Name"] != "NetStack/Vpc" {
		t.Errorf("tags = %v", m.VPCs[0].Tags)
	}
	m, _ = loadFile(t, "cdk.out/NetStack.template.json", loader.Options{Region: "us-east-1"})
	if ep := m.VPCEndpoints[0]; ep.ServiceName != "com.amazonaws.us-east-1.s3" {
		t.Errorf("service name with region = %q", ep.ServiceName)
	}
}

func TestSAM(t *testing.T) {
	m, errs := loadFile(t, "sam/template.yaml", loader.Options{})
	if len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}
	if got := modeltest.Addresses(m); !reflect.DeepEqual(got, []string{"FnSG"}) {
		t.Errorf("resources = %v", got)
	}
	g := m.SecurityGroups[0]
	if len(g.Egress) != 1 || g.Egress[0].Implicit {
		t.Errorf("written egress replaces the implicit rule: %+v", g.Egress)
	}
}

func TestSuppressions(t *testing.T) {
	m, errs := mustLoad(t, `Resources:
  # vpclint:ignore SG001,SG009 reason="bastion behind VPN" until=2027-03-31
  Bastion:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: bastion
      SecurityGroupIngress:
        # vpclint:ignore SG001 reason="office"
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 0.0.0.0/0
      # vpclint:ignore SG008
      SecurityGroupEgress:
        - IpProtocol: -1
          CidrIp: 0.0.0.0/0
  Meta:
    Type: AWS::EC2::VPCEndpoint
    Metadata:
      vpclint:
        ignore:
          - id: EP001
            reason: default policy accepted
          - ids: [DNS001, AZ001]
            until: 2030-01-01
    Properties:
      VpcId: vpc-1
      ServiceName: com.amazonaws.eu-west-1.s3
  # vpclint:ignore SG009 reason="legacy rule"
  Folded:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref Bastion
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIp: 10.0.0.0/8
  # vpclint:ignore SG001 until=someday
  BadComment:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: x}
`, loader.Options{})
	b := findSG(t, m, "Bastion")
	want := []model.Suppression{
		{RuleIDs: []string{"SG001", "SG009"}, Reason: "bastion behind VPN", Until: "2027-03-31", Kind: "comment", File: "template.yaml", Line: 2, StartLine: 3, EndLine: 16},
		{RuleIDs: []string{"SG001"}, Reason: "office", Kind: "comment", File: "template.yaml", Line: 8, Attribute: "ingress[0]", StartLine: 9, EndLine: 12},
		{RuleIDs: []string{"SG008"}, Kind: "comment", File: "template.yaml", Line: 13, Attribute: "egress", StartLine: 14, EndLine: 16},
		{RuleIDs: []string{"SG009"}, Reason: "legacy rule", Kind: "comment", File: "template.yaml", Line: 29, Attribute: "ingress[1]", StartLine: 30, EndLine: 37},
	}
	if !reflect.DeepEqual(b.Suppressions, want) {
		t.Errorf("bastion suppressions:\n got %+v\nwant %+v", b.Suppressions, want)
	}
	ep := findEndpoint(t, m, "Meta")
	wantEP := []model.Suppression{
		{RuleIDs: []string{"EP001"}, Reason: "default policy accepted", Kind: "metadata", File: "template.yaml", Line: 22, StartLine: 17, EndLine: 28},
		{RuleIDs: []string{"DNS001", "AZ001"}, Until: "2030-01-01", Kind: "metadata", File: "template.yaml", Line: 24, StartLine: 17, EndLine: 28},
	}
	if !reflect.DeepEqual(ep.Suppressions, wantEP) {
		t.Errorf("metadata suppressions:\n got %+v\nwant %+v", ep.Suppressions, wantEP)
	}
	if e := errorsMatching(errs, "until="); len(e) != 1 || e[0].Line != 38 || e[0].Level != model.LevelWarning {
		t.Errorf("malformed suppression = %v", errs)
	}
}

func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      Tags: *a9\n")
	start := time.Now()
	m, errs := loadString(t, "bomb.yaml", b.String(), loader.Options{})
	if d := time.Since(start); d > 250*time.Millisecond {
		t.Errorf("alias bomb took %v", d)
	}
	if m != nil || len(errs) != 1 || errs[0].File != "bomb.yaml" || !strings.Contains(errs[0].Message, "alias") || errs[0].Level != model.LevelError {
		t.Errorf("alias bomb: model %v, errors %v", m != nil, errs)
	}
}

func TestAliasesAndMergeKeys(t *testing.T) {
	m, _ := mustLoad(t, `x-rule: &https
  IpProtocol: tcp
  FromPort: 443
  ToPort: 443
Resources:
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
      SecurityGroupIngress:
        - <<: *https
          CidrIp: 10.0.0.0/8
        - *https
`, loader.Options{})
	g := findSG(t, m, "G")
	if len(g.Ingress) != 2 || intp(g.Ingress[0].FromPort) != "443" || g.Ingress[0].CIDRBlocks[0] != "10.0.0.0/8" || g.AttributeLines["ingress[1].from_port"] != 13 {
		t.Errorf("ingress = %+v lines %v", g.Ingress, g.AttributeLines)
	}
}

func TestParseFailures(t *testing.T) {
	tests := []struct {
		name, src, want string
		line            int
	}{
		{"duplicate key", "Resources:\n  A:\n    Type: AWS::EC2::VPC\n  B:\n    Type: AWS::EC2::VPC\n  A:\n    Type: AWS::EC2::Subnet\n", `duplicate key "A" at lines 2 and 6`, 6},
		{"duplicate JSON key", "{\"Resources\": {\n\"A\": {\"Type\": \"AWS::EC2::VPC\"},\n\"A\": {\"Type\": \"AWS::EC2::VPC\"}}}", "lines 2 and 3", 3},
		{"syntax", "Resources:\n  A: [\n", "did not find expected node content", 2},
		{"not a mapping", "- Resources\n", "must be a mapping", 1},
		{"no resources", "AWSTemplateFormatVersion: x\n", "no Resources", 0},
		{"resources not a map", "Resources: [a]\n", "Resources must be a mapping", 1},
		{"empty", "", "empty", 0},
		{"deep nesting", "Resources: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n", "nesting", 1},
		{"recursive alias", "a: &a [*a]\nResources: {}\n", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, errs := loadString(t, "bad.yaml", tc.src, loader.Options{})
			if m != nil || len(errs) != 1 {
				t.Fatalf("model %v, errors %v", m != nil, errs)
			}
			e := errs[0]
			if e.File != "bad.yaml" || e.Level != model.LevelError || !strings.Contains(e.Message, tc.want) || (tc.line > 0 && e.Line != tc.line) {
				t.Errorf("error = %+v, want message with %q at line %d", e, tc.want, tc.line)
			}
		})
	}
}

// TestLoaderKeepsScanning runs the template loader through loader.Loader: a
// broken template is an error and the other files are still read.
func TestLoaderKeepsScanning(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a-broken.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: {Type: AWS::EC2::VPC}\n  A: {Type: AWS::EC2::VPC}\n",
		"b-good.yaml":   "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: g}\n",
		"notes.yaml":    "title: not a template\n",
	}
	for name, c := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	l := &loader.Loader{Files: []loader.FileFormat{New()}}
	res, err := l.Load(context.Background(), []string{dir}, loader.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Units) != 1 || res.Units[0].Unit != "b-good.yaml" || len(res.Errors) != 1 || res.Errors[0].File != "a-broken.yaml" || res.Errors[0].Line != 4 {
		t.Errorf("units %d, errors %v", len(res.Units), res.Errors)
	}
}
