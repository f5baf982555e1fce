package reporters

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vpclint/vpclint/internal/testenv"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vpclint/vpclint/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// sampleReport covers what reporters must handle: findings in two files
// (one whose name needs escaping), a suppressed finding, a finding on an
// unknown resource, live findings in two accounts, and input errors.
func sampleReport() *Report {
	cat := []model.RuleInfo{
		{ID: "SG001", Title: "Security group allows SSH or RDP from the internet", Description: "Anyone on the internet can reach an administration port.",
			Severity: model.SeverityCritical, Remediation: "Limit the source to your administration network.", Area: "SG", Package: "vpclint.rules.sg_admin_ports_from_internet",
			References: []string{"https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html"}, Frameworks: map[string][]string{"securityhub": {"EC2.13"}},
			Tags: []string{"network"}, Examples: map[string]string{"terraform": "resource \"aws_security_group\" \"ok\" {}"}},
		{ID: "EP001", Title: "Endpoint has no policy", Description: "AWS applies the default full-access policy.", Severity: model.SeverityMedium,
			Remediation: "Attach a least-privilege endpoint policy.", Area: "EP", Package: "vpclint.rules.ep_no_policy"},
		{ID: "SG010", Title: "Security group has no description", Description: "Descriptions explain intent.", Severity: model.SeverityLow,
			Remediation: "Describe the group.", Area: "SG", Package: "vpclint.rules.sg_no_description"},
	}
	tf := func(rule string, sev model.Severity, addr, typ, file, attr, msg string, line int, fp string) model.Finding {
		return model.Finding{RuleID: rule, Severity: sev, Title: titleOf(cat, rule), Message: msg,
			Resource: model.FindingResource{Address: addr, ID: addr, Type: typ, Root: filepath.ToSlash(filepath.Dir(file))}, Attribute: attr,
			Location: model.Location{File: file, StartLine: line, EndLine: line},
			Source:   model.Source{Format: model.FormatTerraform, File: file, StartLine: line}, Fingerprint: fp}
	}
	fs := []model.Finding{
		tf("SG001", model.SeverityCritical, "aws_security_group.bastion", "aws_security_group", "infra/main.tf", "ingress[0].cidr_blocks[0]",
			"aws_security_group.bastion allows SSH (22) from 0.0.0.0/0", 11, "fp-sg001"),
		tf("EP001", model.SeverityMedium, "aws_vpc_endpoint.s3", "aws_vpc_endpoint", "infra/main.tf", "", "the S3 endpoint has no policy", 15, "fp-ep001"),
		tf("SG010", model.SeverityLow, "Web", "AWS::EC2::SecurityGroup", "my stacks/web.yaml", "", "Web has no description", 3, "fp-sg010"),
		{RuleID: "SG010", Severity: model.SeverityLow, Title: "Security group has no description", Message: "sg-ghost has no description",
			Resource: model.FindingResource{Address: "sg-ghost", ID: "sg-ghost"}, Source: model.Source{Format: model.FormatCloudFormation}, Fingerprint: "fp-ghost"},
		{RuleID: "SG001", Severity: model.SeverityCritical, Title: titleOf(cat, "SG001"), Message: "sg-0abc allows RDP (3389) from 0.0.0.0/0",
			Resource: model.FindingResource{Address: "sg-0abc", ID: "sg-0abc", Type: "ec2:security-group", ARN: "arn:aws:ec2:eu-west-1:111122223333:security-group/sg-0abc"},
			Source:   model.Source{Format: model.FormatAWS, Account: "111122223333", Region: "eu-west-1"}, Fingerprint: "fp-live1"},
		{RuleID: "EP001", Severity: model.SeverityMedium, Title: titleOf(cat, "EP001"), Message: "endpoint has no policy",
			Resource: model.FindingResource{Address: "vpce-1", ID: "vpce-1", Type: "ec2:vpc-endpoint"},
			Source:   model.Source{Format: model.FormatAWS, Account: "444455556666", Region: "us-east-1"}, Fingerprint: "fp-live2"},
	}
	// Two examples each calling module "endpoint": one address, two roots.
	for _, root := range []string{"examples/a", "examples/b"} {
		f := tf("EP001", model.SeverityMedium, "module.endpoint.aws_vpc_endpoint.this", "aws_vpc_endpoint", "modules/endpoint/main.tf", "",
			"module.endpoint.aws_vpc_endpoint.this has no policy", 7, "fp-"+root)
		f.Resource.Root, f.Resource.Ambiguous = root, true
		fs = append(fs, f)
	}
	sup := tf("SG010", model.SeverityLow, "aws_security_group.bastion", "aws_security_group", "infra/main.tf", "", "suppressed one", 1, "fp-sup")
	sup.Suppression = &model.AppliedSuppression{Kind: "inSource", Justification: "legacy group", Until: "2027-03-31"}
	fs = append(fs, sup)
	errs := []model.LoadError{
		{File: "infra/broken.tf", Line: 3, Message: "Argument or block definition required", Level: model.LevelError},
		{Account: "444455556666", Region: "ap-south-2", Call: "ec2:DescribeVpcs", Message: "region not enabled", Level: model.LevelWarning},
	}
	sum := model.Summarize(fs, 3, 12)
	sum.Undecided = 2
	return &Report{
		Tool:        DefaultTool("1.2.3"),
		Findings:    fs,
		Errors:      errs,
		Catalogue:   cat,
		Summary:     sum,
		Config:      ".vpclint.yaml",
		WorkDir:     "testdata/src",
		Anchor:      ".vpclint.yaml",
		CodeScanned: true,
		Accounts:    []string{"111122223333", "444455556666"},
	}
}

func titleOf(cat []model.RuleInfo, id string) string {
	for _, r := range cat {
		if r.ID == id {
			return r.Title
		}
	}
	return ""
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./reporters -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./reporters -update rewrites it):\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	for _, tt := range []struct{ format, file string }{
		{"text", "report.txt"},
		{"json", "report.json"},
		{"sarif", "report.sarif"},
		{"junit", "report.junit.xml"},
		{"markdown", "report.md"},
		{"codequality", "report.codequality.json"},
	} {
		t.Run(tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.format, sampleReport()); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, buf.Bytes())
		})
	}
}

func TestEmptyReport(t *testing.T) {
	r := &Report{Tool: DefaultTool("dev"), CodeScanned: true}
	for _, f := range Formats() {
		var buf bytes.Buffer
		if err := Write(&buf, f, r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if f == "sarif" {
			validateSARIF(t, buf.Bytes())
		}
		if f == "text" && !strings.Contains(buf.String(), "0 findings") {
			t.Errorf("text: %q", buf.String())
		}
		if f == "json" && !strings.Contains(buf.String(), `"findings": []`) {
			t.Errorf("json: findings is not an empty list:\n%s", buf.String())
		}
	}
	if err := Write(&bytes.Buffer{}, "yaml", r); err == nil {
		t.Error("unknown format: no error")
	}
}

func TestTextColour(t *testing.T) {
	r := sampleReport()
	r.Color = true
	var buf bytes.Buffer
	if err := Write(&buf, "text", r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ansiBright+"CRITICAL") {
		t.Error("no colour on a critical finding")
	}
	r.Color = false
	buf.Reset()
	_ = Write(&buf, "text", r)
	if strings.Contains(buf.String(), "\x1b[") {
		t.Error("colour without Color")
	}
}

func TestURIReference(t *testing.T) {
	tests := map[string]string{
		"infra/main.tf":         "infra/main.tf",
		"my stacks/web.yaml":    "my%20stacks/web.yaml",
		`infra\win.tf`:          "infra/win.tf",
		"/abs/path/x.tf":        "abs/path/x.tf", // never file://
		"C:/Users/x/main.tf":    "Users/x/main.tf",
		"../up/x.tf":            "up/x.tf",
		"a:b/c.tf":              "./a:b/c.tf",
		"infra/100%/x.tf":       "infra/100%25/x.tf",
		"infra/#hash?.tf":       "infra/%23hash%3F.tf",
		"./infra/../infra/y.tf": "infra/y.tf",
	}
	for in, want := range tests {
		if got := URIReference(in); got != want {
			t.Errorf("URIReference(%q) = %q, want %q", in, got, want)
		}
	}
}

// schemaPath is the vendored SARIF 2.1.0 schema.
var schemaPath = testenv.SARIFSchema()

func validateSARIF(t *testing.T, b []byte) {
	t.Helper()
	if err := schemaErrors(t, b); err != nil {
		t.Fatalf("SARIF does not validate: %v", err)
	}
	checkGitHub(t, b)
}

// schemaErrors validates b against the SARIF 2.1.0 JSON schema (draft-04).
func schemaErrors(t *testing.T, b []byte) error {
	t.Helper()
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatalf("SARIF schema: %v", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(inst)
}

// TestSchemaCatchesErrors makes sure the validation can fail: an invalid
// level and a non-URI reference are rejected.
func TestSchemaCatchesErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "sarif", sampleReport()); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct{ from, to string }{
		{`"level": "error"`, `"level": "high"`},
		{`"uri": "infra/main.tf"`, `"uri": "no file: for this alert"`},
	} {
		b := bytes.Replace(buf.Bytes(), []byte(bad.from), []byte(bad.to), 1)
		if bytes.Equal(b, buf.Bytes()) {
			t.Fatalf("%s not in the report", bad.from)
		}
		if schemaErrors(t, b) == nil {
			t.Errorf("schema accepts %s", bad.to)
		}
	}
}

// checkGitHub checks what GitHub code scanning requires beyond the schema
// (notes/integration.md §1).
func checkGitHub(t *testing.T, b []byte) {
	t.Helper()
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID               string `json:"id"`
						ShortDescription struct{ Text string }
						FullDescription  struct{ Text string }
						Help             struct{ Text, Markdown string }
						Properties       struct {
							Tags             []string `json:"tags"`
							SecuritySeverity string   `json:"security-severity"`
						} `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			AutomationDetails *struct{ ID string } `json:"automationDetails"`
			Results           []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation *struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
						Region           *struct {
							StartLine int `json:"startLine"`
							EndLine   int `json:"endLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) == 0 || len(log.Runs) > maxRuns {
		t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
	}
	categories := map[string]bool{}
	for ri, run := range log.Runs {
		if run.AutomationDetails == nil || run.AutomationDetails.ID == "" {
			t.Errorf("run %d has no automationDetails.id", ri)
		} else {
			cat := run.AutomationDetails.ID[:strings.LastIndex(run.AutomationDetails.ID, "/")+1]
			if categories[cat] {
				t.Errorf("run %d: category %q used twice", ri, cat)
			}
			categories[cat] = true
		}
		if run.Tool.Driver.Name == "" {
			t.Errorf("run %d: no driver name", ri)
		}
		rules := run.Tool.Driver.Rules
		if len(rules) > 25000 || len(run.Results) > maxResults {
			t.Errorf("run %d: %d rules, %d results", ri, len(rules), len(run.Results))
		}
		for _, r := range rules {
			if r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" {
				t.Errorf("rule %s lacks descriptions or help", r.ID)
			}
			if len(r.ShortDescription.Text) > 1024 || len(r.FullDescription.Text) > 1024 {
				t.Errorf("rule %s: description over 1024 characters", r.ID)
			}
			if len(r.Properties.Tags) > 20 || r.Properties.SecuritySeverity == "" {
				t.Errorf("rule %s: %d tags, security-severity %q", r.ID, len(r.Properties.Tags), r.Properties.SecuritySeverity)
			}
		}
		for i, res := range run.Results {
			if res.RuleIndex < 0 || res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID {
				t.Errorf("run %d result %d: ruleIndex %d does not name %s", ri, i, res.RuleIndex, res.RuleID)
			}
			if res.Message.Text == "" {
				t.Errorf("run %d result %d: empty message", ri, i)
			}
			if len(res.Locations) == 0 || len(res.Locations) > 10 || res.Locations[0].PhysicalLocation == nil {
				t.Errorf("run %d result %d: needs one physical location", ri, i)
				continue
			}
			pl := res.Locations[0].PhysicalLocation
			if pl.ArtifactLocation.URI == "" || pl.Region == nil || pl.Region.StartLine < 1 || pl.Region.EndLine < pl.Region.StartLine {
				t.Errorf("run %d result %d: bad location %+v", ri, i, pl)
			}
			if res.PartialFingerprints["primaryLocationLineHash"] == "" {
				t.Errorf("run %d result %d: no primaryLocationLineHash", ri, i)
			}
		}
	}
}

func TestSARIFValidates(t *testing.T) {
	var buf bytes.Buffer
	r := sampleReport()
	if err := Write(&buf, "sarif", r); err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, buf.Bytes())
	var log struct {
		Runs []struct {
			AutomationDetails struct{ ID string } `json:"automationDetails"`
			Results           []struct {
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Suppressions []struct {
					Kind, Status, Justification string
				} `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	// One code run and one run per account, the account without a
	// finding included.
	var ids []string
	for _, run := range log.Runs {
		ids = append(ids, run.AutomationDetails.ID)
	}
	if strings.Join(ids, " ") != "vpclint/iac/ vpclint/aws/111122223333/ vpclint/aws/444455556666/" {
		t.Errorf("runs %v", ids)
	}
	live := log.Runs[1].Results[0]
	if u := live.Locations[0].PhysicalLocation.ArtifactLocation.URI; u != ".vpclint.yaml" || !strings.Contains(live.Message.Text, "arn:aws:ec2") {
		t.Errorf("live result anchored at %q, message %q", u, live.Message.Text)
	}
	var suppressed int
	for _, res := range log.Runs[0].Results {
		if len(res.Suppressions) > 0 {
			suppressed++
			if res.Suppressions[0].Kind != "inSource" || !strings.Contains(res.Suppressions[0].Justification, "legacy group") {
				t.Errorf("suppression %+v", res.Suppressions[0])
			}
		}
	}
	if suppressed != 1 {
		t.Errorf("%d suppressed results, want 1", suppressed)
	}
}

func TestSARIFLevels(t *testing.T) {
	want := map[model.Severity]string{"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
	for s, l := range want {
		if got := sarifLevel(s); got != l {
			t.Errorf("sarifLevel(%s) = %s, want %s", s, got, l)
		}
	}
}

// FuzzURIReference checks that any file name becomes a URI reference that
// parses, has no white space and keeps its path.
func FuzzURIReference(f *testing.F) {
	for _, s := range []string{"infra/main.tf", "my stacks/web.yaml", "a:b/c.tf", "/abs/x.tf", "100%/#?.tf", `C:\x\y.tf`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, file string) {
		if file == "" || strings.ContainsRune(file, 0) || !utf8.ValidString(file) {
			return
		}
		u := URIReference(file)
		if u == "" || strings.ContainsAny(u, " \t\n\r") {
			t.Fatalf("URIReference(%q) = %q", file, u)
		}
		p, err := url.Parse(u)
		if err != nil {
			t.Fatalf("URIReference(%q) = %q does not parse: %v", file, u, err)
		}
		if p.Scheme != "" && p.Scheme != "file" {
			t.Fatalf("URIReference(%q) = %q reads as scheme %q", file, u, p.Scheme)
		}
	})
}
