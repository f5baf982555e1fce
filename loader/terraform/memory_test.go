package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// writeRoots writes six root modules that share local modules (shared:
// all six; trio: the first three; bad, which does not parse: two), two
// of them with a module installed under .terraform/modules.
func writeRoots(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"modules/shared/main.tf": `variable "name" {}
resource "aws_security_group" "this" {
  name = var.name
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
output "id" { value = aws_security_group.this.id }
`,
		"modules/trio/main.tf": `variable "sg" {}
resource "aws_vpc_endpoint" "s3" {
  vpc_id             = "vpc-1"
  service_name       = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [var.sg]
}
`,
		"modules/bad/main.tf": "resource \"aws_security_group\" \"b\" {\n  name = \n",
	}
	for i := 0; i < 6; i++ {
		src := fmt.Sprintf("module \"shared\" {\n  source = \"../modules/shared\"\n  name = \"r%d\"\n}\n", i)
		if i < 3 {
			src += "module \"trio\" {\n  source = \"../modules/trio\"\n  sg = module.shared.id\n}\n"
		}
		if i == 1 || i == 4 {
			src += "module \"bad\" {\n  source = \"../modules/bad\"\n}\n"
		}
		if i == 0 || i == 3 {
			src += "module \"net\" {\n  source = \"example/net/aws\"\n}\n"
			files[fmt.Sprintf("r%d/.terraform/modules/modules.json", i)] = `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"net","Source":"example/net/aws","Dir":".terraform/modules/net"}]}`
			files[fmt.Sprintf("r%d/.terraform/modules/net/main.tf", i)] = `resource "aws_security_group" "net" { name = "net" }` + "\n"
		}
		files[fmt.Sprintf("r%d/main.tf", i)] = src
	}
	writeTree(t, dir, files)
	return dir
}

// TestParseTreesHeldWithinBudget: over the parse budget, a scan of many
// roots holds the parse trees of a few modules at once (a root's own and
// the modules it calls, each kept from its first user to its last), and
// loads exactly what it loads when every tree is kept.
func TestParseTreesHeldWithinBudget(t *testing.T) {
	dir := writeRoots(t)
	opts := loader.Options{WorkDir: dir, Root: dir, Env: []string{}}
	dirs := tfDirs(t, dir)
	all, allErrs, allStats := loadDirsWithin(context.Background(), dirs, opts, 1<<62)
	few, fewErrs, fewStats := loadDirsWithin(context.Background(), dirs, opts, 1)
	if len(all) != 6 {
		t.Fatalf("%d units, want the 6 roots", len(all))
	}
	if got, want := dump(few), dump(all); got != want {
		t.Errorf("units differ with a small parse budget:\n%s\nwant\n%s", got, want)
	}
	if got, want := sortedDump(fewErrs), sortedDump(allErrs); got != want {
		t.Errorf("errors differ with a small parse budget:\n%s\nwant\n%s", got, want)
	}
	if n := strings.Count(dump(allErrs), "modules/bad"); n != 1 {
		t.Errorf("the parse error of modules/bad is reported %d times, want once: %s", n, dump(allErrs))
	}
	// Below the budget every module is parsed once and held to the end:
	// the 6 roots, 3 local modules and 2 installed ones.
	if allStats.peakTrees != 11 {
		t.Errorf("unlimited budget: %d parse trees held at most, want all 11", allStats.peakTrees)
	}
	for key, n := range allStats.parses {
		if n != 1 {
			t.Errorf("unlimited budget: %s parsed %d times, want once", key, n)
		}
	}
	if len(allStats.parses) != 11 {
		t.Errorf("unlimited budget: %d modules parsed, want 11: %v", len(allStats.parses), allStats.parses)
	}
	// Over it: a root, shared, trio and bad or net, plus the one tree
	// the first pass may hold at the start.
	if fewStats.peakTrees > 5 {
		t.Errorf("small budget: %d parse trees held at once, want at most 5", fewStats.peakTrees)
	}
	// A module shared by several roots is parsed by the first pass and
	// by its first user only, not by each.
	shared := filepath.Join(dir, "modules", "shared")
	if n := fewStats.parses[shared]; n > 2 {
		t.Errorf("small budget: modules/shared parsed %d times, want at most 2 (%v)", n, fewStats.parses)
	}
}

// TestCorpusWithinSmallBudget: each source of the corpus loads the same
// when every parse tree is let go as soon as no later root needs it.
func TestCorpusWithinSmallBudget(t *testing.T) {
	root := corpusDir(t)
	for _, src := range corpusSources(t, root) {
		dir := filepath.Join(root, src)
		opts := loader.Options{WorkDir: dir, Root: dir, Env: []string{}}
		dirs := tfDirs(t, dir)
		all, allErrs, _ := loadDirsWithin(context.Background(), dirs, opts, 1<<62)
		few, fewErrs, _ := loadDirsWithin(context.Background(), dirs, opts, 1)
		// A unit's errors come in an order that varies from one load to
		// the next (the scan sorts them), so they are compared as sets.
		if dump(few) != dump(all) || sortedDump(fewErrs) != sortedDump(allErrs) {
			t.Errorf("%s: units or errors differ with a small parse budget", src)
		}
	}
}

// sortedDump is the JSON of each error, sorted.
func sortedDump(errs []model.LoadError) string {
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = dump(e)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
