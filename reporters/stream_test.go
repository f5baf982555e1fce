package reporters

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"testing"

	sarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// wholeJSON is the JSON report encoded at once.
func wholeJSON(t *testing.T, r *Report) []byte {
	out := jsonReport{Version: "1", Tool: jsonTool{Name: r.Tool.Name, Version: r.Tool.Version},
		Findings: []jsonFinding{}, Errors: []jsonError{}, Summary: r.Summary, Units: r.Units, Shard: r.Shard, Shards: r.Shards,
		Comparison: toJSONComparison(r.Comparison)}
	if r.Config != "" {
		out.Config = &r.Config
	}
	for i := range r.Findings {
		out.Findings = append(out.Findings, toJSONFinding(&r.Findings[i]))
	}
	for _, e := range r.Errors {
		out.Errors = append(out.Errors, toJSONError(e))
	}
	var want bytes.Buffer
	if err := encodeJSON(&want, out, false); err != nil {
		t.Fatal(err)
	}
	return want.Bytes()
}

// wholeSARIF is the SARIF log built with every result in it and encoded
// at once.
func wholeSARIF(t *testing.T, r *Report) []byte {
	log, err := buildSARIF(r)
	if err != nil {
		t.Fatal(err)
	}
	for i, run := range log.report.Runs {
		for _, f := range log.results[i] {
			run.Results = append(run.Results, sarifResultOf(r, f, log.ruleIndex[f.RuleID], log.paths))
		}
	}
	var want bytes.Buffer
	if err := encodeJSON(&want, log.report, false); err != nil {
		t.Fatal(err)
	}
	return want.Bytes()
}

// wholeCodeQuality is the Code Quality array encoded at once.
func wholeCodeQuality(t *testing.T, r *Report) []byte {
	var got bytes.Buffer
	if err := writeCodeQuality(&got, r); err != nil {
		t.Fatal(err)
	}
	var issues []cqIssue
	if err := json.Unmarshal(got.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	if issues == nil {
		issues = []cqIssue{}
	}
	var want bytes.Buffer
	if err := encodeJSON(&want, issues, true); err != nil {
		t.Fatal(err)
	}
	return want.Bytes()
}

// wholeJUnit is the JUnit document, as the streamed one decodes, encoded
// at once.
func wholeJUnit(t *testing.T, r *Report) []byte {
	var got bytes.Buffer
	if err := writeJUnit(&got, r); err != nil {
		t.Fatal(err)
	}
	var suites junitSuites
	if err := xml.Unmarshal(got.Bytes(), &suites); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(suites); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("\n")
	return safetext.EscapeXML(buf.Bytes())
}

// TestStreamedAsWhole checks that the reports written a finding at a time
// (JSON, SARIF, Code Quality, JUnit) have the bytes of the whole document
// encoded at once: with no finding, one, many,
// and messages holding what the splices look for, HTML, controls and
// bidirectional characters. SARIF's reference is the go-sarif log with
// its results built in; Code Quality's and JUnit's the streamed document
// decoded and encoded again whole (which also checks it is well formed).
func TestStreamedAsWhole(t *testing.T) {
	base := sampleReport()
	tricky := []string{
		"plain",
		"\n  \"findings\": []",
		"\n      \"results\": []",
		"<testcase></testsuite>",
		"<b>&amp;</b>",
		"bell \a, DEL \x7f, override \u202e, NEL \u0085",
	}
	formats := []struct {
		name  string
		write func(*bytes.Buffer, *Report) error
		whole func(*testing.T, *Report) []byte
	}{
		{"json", func(b *bytes.Buffer, r *Report) error { return writeJSON(b, r) }, wholeJSON},
		{"sarif", func(b *bytes.Buffer, r *Report) error { return writeSARIF(b, r) }, wholeSARIF},
		{"codequality", func(b *bytes.Buffer, r *Report) error { return writeCodeQuality(b, r) }, wholeCodeQuality},
		{"junit", func(b *bytes.Buffer, r *Report) error { return writeJUnit(b, r) }, wholeJUnit},
	}
	for _, n := range []int{0, 1, 2, 50} {
		r := *base
		r.Findings = nil
		r.Errors = append([]model.LoadError(nil), base.Errors...)
		r.Errors = append(r.Errors, model.LoadError{File: "x.tf", Message: "\n  \"findings\": []"})
		for i := range n {
			f := base.Findings[i%len(base.Findings)]
			f.Message = tricky[i%len(tricky)]
			f.Resource.Address = fmt.Sprintf("%s_%d", f.Resource.Address, i%97)
			r.Findings = append(r.Findings, f)
		}
		if n > 0 {
			fixed := base.Findings[0]
			fixed.BaselineState = model.BaselineAbsent
			r.Comparison = &model.Comparison{Ref: "main", Commit: "abc", FixedFindings: []model.Finding{fixed}}
		}
		for _, format := range formats {
			t.Run(fmt.Sprintf("%s/%d", format.name, n), func(t *testing.T) {
				var got bytes.Buffer
				if err := format.write(&got, &r); err != nil {
					t.Fatal(err)
				}
				if want := format.whole(t, &r); !bytes.Equal(got.Bytes(), want) {
					t.Errorf("streamed report differs from the whole one:\n%.3000s\nwant:\n%.3000s", got.String(), want)
				}
			})
		}
	}
}

// TestSARIFKeepsTheMostSevere checks what a run over GitHub's limit
// keeps: the most severe results first, in their order, the fixed ones
// last, and how many were dropped.
func TestSARIFKeepsTheMostSevere(t *testing.T) {
	sevs := []model.Severity{model.SeverityLow, model.SeverityMedium, model.SeverityCritical, model.SeverityInfo, model.SeverityHigh}
	var fs []model.Finding
	for i := range maxResults + 10 {
		fs = append(fs, model.Finding{RuleID: "SG001", Severity: sevs[i%len(sevs)], Message: fmt.Sprint(i),
			Location: model.Location{File: "main.tf", StartLine: i + 1}})
	}
	fixed := model.Finding{RuleID: "SG001", Severity: model.SeverityCritical, BaselineState: model.BaselineAbsent, Message: "fixed"}
	r := &Report{Tool: DefaultTool("1"), Findings: fs, Comparison: &model.Comparison{FixedFindings: []model.Finding{fixed}}, CodeScanned: true}
	var out bytes.Buffer
	if err := writeSARIF(&out, r); err != nil {
		t.Fatal(err)
	}
	var log sarif.Report
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Results) != maxResults || run.Properties.Properties["vpclint/droppedResults"] != float64(11) {
		t.Fatalf("%d results, dropped %v; want %d, 11", len(run.Results), run.Properties.Properties["vpclint/droppedResults"], maxResults)
	}
	rank := map[string]int{"error": 0, "warning": 1, "note": 2}
	last, lastLine := -1, 0
	for i, res := range run.Results {
		k, line := rank[res.Level], *res.Locations[0].PhysicalLocation.Region.StartLine
		if k < last || k == last && line < lastLine || res.BaselineState != nil {
			t.Fatalf("result %d (%s, line %d, baseline %v) out of order", i, res.Level, line, res.BaselineState)
		}
		last, lastLine = k, line
	}
}

// writeCounter counts the writes made to it.
type writeCounter struct{ writes, bytes int }

func (c *writeCounter) Write(p []byte) (int, error) {
	c.writes++
	c.bytes += len(p)
	return len(p), nil
}

// TestWritesAreBuffered: every format writes a file in pieces of tens of
// kilobytes, not a system call for each field a template or writer emits.
func TestWritesAreBuffered(t *testing.T) {
	base := sampleReport()
	r := *base
	r.Findings = nil
	for i := range 400 {
		f := base.Findings[i%len(base.Findings)]
		f.Resource.Address = fmt.Sprintf("%s_%d", f.Resource.Address, i)
		r.Findings = append(r.Findings, f)
	}
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			var c writeCounter
			if err := Write(&c, format, &r); err != nil {
				t.Fatal(err)
			}
			if want := c.bytes/(32<<10) + 2; c.writes > want {
				t.Errorf("%d writes for %d bytes, want at most %d", c.writes, c.bytes, want)
			}
		})
	}
}
