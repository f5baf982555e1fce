package inventory_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/scan"
)

// TestSnapshotFindingLines scans a saved snapshot through the whole
// pipeline: it is detected by content, and findings on live resources
// point at the lines of the offending values in it, with the account and
// region of the read.
func TestSnapshotFindingLines(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the rules")
	}
	path := filepath.Join("..", "..", "testdata", "loader", "aws", "inventory.json")
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{path}, Loader: loader.Options{WorkDir: filepath.Join("..", "..")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	// Lines of inventory.json: sg-1 is lines 66-123 with the SSH rule's
	// 0.0.0.0/0 at 98; vpce-1 is lines 145-187 with its policy at 166 and
	// the policy's statement at 169.
	want := map[string]map[int]bool{
		"SG001": {66: true, 92: true, 93: true, 97: true, 98: true},
		"EP002": {145: true, 166: true, 169: true},
	}
	seen := map[string]bool{}
	for _, f := range res.Findings {
		if f.Source.Account != "123456789012" || f.Source.Region != "us-east-1" || f.Source.Format != "aws" {
			t.Errorf("%s on %s: source %+v", f.RuleID, f.Resource.ID, f.Source)
		}
		lines, ok := want[f.RuleID]
		if !ok {
			continue
		}
		seen[f.RuleID] = true
		if f.Location.File != "testdata/loader/aws/inventory.json" || !lines[f.Location.StartLine] {
			t.Errorf("%s at %s:%d (attribute %q), want one of lines %v", f.RuleID, f.Location.File, f.Location.StartLine, f.Attribute, lines)
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("%s did not fire", id)
		}
	}
}
