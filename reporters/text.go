package reporters

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// ANSI colours of the text report.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiCyan   = "\x1b[36m"
	ansiBright = "\x1b[1;31m"
)

func severityColour(s model.Severity) string {
	switch s {
	case model.SeverityCritical:
		return ansiBright
	case model.SeverityHigh:
		return ansiRed
	case model.SeverityMedium:
		return ansiYellow
	case model.SeverityLow:
		return ansiBlue
	}
	return ansiCyan
}

type textWriter struct {
	w     *bufio.Writer
	color bool
	files map[string][]string
	r     *Report
}

func (t *textWriter) paint(code, s string) string {
	if !t.color {
		return s
	}
	return code + s + ansiReset
}

// line returns line n (1-based) of a finding's file, or "".
func (t *textWriter) line(file string, n int) string {
	if file == "" || n <= 0 {
		return ""
	}
	lines, ok := t.files[file]
	if !ok {
		b, err := t.r.readFile(file)
		if err == nil && bytes.IndexByte(b, 0) < 0 {
			lines = strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
		}
		t.files[file] = lines
	}
	if n > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[n-1], " \t")
}

// groupKey is the heading a finding is listed under: its file, or for a
// live resource its account and region.
func groupKey(f *model.Finding) string {
	switch {
	case f.Location.File != "":
		return f.Location.File
	case f.Source.Account != "" || f.Source.Region != "":
		return "aws " + strings.Trim(f.Source.Account+"/"+f.Source.Region, "/")
	}
	return "(no file)"
}

// writeText writes findings grouped by file, with the offending source
// line, then the input errors and a summary line. Suppressed findings are
// counted, not listed.
func writeText(w io.Writer, r *Report) error {
	t := &textWriter{w: bufio.NewWriter(w), color: r.Color, files: map[string][]string{}, r: r}
	var order []string
	groups := map[string][]*model.Finding{}
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Suppression != nil {
			continue
		}
		k := groupKey(f)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], f)
	}
	for gi, k := range order {
		if gi > 0 {
			fmt.Fprintln(t.w)
		}
		for _, f := range groups[k] {
			t.finding(k, f)
		}
	}
	if len(r.Errors) > 0 {
		if len(order) > 0 {
			fmt.Fprintln(t.w)
		}
		heading := "notes"
		if errs, _ := countErrors(r.Errors); errs > 0 {
			heading = "errors"
		}
		fmt.Fprintln(t.w, t.paint(ansiBold, heading))
		for _, e := range r.Errors {
			level := e.Level
			if level == "" {
				level = model.LevelError
			}
			fmt.Fprintf(t.w, "  %s %s\n", t.paint(levelColour(level), safetext.Line(level)+":"), safetext.Line(e.Error()))
		}
	}
	if len(order) > 0 || len(r.Errors) > 0 {
		fmt.Fprintln(t.w)
	}
	fmt.Fprintln(t.w, t.summary())
	if c := r.Comparison; c != nil {
		fmt.Fprintf(t.w, "compared with %s at %s: %d new, %d fixed, %d unchanged\n", safetext.Line(c.Ref), shortCommit(c.Commit), c.New, c.Fixed, c.Unchanged)
	}
	if line := undecidedLine(r); line != "" {
		fmt.Fprintln(t.w, line)
	}
	return t.w.Flush()
}

func levelColour(level string) string {
	switch level {
	case model.LevelError:
		return ansiRed
	case model.LevelWarning:
		return ansiYellow
	}
	return ansiDim
}

// finding writes one finding: where (file:line, clickable in terminals
// and editors), severity, rule and title; then the message and the
// offending source line.
//
// Everything that comes from the scanned input (file names, ids, titles
// of custom rules, messages, the source line) goes through safetext.Line,
// so no input can move the cursor, colour the screen or forge a line.
func (t *textWriter) finding(group string, f *model.Finding) {
	where := group
	if f.Location.File != "" && f.Location.StartLine > 0 {
		where = fmt.Sprintf("%s:%d", f.Location.File, f.Location.StartLine)
	}
	sev := fmt.Sprintf("%-8s", strings.ToUpper(string(f.Severity)))
	title := safetext.Line(f.Title)
	if f.BaselineState == model.BaselineNew {
		title += " " + t.paint(ansiBold, "[new]")
	}
	fmt.Fprintf(t.w, "%s  %s %-7s %s\n", t.paint(ansiBold, safetext.Line(where)), t.paint(severityColour(f.Severity), safetext.Line(sev)), safetext.Line(f.RuleID), title)
	fmt.Fprintf(t.w, "    %s\n", safetext.Line(findingMessage(f)))
	if src := t.line(f.Location.File, f.Location.StartLine); strings.TrimSpace(src) != "" {
		fmt.Fprintf(t.w, "    %s %s\n", t.paint(ansiDim, fmt.Sprintf("%d |", f.Location.StartLine)), safetext.Line(strings.TrimLeft(src, " \t")))
	}
}

// findingMessage is a finding's message naming its resource: prefixed
// with the resource when the message does not name it, and followed by
// the root when the address is ambiguous in the scan.
func findingMessage(f *model.Finding) string {
	res := f.Resource.Address
	if res == "" {
		res = f.Resource.ID
	}
	msg := f.Message
	if res != "" && !strings.Contains(msg, res) {
		msg = res + ": " + msg
	}
	if f.Resource.Ambiguous && f.Resource.Root != "" {
		msg += " (in " + f.Resource.Root + ")"
	}
	return msg
}

// undecidedLine says, when the scan left values undecided and the notes do
// not list them already, how many resources and how to list them.
func undecidedLine(r *Report) string {
	n := r.Summary.Undecided
	if n == 0 {
		return ""
	}
	verb := "had values"
	if n == 1 {
		verb = "had a value"
	}
	if r.ShowUnknown {
		return fmt.Sprintf("%d %s %s vpclint could not decide (listed in the notes); rules stayed silent on them", n, plural(n, "resource", "resources"), verb)
	}
	return fmt.Sprintf("%d %s %s vpclint could not decide; --show-unknown lists them", n, plural(n, "resource", "resources"), verb)
}

func (t *textWriter) summary() string {
	s := t.r.Summary
	total := s.Findings.Total()
	var parts []string
	for _, sev := range model.Severities {
		n := s.Findings.Get(sev)
		p := fmt.Sprintf("%d %s", n, sev)
		if n > 0 {
			p = t.paint(severityColour(sev), p)
		}
		parts = append(parts, p)
	}
	word := "findings"
	if total == 1 {
		word = "finding"
	}
	line := fmt.Sprintf("%d %s (%s) in %d %s, %d %s", total, word, strings.Join(parts, ", "),
		s.Files, plural(s.Files, "file", "files"), s.Resources, plural(s.Resources, "resource", "resources"))
	if s.Suppressed > 0 {
		line += fmt.Sprintf("; %d suppressed", s.Suppressed)
	}
	if s.Baselined > 0 {
		line += fmt.Sprintf("; %d in the baseline", s.Baselined)
	}
	if len(s.Empty) > 0 {
		line += "; nothing to read in " + strings.Join(s.Empty, ", ")
	}
	if s.Hidden > 0 {
		line += fmt.Sprintf("; %d of other severities not shown", s.Hidden)
	}
	errs, notes := countErrors(t.r.Errors)
	if errs > 0 {
		line += fmt.Sprintf("; %d %s", errs, plural(errs, "error", "errors"))
	}
	if notes > 0 {
		line += fmt.Sprintf("; %d %s", notes, plural(notes, "note", "notes"))
	}
	return line
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// countErrors counts input errors (and warnings) apart from info notes.
func countErrors(es []model.LoadError) (errs, notes int) {
	for _, e := range es {
		if e.Level == model.LevelInfo {
			notes++
		} else {
			errs++
		}
	}
	return errs, notes
}
