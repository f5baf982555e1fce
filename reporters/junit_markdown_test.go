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
