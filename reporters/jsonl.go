package reporters

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// JSON Lines output (--format jsonl): one JSON object per line, each with
// a "type", written as the scan goes so that an audit of thousands of
// account×regions never holds its findings, and read back by `vpclint
// merge`:
//
//	header   first: version, tool, config (as in the JSON report)
//	shard    the shard of a sharded audit: index, count, selection, units, total
//	unit     one per live account×region checked: model.UnitStatus
//	finding  one per finding, the fields of a JSON report's finding
//	error    one per input error, the fields of a JSON report's error
//	summary  last: the summary; a file without it did not finish
//
// The records of a unit (its unit, findings and errors) follow each other.

// Record types of the JSON Lines output.
const (
	recordHeader  = "header"
	recordShard   = "shard"
	recordUnit    = "unit"
	recordFinding = "finding"
	recordError   = "error"
	recordSummary = "summary"
)

// Shard identifies one shard of a sharded audit (vpclint scan --shard).
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
	// Selection is a digest of the whole audit's account×regions: the
	// shards of one audit agree on it.
	Selection string `json:"selection,omitempty"`
	// Units is how many account×regions the shard read, Total how many
	// the audit has over all shards.
	Units int `json:"units"`
	Total int `json:"total"`
}

// Statuses of a shard in a merged report.
const (
	ShardMerged     = "merged"     // read, every unit complete
	ShardIncomplete = "incomplete" // read, some units not read completely
	ShardFailed     = "failed"     // its report is unreadable or its run did not finish
	ShardMissing    = "missing"    // no report
)

// ShardStatus is one shard of a merged report.
type ShardStatus struct {
	Index  int    `json:"index"`
	File   string `json:"file,omitempty"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

type jsonlHeader struct {
	Type    string   `json:"type"`
	Version string   `json:"version"`
	Tool    jsonTool `json:"tool"`
	Config  *string  `json:"config"`
}

type jsonlShard struct {
	Type string `json:"type"`
	Shard
}

type jsonlUnit struct {
	Type string `json:"type"`
	model.UnitStatus
}

type jsonlFinding struct {
	Type string `json:"type"`
	jsonFinding
}

type jsonlError struct {
	Type string `json:"type"`
	jsonError
}

type jsonlSummary struct {
	Type    string        `json:"type"`
	Summary model.Summary `json:"summary"`
	// Comparison, with --compare, is known once every unit is: it
	// comes with the summary.
	Comparison *jsonComparison `json:"comparison,omitempty"`
}

// LineWriter writes a report as JSON Lines as a scan goes.
type LineWriter struct {
	w   io.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

// NewLineWriter starts a JSON Lines report: it writes the header.
func NewLineWriter(w io.Writer, r *Report) *LineWriter {
	l := &LineWriter{w: w}
	l.enc = json.NewEncoder(&l.buf)
	l.enc.SetEscapeHTML(false)
	h := jsonlHeader{Type: recordHeader, Version: "1", Tool: jsonTool{Name: r.Tool.Name, Version: r.Tool.Version}}
	if r.Config != "" {
		h.Config = &r.Config
	}
	l.put(h)
	return l
}

// put writes one record on one line, its DEL, C1 and bidirectional
// controls escaped as in the JSON report.
func (l *LineWriter) put(v any) {
	if l.err != nil {
		return
	}
	l.buf.Reset()
	if err := l.enc.Encode(v); err != nil {
		l.err = err
		return
	}
	if _, err := l.w.Write(safetext.EscapeJSON(l.buf.Bytes())); err != nil {
		l.err = err
	}
}

// Shard records the shard the report is of.
func (l *LineWriter) Shard(s Shard) error {
	l.put(jsonlShard{Type: recordShard, Shard: s})
	return l.err
}

// Unit writes a unit's records: its status (live units only), its
// findings and its errors.
func (l *LineWriter) Unit(st *model.UnitStatus, findings []model.Finding, errs []model.LoadError) error {
	if st != nil {
		l.put(jsonlUnit{Type: recordUnit, UnitStatus: *st})
	}
	for i := range findings {
		l.put(jsonlFinding{Type: recordFinding, jsonFinding: toJSONFinding(&findings[i])})
	}
	l.Errors(errs)
	return l.err
}

// Errors writes errors that belong to no unit.
func (l *LineWriter) Errors(errs []model.LoadError) error {
	for _, e := range errs {
		l.put(jsonlError{Type: recordError, jsonError: toJSONError(e)})
	}
	return l.err
}

// Close writes the summary, with the comparison when there is one (nil
// without --compare); it marks the report as finished.
func (l *LineWriter) Close(s model.Summary, c *model.Comparison) error {
	l.put(jsonlSummary{Type: recordSummary, Summary: s, Comparison: toJSONComparison(c)})
	return l.err
}

func writeJSONL(w io.Writer, r *Report) error {
	l := NewLineWriter(w, r)
	if r.Shard != nil {
		l.Shard(*r.Shard)
	}
	for i := range r.Units {
		l.Unit(&r.Units[i], nil, nil)
	}
	l.Unit(nil, r.Findings, r.Errors)
	return l.Close(r.Summary, r.Comparison)
}

// ReadReport reads a JSON or JSON Lines report of vpclint (the shard
// reports `vpclint merge` combines). Finished is false for a JSON Lines
// report without its summary (its run did not finish); the records read
// before the cut are kept.
func ReadReport(in io.Reader) (*Report, error) {
	dec := json.NewDecoder(bufio.NewReaderSize(in, 1<<16))
	var first json.RawMessage
	if err := dec.Decode(&first); err != nil {
		return nil, fmt.Errorf("not a vpclint report: %w", err)
	}
	var kind struct {
		Type    string `json:"type"`
		Version string `json:"version"`
	}
	if err := json.Unmarshal(first, &kind); err != nil {
		return nil, fmt.Errorf("not a vpclint report: %w", err)
	}
	if kind.Type == "" {
		return readJSONReport(first)
	}
	if kind.Type != recordHeader {
		return nil, fmt.Errorf("not a vpclint JSON Lines report: the first record is a %q, not the header", kind.Type)
	}
	var h jsonlHeader
	if err := json.Unmarshal(first, &h); err != nil {
		return nil, fmt.Errorf("JSON Lines header: %w", err)
	}
	r := &Report{Tool: Tool{Name: h.Tool.Name, Version: h.Tool.Version}}
	if h.Config != nil {
		r.Config = *h.Config
	}
	for line := 2; ; line++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if errors.Is(err, io.EOF) {
				return r, nil
			}
			// A run cut short leaves a partial last line.
			if r.Finished {
				return nil, fmt.Errorf("record %d: %w", line, err)
			}
			return r, nil
		}
		if err := readRecord(r, raw); err != nil {
			return nil, fmt.Errorf("record %d: %w", line, err)
		}
	}
}

func readRecord(r *Report, raw json.RawMessage) error {
	var kind struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &kind); err != nil {
		return err
	}
	if r.Finished {
		return fmt.Errorf("a %s record after the summary", kind.Type)
	}
	switch kind.Type {
	case recordShard:
		var s jsonlShard
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		r.Shard = &s.Shard
	case recordUnit:
		var u jsonlUnit
		if err := json.Unmarshal(raw, &u); err != nil {
			return err
		}
		r.Units = append(r.Units, u.UnitStatus)
	case recordFinding:
		var f jsonlFinding
		if err := json.Unmarshal(raw, &f); err != nil {
			return err
		}
		r.Findings = append(r.Findings, fromJSONFinding(&f.jsonFinding))
	case recordError:
		var e jsonlError
		if err := json.Unmarshal(raw, &e); err != nil {
			return err
		}
		r.Errors = append(r.Errors, fromJSONError(e.jsonError))
	case recordSummary:
		var s jsonlSummary
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		r.Summary, r.Finished = s.Summary, true
	default:
		return fmt.Errorf("unknown record type %q", kind.Type)
	}
	return nil
}

func readJSONReport(raw json.RawMessage) (*Report, error) {
	var doc jsonReport
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("not a vpclint JSON report: %w", err)
	}
	if doc.Version == "" || doc.Tool.Name == "" {
		return nil, errors.New("not a vpclint JSON report: no version or tool")
	}
	r := &Report{Tool: Tool{Name: doc.Tool.Name, Version: doc.Tool.Version}, Summary: doc.Summary, Units: doc.Units, Shard: doc.Shard, Finished: true}
	if doc.Config != nil {
		r.Config = *doc.Config
	}
	for i := range doc.Findings {
		r.Findings = append(r.Findings, fromJSONFinding(&doc.Findings[i]))
	}
	for _, e := range doc.Errors {
		r.Errors = append(r.Errors, fromJSONError(e))
	}
	return r, nil
}
