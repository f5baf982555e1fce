package reporters

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// TestSummariesShowCoverage: the Markdown and JUnit summaries of a merged
// organization audit say how much was read and name every shard that was
// not merged whole.
func TestSummariesShowCoverage(t *testing.T) {
	unit := func(acct, region, status string) model.UnitStatus {
		return model.UnitStatus{Unit: "aws:" + acct + "/" + region, Account: acct, Region: region, Status: status}
	}
	tests := []struct {
		name     string
		units    []model.UnitStatus
		shards   []ShardStatus
		markdown []string          // lines the Markdown holds
		notMD    []string          // and does not
		junit    map[string]string // shard case -> "pass", "failure", "error"
	}{
		{name: "code scan", markdown: []string{"## ✅ vpclint: 0 findings"}, notMD: []string{"Audited", "shards"}},
		{name: "whole audit",
			units:    []model.UnitStatus{unit("111111111111", "eu-west-1", model.UnitComplete), unit("111111111111", "us-east-1", model.UnitComplete), unit("222222222222", "eu-west-1", model.UnitComplete)},
			markdown: []string{"Audited 3 account×regions of 2 accounts, every one read completely."}, notMD: []string{"shards", "⚠️"}},
		{name: "partly read",
			units:    []model.UnitStatus{unit("111111111111", "eu-west-1", model.UnitComplete), unit("111111111111", "us-east-1", model.UnitPartial), unit("222222222222", "eu-west-1", model.UnitFailed)},
			markdown: []string{"Audited 3 account×regions of 2 accounts: 1 read completely, 1 in part, 1 not at all."}},
		{name: "shards merged",
			units:    []model.UnitStatus{unit("111111111111", "eu-west-1", model.UnitComplete)},
			shards:   []ShardStatus{{Index: 0, File: "s0.jsonl", Status: ShardMerged}, {Index: 1, File: "s1.jsonl", Status: ShardMerged}},
			markdown: []string{"## ✅", "2 of 2 shards merged whole."}, notMD: []string{"missing"},
			junit: map[string]string{"shard 0/2": "pass", "shard 1/2": "pass"}},
		{name: "shards missing, failed, incomplete",
			units: []model.UnitStatus{unit("111111111111", "eu-west-1", model.UnitPartial)},
			shards: []ShardStatus{{Index: 0, Status: ShardMissing, Error: "no report"}, {Index: 1, File: "s1.jsonl", Status: ShardFailed, Error: "the run did not finish"},
				{Index: 2, File: "s2.jsonl", Status: ShardIncomplete}, {Index: 3, File: "s3.jsonl", Status: ShardMerged}},
			markdown: []string{"## ❌", "⚠️ **Part of the audit is missing:** 1 of 4 shards merged whole; shard 0/4: missing (no report); shard 1/4: failed (the run did not finish); shard 2/4: incomplete."},
			junit:    map[string]string{"shard 0/4": "error", "shard 1/4": "error", "shard 2/4": "failure", "shard 3/4": "pass"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Tool: DefaultTool("test"), Units: tt.units, Shards: tt.shards, Finished: true}
			var md bytes.Buffer
			if err := Write(&md, "markdown", r); err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.markdown {
				if !strings.Contains(md.String(), want) {
					t.Errorf("Markdown lacks %q:\n%s", want, md.String())
				}
			}
			for _, not := range tt.notMD {
				if strings.Contains(md.String(), not) {
					t.Errorf("Markdown has %q:\n%s", not, md.String())
				}
			}
			var ju bytes.Buffer
			if err := Write(&ju, "junit", r); err != nil {
				t.Fatal(err)
			}
			var got junitSuites
			if err := xml.Unmarshal(ju.Bytes(), &got); err != nil {
				t.Fatalf("not XML: %v", err)
			}
			cases := map[string]string{}
			errs, fails := 0, 0
			for _, s := range got.Suites {
				errs += s.Errors
				fails += s.Failures
				if s.Name != "vpclint/shards" {
					continue
				}
				for _, c := range s.Cases {
					switch {
					case c.Error != nil:
						cases[c.Name] = "error"
					case len(c.Failures) > 0:
						cases[c.Name] = "failure"
					default:
						cases[c.Name] = "pass"
					}
				}
			}
			if len(cases) != len(tt.junit) {
				t.Errorf("JUnit shard cases %v, want %v", cases, tt.junit)
			}
			for name, want := range tt.junit {
				if cases[name] != want {
					t.Errorf("JUnit %s: %q, want %q", name, cases[name], want)
				}
			}
			if errs != got.Errors || fails != got.Failures {
				t.Errorf("totals %d errors, %d failures; suites %d, %d", got.Errors, got.Failures, errs, fails)
			}
		})
	}
}
