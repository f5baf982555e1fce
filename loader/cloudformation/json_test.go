package cloudformation

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/testenv"
	"github.com/vpclint/vpclint/loader"
)

// sameNodes compares two parsed trees: kinds, types, text, lines,
// whether they hold intrinsics, and order.
func sameNodes(a, b *node, path string) error {
	switch {
	case a == nil || b == nil:
		if a != b {
			return fmt.Errorf("%s: one side is nil", path)
		}
		return nil
	case a.kind != b.kind || a.typ != b.typ || a.value != b.value || a.line != b.line || a.endLine != b.endLine || a.active != b.active:
		return fmt.Errorf("%s: %+v != %+v", path, *a, *b)
	case len(a.keys) != len(b.keys) || len(a.vals) != len(b.vals):
		return fmt.Errorf("%s: %d keys, %d items != %d keys, %d items", path, len(a.keys), len(a.vals), len(b.keys), len(b.vals))
	}
	for i := range a.keys {
		if a.keys[i] != b.keys[i] {
			return fmt.Errorf("%s: key %+v != %+v", path, a.keys[i], b.keys[i])
		}
	}
	for i := range a.vals {
		if err := sameNodes(a.vals[i], b.vals[i], fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// jsonSeeds are JSON documents that stress what the two parsers could
// read differently.
var jsonSeeds = []string{
	`{}`,
	"\xef\xbb\xbf{\"a\": 1}",
	"\n\n  {\"Resources\": {\n\"A\": {\"Type\": \"AWS::EC2::VPC\",\n \"Properties\": {\"CidrBlock\": {\"Fn::Select\": [0, {\"Fn::Cidr\": [\"10.0.0.0/16\", 2, 8]}]}}}}}\n",
	`{"n": [0, -0, 1.5, -2e10, 3E-2, 9223372036854775807, 18446744073709551615, 18446744073709551616, -9223372036854775809], "b": [true, false, null]}`,
	`{"s": ["", "a\"b", "\\", "\/path", "\u00e9\u4e2d", "tab\there", "nl\nx", "\u0000", "{{resolve:ssm:/x}}"]}`,
	"{\"deep\": [[[[{\"a\": [{}, [], {\"Ref\": \"X\"}]}]]]],\n\"empty\": {\n}\n}",
	`{"dup": 1, "dup": 2}`,
	`{"a": 1,}`,
	`{"a": 01}`,
	`{"a": "\ud83d\ude00"}`,
	"{\"a\":\r\n1}",
	"{\"a\": \"\xe2\x80\xa8\"}",
	`{"a": 1} trailing`,
	"{\"Condition\": \"x\", \"<<\": {\"y\": 1}}",
	"{\"a\":\r\n1,\r\"b\":\r\r[2,\r\n3]}",
	"{\"a\": \"\xef\xbf\xbd\", \"b\": \"\xff\"}",
	`{"a": "\ud83d", "b": "\ude00x"}`,
	`{a: 1, "b": [c]}`,
	`{"a": 1} {"b": 2}`,
	`{"n": [1e400, -1e400, 1e-400, 1` + strings.Repeat("0", 400) + `]}`,
	`{"a": ` + strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + `}`,
	`{"a": ` + strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + `}`,
	`{"a": ` + strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + `,}`,
	largeMapping(2*smallMapping+3, "k3"),
	largeMapping(2*smallMapping+3, "k20"),
	"{\"a\": {\"x\": 1,\n\"y\": 2,\n\"x\": 3}}",
}

// largeMapping is a JSON mapping of n keys, one a line, and then dup again.
func largeMapping(n int, dup string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, "\"k%d\": %d,\n", i, i)
	}
	fmt.Fprintf(&b, "%q: true}", dup)
	return b.String()
}

// TestJSONReader: what the JSON reader reads itself, with what lines and
// types, what it refuses with the YAML path's words, and what it leaves to
// the YAML path.
func TestJSONReader(t *testing.T) {
	type scalar struct {
		path, value string
		typ         scalarType
		line        int
	}
	tests := []struct {
		name, in string
		want     []scalar // read: these values at these paths
		err      string   // refused with this error
		notJSON  bool     // left to the YAML path
	}{
		{name: "CR LF and lone CR count one line each", in: "{\"a\":\r\n1,\r\"b\":\r\r[2,\r\n3]}",
			want: []scalar{{"a", "1", typeInt, 2}, {"b[0]", "2", typeInt, 5}, {"b[1]", "3", typeInt, 6}}},
		{name: "BOM and blank lines before", in: "\xef\xbb\xbf\n\n{\"a\":\n\"x\"}",
			want: []scalar{{"a", "x", typeString, 4}}},
		{name: "numbers keep their text and YAML's types", in: `{"n": [0, -0, 1.50, 2E3, 9223372036854775807, 18446744073709551615, 18446744073709551616, 1e400]}`,
			want: []scalar{{"n[0]", "0", typeInt, 1}, {"n[1]", "-0", typeInt, 1}, {"n[2]", "1.50", typeFloat, 1}, {"n[3]", "2E3", typeFloat, 1},
				{"n[4]", "9223372036854775807", typeInt, 1}, {"n[5]", "18446744073709551615", typeInt, 1}, {"n[6]", "18446744073709551616", typeFloat, 1}, {"n[7]", "1e400", typeString, 1}}},
		{name: "literals", in: `{"t": true, "f": false, "s": "true"}`,
			want: []scalar{{"t", "true", typeBool, 1}, {"f", "false", typeBool, 1}, {"s", "true", typeString, 1}}},
		{name: "escapes, surrogate pairs and lone surrogates", in: `{"a": "\/x\u00e9\ud83d\ude00", "b": "\ud83d!"}`,
			want: []scalar{{"a", "/xé😀", typeString, 1}, {"b", "\ufffd!", typeString, 1}}},
		{name: "duplicate key in a small mapping", in: "{\"a\": {\"x\": 1,\n\"y\": 2,\n\"x\": 3}}", err: `line 3: duplicate key "x" at lines 1 and 3`},
		{name: "duplicate key in a large mapping", in: largeMapping(2*smallMapping+3, "k3"), err: `line 20: duplicate key "k3" at lines 4 and 20`},
		{name: "nesting at the bound", in: `{"a": ` + strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + `}`},
		{name: "nesting past the bound", in: "{\n\"a\": " + strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + `}`, err: "line 2: nesting deeper than 200 levels"},
		{name: "nesting past the bound, then bad syntax", in: `{"a": ` + strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + `,}`, notJSON: true},
		{name: "duplicate key, then bad syntax", in: `{"a": 1, "a": 2,}`, notJSON: true},
		{name: "YAML flow mapping", in: `{a: 1}`, notJSON: true},
		{name: "two documents", in: `{"a": 1} {"b": 2}`, notJSON: true},
		{name: "not a mapping", in: `[1]`, notJSON: true},
		{name: "not UTF-8", in: "{\"a\": \"\xff\"}", notJSON: true},
		{name: "a line separator YAML counts", in: "{\"a\": \"x\u2028y\"}", notJSON: true},
		{name: "trailing comma", in: `{"a": [1,]}`, notJSON: true},
		{name: "leading zero", in: `{"a": 01}`, notJSON: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := parseJSON([]byte(tc.in))
			switch {
			case tc.notJSON:
				if !errors.Is(err, errNotJSON) {
					t.Fatalf("got %v, want it left to the YAML path", err)
				}
				return
			case tc.err != "":
				if err == nil || err.Error() != tc.err {
					t.Fatalf("got %v, want %q", err, tc.err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			for _, w := range tc.want {
				v := n
				for _, step := range strings.FieldsFunc(w.path, func(r rune) bool { return r == '.' || r == '[' }) {
					if i, err := strconv.Atoi(strings.TrimSuffix(step, "]")); err == nil && strings.HasSuffix(step, "]") {
						v = v.vals[i]
					} else {
						v = v.val(step)
					}
				}
				if v == nil || v.value != w.value || v.typ != w.typ || v.line != w.line {
					t.Errorf("%s = %+v, want %q of type %d at line %d", w.path, v, w.value, w.typ, w.line)
				}
			}
		})
	}
}

// TestJSONParserMatchesYAML: for every JSON seed and JSON template of the
// repository's test data, the JSON parser builds what the YAML path
// builds, or leaves the document to it.
func TestJSONParserMatchesYAML(t *testing.T) {
	inputs := map[string][]byte{}
	for i, s := range jsonSeeds {
		inputs[fmt.Sprintf("seed %d", i)] = []byte(s)
	}
	for _, dir := range []string{testdataDir, "../../testdata/rules"} {
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			b, err := os.ReadFile(p)
			if err == nil && New().Detect(loaderInput(p, b)) {
				inputs[p] = b
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	read := 0
	for name, in := range inputs {
		if compareJSON(t, name, in) {
			read++
		}
	}
	if read < len(inputs)/2 {
		t.Errorf("the JSON parser read only %d of %d documents", read, len(inputs))
	}
}

// compareJSON checks one document; it reports whether the JSON reader
// read it (into nodes or an error) rather than leave it to the YAML path.
func compareJSON(t *testing.T, name string, in []byte) bool {
	t.Helper()
	j, jerr := parseJSON(in)
	if errors.Is(jerr, errNotJSON) {
		return false
	}
	y, yerr := parseYAML(in)
	switch {
	case jerr != nil:
		// What the reader refuses (a duplicate key, deep nesting), the
		// YAML path refuses alike.
		if yerr == nil || yerr.Error() != jerr.Error() {
			t.Errorf("%s: the JSON reader says %v, the YAML path %v", name, jerr, yerr)
		}
	case yerr != nil:
		// JSON that YAML refuses (a tab where YAML wants none) is read.
	default:
		if err := sameNodes(j, y, "$"); err != nil {
			t.Errorf("%s: JSON and YAML parsers differ: %v", name, err)
		}
	}
	return true
}

// FuzzJSONParser: on any input the JSON parser does not panic, and what
// it reads the YAML path reads the same.
func FuzzJSONParser(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		compareJSON(t, "input", data)
	})
}

func loaderInput(path string, content []byte) loader.Input {
	return loader.Input{Path: path, Rel: path, Content: content}
}

// TestJSONParserOnCorpus: every JSON template of the shared corpus is read
// by the JSON parser into what the YAML path builds (or left to it).
func TestJSONParserOnCorpus(t *testing.T) {
	dir := testenv.Corpus(t)
	n, read := 0, 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, ".template") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil || !New().Detect(loaderInput(p, b)) {
			return err
		}
		n++
		if compareJSON(t, p, b) {
			read++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if read < n*9/10 {
		t.Errorf("the JSON parser read only %d of the corpus's %d JSON templates", read, n)
	}
}
