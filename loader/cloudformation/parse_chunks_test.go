package cloudformation

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// sameAsWhole checks that parsing content piece by piece, when it is
// done, gives the tree parsing it whole gives (and that the whole file
// parses then).
func sameAsWhole(t *testing.T, name string, content []byte, size int) bool {
	t.Helper()
	got, ok := parseYAMLChunked(content, size)
	if !ok {
		return false
	}
	want, err := parseYAMLWhole(content)
	if err != nil {
		t.Fatalf("%s: parsed in pieces, but whole: %v", name, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: the pieces give another tree than the whole file", name)
	}
	return true
}

func TestParseYAMLChunked(t *testing.T) {
	const res = "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n  B:\n    Type: AWS::EC2::SecurityGroup\n"
	for _, c := range []struct {
		name, src string
		cut       bool // parsed in pieces (else whole)
	}{
		{"sections and resources", "AWSTemplateFormatVersion: '2010-09-09'\n" + res + "Outputs:\n  O:\n    Value: !Ref A\n", true},
		{"document start and comments", "# head\n---\n# more\n" + res + "# tail\n", true},
		{"comments at any indentation", "Resources:\n  A:\n    Type: X\n# between\n    # inside\n  B:\n    Type: Y\n", true},
		{"indentless sequence", "Resources:\n  A:\n  - 1\n  - 2\n  B: x\nList:\n- a\n- b\n", true},
		{"tab after a dash (refused whole)", "List:\n-\ta\n-\tb\nB: 1\n", false},
		{"key starting with a dash", "-a: 1\n-b: 2\n", true},
		{"block scalar", "Resources:\n  A:\n    Properties:\n      UserData: |\n        #!/bin/sh\n        - x\n  B: 1\n", true},
		{"CRLF", strings.ReplaceAll(res, "\n", "\r\n"), true},
		{"key comment", "Resources: # the resources\n  A: 1\n  B: 2\n", true},
		{"anchor used in its own piece", "Resources:\n  A: &a {x: 1}\n  B: 1\n", true},
		{"section not a mapping", "Resources:\n  - a\n  - b\n", true},
		{"anchor of another piece", "Resources:\n  A: &a {x: 1}\n  B: *a\n", false},
		{"key in two pieces", "Resources:\n  A: 1\n  A: 2\n", false},
		{"section twice", "Resources:\n  A: 1\nResources:\n  B: 2\n", false},
		{"merge key", "Resources:\n  <<: {A: 1}\n  B: 2\n", false},
		{"quoted scalar across a cut", "Resources:\n  A: \"x\n  B: 1\"\n", false},
		{"flow mapping across a cut", "Resources:\n  A: {x: 1,\n  B: 1}\n", false},
		{"plain scalar continued", "Description: a\nb\n", false},
		{"flow mapping at the top", "{A: 1}\nB: 2\n", false},
		{"second document", "A: 1\n---\nB: 2\n", false},
		{"directive", "%YAML 1.2\n---\nA: 1\n", false},
		{"byte order mark", "\xef\xbb\xbfA: 1\n", false},
		{"tab indentation", "Resources:\n\tA: 1\n", false},
		{"tagged root", "!Foo\nA: 1\n", false},
		{"less indented key", "Resources:\n    A: 1\n  B: 2\n", false},
		{"only a comment", "# nothing\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := sameAsWhole(t, c.name, []byte(c.src), 1); got != c.cut {
				t.Errorf("parsed in pieces: %v, want %v", got, c.cut)
			}
		})
	}
}

// TestParseYAMLChunkedFixtures parses every YAML template of the tests in
// the smallest pieces: each gives the tree of the whole file.
func TestParseYAMLChunkedFixtures(t *testing.T) {
	cut := 0
	for _, dir := range []string{testdataDir, "../../testdata/rules"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || (!strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".yml")) {
				return err
			}
			content, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if sameAsWhole(t, p, content, 1) {
				cut++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if cut < 100 {
		t.Errorf("only %d templates parsed in pieces", cut)
	}
}

// TestParseYAMLLarge checks that a large template is cut where it should
// be: its Resources into pieces of about chunkSize bytes.
func TestParseYAMLLarge(t *testing.T) {
	content := scaleTemplate(400)
	if len(content) < chunkedMin {
		t.Fatalf("the template is %d bytes, under %d", len(content), chunkedMin)
	}
	secs, ok := cutTemplate(content, chunkSize)
	if !ok {
		t.Fatal("not cut")
	}
	pieces := 0
	for _, s := range secs {
		if s.key == "Resources" {
			pieces = len(s.subs)
		}
	}
	if want := len(content) / chunkSize; pieces < want/2 || pieces > want+1 {
		t.Errorf("Resources in %d pieces, want about %d", pieces, want)
	}
	if !sameAsWhole(t, "scale", content, chunkSize) {
		t.Fatal("not parsed in pieces")
	}
}
