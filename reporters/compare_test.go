package reporters

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// compareReport is the sample report as `scan --compare` makes it: the
// code findings marked new or unchanged, and two findings of the ref
// fixed.
func compareReport() *Report {
	r := sampleReport()
	r.Accounts, r.Units = nil, nil
	var code []model.Finding
	c := &model.Comparison{Ref: "origin/main", Commit: "0123456789abcdef0123456789abcdef01234567", MergeBase: true, BaseErrors: 1}
	for _, f := range r.Findings {
		if f.Source.Format == model.FormatAWS {
			continue
		}
		if f.Suppression == nil {
			// The critical and the low ones are new: the table must
			// list them before the older medium ones.
			if f.Severity == model.SeverityCritical || f.Severity == model.SeverityLow {
				f.BaselineState = model.BaselineNew
				c.New++
				c.NewBySeverity.Add(f.Severity)
			} else {
				f.BaselineState = model.BaselineUnchanged
				c.Unchanged++
			}
		}
		code = append(code, f)
	}
	fixed := code[0]
	fixed.Resource.Address, fixed.Message, fixed.Fingerprint = "aws_security_group.old", "aws_security_group.old allows SSH (22) from 0.0.0.0/0", "fp-old"
	fixed.BaselineState, fixed.Suppression = model.BaselineAbsent, nil
	fixed2 := code[1]
	fixed2.Resource.Address, fixed2.Fingerprint, fixed2.Location.File = "aws_vpc_endpoint.gone", "fp-gone", "infra/gone.tf"
	fixed2.BaselineState = model.BaselineAbsent
	c.FixedFindings = []model.Finding{fixed, fixed2}
	c.Fixed = 2
	r.Findings = code
	r.Summary = model.Summarize(code, 3, 12)
	r.Comparison = c
	return r
}

func TestGoldenCompare(t *testing.T) {
	for _, tt := range []struct{ format, file string }{
		{"text", "report.compare.txt"},
		{"json", "report.compare.json"},
		{"jsonl", "report.compare.jsonl"},
		{"sarif", "report.compare.sarif"},
		{"markdown", "report.compare.md"},
	} {
		t.Run(tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.format, compareReport()); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, buf.Bytes())
		})
	}
}

// TestCompareOutputs checks what each format must say of a comparison,
// beyond the golden files' bytes.
func TestCompareOutputs(t *testing.T) {
	r := compareReport()
	write := func(format string) []byte {
		var buf bytes.Buffer
		if err := Write(&buf, format, r); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}

	t.Run("sarif", func(t *testing.T) {
		b := write("sarif")
		validateSARIF(t, b)
		var log struct {
			Runs []struct {
				Results []struct {
					Fingerprints  map[string]string `json:"partialFingerprints"`
					BaselineState string            `json:"baselineState"`
					Suppressions  []any             `json:"suppressions"`
				} `json:"results"`
				Properties map[string]any `json:"properties"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b, &log); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, f := range r.Findings {
			want[f.Fingerprint] = f.BaselineState
		}
		for _, f := range r.Comparison.FixedFindings {
			want[f.Fingerprint] = model.BaselineAbsent
		}
		got := map[string]string{}
		for _, res := range log.Runs[0].Results {
			got[res.Fingerprints["primaryLocationLineHash"]] = res.BaselineState
		}
		for fp, st := range want {
			if got[fp] != st {
				t.Errorf("result %s: baselineState %q, want %q", fp, got[fp], st)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%d results, want %d", len(got), len(want))
		}
		if log.Runs[0].Properties["vpclint/compareRef"] != "origin/main" {
			t.Errorf("run properties %v", log.Runs[0].Properties)
		}
	})

	t.Run("json", func(t *testing.T) {
		var rep struct {
			Findings   []struct{ Fingerprint, BaselineState string } `json:"findings"`
			Comparison struct {
				Ref           string
				New, Fixed    int
				FixedFindings []struct {
					Fingerprint   string `json:"fingerprint"`
					BaselineState string `json:"baseline_state"`
				} `json:"fixed_findings"`
			} `json:"comparison"`
		}
		if err := json.Unmarshal(write("json"), &rep); err != nil {
			t.Fatal(err)
		}
		c := rep.Comparison
		if c.Ref != "origin/main" || c.New != 3 || c.Fixed != 2 || len(c.FixedFindings) != 2 || c.FixedFindings[0].BaselineState != "absent" {
			t.Errorf("comparison %+v", c)
		}
	})

	t.Run("markdown", func(t *testing.T) {
		md := string(write("markdown"))
		if !strings.HasPrefix(md, "## ❌ vpclint: 3 new, 2 fixed") {
			t.Errorf("title: %q", strings.SplitN(md, "\n", 2)[0])
		}
		// Every new row comes before every other row of the table.
		var rows []string
		for _, l := range strings.Split(md, "\n") {
			if strings.HasPrefix(l, "| ") && strings.Contains(l, "docs/rules/") {
				rows = append(rows, l)
			}
			if strings.Contains(l, "fixed finding") {
				break
			}
		}
		seenOld := false
		for _, row := range rows {
			isNew := strings.HasPrefix(row, "| "+mdNewMark)
			if isNew && seenOld {
				t.Errorf("new row after an older one: %s", row)
			}
			seenOld = seenOld || !isNew
		}
		if !strings.Contains(md, "<summary>2 fixed findings</summary>") || !strings.Contains(md, "`aws_vpc_endpoint.gone`") {
			t.Error("the fixed findings are not listed")
		}
	})

	t.Run("a commit id as the ref", func(t *testing.T) {
		r := compareReport()
		c := *r.Comparison
		c.Ref, c.MergeBase = c.Commit, false
		r.Comparison = &c
		var buf bytes.Buffer
		if err := Write(&buf, "markdown", r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "Compared with `0123456789ab`: 3 new") {
			t.Errorf("comparison line:\n%s", buf.String())
		}
	})

	t.Run("no new finding", func(t *testing.T) {
		r := compareReport()
		c := *r.Comparison
		c.New, c.NewBySeverity = 0, model.SeverityCounts{}
		r.Comparison = &c
		var buf bytes.Buffer
		if err := Write(&buf, "markdown", r); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(buf.String(), "## ✅ vpclint: 0 new, 2 fixed") {
			t.Errorf("title: %q", strings.SplitN(buf.String(), "\n", 2)[0])
		}
	})
}
