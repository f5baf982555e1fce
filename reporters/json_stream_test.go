package reporters

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// TestJSONStreamedAsWhole checks that the JSON report, written finding by
// finding, has the bytes of the whole report encoded at once: with no
// finding, one, many, and messages holding what the splice looks for,
// HTML, controls and bidirectional characters.
func TestJSONStreamedAsWhole(t *testing.T) {
	base := sampleReport()
	tricky := []string{
		"plain",
		"\n  \"findings\": []",
		"<b>&amp;</b>",
		"bell \a, DEL \x7f, override \u202e, NEL \u0085",
	}
	for _, n := range []int{0, 1, 2, 50} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			r := *base
			r.Findings = nil
			r.Errors = append([]model.LoadError(nil), base.Errors...)
			r.Errors = append(r.Errors, model.LoadError{File: "x.tf", Message: "\n  \"findings\": []"})
			for i := range n {
				f := base.Findings[i%len(base.Findings)]
				f.Message = tricky[i%len(tricky)]
				r.Findings = append(r.Findings, f)
			}
			var got bytes.Buffer
			if err := writeJSON(&got, &r); err != nil {
				t.Fatal(err)
			}
			out := jsonReport{Version: "1", Tool: jsonTool{Name: r.Tool.Name, Version: r.Tool.Version},
				Findings: []jsonFinding{}, Errors: []jsonError{}, Summary: r.Summary, Units: r.Units, Shard: r.Shard, Shards: r.Shards}
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
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("streamed report differs from the whole one:\n%s\nwant:\n%s", got.String(), want.String())
			}
		})
	}
}
