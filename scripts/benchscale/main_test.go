//go:build unix

package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestParseHere checks the parse floor parses a generated input of each
// format and refuses one it cannot parse, so that it never times a parse
// that stopped at the first error.
func TestParseHere(t *testing.T) {
	dir := t.TempDir()
	// write makes a directory name holding one file.
	write := func(name, file, body string) string {
		in := filepath.Join(dir, name)
		if err := os.MkdirAll(in, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(in, file), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return in
	}
	broken := write("broken", "main.tf", "resource \"aws_vpc\" \"a\" {\n")
	brokenYAML := write("brokenyaml", "template.yaml", "Resources: [\n")
	tf := filepath.Join(dir, "terraform-10")
	cfn := filepath.Join(dir, "cloudformation-10")
	for _, spec := range []string{"terraform 10 " + tf, "cloudformation 10 " + cfn} {
		if err := generateHere(spec); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		spec    string
		wantErr bool
	}{
		{"terraform " + tf, false},
		{"cloudformation " + cfn, false},
		{"terraform " + broken, true},
		{"cloudformation " + brokenYAML, true},
		{"terraform " + cfn, true}, // no .tf files
		{"pulumi " + tf, true},
		{tf, true},
	}
	for _, tt := range tests {
		err := parseHere(tt.spec)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseHere(%q) = %v, want error %v", tt.spec, err, tt.wantErr)
		}
	}
}
