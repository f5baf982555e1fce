package terraform

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/modeltest"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

func fixtureDir(name string) string {
	return filepath.Join(repoRoot(), "testdata", "loader", "terraform", name)
}

// loadFixture loads one directory of testdata/loader/terraform as a scan of
// that directory would.
func loadFixture(t *testing.T, name string, opts loader.Options) ([]*model.Model, []model.LoadError) {
	t.Helper()
	return loadDir(t, fixtureDir(name), opts)
}

func oneUnit(t *testing.T, name string, opts loader.Options) (*model.Model, []model.LoadError) {
	t.Helper()
	units, errs := loadFixture(t, name, opts)
	if len(units) != 1 {
		t.Fatalf("%s: want 1 unit, got %d: %v", name, len(units), errs)
	}
	return units[0], errs
}

func sg(t *testing.T, m *model.Model, addr string) *model.SecurityGroup {
	t.Helper()
	return modeltest.ByAddress(t, m, m.SecurityGroups, addr)
}

func endpoint(t *testing.T, m *model.Model, addr string) *model.VPCEndpoint {
	t.Helper()
	return modeltest.ByAddress(t, m, m.VPCEndpoints, addr)
}

func hasError(errs []model.LoadError, level, substr string) bool {
	for _, e := range errs {
		if e.Level == level && strings.Contains(e.Error(), substr) {
			return true
		}
	}
	return false
}

func noPanics(t *testing.T, errs []model.LoadError) {
	t.Helper()
	for _, e := range errs {
		if strings.Contains(e.Message, "internal error") {
			t.Errorf("panic while loading: %s", e.Error())
		}
	}
}

func TestForEachMapWithSeparateIngressRules(t *testing.T) {
	m, errs := oneUnit(t, "for_each_rules", loader.Options{})
	noPanics(t, errs)
	g := sg(t, m, "aws_security_group.web")
	if len(g.Ingress) != 2 || len(g.Egress) != 1 {
		t.Fatalf("want 2 ingress and 1 egress rules, got %s", dump(g))
	}
	want := map[string]string{
		`aws_vpc_security_group_ingress_rule.https["office"]`: "203.0.113.0/24",
		`aws_vpc_security_group_ingress_rule.https["vpn"]`:    "198.51.100.0/24",
	}
	for i, r := range g.Ingress {
		cidr, ok := want[r.Address]
		if !ok || !reflect.DeepEqual(r.CIDRBlocks, []string{cidr}) {
			t.Errorf("ingress[%d] = %s %v", i, r.Address, r.CIDRBlocks)
		}
		if r.Protocol != "tcp" || *r.FromPort != 443 || *r.ToPort != 443 || r.Source == nil || r.Source.StartLine != 18 {
			t.Errorf("ingress[%d] = %s", i, dump(r))
		}
		if g.AttributeLines[indexPath("ingress", i, "cidr_blocks[0]")] != 26 {
			t.Errorf("ingress[%d] cidr line = %d", i, g.AttributeLines[indexPath("ingress", i, "cidr_blocks[0]")])
		}
	}
	if *g.Ingress[0].Description != "HTTPS from office" {
		t.Errorf("description %q", *g.Ingress[0].Description)
	}
	if e := g.Egress[0]; e.Protocol != "all" || e.CIDRBlocks[0] != "0.0.0.0/0" || e.Address != "aws_vpc_security_group_egress_rule.all" {
		t.Errorf("egress = %s", dump(e))
	}
	if g.VPCID != "aws_vpc.main" {
		t.Errorf("vpc_id %q", g.VPCID)
	}
}

func indexPath(list string, i int, rest string) string {
	return list + "[" + strconv.Itoa(i) + "]." + rest
}

func TestModuleCalledTwice(t *testing.T) {
	m, errs := oneUnit(t, "module_twice", loader.Options{})
	noPanics(t, errs)
	if m.Unit != "." {
		t.Errorf("unit %q", m.Unit)
	}
	app := sg(t, m, "module.app.aws_security_group.this")
	db := sg(t, m, "module.db.aws_security_group.this")
	if app.Name != "app" || db.Name != "db" || app.VPCID != "aws_vpc.main" || app.Source.Module != "module.app" {
		t.Errorf("app %s db %s", dump(app.Meta), dump(db.Meta))
	}
	if len(app.Ingress) != 1 || *app.Ingress[0].FromPort != 443 || app.Ingress[0].CIDRBlocks[0] != "0.0.0.0/0" {
		t.Errorf("app ingress %s", dump(app.Ingress))
	}
	if len(db.Ingress) != 2 || *db.Ingress[1].FromPort != 5433 || db.Ingress[1].CIDRBlocks[0] != "10.1.0.0/16" {
		t.Errorf("db ingress %s", dump(db.Ingress))
	}
	if db.Ingress[1].Address != "module.db.aws_security_group_rule.in[1]" {
		t.Errorf("rule address %q", db.Ingress[1].Address)
	}
	if db.Source.File != "modules/sg/main.tf" {
		t.Errorf("file %q", db.Source.File)
	}
}

func TestDynamicIngressBlock(t *testing.T) {
	m, errs := oneUnit(t, "dynamic", loader.Options{})
	noPanics(t, errs)
	g := sg(t, m, "aws_security_group.dyn")
	if len(g.Ingress) != 2 {
		t.Fatalf("want 2 ingress rules, got %s", dump(g.Ingress))
	}
	if *g.Ingress[0].FromPort != 22 || *g.Ingress[0].Description != "managed" || *g.Ingress[1].Description != "https" || g.Ingress[1].CIDRBlocks[0] != "0.0.0.0/0" {
		t.Errorf("ingress %s", dump(g.Ingress))
	}
	if len(g.Egress) != 0 || g.Egress == nil {
		t.Errorf("Terraform removes the default egress: want a known empty list, got %v", g.Egress)
	}
	u := sg(t, m, "aws_security_group.unknown_dyn")
	if u.Ingress != nil || !slices.Contains(u.Unknown, "ingress") {
		t.Errorf("a dynamic block over an unknown list must be unknown: %s", dump(u))
	}
}

func TestVariableWithoutDefaultIsUnknown(t *testing.T) {
	m, errs := oneUnit(t, "novar", loader.Options{})
	noPanics(t, errs)
	g := sg(t, m, "aws_security_group.admin")
	r := g.Ingress[0]
	if r.CIDRBlocks != nil {
		t.Errorf("cidr_blocks guessed: %v", r.CIDRBlocks)
	}
	if !slices.Contains(g.Unknown, "ingress[0].cidr_blocks") {
		t.Errorf("unknown = %v", g.Unknown)
	}
	// set through --var it is known
	m, _ = oneUnit(t, "novar", loader.Options{Vars: map[string]string{"admin_cidr": "10.9.0.1/16"}})
	if got := sg(t, m, "aws_security_group.admin").Ingress[0].CIDRBlocks; !reflect.DeepEqual(got, []string{"10.9.0.0/16"}) {
		t.Errorf("with --var: %v", got)
	}
}

func TestVariablePrecedence(t *testing.T) {
	opts := loader.Options{
		Env:      []string{"TF_VAR_a=env", "TF_VAR_b=env", "TF_VAR_ports=[80, 443]"},
		VarFiles: []string{filepath.Join(fixtureDir("tfvars"), "extra.tfvars.txt")},
		Vars:     map[string]string{"f": "cli"},
	}
	m, errs := oneUnit(t, "tfvars", opts)
	noPanics(t, errs)
	got := m.VPCs[0].Tags
	want := map[string]string{
		"a": "env", "b": "terraform.tfvars", "c": "a.auto.tfvars", "d": "b.auto.tfvars",
		"e": "var-file", "f": "cli", "ports": "80,443",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tags = %v, want %v", got, want)
	}
}

func TestIAMPolicyDocumentAndDataSources(t *testing.T) {
	m, errs := oneUnit(t, "iam", loader.Options{Account: "111122223333"})
	noPanics(t, errs)
	e := endpoint(t, m, "aws_vpc_endpoint.s3")
	if e.ServiceName != "com.amazonaws.eu-west-1.s3" || e.Service != "s3" {
		t.Errorf("service %q %q", e.ServiceName, e.Service)
	}
	if e.Policy == nil {
		t.Fatalf("policy not rendered: %s", dump(e))
	}
	p := e.Policy
	if len(p.Statement) != 2 || p.Version != "2012-10-17" || len(p.Problems) != 0 {
		t.Fatalf("policy %s", dump(p))
	}
	s0 := p.Statement[0]
	if !s0.PrincipalStar || s0.Sid != "OrgOnly" || !reflect.DeepEqual(s0.Action, []string{"s3:GetObject", "s3:PutObject"}) ||
		!reflect.DeepEqual(s0.Resource, []string{"arn:aws:s3:::bucket/*"}) || s0.Conditions[0].Key != "aws:principalorgid" {
		t.Errorf("statement 0 %s", dump(s0))
	}
	s1 := p.Statement[1]
	if s1.Effect != "Deny" || !reflect.DeepEqual(s1.Principal["AWS"], []string{"arn:aws:iam::111122223333:root"}) || s1.NotAction[0] != "s3:*" {
		t.Errorf("statement 1 %s", dump(s1))
	}
	ssm := endpoint(t, m, "aws_vpc_endpoint.ssm")
	if ssm.ServiceName != "com.amazonaws.eu-west-1.ssm" || *ssm.PrivateDNSEnabled != true || slices.Contains(ssm.Defaulted, "private_dns_enabled") {
		t.Errorf("ssm %s", dump(ssm))
	}
	if m.Context.Region != "eu-west-1" || m.Context.Partition != "aws" {
		t.Errorf("context %+v", m.Context)
	}
	// without an account, the caller identity is unknown and so is the policy
	m, _ = oneUnit(t, "iam", loader.Options{})
	e = endpoint(t, m, "aws_vpc_endpoint.s3")
	if e.Policy != nil || !slices.Contains(e.Unknown, "policy") {
		t.Errorf("policy should be unknown without --account: %s", dump(e))
	}
}

// TestPolicyDocumentSources checks how aws_iam_policy_document merges
// source and override documents: an override replaces the statement with
// its Sid, keys the provider does not know are dropped, and a document the
// provider would refuse leaves the policy unknown.
func TestPolicyDocumentSources(t *testing.T) {
	endpointOf := func(doc string) string {
		return doc + `
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = "vpc-123"
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  policy            = data.aws_iam_policy_document.d.json
}
`
	}
	tests := []struct {
		name string
		doc  string
		sids []string // nil: the policy is unknown
	}{
		{
			name: "override replaces by Sid, source first",
			doc: `data "aws_iam_policy_document" "d" {
  source_policy_documents   = []
  source_json               = "{\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Principal\":\"*\",\"Odd\":1}]}"
  override_policy_documents = ["{\"Statement\":{\"Sid\":\"B\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Principal\":\"*\"}}"]
  statement {
    sid       = "B"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}`,
			sids: []string{"A", "B"},
		},
		{
			name: "statement of an override is not an object",
			doc: `data "aws_iam_policy_document" "d" {
  override_policy_documents = ["{\"Statement\":[\"x\"]}"]
}`,
		},
		{
			name: "statement of a source is not an object",
			doc: `data "aws_iam_policy_document" "d" {
  source_json = "{\"Statement\":[1]}"
}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, errs := loadSource(t, map[string]string{"main.tf": endpointOf(tc.doc)}, loader.Options{})
			noPanics(t, errs)
			e := endpoint(t, m, "aws_vpc_endpoint.s3")
			if tc.sids == nil {
				if e.Policy != nil || !slices.Contains(e.Unknown, "policy") {
					t.Errorf("policy should be unknown: %s", dump(e))
				}
				return
			}
			if e.Policy == nil || len(e.Policy.Problems) != 0 {
				t.Fatalf("policy: %s", dump(e))
			}
			var sids []string
			for _, st := range e.Policy.Statement {
				sids = append(sids, st.Sid)
			}
			if !slices.Equal(sids, tc.sids) || e.Policy.Statement[1].Action[0] != "s3:*" {
				t.Errorf("statements %s", dump(e.Policy.Statement))
			}
		})
	}
}

func TestUnknownFunction(t *testing.T) {
	m, errs := oneUnit(t, "unknown_func", loader.Options{})
	noPanics(t, errs)
	g := sg(t, m, "aws_security_group.x")
	if g.Description != nil || !slices.Contains(g.Unknown, "description") {
		t.Errorf("description %s", dump(g))
	}
	if g.Ingress[0].CIDRBlocks[0] != "10.0.1.0/24" {
		t.Errorf("other values still evaluate: %v", g.Ingress[0].CIDRBlocks)
	}
	if !hasError(errs, model.LevelWarning, `main.tf:3: call to unknown function "no_such_function"`) {
		t.Errorf("errors %v", errs)
	}
}

func TestAllResourceTypes(t *testing.T) {
	m, errs := oneUnit(t, "all_types", loader.Options{})
	noPanics(t, errs)
	if len(m.VPCs) != 1 || len(m.Subnets) != 2 || len(m.FlowLogs) != 1 || len(m.RouteTables) != 1 || len(m.EndpointServices) != 1 {
		t.Fatalf("resources %v", modeltest.Addresses(m))
	}
	vpc := m.VPCs[0]
	if *vpc.EnableDNSHostnames != true || *vpc.EnableDNSSupport != true || !reflect.DeepEqual(vpc.Defaulted, []string{"enable_dns_support"}) {
		t.Errorf("vpc %s", dump(vpc))
	}
	a, b := m.Subnets[0], m.Subnets[1]
	if a.AZRef != "data.aws_availability_zones.available.names[0]" || a.AvailabilityZone != "" || a.CIDRBlock != "10.0.0.0/24" || a.NetworkACLID != "aws_network_acl.private" || a.RouteTableID != "aws_route_table.private" {
		t.Errorf("subnet a %s", dump(a))
	}
	if b.AvailabilityZone != "eu-west-1b" || b.NetworkACLID != "aws_network_acl.private" {
		t.Errorf("subnet b %s", dump(b))
	}
	def := sg(t, m, "aws_default_security_group.default")
	if !def.IsDefault || len(def.Ingress) != 1 || def.VPCID != "aws_vpc.main" || def.Ingress[0].Protocol != "all" ||
		!reflect.DeepEqual(def.Ingress[0].SecurityGroupIDs, []string{"aws_default_security_group.default"}) {
		t.Errorf("default sg %s", dump(def))
	}
	eps := sg(t, m, "aws_security_group.endpoints")
	if !reflect.DeepEqual(eps.Ingress[0].CIDRBlocks, []string{"10.0.0.0/16", "192.168.0.0/16"}) || eps.AttributeLines["ingress[0].cidr_blocks[1]"] != 36 {
		t.Errorf("endpoints sg %s", dump(eps))
	}
	if len(eps.Egress) != 1 || eps.Egress[0].Address != "aws_security_group_rule.egress" || eps.AttributeFiles["egress[0]"] != "separate.tf" || eps.AttributeLines["egress[0].cidr_blocks[0]"] != 7 {
		t.Errorf("folded egress %s", dump(eps))
	}
	ph := sg(t, m, "sg-0abc")
	if !ph.Placeholder || len(ph.Ingress) != 1 || ph.ID != "sg-0abc" {
		t.Errorf("placeholder %s", dump(ph))
	}
	var acl, dacl *model.NetworkACL
	for _, x := range m.NetworkACLs {
		switch x.Address {
		case "aws_network_acl.private":
			acl = x
		case "aws_default_network_acl.default":
			dacl = x
		}
	}
	if acl == nil || dacl == nil {
		t.Fatalf("acls %v", modeltest.Addresses(m))
	}
	if len(acl.Entries) != 3 || *acl.Entries[2].RuleNumber != 50 || acl.Entries[2].Action != "deny" || acl.Entries[1].Egress != true || !reflect.DeepEqual(acl.SubnetIDs, []string{"aws_subnet.a", "aws_subnet.b"}) {
		t.Errorf("acl %s", dump(acl))
	}
	if acl.AttributeLines["entries[2].cidr_block"] != 28 || acl.AttributeFiles["entries[2]"] != "separate.tf" {
		t.Errorf("acl lines %v %v", acl.AttributeLines, acl.AttributeFiles)
	}
	if !dacl.IsDefault || dacl.VPCID != "aws_vpc.main" || len(dacl.Entries) != 0 {
		t.Errorf("default acl %s", dump(dacl))
	}
	ssm := endpoint(t, m, "aws_vpc_endpoint.ssm")
	if ssm.Type != "Interface" || ssm.Service != "ssm" || !reflect.DeepEqual(ssm.SubnetIDs, []string{"aws_subnet.a", "aws_subnet.b"}) ||
		!reflect.DeepEqual(ssm.SecurityGroupIDs, []string{"aws_default_security_group.default", "aws_security_group.endpoints"}) ||
		ssm.DNSOptions == nil || ssm.DNSOptions.DNSRecordIPType != "ipv4" || ssm.IPAddressType != "ipv4" {
		t.Errorf("ssm %s", dump(ssm))
	}
	s3 := endpoint(t, m, "aws_vpc_endpoint.s3")
	if s3.Type != "Gateway" || !slices.Contains(s3.Defaulted, "type") || *s3.PrivateDNSEnabled != false || !reflect.DeepEqual(s3.RouteTableIDs, []string{"aws_route_table.private"}) {
		t.Errorf("s3 %s", dump(s3))
	}
	if s3.Policy == nil || s3.Policy.Statement[0].Action[0] != "s3:GetObject" || s3.AttributeFiles["policy"] != "separate.tf" {
		t.Errorf("s3 policy from aws_vpc_endpoint_policy: %s", dump(s3))
	}
	svc := m.EndpointServices[0]
	if *svc.AcceptanceRequired || !reflect.DeepEqual(svc.AllowedPrincipals, []string{"arn:aws:iam::111122223333:root"}) {
		t.Errorf("service %s", dump(svc))
	}
	rt := m.RouteTables[0]
	if len(rt.Routes) != 2 || rt.Routes[0].Target != "nat-123" || rt.Routes[1].TargetType != "vpc_endpoint_id" || rt.Routes[1].DestinationPrefixListID != "aws_vpc_endpoint.s3.prefix_list_id" {
		t.Errorf("route table %s", dump(rt))
	}
	if fl := m.FlowLogs[0]; fl.ResourceID != "aws_vpc.main" || fl.ResourceType != "VPC" || fl.TrafficType != "ALL" {
		t.Errorf("flow log %s", dump(fl))
	}
}

func TestPolicyThatDoesNotParseIsKept(t *testing.T) {
	m, _ := loadSource(t, map[string]string{"main.tf": `
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.us-east-1.s3"
  policy       = "{not json"
}`}, loader.Options{})
	e := m.VPCEndpoints[0]
	if e.Policy != nil || e.PolicyRaw == nil || *e.PolicyRaw != "{not json" || e.PolicyError == "" || e.AttributeLines["policy"] != 5 {
		t.Errorf("endpoint %s", dump(e))
	}
}

func TestInvalidValuesAreWarningsAndUnknown(t *testing.T) {
	m, errs := oneUnit(t, "invalid", loader.Options{})
	g := sg(t, m, "aws_security_group.bad")
	if g.Ingress[0].FromPort != nil || !slices.Contains(g.Unknown, "ingress[0].from_port") {
		t.Errorf("reversed range kept: %s", dump(g.Ingress[0]))
	}
	if g.Ingress[1].CIDRBlocks != nil || !slices.Contains(g.Unknown, "ingress[1].cidr_blocks") {
		t.Errorf("bad CIDR kept: %s", dump(g.Ingress[1]))
	}
	if !hasError(errs, model.LevelWarning, "main.tf:7: aws_security_group.bad: port range 443-80 is reversed") {
		t.Errorf("errors %v", errs)
	}
	if !hasError(errs, model.LevelWarning, `main.tf:17: aws_security_group.bad: cidr_blocks: "10.0.0.300/8" is not a valid IPv4 CIDR`) {
		t.Errorf("errors %v", errs)
	}
	if !hasError(errs, model.LevelWarning, "main.tf:45: aws_network_acl_rule.out_of_range: rule number 40000 is outside 1-32766") || !hasError(errs, model.LevelWarning, "main.tf:50: aws_network_acl_rule.out_of_range: to_port 70000 is outside") {
		t.Errorf("out of range values: %v", errs)
	}
	if e := m.NetworkACLs[0].Entries[2]; e.RuleNumber != nil || e.ToPort != nil || *e.FromPort != 443 {
		t.Errorf("out of range entry %s", dump(e))
	}
	if len(m.NetworkACLs[0].Entries) != 3 || !hasError(errs, model.LevelWarning, "main.tf:34: aws_network_acl.dup: two ingress entries with rule number 100") {
		t.Errorf("duplicate rule number: %v %s", errs, dump(m.NetworkACLs[0]))
	}
}

func TestBrokenFileDoesNotStopOthers(t *testing.T) {
	m, errs := oneUnit(t, "broken", loader.Options{})
	sg(t, m, "aws_security_group.ok")
	found := false
	for _, e := range errs {
		if e.File == "bad.tf" && e.Line > 0 && e.Level == model.LevelError {
			found = true
		}
	}
	if !found {
		t.Errorf("no parse error for bad.tf: %v", errs)
	}
}

func TestBinaryAndNonUTF8Files(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }`), 0o644)
	os.WriteFile(filepath.Join(dir, "bin.tf"), []byte{0x7f, 'E', 'L', 'F', 0, 0, 1}, 0o644)
	os.WriteFile(filepath.Join(dir, "latin1.tf"), []byte("# caf\xe9\n"), 0o644)
	units, errs := loadDir(t, dir, loader.Options{})
	if len(units) != 1 || len(units[0].VPCs) != 1 {
		t.Fatalf("units %v", units)
	}
	if !hasError(errs, model.LevelError, "bin.tf: binary file") || !hasError(errs, model.LevelError, "latin1.tf: file is not valid UTF-8") {
		t.Errorf("errors %v", errs)
	}
}

func TestModuleCycleRefused(t *testing.T) {
	units, errs := loadFixture(t, "cycle", loader.Options{})
	noPanics(t, errs)
	if len(units) == 0 {
		t.Fatalf("no unit loaded: %v", errs)
	}
	if !hasError(errs, model.LevelError, "module cycle refused") {
		t.Errorf("errors %v", errs)
	}
}

func TestRemoteModules(t *testing.T) {
	m, errs := oneUnit(t, "remote", loader.Options{})
	noPanics(t, errs)
	if !hasError(errs, model.LevelInfo, `module "missing": remote source "terraform-aws-modules/vpc/aws" is not installed`) {
		t.Errorf("errors %v", errs)
	}
	g := sg(t, m, "module.installed.aws_security_group.this")
	if g.VPCID != "" || !slices.Contains(g.Unknown, "vpc_id") {
		t.Errorf("installed module %s", dump(g))
	}
	e := endpoint(t, m, "aws_vpc_endpoint.x")
	if !reflect.DeepEqual(e.SecurityGroupIDs, []string{"module.installed.aws_security_group.this"}) || e.VPCID != "" || !slices.Contains(e.Unknown, "vpc_id") {
		t.Errorf("endpoint %s", dump(e))
	}
}

func TestSuppressionComments(t *testing.T) {
	m, errs := oneUnit(t, "suppress", loader.Options{})
	g := sg(t, m, "aws_security_group.bastion")
	if len(g.Suppressions) != 2 {
		t.Fatalf("suppressions %s", dump(g.Suppressions))
	}
	s := g.Suppressions[0]
	if !reflect.DeepEqual(s.RuleIDs, []string{"SG001", "SG004"}) || s.Reason != "bastion behind VPN" || s.Until != "2030-01-01" ||
		s.Line != 1 || s.StartLine != 2 || s.EndLine != 15 || s.Kind != "comment" || s.File != "main.tf" || s.Attribute != "" {
		t.Errorf("block suppression %s", dump(s))
	}
	a := g.Suppressions[1]
	if a.Attribute != "ingress[0].cidr_blocks" || a.Line != 12 || a.StartLine != 13 || a.EndLine != 13 {
		t.Errorf("attribute suppression %s", dump(a))
	}
	if !hasError(errs, model.LevelWarning, "main.tf:17: suppression names no rule id") {
		t.Errorf("errors %v", errs)
	}
}

func TestSingleFileNamed(t *testing.T) {
	dir := fixtureDir("all_types")
	units, errs := New().LoadDirs(context.Background(), []loader.Dir{{Path: dir, Rel: ".", Files: []string{"separate.tf"}}}, loader.Options{WorkDir: dir, Root: dir, Env: []string{}})
	noPanics(t, errs)
	if len(units) != 1 {
		t.Fatalf("units %d", len(units))
	}
	m := units[0]
	if len(m.VPCs) != 0 {
		t.Errorf("main.tf was read: %v", modeltest.Addresses(m))
	}
	g := sg(t, m, "aws_security_group.endpoints")
	if !g.Placeholder || len(g.Egress) != 1 {
		t.Errorf("placeholder %s", dump(g))
	}
}

func TestLocalModuleOutsideGitTreeNotFollowed(t *testing.T) {
	base := t.TempDir()
	repo := filepath.Join(base, "repo")
	os.MkdirAll(filepath.Join(repo, ".git"), 0o755)
	os.MkdirAll(filepath.Join(repo, "root"), 0o755)
	os.MkdirAll(filepath.Join(base, "outside"), 0o755)
	os.WriteFile(filepath.Join(repo, "root", "main.tf"), []byte(`module "x" { source = "../../outside" }`), 0o644)
	os.WriteFile(filepath.Join(base, "outside", "main.tf"), []byte(`resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }`), 0o644)
	root := filepath.Join(repo, "root")
	units, errs := loadDir(t, root, loader.Options{})
	if len(units) != 1 || len(units[0].VPCs) != 0 {
		t.Fatalf("module outside the work tree was read: %v", units)
	}
	if !hasError(errs, model.LevelWarning, `source "../../outside" leaves the scan root`) {
		t.Errorf("errors %v", errs)
	}
	for _, e := range errs {
		if strings.Contains(e.Error(), base) {
			t.Errorf("absolute path in %q", e.Error())
		}
	}
}

func TestRootsSkipCalledModules(t *testing.T) {
	units, _ := loadFixture(t, "module_twice", loader.Options{})
	if len(units) != 1 {
		var names []string
		for _, u := range units {
			names = append(names, u.Unit)
		}
		t.Errorf("the called module is loaded on its own too: %v", names)
	}
}

func TestJSONConfiguration(t *testing.T) {
	m, errs := oneUnit(t, "json", loader.Options{})
	noPanics(t, errs)
	g := sg(t, m, "aws_security_group.ssh")
	if len(g.Ingress) != 1 || *g.Ingress[0].FromPort != 22 || g.Ingress[0].CIDRBlocks[0] != "203.0.113.0/24" || *g.Ingress[0].Description != "office" {
		t.Errorf("group %s", dump(g))
	}
	if g.AttributeLines["ingress[0].from_port"] == 0 {
		t.Errorf("lines %v", g.AttributeLines)
	}
}

func TestNullableVariables(t *testing.T) {
	m, _ := loadSource(t, map[string]string{
		"main.tf": `
module "m" {
  source = "./m"
  a      = null
  b      = null
}`,
		"m/main.tf": `
variable "a" {
  default = "10.0.0.0/8"
}
variable "b" {
  default  = "10.0.0.0/8"
  nullable = false
}
resource "aws_security_group" "g" {
  name        = "g"
  description = "g"
  vpc_id      = "vpc-1"
  ingress {
    from_port   = 1
    to_port     = 1
    protocol    = "tcp"
    cidr_blocks = compact([var.a, var.b])
  }
}`}, loader.Options{})
	g := sg(t, m, "module.m.aws_security_group.g")
	if !reflect.DeepEqual(g.Ingress[0].CIDRBlocks, []string{"10.0.0.0/8"}) {
		t.Errorf("cidrs %v", g.Ingress[0].CIDRBlocks)
	}
}

func TestDefaultGroupPlaceholder(t *testing.T) {
	m, _ := loadSource(t, map[string]string{"main.tf": `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_vpc.main.default_security_group_id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}`}, loader.Options{})
	g := sg(t, m, "aws_vpc.main.default_security_group_id")
	if !g.Placeholder || !g.IsDefault || g.VPCID != "aws_vpc.main" || len(g.Ingress) != 1 || g.Ingress[0].Address != "aws_security_group_rule.ssh" {
		t.Errorf("placeholder %s", dump(g))
	}
}

func TestExpressions(t *testing.T) {
	m, errs := loadSource(t, map[string]string{
		"b.tf": `
locals {
  # defined after use, in another file: order does not matter
  azs     = ["eu-west-1a", "eu-west-1b"]
  base    = cidrsubnet(local.vpc_cidr, 4, 0)
}`,
		"a.tf": `
locals {
  vpc_cidr = "10.0.0.0/16"
  env      = "prod"
  open     = local.env == "dev" ? ["0.0.0.0/0"] : [for c in aws_subnet.private[*].cidr_block : c if c != ""]
}

variable "unknown_cidr" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = local.vpc_cidr
}

resource "aws_subnet" "private" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.main.id
  availability_zone = element(local.azs, count.index)
  cidr_block        = cidrsubnet(local.base, 4, count.index)
  tags = {
    Name = "${local.env}-private-${local.azs[count.index]}"
  }
}

resource "aws_vpc_endpoint" "ssm" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type = "Interface"
  subnet_ids        = aws_subnet.private[*].id
}

resource "aws_security_group" "sg" {
  name        = "sg"
  description = "sg"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = local.open
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [cidrsubnet(var.unknown_cidr, 8, 1)]
  }
}`}, loader.Options{})
	noPanics(t, errs)
	if len(m.Subnets) != 2 {
		t.Fatalf("subnets %v", modeltest.Addresses(m))
	}
	s1 := m.Subnets[1]
	if s1.Address != "aws_subnet.private[1]" || s1.CIDRBlock != "10.0.1.0/24" || s1.AvailabilityZone != "eu-west-1b" || s1.Tags["Name"] != "prod-private-eu-west-1b" {
		t.Errorf("subnet %s", dump(s1))
	}
	e := endpoint(t, m, "aws_vpc_endpoint.ssm")
	if !reflect.DeepEqual(e.SubnetIDs, []string{"aws_subnet.private[0]", "aws_subnet.private[1]"}) || e.AttributeLines["subnet_ids[1]"] != 30 {
		t.Errorf("splat subnet ids %s", dump(e))
	}
	g := sg(t, m, "aws_security_group.sg")
	if !reflect.DeepEqual(g.Ingress[0].CIDRBlocks, []string{"10.0.0.0/24", "10.0.1.0/24"}) {
		t.Errorf("for expression %v", g.Ingress[0].CIDRBlocks)
	}
	if g.Ingress[1].CIDRBlocks != nil || !slices.Contains(g.Unknown, "ingress[1].cidr_blocks") {
		t.Errorf("a value derived from an unknown must be unknown: %s", dump(g))
	}
}

func TestSecondaryCIDRBlocks(t *testing.T) {
	m, _ := loadSource(t, map[string]string{"main.tf": `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_vpc_ipv4_cidr_block_association" "second" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "100.64.0.0/16"
}`}, loader.Options{})
	v := m.VPCs[0]
	if !reflect.DeepEqual(v.CIDRBlocks, []string{"10.0.0.0/16", "100.64.0.0/16"}) || v.AttributeLines["cidr_blocks[1]"] != 7 {
		t.Errorf("vpc %s", dump(v))
	}
}

func TestOverrideFiles(t *testing.T) {
	m, _ := loadSource(t, map[string]string{
		"main.tf": `
resource "aws_security_group" "g" {
  name        = "g"
  description = "original"
  vpc_id      = "vpc-1"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
		"main_override.tf": `
resource "aws_security_group" "g" {
  description = "overridden"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}`}, loader.Options{})
	if len(m.SecurityGroups) != 1 {
		t.Fatalf("groups %v", modeltest.Addresses(m))
	}
	g := m.SecurityGroups[0]
	if *g.Description != "overridden" || g.Name != "g" || len(g.Ingress) != 1 || *g.Ingress[0].FromPort != 443 {
		t.Errorf("group %s", dump(g))
	}
}

func TestModuleForEachAndCount(t *testing.T) {
	m, errs := loadSource(t, map[string]string{
		"main.tf": `
module "sg" {
  source   = "./sg"
  for_each = { web = 443, db = 5432 }
  name     = each.key
  port     = each.value
}

module "extra" {
  source = "./sg"
  count  = 2
  name   = "extra${count.index}"
  port   = 8080 + count.index
}

resource "aws_vpc_endpoint" "e" {
  vpc_id             = "vpc-1"
  service_name       = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type  = "Interface"
  security_group_ids = concat([module.sg["web"].id], module.extra[*].id)
}`,
		"sg/main.tf": `
variable "name" {}
variable "port" { type = number }
resource "aws_security_group" "this" {
  name        = var.name
  description = var.name
  vpc_id      = "vpc-1"
  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
output "id" { value = aws_security_group.this.id }`}, loader.Options{})
	noPanics(t, errs)
	db := sg(t, m, `module.sg["db"].aws_security_group.this`)
	if *db.Ingress[0].FromPort != 5432 || db.Source.Module != `module.sg["db"]` {
		t.Errorf("db %s", dump(db))
	}
	x1 := sg(t, m, "module.extra[1].aws_security_group.this")
	if x1.Name != "extra1" || *x1.Ingress[0].FromPort != 8081 {
		t.Errorf("extra[1] %s", dump(x1))
	}
	e := endpoint(t, m, "aws_vpc_endpoint.e")
	want := []string{`module.sg["web"].aws_security_group.this`, "module.extra[0].aws_security_group.this", "module.extra[1].aws_security_group.this"}
	if !reflect.DeepEqual(e.SecurityGroupIDs, want) {
		t.Errorf("endpoint groups %v", e.SecurityGroupIDs)
	}
}

func TestFileFunctionsInModules(t *testing.T) {
	m, errs := loadSource(t, map[string]string{
		"main.tf": `
module "ep" {
  source = "./modules/ep"
}`,
		"modules/ep/main.tf": `
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.eu-west-1.s3"
  policy       = templatefile("${path.module}/policy.json.tftpl", { bucket = "b" })
}`,
		"modules/ep/policy.json.tftpl": `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}/*"}]}`,
	}, loader.Options{})
	noPanics(t, errs)
	e := endpoint(t, m, "module.ep.aws_vpc_endpoint.s3")
	if e.Policy == nil || e.Policy.Statement[0].Resource[0] != "arn:aws:s3:::b/*" {
		t.Errorf("policy %s %v", dump(e), errs)
	}
}

func TestRegionFromOptionsAndEnvironment(t *testing.T) {
	files := map[string]string{"main.tf": `
data "aws_region" "current" {}
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-1"
  service_name = "com.amazonaws.${data.aws_region.current.name}.s3"
}`}
	for _, tc := range []struct {
		opts loader.Options
		want string
	}{
		{loader.Options{}, ""},
		{loader.Options{Region: "us-east-2", Env: []string{"AWS_REGION=eu-north-1"}}, "com.amazonaws.us-east-2.s3"},
		{loader.Options{Env: []string{"AWS_DEFAULT_REGION=ap-south-1"}}, "com.amazonaws.ap-south-1.s3"},
	} {
		m, _ := loadSource(t, files, tc.opts)
		if got := m.VPCEndpoints[0].ServiceName; got != tc.want {
			t.Errorf("%+v: service name %q, want %q", tc.opts, got, tc.want)
		}
	}
}

func TestCyclesAndUnknownCounts(t *testing.T) {
	m, errs := loadSource(t, map[string]string{"main.tf": `
variable "n" {
  type = number
}
locals {
  a = local.b
  b = local.a
}
resource "aws_security_group" "cyclic" {
  name        = "cyclic"
  description = "cyclic"
  vpc_id      = local.a
}
resource "aws_security_group" "counted" {
  count       = var.n
  name        = "counted"
  description = "counted"
  vpc_id      = "vpc-1"
}`}, loader.Options{})
	noPanics(t, errs)
	g := sg(t, m, "aws_security_group.cyclic")
	if g.VPCID != "" || !slices.Contains(g.Unknown, "vpc_id") {
		t.Errorf("cyclic %s", dump(g))
	}
	if len(m.SecurityGroups) != 1 || !hasError(errs, model.LevelWarning, "aws_security_group.counted: count or for_each is unknown") {
		t.Errorf("unknown count: %v %v", modeltest.Addresses(m), errs)
	}
}
