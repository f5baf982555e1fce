package reporters

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// jsonReport is the documented JSON output (DESIGN.md "Outputs"): its
// field names are a contract for scripts.
type jsonReport struct {
	Version  string        `json:"version"`
	Tool     jsonTool      `json:"tool"`
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
	Summary  model.Summary `json:"summary"`
	// Config is the config file in use, null when none.
	Config *string `json:"config"`
	// Comparison is how the findings compare with a git ref's
	// (--compare); absent without one.
	Comparison *jsonComparison `json:"comparison,omitempty"`
	// Units says how much of each live account×region was read.
	Units []model.UnitStatus `json:"units,omitempty"`
	// Shard is the shard of a sharded audit this report is of; Shards,
	// in a merged report, what became of each shard.
	Shard  *Shard        `json:"shard,omitempty"`
	Shards []ShardStatus `json:"shards,omitempty"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonFinding struct {
	RuleID      string                    `json:"rule_id"`
	Severity    model.Severity            `json:"severity"`
	Title       string                    `json:"title"`
	Message     string                    `json:"message"`
	Resource    jsonResource              `json:"resource"`
	Attribute   string                    `json:"attribute,omitempty"`
	Location    jsonLocation              `json:"location"`
	Source      model.Source              `json:"source"`
	Fingerprint string                    `json:"fingerprint"`
	Suppression *model.AppliedSuppression `json:"suppression,omitempty"`
	// BaselineState is new, unchanged or (in comparison.fixed) absent.
	BaselineState string `json:"baseline_state,omitempty"`
}

// jsonComparison is model.Comparison with the fixed findings in the
// report's finding form.
type jsonComparison struct {
	Ref           string               `json:"ref"`
	Commit        string               `json:"commit"`
	MergeBase     bool                 `json:"merge_base"`
	New           int                  `json:"new"`
	Fixed         int                  `json:"fixed"`
	Unchanged     int                  `json:"unchanged"`
	NewBySeverity model.SeverityCounts `json:"new_by_severity"`
	BaseErrors    int                  `json:"base_errors"`
	FixedFindings []jsonFinding        `json:"fixed_findings"`
}

func toJSONComparison(c *model.Comparison) *jsonComparison {
	if c == nil {
		return nil
	}
	out := &jsonComparison{
		Ref: c.Ref, Commit: c.Commit, MergeBase: c.MergeBase,
		New: c.New, Fixed: c.Fixed, Unchanged: c.Unchanged,
		NewBySeverity: c.NewBySeverity, BaseErrors: c.BaseErrors,
		FixedFindings: make([]jsonFinding, 0, len(c.FixedFindings)),
	}
	for i := range c.FixedFindings {
		out.FixedFindings = append(out.FixedFindings, toJSONFinding(&c.FixedFindings[i]))
	}
	return out
}

type jsonResource struct {
	Address string `json:"address"`
	ID      string `json:"id"`
	Type    string `json:"type"`
	ARN     string `json:"arn,omitempty"`
	// Root is the root of the unit: module directory, template or plan
	// file, account/region.
	Root string `json:"root,omitempty"`
}

type jsonLocation struct {
	File      string `json:"file"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	Level   string `json:"level,omitempty"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	Call    string `json:"call,omitempty"`
}

func writeJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		Version:    "1",
		Tool:       jsonTool{Name: r.Tool.Name, Version: r.Tool.Version},
		Findings:   make([]jsonFinding, 0, len(r.Findings)),
		Errors:     make([]jsonError, 0, len(r.Errors)),
		Summary:    r.Summary,
		Units:      r.Units,
		Shard:      r.Shard,
		Comparison: toJSONComparison(r.Comparison),
		Shards:     r.Shards,
	}
	if r.Config != "" {
		out.Config = &r.Config
	}
	for _, e := range r.Errors {
		out.Errors = append(out.Errors, toJSONError(e))
	}
	// The report is encoded without its findings, which are then
	// written one by one where the empty list stands: a report of tens
	// of thousands of findings is never built, encoded, indented and
	// escaped whole (four copies of tens of megabytes), and the bytes
	// are those of encoding it whole.
	var head bytes.Buffer
	if err := encodeJSON(&head, out, false); err != nil {
		return err
	}
	return writeSpliced(w, head.Bytes(), "\n  \"findings\": []", 2, false, []int{len(r.Findings)},
		func(_, i int) any { return toJSONFinding(&r.Findings[i]) })
}

// writeSpliced writes an encoded document, head, whose lists were encoded
// empty, with the items of list k written into the k-th occurrence of
// empty (an empty list at the given depth, as encodeJSON writes it):
// counts[k] items, item(k, i) each.
func writeSpliced(w io.Writer, head []byte, empty string, depth int, escapeHTML bool, counts []int, item func(list, i int) any) error {
	bw := bufio.NewWriter(w)
	for k, n := range counts {
		at := bytes.Index(head, []byte(empty))
		if at < 0 {
			return fmt.Errorf("list %d of %q not found in the encoded report", k, strings.TrimSpace(empty))
		}
		at += len(empty) - 1 // before "]"
		bw.Write(head[:at])
		head = head[at:]
		if err := writeJSONItems(bw, depth, escapeHTML, n, func(i int) any { return item(k, i) }); err != nil {
			return err
		}
	}
	bw.Write(head)
	return bw.Flush()
}

// writeJSONItems writes the n items of a JSON array whose "[" the
// document written so far ends with, and which lies at the given depth of
// the document (the depth of its items): each item is encoded, indented
// and escaped as encodeJSON would have in the whole document, and written
// before the next is made. The "]" and what follows are the caller's.
func writeJSONItems(bw *bufio.Writer, depth int, escapeHTML bool, n int, item func(i int) any) error {
	indent := strings.Repeat("  ", depth)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent(indent, "  ")
	enc.SetEscapeHTML(escapeHTML)
	for i := range n {
		buf.Reset()
		if err := enc.Encode(item(i)); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		bw.WriteString(indent)
		bw.Write(safetext.EscapeJSON(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))))
	}
	if n > 0 {
		bw.WriteByte('\n')
		bw.WriteString(indent[2:])
	}
	return nil
}

func toJSONFinding(f *model.Finding) jsonFinding {
	return jsonFinding{
		RuleID: f.RuleID, Severity: f.Severity, Title: f.Title, Message: f.Message,
		Resource:      jsonResource{Address: f.Resource.Address, ID: f.Resource.ID, Type: f.Resource.Type, ARN: f.Resource.ARN, Root: f.Resource.Root},
		Attribute:     f.Attribute,
		Location:      jsonLocation{File: f.Location.File, StartLine: f.Location.StartLine, EndLine: f.Location.EndLine},
		Source:        f.Source,
		Fingerprint:   f.Fingerprint,
		Suppression:   f.Suppression,
		BaselineState: f.BaselineState,
	}
}

// fromJSONFinding reads back a finding of a JSON report (vpclint merge).
func fromJSONFinding(j *jsonFinding) model.Finding {
	return model.Finding{
		RuleID: j.RuleID, Severity: j.Severity, Title: j.Title, Message: j.Message,
		Resource:      model.FindingResource{Address: j.Resource.Address, ID: j.Resource.ID, Type: j.Resource.Type, ARN: j.Resource.ARN, Root: j.Resource.Root},
		Attribute:     j.Attribute,
		Location:      model.Location{File: j.Location.File, StartLine: j.Location.StartLine, EndLine: j.Location.EndLine},
		Source:        j.Source,
		Fingerprint:   j.Fingerprint,
		Suppression:   j.Suppression,
		BaselineState: j.BaselineState,
	}
}

func toJSONError(e model.LoadError) jsonError {
	return jsonError{File: e.File, Line: e.Line, Message: e.Message, Level: e.Level, Account: e.Account, Region: e.Region, Call: e.Call}
}

func fromJSONError(j jsonError) model.LoadError {
	return model.LoadError{File: j.File, Line: j.Line, Message: j.Message, Level: j.Level, Account: j.Account, Region: j.Region, Call: j.Call}
}
