// Package inventory reads and writes vpclint inventory snapshots: what a
// live account read found, saved as stable, pretty JSON that `vpclint scan
// FILE` re-scans offline.
//
// A snapshot is
//
//	{
//	  "vpclint_inventory": 1,
//	  "generated_by": "vpclint",
//	  "units": [ <model JSON of one account×region, facts left out> ]
//	}
//
// Resources are sorted by id and written one object per block, so each has
// its own line range: findings on a snapshot point at the lines of their
// resource (and, through attribute_lines, at the line of the offending
// value), which is what GitHub code scanning needs for live findings.
package inventory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/vpclint/vpclint/internal/jsonpos"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/suppress"
	"github.com/vpclint/vpclint/model"
)

// Version is the snapshot format version written and read.
const Version = 1

// Key is the top-level key that marks a snapshot.
const Key = "vpclint_inventory"

// GeneratedBy is the generated_by value written.
const GeneratedBy = "vpclint"

// snapshot is the document's shape.
type snapshot struct {
	Version     int            `json:"vpclint_inventory"`
	GeneratedBy string         `json:"generated_by"`
	Units       []*model.Model `json:"units"`
}

// Writer writes a snapshot one unit at a time, so that a live audit need
// not hold every unit until the end.
type Writer struct {
	w    io.Writer
	file string
	// line is the number of lines written so far; n the units.
	line int
	n    int
	err  error
}

// NewWriter starts a snapshot on w; file is the path Write records in the
// units it returns (as the snapshot's loader would).
func NewWriter(w io.Writer, file string) *Writer {
	return &Writer{w: w, file: file}
}

func (sw *Writer) put(s []byte) {
	if sw.err != nil {
		return
	}
	if _, err := sw.w.Write(s); err != nil {
		sw.err = fmt.Errorf("write the inventory: %w", err)
		return
	}
	sw.line += bytes.Count(s, []byte("\n"))
}

// Write appends a unit and returns it as a scan of the snapshot reads
// it: a fresh model whose resources point at their lines in the
// snapshot. Write takes u: it leaves out its facts and earlier positions
// and sorts its resources (a caller that keeps u writes a copy).
func (sw *Writer) Write(u *model.Model) (*model.Model, error) {
	if sw.err != nil {
		return nil, sw.err
	}
	strip(u)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(unitIndent, "  ")
	if err := enc.Encode(u); err != nil {
		return nil, fmt.Errorf("encode unit %s: %w", u.Unit, err)
	}
	text := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if sw.n == 0 {
		sw.put([]byte(header() + "[\n" + unitIndent))
	} else {
		sw.put([]byte(",\n" + unitIndent))
	}
	first := sw.line + 1
	sw.put(text)
	sw.n++
	if sw.err != nil {
		return nil, sw.err
	}
	read := &model.Model{}
	if err := json.Unmarshal(text, read); err != nil {
		return nil, fmt.Errorf("read back unit %s: %w", u.Unit, err)
	}
	spans, err := unitSpans(text)
	if err != nil {
		return nil, fmt.Errorf("read back unit %s: %w", u.Unit, err)
	}
	place(read, spans, first-1, sw.file)
	return read, nil
}

// Close ends the snapshot.
func (sw *Writer) Close() error {
	if sw.n == 0 {
		sw.put([]byte(header() + "[]\n}\n"))
	} else {
		sw.put([]byte("\n  ]\n}\n"))
	}
	return sw.err
}

// unitIndent is the indentation of a unit in the snapshot's list, as an
// encoder indenting by two spaces writes it.
const unitIndent = "    "

// header is the snapshot's text before the units' list.
func header() string {
	return fmt.Sprintf("{\n  %q: %d,\n  \"generated_by\": %q,\n  \"units\": ", Key, Version, GeneratedBy)
}

// strip leaves out of a unit what a snapshot does not hold: facts and the
// positions of an earlier snapshot (source file and lines, attribute
// lines); and sorts its resources by id.
func strip(c *model.Model) {
	c.Facts = nil
	c.SortByID()
	for _, r := range c.Resources() {
		m := r.GetMeta()
		m.Source.File, m.Source.StartLine, m.Source.EndLine = "", 0, 0
		m.AttributeLines = nil
		m.AttributeFiles = nil
		for i := range m.Suppressions {
			m.Suppressions[i].File, m.Suppressions[i].Line = "", 0
			m.Suppressions[i].StartLine, m.Suppressions[i].EndLine = 0, 0
		}
	}
}

// Format is the snapshot loader.
type Format struct{}

// New returns the snapshot loader.
func New() loader.FileFormat { return &Format{} }

// Name implements loader.FileFormat.
func (*Format) Name() string { return "inventory" }

// detectWindow is how far into a file Detect looks for the marker key.
const detectWindow = 4096

// Detect implements loader.FileFormat: a JSON object with a
// "vpclint_inventory" key near its start.
func (*Format) Detect(in loader.Input) bool {
	c := bytes.TrimLeft(in.Content, " \t\r\n\ufeff")
	c = bytes.TrimPrefix(c, []byte("\xef\xbb\xbf"))
	if len(c) == 0 || c[0] != '{' {
		return false
	}
	if len(c) > detectWindow {
		c = c[:detectWindow]
	}
	return bytes.Contains(c, []byte(`"`+Key+`"`))
}

// Load implements loader.FileFormat. Every resource gets Source.File = the
// snapshot's path and its line range in it, and attribute lines into it;
// account and region are kept.
func (*Format) Load(ctx context.Context, in loader.Input, opts loader.Options) ([]*model.Model, []model.LoadError) {
	units, err := Read(in.Content, in.Rel)
	if err != nil {
		var le *model.LoadError
		if errors.As(err, &le) {
			return nil, []model.LoadError{*le}
		}
		return nil, []model.LoadError{{File: in.Rel, Message: err.Error(), Level: model.LevelError}}
	}
	return units, incomplete(units, in.Rel)
}

// incomplete reports the units the snapshot records as not read, or read
// in part: the rules that need what was not read stay silent on them, and
// the scan is incomplete.
func incomplete(units []*model.Model, file string) []model.LoadError {
	var out []model.LoadError
	for _, u := range units {
		st, ok := model.LiveStatus(u)
		if !ok || st.Status == model.UnitComplete {
			continue
		}
		msg := "not read when the snapshot was taken: " + st.Error
		if st.Status == model.UnitPartial {
			msg = "lists not read when the snapshot was taken: " + strings.Join(st.ListsNotRead, ", ") + "; the rules that need them were not checked"
		}
		out = append(out, model.LoadError{File: file, Level: model.LevelError, Account: st.Account, Region: st.Region, Message: msg})
	}
	return out
}

// Read parses a snapshot. file is the path to record in each resource's
// Source.File.
func Read(content []byte, file string) ([]*model.Model, error) {
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	var doc snapshot
	dec := json.NewDecoder(bytes.NewReader(content))
	if err := dec.Decode(&doc); err != nil {
		return nil, &model.LoadError{File: file, Line: jsonpos.ErrorLine(content, err), Level: model.LevelError, Message: "not a valid vpclint inventory: " + err.Error()}
	}
	if doc.Version != Version {
		return nil, &model.LoadError{File: file, Line: 1, Level: model.LevelError,
			Message: fmt.Sprintf("vpclint_inventory version %d is not supported (this vpclint reads version %d)", doc.Version, Version)}
	}
	spans, err := scan(content)
	if err != nil {
		return nil, &model.LoadError{File: file, Level: model.LevelError, Message: "not a valid vpclint inventory: " + err.Error()}
	}
	var out []*model.Model
	for i, u := range doc.Units {
		if u == nil {
			continue
		}
		if path, coll, j := nullElement(u); path != "" {
			line := 0
			if i < len(spans) && coll != "" && j < len(spans[i][coll]) {
				line = spans[i][coll][j].start
			}
			return nil, &model.LoadError{File: file, Line: line, Level: model.LevelError,
				Message: fmt.Sprintf("not a valid vpclint inventory: units[%d].%s is null", i, path)}
		}
		var us map[string][]span
		if i < len(spans) {
			us = spans[i]
		}
		place(u, us, 0, file)
		out = append(out, u)
	}
	return out, nil
}

// place gives a unit read from a snapshot what the snapshot's loader
// gives it: the snapshot's path in every resource, its line span (spans,
// lines counted from offset+1) and its attributes' lines, and the line of
// a live tag suppression; facts are left out.
func place(u *model.Model, spans map[string][]span, offset int, file string) {
	u.Facts = nil
	if u.Format == "" {
		u.Format = model.FormatAWS
	}
	for coll, list := range collections(u) {
		for j, r := range list {
			m := r.GetMeta()
			m.Source.File = file
			if m.Source.Format == "" {
				m.Source.Format = u.Format
			}
			if j >= len(spans[coll]) {
				continue
			}
			sp := spans[coll][j]
			m.Source.StartLine, m.Source.EndLine = sp.start+offset, sp.end+offset
			m.AttributeLines = sp.attrs
			if offset != 0 {
				m.AttributeLines = make(map[string]int, len(sp.attrs))
				for k, v := range sp.attrs {
					m.AttributeLines[k] = v + offset
				}
			}
			// A live tag suppression is written in the tags: problems
			// with it (no reason, expired) point there.
			for k := range m.Suppressions {
				if su := &m.Suppressions[k]; su.Kind == "tag" && su.File == "" {
					if line := m.AttributeLines["tags."+suppress.Marker]; line > 0 {
						su.File, su.Line = file, line
					}
				}
			}
		}
	}
}

// nullElement finds a null where a snapshot needs an object: a resource,
// or an element of a list inside one (a rule, an entry, a statement). It
// returns the element's JSON path in the unit, and the resource list and
// position it is in ("" when there is none).
func nullElement(u *model.Model) (path, coll string, index int) {
	v := reflect.ValueOf(u).Elem()
	for _, f := range reflect.VisibleFields(v.Type()) {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		fv := v.FieldByIndex(f.Index)
		if f.Anonymous || name == "" || name == "-" || fv.Kind() != reflect.Slice {
			continue
		}
		if p, j := nullInList(fv, name); p != "" {
			return p, name, j
		}
	}
	return "", "", 0
}

// nullInList finds a nil pointer in list v or anywhere below it, and the
// index of the element it is in.
func nullInList(v reflect.Value, path string) (string, int) {
	for j := 0; j < v.Len(); j++ {
		e := v.Index(j)
		at := fmt.Sprintf("%s[%d]", path, j)
		if e.Kind() == reflect.Pointer && e.IsNil() {
			return at, j
		}
		if p := nullBelow(e, at); p != "" {
			return p, j
		}
	}
	return "", 0
}

// nullBelow finds a nil pointer in a list anywhere below v.
func nullBelow(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return ""
		}
		return nullBelow(v.Elem(), path)
	case reflect.Struct:
		for _, f := range reflect.VisibleFields(v.Type()) {
			if !f.IsExported() || f.Anonymous {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if p := nullBelow(v.FieldByIndex(f.Index), path+"."+name); p != "" {
				return p
			}
		}
	case reflect.Slice:
		p, _ := nullInList(v, path)
		return p
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if p := nullBelow(it.Value(), fmt.Sprintf("%s.%v", path, it.Key())); p != "" {
				return p
			}
		}
	}
	return ""
}

// collections maps the JSON name of each resource list to its resources.
func collections(m *model.Model) map[string][]model.Resource {
	out := map[string][]model.Resource{}
	for _, c := range model.Collections() {
		out[c.Name] = c.Append(m, nil)
	}
	return out
}
