package reporters

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// The JUnit report must parse as XML and count what it holds.
func TestJUnitWellFormed(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "junit", sampleReport()); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	tests, failures := 0, 0
	for _, s := range got.Suites {
		tests += len(s.Cases)
		for _, c := range s.Cases {
			if len(c.Failures) > 0 {
				failures++
			}
		}
	}
	if tests != got.Tests || failures != got.Failures {
		t.Errorf("totals say %d tests, %d failures; cases hold %d, %d", got.Tests, got.Failures, tests, failures)
	}
	if got.Failures != 8 || got.Skipped != 2 || got.Errors != 1 {
		t.Errorf("failures/skipped/errors = %d/%d/%d, want 8/2/1 (the two roots of one address are two cases)", got.Failures, got.Skipped, got.Errors)
	}
}

func TestMarkdownTruncatesAndLinks(t *testing.T) {
	r := &Report{Tool: DefaultTool("dev"), LinkBase: "https://github.com/o/r/blob/abc/"}
	for i := 0; i < mdTopFindings+5; i++ {
		sev := model.SeverityLow
		if i == mdTopFindings+4 {
			sev = model.SeverityCritical // last in input, first in the table
		}
		r.Findings = append(r.Findings, model.Finding{RuleID: "SG009", Severity: sev, Message: fmt.Sprintf("m|%d", i),
			Resource: model.FindingResource{Address: "a"}, Location: model.Location{File: "infra/main.tf", StartLine: i + 1}})
	}
	r.Summary = model.Summarize(r.Findings, 1, 1)
	var buf bytes.Buffer
	if err := Write(&buf, "markdown", r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "5 findings more not shown") {
		t.Errorf("no truncation note:\n%s", out)
	}
	rows := strings.Split(out, "\n")
	var first string
	for _, l := range rows {
		if strings.HasPrefix(l, "| critical |") || strings.HasPrefix(l, "| low |") {
			first = l
			break
		}
	}
	if !strings.HasPrefix(first, "| critical |") {
		t.Errorf("most severe finding is not first: %q", first)
	}
	if !strings.Contains(out, "(https://github.com/o/r/blob/abc/infra/main.tf#L55)") {
		t.Errorf("no absolute link:\n%s", out)
	}
	if !strings.Contains(out, `m\|54`) {
		t.Errorf("pipe not escaped in a cell")
	}
}

func TestCodeQualityAnchorsLiveFindings(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "codequality", sampleReport()); err != nil {
		t.Fatal(err)
	}
	var issues []cqIssue
	if err := json.Unmarshal(buf.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	if len(issues) != 8 {
		t.Fatalf("%d issues, want 8 (suppressed one left out)", len(issues))
	}
	for _, i := range issues {
		if i.Location.Path == "" || i.Location.Lines.Begin < 1 || i.Fingerprint == "" {
			t.Errorf("issue without path, line or fingerprint: %+v", i)
		}
	}
}

// TestJUnitListsPassingRules: every rule that ran is a test case; a rule
// that found nothing passes, so a clean scan reports tests > 0 (CI
// systems reject an empty report), and a rule that found something has a
// failed case per resource.
func TestJUnitListsPassingRules(t *testing.T) {
	cat := []model.RuleInfo{{ID: "SG001", Title: "SSH from the internet"}, {ID: "EP001", Title: "No policy"}, {ID: "NACL001", Title: "ACL open"}}
	finding := func(addr string) model.Finding {
		return model.Finding{RuleID: "SG001", Severity: model.SeverityCritical, Message: "open", Resource: model.FindingResource{Address: addr}}
	}
	tests := []struct {
		name                     string
		findings                 []model.Finding
		tests, failures, passing int
	}{
		{"clean scan", nil, 3, 0, 3},
		{"one rule fails on two resources", []model.Finding{finding("aws_security_group.a"), finding("aws_security_group.b"), finding("aws_security_group.a")}, 4, 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Tool: DefaultTool("dev"), Catalogue: cat, Findings: tt.findings}
			var buf bytes.Buffer
			if err := Write(&buf, "junit", r); err != nil {
				t.Fatal(err)
			}
			var got junitSuites
			if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			passing := 0
			for _, s := range got.Suites {
				for _, c := range s.Cases {
					if len(c.Failures) == 0 && c.Skipped == nil && c.Error == nil {
						passing++
						if !strings.HasPrefix(c.Name, strings.TrimPrefix(s.Name, "vpclint/")+": ") {
							t.Errorf("passing case %q does not name its rule and title", c.Name)
						}
					}
				}
			}
			if got.Tests != tt.tests || got.Failures != tt.failures || passing != tt.passing || len(got.Suites) != len(cat) {
				t.Errorf("tests %d, failures %d, passing %d, suites %d; want %d, %d, %d, %d\n%s", got.Tests, got.Failures, passing, len(got.Suites), tt.tests, tt.failures, tt.passing, len(cat), buf.String())
			}
		})
	}
}
