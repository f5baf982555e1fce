package tfplan

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/modeltest"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// basicDir holds a plan made by terraform 1.11 with the AWS provider 5.100
// (`terraform show -json | jq .`) and the .tf it came from.
func basicDir(t testing.TB) string {
	return filepath.Join(repoRoot(t), "testdata", "loader", "tfplan", "basic")
}

func loadBasic(t *testing.T, opts loader.Options) *model.Model {
	t.Helper()
	ok, units, errs := loadFile(t, filepath.Join(basicDir(t), "plan.json"), opts)
	if !ok || len(units) != 1 {
		t.Fatalf("detected %v, units %d, errors %v", ok, len(units), errs)
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
	return units[0]
}

// ruleKey summarizes a rule the way rules see it.
func ruleKey(r *model.SGRule) string {
	var b strings.Builder
	b.WriteString(r.Protocol)
	if r.FromPort != nil && r.ToPort != nil {
		b.WriteString(" " + itoa(*r.FromPort) + "-" + itoa(*r.ToPort))
	}
	b.WriteString(" " + strings.Join(r.CIDRBlocks, ","))
	if r.Address != "" {
		b.WriteString(" <" + r.Address + ">")
	}
	return b.String()
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func ruleKeys(rs []*model.SGRule) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, ruleKey(r))
	}
	return out
}

func TestBasicFixtureModel(t *testing.T) {
	m := loadBasic(t, loader.Options{})
	const tf = "testdata/loader/tfplan/basic/main.tf"
	const modTF = "testdata/loader/tfplan/basic/modules/sg/main.tf"

	groups := []struct {
		addr, file   string
		start, end   int
		vpc          string
		ingress      []string
		egress       []string
		ingressLines []int
	}{
		{"aws_security_group.endpoints", tf, 28, 48, "aws_vpc.main",
			[]string{"tcp 22-22 0.0.0.0/0", "tcp 443-443 10.0.0.0/16"}, []string{}, []int{41, 33}},
		{"aws_security_group.web", tf, 50, 54, "aws_vpc.main",
			[]string{
				"tcp 22-22 0.0.0.0/0 <aws_security_group_rule.web_ssh>",
				`tcp 80-80 0.0.0.0/0 <aws_vpc_security_group_ingress_rule.web["http"]>`,
				`tcp 443-443 0.0.0.0/0 <aws_vpc_security_group_ingress_rule.web["https"]>`,
			},
			[]string{"all 0.0.0.0/0 <aws_vpc_security_group_egress_rule.web>"}, []int{57, 67, 67}},
		{"module.sg.aws_security_group.this", modTF, 5, 9, "aws_vpc.main",
			[]string{"tcp 3389-3389 0.0.0.0/0 <module.sg.aws_security_group_rule.rdp>"}, []string{}, []int{11}},
	}
	if len(m.SecurityGroups) != len(groups) {
		t.Errorf("groups = %v", modeltest.Addresses(m))
	}
	for _, want := range groups {
		g := findGroup(t, m, want.addr)
		if g.Source.File != want.file || g.Source.StartLine != want.start || g.Source.EndLine != want.end {
			t.Errorf("%s: source %+v, want %s:%d-%d", want.addr, g.Source, want.file, want.start, want.end)
		}
		if g.VPCID != want.vpc || g.ID != want.addr || g.Placeholder {
			t.Errorf("%s: id %q vpc %q placeholder %v", want.addr, g.ID, g.VPCID, g.Placeholder)
		}
		if got := ruleKeys(g.Ingress); asJSON(got) != asJSON(want.ingress) {
			t.Errorf("%s ingress:\n got %v\nwant %v", want.addr, got, want.ingress)
		}
		if got := ruleKeys(g.Egress); g.Egress == nil || asJSON(got) != asJSON(want.egress) {
			t.Errorf("%s egress: got %v (nil %v), want %v", want.addr, got, g.Egress == nil, want.egress)
		}
		for i, l := range want.ingressLines {
			if got := g.AttributeLines["ingress["+itoa(i)+"]"]; got != l {
				t.Errorf("%s ingress[%d] line %d, want %d", want.addr, i, got, l)
			}
		}
		if len(g.Unknown) > 0 {
			t.Errorf("%s: unknown %v", want.addr, g.Unknown)
		}
	}
	web := findGroup(t, m, "aws_security_group.web")
	if got := web.AttributeLines["ingress[0].cidr_blocks[0]"]; got != 63 {
		t.Errorf("web ingress[0].cidr_blocks[0] line %d, want 63", got)
	}
	if got := web.AttributeLines["egress[0].cidr_blocks"]; got != 83 {
		t.Errorf("web egress[0].cidr_blocks line %d, want 83 (cidr_ipv4)", got)
	}
	if len(web.Suppressions) != 1 || web.Suppressions[0].Attribute != "ingress[0]" || web.Suppressions[0].Line != 56 || !slices.Contains(web.Suppressions[0].RuleIDs, "SG001") {
		t.Errorf("web suppressions = %s", asJSON(web.Suppressions))
	}
	if web.Ingress[0].Source == nil || web.Ingress[0].Source.StartLine != 57 {
		t.Errorf("folded rule source = %+v", web.Ingress[0].Source)
	}
	if this := findGroup(t, m, "module.sg.aws_security_group.this"); this.Source.Module != "module.sg" {
		t.Errorf("module = %q", this.Source.Module)
	}

	ecr := findEndpoint(t, m, "aws_vpc_endpoint.ecr")
	if ecr.Type != model.EndpointInterface || ecr.Service != "ecr.api" || ecr.VPCID != "aws_vpc.main" {
		t.Errorf("ecr = %s", asJSON(ecr))
	}
	if asJSON(ecr.SubnetIDs) != `["aws_subnet.private[0]","aws_subnet.private[1]"]` {
		t.Errorf("ecr subnets = %v", ecr.SubnetIDs)
	}
	if asJSON(ecr.SecurityGroupIDs) != `["aws_security_group.endpoints","module.sg.aws_security_group.this"]` {
		t.Errorf("ecr groups = %v", ecr.SecurityGroupIDs)
	}
	if ecr.PrivateDNSEnabled == nil || !*ecr.PrivateDNSEnabled || ecr.Policy != nil || ecr.PolicyRaw != nil || slices.Contains(ecr.Unknown, "policy") {
		t.Errorf("ecr dns/policy = %s", asJSON(ecr))
	}
	if ecr.Source.StartLine != 135 || ecr.AttributeLines["security_group_ids[1]"] != 140 {
		t.Errorf("ecr lines: %+v %v", ecr.Source, ecr.AttributeLines)
	}
	s3 := findEndpoint(t, m, "aws_vpc_endpoint.s3")
	if s3.Type != model.EndpointGateway || asJSON(s3.RouteTableIDs) != `["aws_route_table.private"]` {
		t.Errorf("s3 = %s", asJSON(s3))
	}
	if s3.Policy == nil || len(s3.Policy.Statement) != 1 || !s3.Policy.Statement[0].PrincipalStar || s3.AttributeLines["policy"] != 124 {
		t.Errorf("s3 policy = %s", asJSON(s3))
	}

	if len(m.NetworkACLs) != 1 {
		t.Fatalf("acls = %d", len(m.NetworkACLs))
	}
	acl := m.NetworkACLs[0]
	if len(acl.Entries) != 3 || acl.Entries[2].Address != "aws_network_acl_rule.deny_ssh" || acl.Entries[2].Action != "deny" || *acl.Entries[2].RuleNumber != 50 {
		t.Errorf("entries = %s", asJSON(acl.Entries))
	}
	if acl.AttributeLines["entries[0]"] != 90 || acl.AttributeLines["entries[1]"] != 99 || acl.AttributeLines["entries[2]"] != 109 {
		t.Errorf("entry lines = %v", acl.AttributeLines)
	}
	for _, sn := range m.Subnets {
		if sn.NetworkACLID != acl.ID || sn.VPCID != "aws_vpc.main" || sn.AvailabilityZone == "" || sn.CIDRBlock == "" {
			t.Errorf("subnet = %s", asJSON(sn))
		}
	}
	for _, r := range m.Resources() {
		if f := r.GetMeta().Source.File; !strings.HasSuffix(f, ".tf") {
			t.Errorf("%s points at %s, not its .tf", r.GetMeta().Address, f)
		}
	}
}

// TestBasicFixtureWithoutSource: with no .tf next to the plan, resources
// point at their object in the plan and attributes at their lines there.
func TestBasicFixtureWithoutSource(t *testing.T) {
	text, err := os.ReadFile(filepath.Join(basicDir(t), "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(text), "\n")
	m, errs := loadText(t, "plan.json", string(text), loader.Options{})
	if len(errs) > 0 {
		t.Errorf("errors %v", errs)
	}
	for _, r := range m.Resources() {
		meta := r.GetMeta()
		if meta.Source.File != "plan.json" || meta.Source.StartLine <= 0 || meta.Source.EndLine <= meta.Source.StartLine ||
			strings.TrimSpace(lines[meta.Source.EndLine-1]) != "}," && strings.TrimSpace(lines[meta.Source.EndLine-1]) != "}" {
			t.Fatalf("%s: %+v", meta.Address, meta.Source)
		}
		// resource_changes[i] opens on its line; its address follows.
		next := lines[meta.Source.StartLine]
		if !strings.Contains(lines[meta.Source.StartLine-1], "{") || !strings.Contains(next, `"address": `+asJSON(meta.Address)) {
			t.Errorf("%s: line %d is %q / %q", meta.Address, meta.Source.StartLine, lines[meta.Source.StartLine-1], next)
		}
	}
	web := findGroup(t, m, "aws_security_group.web")
	l := web.AttributeLines["ingress[0].cidr_blocks[0]"]
	if l <= 0 || !strings.Contains(lines[l-1], "0.0.0.0/0") {
		t.Errorf("ingress[0].cidr_blocks[0] at line %d", l)
	}
	if web.Ingress[0].Source == nil || web.Ingress[0].Source.File != "plan.json" {
		t.Errorf("folded rule source %+v", web.Ingress[0].Source)
	}
	if len(ruleKeys(web.Ingress)) != 3 {
		t.Errorf("web ingress %v", ruleKeys(web.Ingress))
	}

	// terraform show -json writes one line: every location is line 1.
	var compact bytes.Buffer
	if err := json.Compact(&compact, text); err != nil {
		t.Fatal(err)
	}
	m, _ = loadText(t, "plan.json", compact.String(), loader.Options{})
	for _, r := range m.Resources() {
		if s := r.GetMeta().Source; s.StartLine != 1 || s.File != "plan.json" {
			t.Errorf("%s: %+v", r.GetMeta().Address, s)
		}
	}
}

// TestSourceDirOption: --source points at the .tf of a plan kept
// elsewhere.
func TestSourceDirOption(t *testing.T) {
	text, err := os.ReadFile(filepath.Join(basicDir(t), "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := loadText(t, "out.json", string(text), loader.Options{SourceDir: basicDir(t), WorkDir: repoRoot(t)})
	g := findGroup(t, m, "module.sg.aws_security_group.this")
	if g.Source.File != "testdata/loader/tfplan/basic/modules/sg/main.tf" || g.Source.StartLine != 5 {
		t.Errorf("source %+v", g.Source)
	}
}

// TestSourceWithoutConfiguration: a plan stripped of its configuration
// still folds separate rules through the references of the .tf source.
func TestSourceWithoutConfiguration(t *testing.T) {
	text, err := os.ReadFile(filepath.Join(basicDir(t), "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(text, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "configuration")
	stripped, _ := json.Marshal(doc)
	m, _ := loadText(t, "plan.json", string(stripped), loader.Options{SourceDir: basicDir(t), WorkDir: repoRoot(t)})
	web := findGroup(t, m, "aws_security_group.web")
	if len(web.Ingress) != 3 || len(web.Egress) != 1 {
		t.Errorf("web: %v / %v", ruleKeys(web.Ingress), ruleKeys(web.Egress))
	}
	this := findGroup(t, m, "module.sg.aws_security_group.this")
	if len(this.Ingress) != 1 || this.Placeholder {
		t.Errorf("module group: %s", asJSON(this))
	}
	for _, g := range m.SecurityGroups {
		if g.Placeholder {
			t.Errorf("placeholder %s", g.Address)
		}
	}
	ecr := findEndpoint(t, m, "aws_vpc_endpoint.ecr")
	if asJSON(ecr.SubnetIDs) != `["aws_subnet.private[0]","aws_subnet.private[1]"]` {
		t.Errorf("ecr subnets %v", ecr.SubnetIDs)
	}
}
