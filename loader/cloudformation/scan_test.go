package cloudformation_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/scan"
)

// TestJSONFindingLines scans a JSON template through the whole pipeline
// and checks that findings point at the lines of the offending values.
func TestJSONFindingLines(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the rules")
	}
	path := filepath.Join("..", "..", "testdata", "loader", "cloudformation", "lines.json")
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{path}, Loader: loader.Options{WorkDir: filepath.Join("..", "..")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	// Lines of lines.json that hold an offending value.
	want := map[string]map[int]bool{
		// The SSH rules: inline (lines 25-31, CidrIp 0.0.0.0/0 at 29) and
		// SshFromV6 (lines 35-44, CidrIpv6 ::/0 at 42).
		"SG001":   {25: true, 28: true, 29: true, 35: true, 40: true, 42: true},
		"EP002":   {54: true}, // PolicyDocument
		"NACL001": {61: true, 65: true, 66: true, 68: true, 69: true},
	}
	seen := map[string]bool{}
	for _, f := range res.Findings {
		lines, ok := want[f.RuleID]
		if !ok {
			continue
		}
		seen[f.RuleID] = true
		if f.Location.File != "testdata/loader/cloudformation/lines.json" || !lines[f.Location.StartLine] {
			t.Errorf("%s at %s:%d (attribute %q), want one of lines %v", f.RuleID, f.Location.File, f.Location.StartLine, f.Attribute, lines)
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("%s did not fire", id)
		}
	}
}
