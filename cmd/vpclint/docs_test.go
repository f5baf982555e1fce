package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/evaluator"
)

// repoRoot is the repository, from this package's directory.
const repoRoot = "../.."

// TestRuleDocs fails when a built-in rule lacks a part of its
// documentation, or when docs/rules or the README table is stale (run
// `make docs`).
func TestRuleDocs(t *testing.T) {
	e, err := evaluator.New(context.Background(), evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cat := fullCatalogue(e)
	for _, r := range cat {
		var missing []string
		if r.Title == "" {
			missing = append(missing, "title")
		}
		if r.Description == "" {
			missing = append(missing, "description")
		}
		if r.Remediation == "" {
			missing = append(missing, "custom.remediation")
		}
		if len(r.References) == 0 {
			missing = append(missing, "custom.references")
		}
		for _, k := range []string{"terraform", "cloudformation"} {
			// Suppression findings are fixed in a comment, not in code.
			if strings.TrimSpace(r.Examples[k]) == "" && r.Area != "SUP" {
				missing = append(missing, "custom.examples."+k)
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s (%s) lacks %s", r.ID, r.Package, strings.Join(missing, ", "))
		}
	}
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := ruleDocs(cat, readme)
	if err != nil {
		t.Fatal(err)
	}
	paths := make([]string, 0, len(want))
	for p := range want {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		got, err := os.ReadFile(filepath.Join(repoRoot, p))
		if err != nil || string(got) != want[p] {
			t.Errorf("%s is stale or missing: run `make docs`", p)
		}
	}
	pages, _ := filepath.Glob(filepath.Join(repoRoot, rulesDocDir, "*.md"))
	for _, p := range pages {
		if _, ok := want[rulesDocDir+"/"+filepath.Base(p)]; !ok {
			t.Errorf("%s documents no rule: run `make docs`", p)
		}
	}
}
