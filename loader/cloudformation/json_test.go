package cloudformation

import (
	"fmt"
	"os"
	"path/filepath"
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
	case len(a.keys) != len(b.keys) || len(a.items) != len(b.items):
		return fmt.Errorf("%s: %d keys, %d items != %d keys, %d items", path, len(a.keys), len(a.items), len(b.keys), len(b.items))
	}
	for i := range a.keys {
		if err := sameNodes(a.keys[i], b.keys[i], path+".key"); err != nil {
			return err
		}
		if err := sameNodes(a.vals[i], b.vals[i], path+"."+a.keys[i].value); err != nil {
			return err
		}
	}
	for i := range a.items {
		if err := sameNodes(a.items[i], b.items[i], fmt.Sprintf("%s[%d]", path, i)); err != nil {
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

// compareJSON checks one document; it reports whether the JSON parser
// read it.
func compareJSON(t *testing.T, name string, in []byte) bool {
	t.Helper()
	j, ok := parseJSON(in)
	if !ok {
		return false
	}
	y, err := parseYAML(in)
	if err != nil {
		// JSON that YAML refuses (a tab where YAML wants none) is read.
		return true
	}
	if err := sameNodes(j, y, "$"); err != nil {
		t.Errorf("%s: JSON and YAML parsers differ: %v", name, err)
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
