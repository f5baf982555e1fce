package evaluator

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// TestBuiltinCatalogue compiles the embedded rules: a rule with missing or
// invalid metadata, a duplicate id or a compile error fails the build here.
func TestBuiltinCatalogue(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range e.Catalogue() {
		if r.Custom {
			t.Errorf("%s: built-in rule marked custom", r.ID)
		}
		if r.Area == "" || !strings.HasPrefix(r.Package, "vpclint.rules.") {
			t.Errorf("%s: area %q package %q", r.ID, r.Area, r.Package)
		}
	}
	t.Logf("%d built-in rules", len(e.Catalogue()))
}

func sgModel() *model.Model {
	m := model.New("main", model.FormatTerraform)
	m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{
		Meta: model.Meta{
			ID: "aws_security_group.web", Address: "aws_security_group.web", Type: "aws_security_group",
			Source:         model.Source{Format: model.FormatTerraform, File: "infra/main.tf", StartLine: 10, EndLine: 30},
			AttributeLines: map[string]int{"ingress[0]": 12, "ingress[0].cidr_blocks[0]": 15, "ingress[1]": 20},
			AttributeFiles: map[string]string{"ingress[1]": "infra/rules.tf"},
		},
		Ingress: []*model.SGRule{
			{Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22), CIDRBlocks: []string{"0.0.0.0/0"}},
			{Protocol: "tcp", FromPort: model.Int(0), ToPort: model.Int(100), CIDRBlocks: []string{"10.0.0.0/8", "0.0.0.0/0"}},
		},
	})
	return m
}

func TestEvaluateUserRules(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, Options{RuleDirs: []string{"testdata/rules"}, NoBuiltin: true, Params: map[string]any{"admin_ports": []int{2222}}})
	if err != nil {
		t.Fatal(err)
	}
	cat := e.Catalogue()
	if len(cat) != 2 || cat[0].ID != "TST001" || cat[1].ID != "TST002" {
		t.Fatalf("catalogue = %+v", cat)
	}
	r := cat[0]
	if !r.Custom || r.Area != "TST" || r.Severity != model.SeverityHigh || r.Frameworks["securityhub"][0] != "EC2.13" ||
		len(r.References) != 1 || !strings.Contains(r.Examples["terraform"], "aws_security_group") {
		t.Errorf("TST001 metadata = %+v", r)
	}
	fs, err := e.Evaluate(ctx, sgModel())
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		rule, addr, attr, file string
		start, end             int
	}
	var gots []got
	for _, f := range fs {
		gots = append(gots, got{f.RuleID, f.Resource.Address, f.Attribute, f.Location.File, f.Location.StartLine, f.Location.EndLine})
		if len(f.Fingerprint) != 64 {
			t.Errorf("fingerprint %q", f.Fingerprint)
		}
	}
	want := []got{
		// the unknown resource is kept, without location: sorted first.
		{"TST002", "ghost", "", "", 0, 0},
		// exact line of the attribute.
		{"TST001", "aws_security_group.web", "ingress[0].cidr_blocks[0]", "infra/main.tf", 15, 15},
		// longest known prefix ingress[1], in its own file.
		{"TST001", "aws_security_group.web", "ingress[1].cidr_blocks[1]", "infra/rules.tf", 20, 20},
	}
	if !reflect.DeepEqual(gots, want) {
		t.Errorf("findings:\n got %+v\nwant %+v", gots, want)
	}
	if len(fs) == 3 && fs[0].Message != "admin port 2222" {
		t.Errorf("params not merged: %q", fs[0].Message)
	}
}

func TestEvaluateEnableDisableSeverity(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		opts  Options
		rules []string
		sev   model.Severity
	}{
		{"all", Options{}, []string{"TST002", "TST002", "TST001", "TST001"}, model.SeverityHigh},
		{"disable id", Options{Select: []Selection{{Disable: []string{"TST002"}}}}, []string{"TST001", "TST001"}, model.SeverityHigh},
		{"disable area", Options{Select: []Selection{{Disable: []string{"tst"}}}}, nil, ""},
		{"enable", Options{Select: []Selection{{Only: []string{"TST002"}}}}, []string{"TST002", "TST002"}, ""},
		{"severity", Options{Severity: map[string]model.Severity{"TST001": model.SeverityLow}}, []string{"TST002", "TST002", "TST001", "TST001"}, model.SeverityLow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.RuleDirs = []string{"testdata/rules"}
			tt.opts.NoBuiltin = true
			e, err := New(ctx, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := e.Evaluate(ctx, sgModel())
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range fs {
				ids = append(ids, f.RuleID)
				if f.RuleID == "TST001" && f.Severity != tt.sev {
					t.Errorf("severity %s, want %s", f.Severity, tt.sev)
				}
			}
			if !reflect.DeepEqual(ids, tt.rules) {
				t.Errorf("rules %v, want %v", ids, tt.rules)
			}
		})
	}
}

func TestBadRules(t *testing.T) {
	const meta = "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: %s\n#   severity: %s\n#   remediation: R\n"
	rule := func(id, sev, pkg, body string) string {
		return strings.Replace(strings.Replace(meta, "%s", id, 1), "%s", sev, 1) + "package " + pkg + "\n\n" + body + "\n"
	}
	tests := []struct {
		name    string
		files   map[string]string
		want    string
		builtin bool // compile with the built-in rules
	}{
		{"http.send", map[string]string{"a.rego": rule("U1", "high", "vpclint.rules.a", `deny contains {"resource": "x", "message": r.body} if { r := http.send({"method": "get", "url": "https://example.com"}) }`)}, "calls http.send", false},
		{"lookup", map[string]string{"a.rego": rule("U1", "high", "vpclint.rules.a", `deny contains {"resource": "x", "message": "m"} if { net.lookup_ip_addr("example.com") }`)}, "net.lookup_ip_addr", false},
		{"runtime", map[string]string{"a.rego": rule("U1", "high", "vpclint.rules.a", `deny contains {"resource": "x", "message": "m"} if { opa.runtime().env }`)}, "opa.runtime", false},
		{"no metadata", map[string]string{"a.rego": "package vpclint.rules.a\n\ndeny contains \"x\" if true\n"}, "METADATA lacks custom.id, title, description, custom.remediation", false},
		{"bad severity", map[string]string{"a.rego": rule("U1", "severe", "vpclint.rules.a", "deny contains \"x\" if true")}, `custom.severity "severe"`, false},
		{"duplicate id", map[string]string{
			"a.rego": rule("U1", "high", "vpclint.rules.a", "deny contains \"x\" if true"),
			"b.rego": rule("U1", "low", "vpclint.rules.b", "deny contains \"x\" if true"),
		}, "b.rego:5: custom.id U1 is already the id of the rule of package vpclint.rules.a", false},
		// A user's rule never takes a built-in id or package, whatever its
		// file and package names sort as: the user's file and line are named.
		{"built-in id", map[string]string{"zz.rego": rule("SG001", "low", "vpclint.rules.aaa", "deny contains \"x\" if true")},
			"zz.rego:5: custom.id SG001 is already the id of a built-in rule (vpclint.rules.sg_admin_ports_from_internet)", true},
		{"built-in rule package", map[string]string{"x.rego": rule("U1", "low", "vpclint.rules.sg_admin_ports_from_internet", "deny contains \"x\" if true")},
			"x.rego:8: package vpclint.rules.sg_admin_ports_from_internet is a built-in package", true},
		{"built-in library package", map[string]string{"x.rego": "package vpclint.lib.policy\n\nallows_all(_) := true\n"},
			"x.rego:1: package vpclint.lib.policy is a built-in package", true},
		{"default not a boolean", map[string]string{"a.rego": strings.Replace(rule("U1", "high", "vpclint.rules.a", "deny contains \"x\" if true"), "#   remediation: R\n", "#   remediation: R\n#   default: maybe\n", 1)},
			"a.rego:8: custom.default must be true or false", false},
		{"unknown subject", map[string]string{"a.rego": strings.Replace(rule("U1", "high", "vpclint.rules.a", "deny contains \"x\" if true"), "#   remediation: R\n", "#   remediation: R\n#   subjects: [security_group]\n", 1)},
			`custom.subjects: "security_group" is not a collection of the model`, false},
		{"subjects not a list", map[string]string{"a.rego": strings.Replace(rule("U1", "high", "vpclint.rules.a", "deny contains \"x\" if true"), "#   remediation: R\n", "#   remediation: R\n#   subjects: {a: b}\n", 1)},
			"custom.subjects", false},
		{"nested package", map[string]string{"a.rego": rule("U1", "high", "vpclint.rules.a.b", "deny contains \"x\" if true")}, "one segment", false},
		{"no deny", map[string]string{"a.rego": rule("U1", "high", "vpclint.rules.a", "violation contains \"x\" if true")}, "no deny rule", false},
		{"deny not a set", map[string]string{"a.rego": rule("U1", "high", "vpclint.rules.a", "deny := \"x\"")}, "deny must be a set rule", false},
		{"syntax", map[string]string{"a.rego": rule("U1", "high", "vpclint.rules.a", "deny contains \"x\" {")}, "parse rule", false},
		{"type error", map[string]string{"a.rego": rule("U1", "high", "vpclint.rules.a", "deny contains x if { x := undefined_fn(1) }")}, "compile rules", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for n, s := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := New(context.Background(), Options{RuleDirs: []string{dir}, NoBuiltin: !tt.builtin})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := New(context.Background(), Options{RuleDirs: []string{"testdata/nope"}}); err == nil {
		t.Error("missing rules directory: no error")
	}
}

func TestStringResultAndMessageFallback(t *testing.T) {
	dir := t.TempDir()
	src := "# METADATA\n# title: Conftest style\n# description: D\n# custom:\n#   id: U9\n#   severity: info\n#   remediation: R\npackage vpclint.rules.u9\n\ndeny contains \"plain message\" if true\n"
	if err := os.WriteFile(filepath.Join(dir, "u9.rego"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{RuleDirs: []string{dir}, NoBuiltin: true})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Evaluate(context.Background(), model.New("u", model.FormatCloudFormation))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Message != "plain message" || fs[0].Severity != model.SeverityInfo || fs[0].Source.Format != model.FormatCloudFormation {
		t.Errorf("findings = %+v", fs)
	}
}

func TestPathPrefixes(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"policy", []string{"policy"}},
		{"ingress[0].cidr_blocks[1]", []string{"ingress[0].cidr_blocks[1]", "ingress[0].cidr_blocks", "ingress[0]", "ingress"}},
		{`tags["a.b"]`, []string{`tags["a.b"]`, "tags"}},
	}
	for _, tt := range tests {
		if got := pathPrefixes(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("pathPrefixes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLocate(t *testing.T) {
	meta := &model.Meta{
		Source:         model.Source{File: "a.tf", StartLine: 3, EndLine: 9},
		AttributeLines: map[string]int{"egress": 5},
	}
	tests := []struct {
		attr string
		want model.Location
	}{
		{"", model.Location{File: "a.tf", StartLine: 3, EndLine: 9}},
		{"egress[0].cidr_blocks[0]", model.Location{File: "a.tf", StartLine: 5, EndLine: 5}},
		{"ingress[0]", model.Location{File: "a.tf", StartLine: 3, EndLine: 9}},
	}
	for _, tt := range tests {
		if got := Locate(meta, tt.attr); got != tt.want {
			t.Errorf("Locate(%q) = %+v, want %+v", tt.attr, got, tt.want)
		}
	}
	live := &model.Meta{Source: model.Source{Format: model.FormatAWS, Account: "1", Region: "r"}}
	if got := Locate(live, "ingress[0]"); got != (model.Location{}) {
		t.Errorf("live location = %+v", got)
	}
}

func TestFingerprint(t *testing.T) {
	base := model.Finding{RuleID: "SG001", Resource: model.FindingResource{Address: "aws_security_group.a", Type: "aws_security_group"},
		Attribute: "ingress[0]", Location: model.Location{File: "a.tf", StartLine: 3}, Source: model.Source{Format: model.FormatTerraform, File: "a.tf"}}
	moved := base
	moved.Location = model.Location{File: "b/a.tf", StartLine: 40}
	moved.Source.File = "b/a.tf"
	if Fingerprint(base) != Fingerprint(moved) {
		t.Error("fingerprint changes when the finding moves")
	}
	other := base
	other.Attribute = "ingress[1]"
	if Fingerprint(base) == Fingerprint(other) {
		t.Error("fingerprint ignores the attribute")
	}
	live1 := model.Finding{RuleID: "SG001", Resource: model.FindingResource{ID: "sg-1"}, Source: model.Source{Format: model.FormatAWS, Account: "1", Region: "eu-west-1"}}
	live2 := live1
	live2.Source.Region = "us-east-1"
	if Fingerprint(live1) == Fingerprint(live2) {
		t.Error("live fingerprint ignores the region")
	}
	// Read back from a snapshot, the same live finding has a file and
	// lines that change between audits: its fingerprint must not.
	snap := live1
	snap.Resource.Address, snap.Resource.Type = "sg-1", "ec2:security-group"
	snap.Location = model.Location{File: "inventory.json", StartLine: 120}
	snap.Source.File = "inventory.json"
	if Fingerprint(live1) != Fingerprint(snap) {
		t.Error("a live finding located in a snapshot changes fingerprint")
	}
}

func TestDeepMerge(t *testing.T) {
	base := map[string]any{"a": 1.0, "q": map[string]any{"x": 1.0, "y": 2.0}, "l": []any{1.0}}
	over := map[string]any{"q": map[string]any{"y": 3.0}, "l": []any{}, "n": "new"}
	want := map[string]any{"a": 1.0, "q": map[string]any{"x": 1.0, "y": 3.0}, "l": []any{}, "n": "new"}
	if got := deepMerge(base, over); !reflect.DeepEqual(got, want) {
		t.Errorf("deepMerge = %v, want %v", got, want)
	}
	if base["q"].(map[string]any)["y"] != 2.0 {
		t.Error("deepMerge modified its input")
	}
}

// TestSortFindings checks the order of SortFindings against the order it
// defines (file, line, rule id by area then number, address, attribute,
// message), and that findings equal on all of these keep their order.
func TestSortFindings(t *testing.T) {
	f := func(file string, line int, rule, addr, attr, msg, fp string) model.Finding {
		return model.Finding{RuleID: rule, Message: msg, Attribute: attr, Fingerprint: fp,
			Resource: model.FindingResource{Address: addr}, Location: model.Location{File: file, StartLine: line}}
	}
	sorted := []model.Finding{
		f("", 0, "SG001", "b", "", "m", "1"),
		f("a.tf", 2, "EP002", "x", "", "m", "2"),
		f("a.tf", 2, "SG002", "x", "", "m", "3"),
		f("a.tf", 2, "SG010", "x", "", "m", "4"),
		f("a.tf", 2, "SG010", "y", "", "m", "5"),
		f("a.tf", 2, "SG010", "y", "egress[0]", "m", "6"),
		f("a.tf", 2, "SG010", "y", "ingress[0]", "a", "7"),
		f("a.tf", 2, "SG010", "y", "ingress[0]", "b", "8"),
		f("a.tf", 2, "SG010", "y", "ingress[0]", "b", "9"), // equal to the one before: stays after it
		f("a.tf", 10, "AZ001", "a", "", "m", "10"),
		f("b.tf", 1, "AZ001", "a", "", "m", "11"),
	}
	tests := []struct {
		name  string
		order []int // positions in sorted, in input order
	}{
		{"sorted", []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"reversed except the tie", []int{10, 9, 7, 8, 6, 5, 4, 3, 2, 1, 0}},
		{"rotated", []int{4, 5, 6, 7, 8, 9, 10, 0, 1, 2, 3}},
		{"swapped pairs", []int{1, 0, 3, 2, 5, 4, 7, 8, 6, 10, 9}},
		{"empty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := make([]model.Finding, len(tt.order))
			want := make([]string, 0, len(tt.order))
			for i, k := range tt.order {
				in[i] = sorted[k]
			}
			for _, x := range sorted {
				for _, k := range tt.order {
					if sorted[k].Fingerprint == x.Fingerprint {
						want = append(want, x.Fingerprint)
					}
				}
			}
			SortFindings(in)
			got := make([]string, len(in))
			for i, x := range in {
				got[i] = x.Fingerprint
			}
			if !slices.Equal(got, want) {
				t.Errorf("order %v, want %v", got, want)
			}
		})
	}
}
