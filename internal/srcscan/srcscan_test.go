package srcscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
)

// nest builds a text nesting open/close n times around core.
func nest(open, close, core string, n int) string {
	return strings.Repeat(open, n) + core + strings.Repeat(close, n)
}

func TestHCL(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int // 0: accepted
	}{
		{"parentheses", "x = " + nest("(", ")", "1", 300), 1},
		{"parentheses within the bound", "x = " + nest("(", ")", "1", 200), 0},
		{"brackets", "x = " + nest("[", "]", "", 300), 1},
		{"blocks", nest("a {\n", "}\n", "", 300), 257},
		{"object constructors", "x = " + nest("{a = ", "}", "1", 300), 1},
		{"interpolations", "x = " + nest(`"${`, `}"`, "1", 300), 1},
		{"heredocs in interpolations", "x = " + nest("<<EOT\n${", "}\nEOT\n", "1", 150), 130},
		{"if directives", `x = "` + nest("%{ if true }", "%{ endif }", "a", 300) + `"`, 1},
		{"for directives", `x = "` + nest("%{ for a in [1] }", "%{ endfor }", "a", 300) + `"`, 1},
		{"sequential directives", `x = "` + strings.Repeat("%{ if true }a%{ endif }", 1000) + `"`, 0},
		{"conditional chain", "x = " + strings.Repeat("true ? 1 : ", 300) + "1", 1},
		{"conditionals in a list", "x = [" + strings.Repeat("true ? 1 : 2, ", 1000) + "]", 0},
		{"conditionals on lines", strings.Repeat("x = true ? 1 : 2\n", 1000), 0},
		{"not chain", "x = " + strings.Repeat("!", 300) + "true", 1},
		{"negation chain", "x = " + strings.Repeat("- ", 300) + "1", 1},
		{"not equal is not unary", "x = " + strings.Repeat("a != b && ", 1000) + "true", 0},
		{"binary chain is for the parser", "x = 1" + strings.Repeat(" + 1", 5000), 0},
		{"brackets in strings do not count", `x = "` + strings.Repeat("(", 1000) + `"`, 0},
		{"escaped template sequences do not count", `x = "` + strings.Repeat("$${", 1000) + `"`, 0},
		{"brackets in comments do not count", "# " + strings.Repeat("(", 1000) + "\n// " + strings.Repeat("[", 1000) + "\n/* " + strings.Repeat("{", 1000) + " */\nx = 1", 0},
		{"brackets in heredocs do not count", "x = <<EOT\n" + strings.Repeat("(", 1000) + "\nEOT\ny = 1", 0},
		{"indented heredoc", "x = <<-EOT\n  a\n  EOT\ny = " + nest("(", ")", "1", 10), 0},
		{"huge exponent", "x = 1e999999999", 1},
		{"huge negative exponent", "x = 1e-999999999", 1},
		{"exponent within bounds", "x = 1.5e300", 0},
		{"too many digits", "x = " + strings.Repeat("9", 5000), 1},
		{"digits in identifiers", "x = a1e99999999", 0},
		{"exponent in a string", `x = "1e99999999"`, 0},
		{"exponent in an interpolation", `x = "${1e99999999}"`, 1},
		{"line of the bound", "a = 1\nb = 2\nx = " + nest("(", ")", "1", 300), 3},
		{"too many tokens", "x = [\n" + strings.Repeat("1,", MaxTokens/2+10) + "\n]", 2},
		{"many tokens within the bound", "x = [\n" + strings.Repeat("1, ", MaxTokens/2-10) + "\n]", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := HCL([]byte(tt.src), MaxDepth)
			checkErr(t, err, tt.line)
			if tt.line == 0 && len(tt.src) < 100_000 {
				// What the scan accepts, the parser parses.
				if _, diags := hclsyntax.ParseConfig([]byte(tt.src), "x.tf", hcl.InitialPos); diags.HasErrors() && !strings.Contains(tt.name, "not equal") {
					t.Logf("parse diagnostics (fine, not a crash): %v", diags)
				}
			}
		})
	}
}

func checkErr(t *testing.T, err error, line int) {
	t.Helper()
	if line == 0 {
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return
	}
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("accepted, want refused at line %d", line)
	}
	if se.Line != line {
		t.Fatalf("refused at line %d, want %d: %v", se.Line, line, err)
	}
}

func TestTemplate(t *testing.T) {
	tests := []struct {
		name string
		src  string
		line int
	}{
		{"plain text", strings.Repeat("((([[[{{{\"\"\"\n", 100), 0},
		{"interpolations", nest("${", "}", "1", 300), 1},
		{"directives", "\n" + nest("%{ if a }", "%{ endif }", "x", 300), 2},
		{"strings in interpolations", nest(`${"`, `"}`, "", 300), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, Template([]byte(tt.src), MaxDepth), tt.line)
		})
	}
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		templates bool
		line      int
	}{
		{"arrays", nest("[", "]", "", 300), false, 1},
		{"objects", nest(`{"a":`, "}", "1", 300), false, 1},
		{"within the bound", nest("[", "]", "", 200), false, 0},
		{"brackets in strings", `["` + strings.Repeat("[", 1000) + `"]`, false, 0},
		{"escaped quotes", `["\"[[[[", "\\"]`, false, 0},
		{"templates in strings", `{"locals": {"x": "` + nest("${", "}", "1", 300) + `"}}`, true, 1},
		{"templates ignored", `{"x": "` + nest("${", "}", "1", 300) + `"}`, false, 0},
		{"template depth adds to JSON depth", nest(`{"a":`, "}", `"`+nest("${(", ")}", "1", 100)+`"`, 100), true, 1},
		{"huge exponent", `{"count": 1e999999999}`, false, 1},
		{"negative number", `{"n": -12.5e3}`, false, 0},
		{"huge exponent in a template", `{"x": "${1e99999999}"}`, true, 1},
		{"line", "{\n\"a\":\n" + nest("[", "]", "", 300) + "}", false, 3},
		{"too many tokens", "[\n" + strings.Repeat("1, ", MaxTokens/2+10) + "1]", false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, JSON([]byte(tt.src), MaxDepth, MaxTokens, tt.templates), tt.line)
		})
	}
}

// TestRealSources: every Terraform file of the repository's test data
// and examples, and of the shared corpus when it is there, is accepted
// (the bound is generous).
func TestRealSources(t *testing.T) {
	roots := []string{"../../testdata", "../../examples", "../../../shared/corpus"}
	n := 0
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			var check func([]byte) error
			switch {
			case strings.HasSuffix(p, ".tf"), strings.HasSuffix(p, ".tfvars"):
				check = func(b []byte) error { return HCL(b, MaxDepth) }
			case strings.HasSuffix(p, ".tf.json"):
				check = func(b []byte) error { return JSON(b, MaxDepth, MaxTokens, true) }
			case strings.HasSuffix(p, ".json"):
				check = func(b []byte) error { return JSON(b, MaxDepth, 0, false) }
			case strings.HasSuffix(p, ".tftpl"), strings.HasSuffix(p, ".tpl"):
				check = func(b []byte) error { return Template(b, MaxDepth) }
			default:
				return nil
			}
			if strings.Contains(p, "/hostile/") {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			n++
			if err := check(b); err != nil {
				t.Errorf("%s: %v", p, err)
			}
			return nil
		})
	}
	if n == 0 {
		t.Fatal("no source found")
	}
	t.Logf("%d files accepted", n)
}

// TestParserSurvivesWhatIsAccepted parses, at the bound, each construct
// the scanner counts: what it accepts must not overflow the parser.
func TestParserSurvivesWhatIsAccepted(t *testing.T) {
	n := MaxDepth - 1
	srcs := []string{
		"x = " + nest("(", ")", "1", n),
		"x = " + nest(`"${`, `}"`, "1", n/2), // a string and an interpolation each
		"x = " + strings.Repeat("true ? 1 : ", n) + "1",
		"x = " + strings.Repeat("!", n) + "true",
		nest("a {\n", "}\n", "", n),
	}
	for _, src := range srcs {
		if err := HCL([]byte(src), MaxDepth); err != nil {
			t.Fatalf("refused at the bound: %v", err)
		}
		f, _ := hclsyntax.ParseConfig([]byte(src), "x.tf", hcl.InitialPos)
		if f != nil {
			if attrs, _ := f.Body.JustAttributes(); attrs != nil {
				for _, a := range attrs {
					_, _ = a.Expr.Value(nil)
				}
			}
		}
	}
	js := nest(`{"a":`, "}", "1", n)
	if err := JSON([]byte(js), MaxDepth, MaxTokens, true); err != nil {
		t.Fatal(err)
	}
	_, _ = hcljson.Parse([]byte(js), "x.tf.json")
}

// TestJSONTokensUnbounded: a plan, decoded by encoding/json, is not
// bounded by tokens (real ones have millions).
func TestJSONTokensUnbounded(t *testing.T) {
	big := "[\n" + strings.Repeat("1, ", MaxTokens) + "1]"
	if err := JSON([]byte(big), MaxDepth, 0, false); err != nil {
		t.Fatal(err)
	}
	if JSON([]byte(big), MaxDepth, MaxTokens, false) == nil {
		t.Fatal("the bound was not applied")
	}
}

// FuzzJSON checks the byte scanner's depth against a JSON tokenizer's: on
// any valid JSON document, JSON refuses for depth exactly when the
// document nests deeper than the bound, and the line it names is the line
// where the bound is first passed.
func FuzzJSON(f *testing.F) {
	for _, seed := range []string{
		`{"a": [1, {"b": "c"}]}`,
		`[[[[[[[[[["deep"]]]]]]]]]]`,
		`{"s": "[[[[[[[[[[ not nesting", "t": "\"{{{{{{{{{{\""}`,
		"{\n\"a\":\n[\n[\n[\n[\n[\n[\n[\n[\n[]]]]]]]]]}",
		`[-1.5e10, 0, true, null, "x\\"]`,
	} {
		f.Add([]byte(seed))
	}
	const maxDepth = 8
	f.Fuzz(func(t *testing.T, src []byte) {
		if !json.Valid(src) {
			return
		}
		// The reference depth, and the line of the first token past max.
		dec := jsontext.NewDecoder(bytes.NewReader(src), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
		depth, wantLine := 0, 0
		for {
			if _, err := dec.ReadToken(); err != nil {
				break
			}
			depth = max(depth, dec.StackDepth())
			if wantLine == 0 && dec.StackDepth() > maxDepth {
				wantLine = 1 + bytes.Count(src[:dec.InputOffset()], []byte("\n"))
			}
		}
		err := JSON(src, maxDepth, 0, false)
		var se *Error
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("error %v is not an *Error", err)
		}
		deep := se != nil && strings.HasPrefix(se.Msg, "nested deeper")
		if se != nil && !deep {
			return // a number too long, before any nesting too deep
		}
		if deep != (depth > maxDepth) {
			t.Fatalf("nesting %d, bound %d: JSON says %v", depth, maxDepth, err)
		}
		if deep && se.Line != wantLine {
			t.Fatalf("depth error at line %d, want %d", se.Line, wantLine)
		}
	})
}

// TestHCLCuts checks where a file may be cut, and that a source the scan
// does not follow as the parser would is not cut at all (the loader's
// tests parse sources both ways and compare).
func TestHCLCuts(t *testing.T) {
	tests := []struct {
		name, src string
		want      []Cut
	}{
		{"top-level items", "a = 1\nb = {\n  c = 2\n}\nd = 3\n", []Cut{{6, 2}, {22, 5}}},
		{"heredoc and comment", "a = <<EOT\n}\nEOT\n/* x\n*/\nb = 1\n", []Cut{{16, 4}, {24, 6}}},
		{"too small for a second piece", "a = 1\nb = 2\n", nil},
		{"stray closing brace", "a = 1\n}\nb = 2\n", nil},
		{"unterminated string", "a = \"x\nb = 2\n", nil},
		{"unterminated comment", "a = 1\n/* no end\nb = 2\n", nil},
		{"unclosed block", "x {\n  a = 1\n\nb = 2\n", nil},
	}
	for _, tt := range tests {
		size := 1
		if tt.name == "too small for a second piece" {
			size = 7
		}
		got, err := HCLCuts([]byte(tt.src), MaxDepth, size)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: HCLCuts = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}
