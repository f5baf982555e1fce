package reporters

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// hostile are strings a pull request can put in a logical id, a name, a
// description, a tag value or a file name, which reach messages.
var hostile = []string{
	"\x1b[2J\x1b[H",                              // clear the screen
	"ok\nmain.tf:1  CRITICAL SG001   forged",     // forge a finding line
	"\r0 findings (0 critical)",                  // overwrite the line
	"\u202egnp.exe",                              // reorder with a bidi override
	"\u009b31m",                                  // C1 CSI
	"<img src=x onerror=alert(1)> & <b>bold</b>", // HTML
	"a | b | c",                                  // table cells
	"[click](https://evil.example)",              // a Markdown link
	"`code` and ``two``",                         // code spans
	"\x00\x07\x7f",                               // NUL, BEL, DEL
	"bad \xff utf8",
}

// hostileReport has hostile text in every field that comes from input.
func hostileReport(text string) *Report {
	f := model.Finding{
		RuleID: "SG001", Severity: model.SeverityCritical, Title: "Title " + text,
		Message:     "Message " + text,
		Resource:    model.FindingResource{Address: "Res" + text, ID: "Res" + text, Type: "AWS::EC2::SecurityGroup", Root: "stacks/" + text + ".yaml", Ambiguous: true},
		Attribute:   "Properties." + text,
		Location:    model.Location{File: "stacks/" + text + ".yaml", StartLine: 2, EndLine: 2},
		Source:      model.Source{Format: model.FormatCloudFormation, File: "stacks/" + text + ".yaml", StartLine: 2},
		Fingerprint: "fp",
	}
	return &Report{
		Tool:      DefaultTool("dev"),
		Findings:  []model.Finding{f},
		Errors:    []model.LoadError{{File: "stacks/" + text + ".yaml", Line: 3, Message: "Error " + text, Level: model.LevelError}},
		Catalogue: []model.RuleInfo{{ID: "SG001", Title: "Title " + text, Description: "D", Severity: model.SeverityCritical, Remediation: "R", Area: "SG", Package: "p"}},
		Summary:   model.Summarize([]model.Finding{f}, 1, 1),
		Anchor:    "README.md",
		// The offending source line holds the text too.
		ReadFile: func(string) ([]byte, error) { return []byte("A:\n  Name: " + text + "\n"), nil },
	}
}

// TestHostileText: text from the input cannot add a line, move the
// cursor, colour the screen or reorder the display of the text report.
func TestHostileText(t *testing.T) {
	for _, h := range hostile {
		var buf bytes.Buffer
		if err := Write(&buf, "text", hostileReport(h)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !isClean(out) {
			t.Errorf("%q: raw control or bidi characters in the text report:\n%q", h, out)
		}
		// Exactly: the finding (3 lines: a binary source line is not
		// shown), a blank, the errors (2), a blank, the summary.
		want := 8
		if strings.Contains(h, "\x00") {
			want = 7
		}
		if lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); len(lines) != want {
			t.Errorf("%q: %d lines, want %d (a forged line?):\n%s", h, len(lines), want, out)
		}
		if strings.Contains(out, "\nmain.tf:1") || strings.Contains(out, "\n0 findings") {
			t.Errorf("%q: a forged line:\n%s", h, out)
		}
	}
}

// isClean reports whether s has no character a terminal interprets other
// than the newlines between lines.
func isClean(s string) bool {
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0xfffd {
			return false
		}
	}
	return true
}

// unescapedPipe is a Markdown table row's cell separator; codeSpan a code
// span (fences of one or two backticks, as mdCode writes them here).
var (
	unescapedPipe = regexp.MustCompile(`(^|[^\\])\|`)
	codeSpan      = regexp.MustCompile("```[^`].*?[^`]```|``[^`].*?[^`]``|`[^`]*`")
	link          = regexp.MustCompile(`(^|[^\\])\]\(https://evil`)
)

// TestHostileMarkdown: text from the input is escaped as Markdown and HTML:
// no tag, entity, link or extra table cell can come from it.
func TestHostileMarkdown(t *testing.T) {
	for _, h := range hostile {
		var buf bytes.Buffer
		if err := Write(&buf, "markdown", hostileReport(h)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !isClean(out) {
			t.Errorf("%q: raw control or bidi characters:\n%q", h, out)
		}
		// Inside a code span Markdown and HTML are literal text.
		text := codeSpan.ReplaceAllString(out, "CODE")
		for _, bad := range []string{"<img", "<b>", "\nmain.tf:1"} {
			if strings.Contains(text, bad) {
				t.Errorf("%q: %q in the Markdown report:\n%s", h, bad, out)
			}
		}
		if link.MatchString(text) {
			t.Errorf("%q: a link from the input in the Markdown report:\n%s", h, out)
		}
		rows := 0
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, "| critical | [SG001]") {
				rows++
				if n := len(unescapedPipe.FindAllString(l, -1)); n != 6 {
					t.Errorf("%q: the finding row has %d cell separators, want 6:\n%s", h, n, l)
				}
			}
		}
		if rows != 1 {
			t.Errorf("%q: %d finding rows, want 1:\n%s", h, rows, out)
		}
	}
}

// TestHostileStructured: JSON, SARIF, JUnit and code quality escape by
// construction; the text comes back exactly (XML cannot hold control
// characters: they come back as U+FFFD), and the documents parse.
func TestHostileStructured(t *testing.T) {
	for _, h := range hostile {
		r := hostileReport(h)
		for _, format := range []string{"json", "sarif", "codequality"} {
			var buf bytes.Buffer
			if err := Write(&buf, format, r); err != nil {
				t.Fatal(err)
			}
			var doc any
			if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatalf("%s %q: not JSON: %v", format, h, err)
			}
			if !containsString(doc, "Message "+strings.ToValidUTF8(h, "\ufffd")) {
				t.Errorf("%s %q: the message does not come back as written", format, h)
			}
			if bytes.ContainsAny(buf.Bytes(), "\x1b\r\u202e") {
				t.Errorf("%s %q: a raw control character", format, h)
			}
		}
		var buf bytes.Buffer
		if err := Write(&buf, "junit", r); err != nil {
			t.Fatal(err)
		}
		var suites junitSuites
		if err := xml.Unmarshal(buf.Bytes(), &suites); err != nil {
			t.Fatalf("junit %q: not XML: %v\n%s", h, err, buf.Bytes())
		}
		if bytes.ContainsAny(buf.Bytes(), "\x1b\u202e") || bytes.Contains(buf.Bytes(), []byte("<img")) {
			t.Errorf("junit %q: unescaped:\n%s", h, buf.Bytes())
		}
	}
}

func containsString(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, s)
	case []any:
		for _, e := range x {
			if containsString(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if containsString(e, s) {
				return true
			}
		}
	}
	return false
}

// TestURIReferenceNeverFileScheme: a SARIF location is never a file://
// URI, whatever path reaches the reporter.
func TestURIReferenceNeverFileScheme(t *testing.T) {
	for _, p := range []string{"/etc/passwd", `C:\Users\x\main.tf`, "infra/main.tf", "../outside/a.tf", filepath.Join(os.TempDir(), "x.tf")} {
		u := URIReference(p)
		if strings.HasPrefix(u, "file:") || strings.HasPrefix(u, "/") || strings.Contains(u, ":/") {
			t.Errorf("URIReference(%q) = %q", p, u)
		}
	}
}

// TestTextSourceFromScanRoot: a finding's file is relative to its scan
// root when the scan root is not below the current directory; the text
// report still shows the offending line.
func TestTextSourceFromScanRoot(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "main.tf"), []byte("resource \"x\" \"y\" {\n  cidr = \"0.0.0.0/0\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := model.Finding{RuleID: "SG001", Severity: model.SeverityHigh, Message: "m", Resource: model.FindingResource{Address: "x.y"},
		Location: model.Location{File: "main.tf", StartLine: 2, EndLine: 2}}
	r := &Report{Findings: []model.Finding{f}, WorkDir: t.TempDir(), Roots: []string{root}, Summary: model.Summarize([]model.Finding{f}, 1, 1)}
	var buf bytes.Buffer
	if err := Write(&buf, "text", r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `2 | cidr = "0.0.0.0/0"`) {
		t.Errorf("no source line:\n%s", buf.String())
	}
}

// fillStrings sets every plain string field reachable from v (through
// structs, pointers, slices and maps of them) to text, so that a field
// added later is covered without naming it.
func fillStrings(v reflect.Value, text string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			fillStrings(v.Elem(), text)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillStrings(v.Field(i), text)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			fillStrings(v.Index(i), text)
		}
	case reflect.Map:
		if v.Type().Key().Kind() == reflect.String && v.Type().Elem().Kind() == reflect.String {
			if v.IsNil() && v.CanSet() {
				v.Set(reflect.MakeMap(v.Type()))
			}
			v.SetMapIndex(reflect.ValueOf(text).Convert(v.Type().Key()), reflect.ValueOf(text).Convert(v.Type().Elem()))
		}
	case reflect.String:
		// Named string types are enumerations (severity, format, level)
		// that the scan sets, not the input.
		if v.Type() == reflect.TypeFor[string]() && v.CanSet() {
			v.SetString(v.String() + text)
		}
	}
}

// TestHostileEveryField: hostile text in every string field of the
// findings, the suppressions, the errors, the units and the rule
// catalogue (user rules' METADATA comes from the repository too) reaches
// no report format raw: the terminal and Markdown reports show no control
// or bidi character, the structured ones still parse.
func TestHostileEveryField(t *testing.T) {
	for _, h := range hostile {
		r := hostileReport("")
		r.Findings = append(r.Findings, r.Findings[0])
		r.Findings[1].Suppression = &model.AppliedSuppression{Kind: "inSource"}
		r.Units = []model.UnitStatus{{}}
		r.Accounts = []string{""}
		for i := range r.Findings {
			fillStrings(reflect.ValueOf(&r.Findings[i]).Elem(), h)
		}
		r.Topology = hostileMapReport("").Topology
		for _, v := range []any{&r.Errors, &r.Catalogue, &r.Units, &r.Accounts, &r.Config, &r.Topology} {
			fillStrings(reflect.ValueOf(v).Elem(), h)
		}
		r.Summary = model.Summarize(r.Findings, 1, 1)
		for _, format := range Formats() {
			var buf bytes.Buffer
			if err := Write(&buf, format, r); err != nil {
				t.Fatalf("%s %q: %v", format, h, err)
			}
			out := buf.Bytes()
			switch format {
			case "text", "markdown":
				if !isClean(buf.String()) {
					t.Errorf("%s %q: raw control or bidi characters:\n%q", format, h, out)
				}
				if bytes.Contains(out, []byte("\nmain.tf:1")) || bytes.Contains(out, []byte("\n0 findings")) {
					t.Errorf("%s %q: a forged line:\n%s", format, h, out)
				}
			case "junit":
				var suites junitSuites
				if err := xml.Unmarshal(out, &suites); err != nil {
					t.Errorf("junit %q: not XML: %v", h, err)
				}
			case "html", "dot":
				// Their own tests parse them (maps_hostile_test.go).
				if !isClean(buf.String()) {
					t.Errorf("%s %q: raw control or bidi characters:\n%q", format, h, out)
				}
			case "jsonl":
				for _, l := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
					if !json.Valid(l) {
						t.Errorf("jsonl %q: a line that is not JSON: %q", h, l)
					}
				}
			default:
				if !json.Valid(out) {
					t.Errorf("%s %q: not JSON", format, h)
				}
			}
			if format != "text" && format != "markdown" && bytes.ContainsAny(out, "\x1b\r\u202e\u009b") {
				t.Errorf("%s %q: a raw control character", format, h)
			}
		}
	}
}
