package terraform

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

const secret = "SECRET-e2b1c9"

// fileTree makes a scan root (repo, holding the root module repo/env, a
// .git directory, a FIFO, a large file and links) beside a directory
// outside it, and returns both.
func fileTree(t *testing.T) (repo, outside string) {
	t.Helper()
	top := t.TempDir()
	repo, outside = filepath.Join(top, "repo"), filepath.Join(top, "outside")
	files := map[string]string{
		"repo/env/hello.txt":          "hi\n",
		"repo/env/vars.tftpl":         "name=${name}",
		"repo/env/reads.tftpl":        `${file("` + filepath.Join(top, "outside", "secret.txt") + `")}`,
		"repo/env/nested.tftpl":       `${templatefile("vars.tftpl", {name = "x"})}`,
		"repo/env/bin.dat":            "\xff\xfe",
		"repo/shared/policy.json":     `{"Version":"2012-10-17"}`,
		"repo/shared/sub/other.json":  `{}`,
		"repo/.git/config":            secret,
		"repo/shared/.git/config":     secret,
		"outside/secret.txt":          secret,
		"outside/policies/deny.json":  secret,
		"repo/env/policies/allow.txt": "x",
	}
	writeTree(t, top, files)
	links := map[string]string{
		"repo/env/outside-link":  filepath.Join(outside, "secret.txt"),
		"repo/env/outside-dir":   outside,
		"repo/env/git-link":      filepath.Join(repo, ".git", "config"),
		"repo/env/relative-link": "../shared/policy.json",
		"repo/env/dangling-out":  filepath.Join(outside, "missing"),
		"repo/env/dangling-dir":  filepath.Join(outside, "missing-dir"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(top, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(repo, "env", "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	big, err := os.Create(filepath.Join(repo, "env", "big"))
	if err != nil {
		t.Fatal(err)
	}
	if err := big.Truncate(5 << 20); err != nil {
		t.Fatal(err)
	}
	big.Close()
	return repo, outside
}

// TestFileFunctionsConfined calls every file function on paths inside,
// outside and at the edges of the scan root.
func TestFileFunctionsConfined(t *testing.T) {
	repo, outside := fileTree(t)
	const unknown = "unknown"
	tests := []struct {
		expr  string
		want  string // JSON of the value, or "unknown"
		level string // of the note the call leaves ("": none)
		note  string
	}{
		{`file("hello.txt")`, `"hi\n"`, "", ""},
		{`file("../shared/policy.json")`, `"{\"Version\":\"2012-10-17\"}"`, "", ""},
		{`file("relative-link")`, `"{\"Version\":\"2012-10-17\"}"`, "", ""},
		{`file("OUTSIDE/secret.txt")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`file("../../outside/secret.txt")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`file("/etc/passwd")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`file("outside-link")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`file("outside-dir/secret.txt")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`file("../.git/config")`, unknown, model.LevelWarning, "inside .git"},
		{`file("../shared/.git/config")`, unknown, model.LevelWarning, "inside .git"},
		{`file("git-link")`, unknown, model.LevelWarning, "inside .git"},
		{`file("dangling-out")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`file("dangling-dir/x")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`fileexists("dangling-out")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`file("fifo")`, unknown, model.LevelWarning, "not a regular file"},
		{`file("big")`, unknown, model.LevelWarning, "larger than 4 MiB"},
		{`file("missing")`, unknown, model.LevelInfo, "no such file"},
		{`try(file("/etc/passwd"), "fallback")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`can(file("/etc/passwd"))`, unknown, model.LevelWarning, "leaves the scan root"},
		{`filebase64("hello.txt")`, `"aGkK"`, "", ""},
		{`filebase64("bin.dat")`, `"//4="`, "", ""},
		{`filebase64("/etc/passwd")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`filemd5("hello.txt")`, `"764efa883dda1e11db47671c4a3bbd9e"`, "", ""},
		{`filesha1("hello.txt")`, `"55ca6286e3e4f4fba5d0448333fa99fc5a404a73"`, "", ""},
		{`filesha256("hello.txt")`, `"98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4"`, "", ""},
		{`filebase64sha256("hello.txt")`, `"mOpuTyFvL7S2n/+bOkSELDhobKaF8/VdxIxdP7EQe+Q="`, "", ""},
		{`length(filesha512("hello.txt"))`, `128`, "", ""},
		{`length(filebase64sha512("hello.txt"))`, `88`, "", ""},
		{`filesha256("OUTSIDE/secret.txt")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`fileexists("hello.txt")`, `true`, "", ""},
		{`fileexists("missing")`, `false`, "", ""},
		{`fileexists("OUTSIDE/secret.txt")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`fileexists("OUTSIDE/missing")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`fileexists("../.git/config")`, unknown, model.LevelWarning, "inside .git"},
		{`fileset("..", "**/*.json")`, `["shared/policy.json","shared/sub/other.json"]`, "", ""},
		{`fileset(".", "policies/*")`, `["policies/allow.txt"]`, "", ""},
		{`fileset("..", "**/config")`, `[]`, "", ""},
		{`fileset(".", "outside-dir/**")`, `[]`, "", ""},
		{`fileset("OUTSIDE", "**")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`fileset("outside-dir", "*")`, unknown, model.LevelWarning, "leaves the scan root"},
		{`templatefile("vars.tftpl", {name = "web"})`, `"name=web"`, "", ""},
		{`templatefile("OUTSIDE/secret.txt", {})`, unknown, model.LevelWarning, "leaves the scan root"},
		{`templatefile("reads.tftpl", {})`, unknown, model.LevelWarning, "leaves the scan root"},
		{`abspath("x/../y")`, `"y"`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			var notes []callNote
			// The root module is repo/env, the scan root repo.
			fns := unitFunctions(repo, filepath.Join(repo, "env"), &notes)
			src := strings.ReplaceAll(tt.expr, "OUTSIDE", outside)
			expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			v, diags := expr.Value(&hcl.EvalContext{Functions: fns})
			if diags.HasErrors() {
				t.Fatalf("errors: %v", diags)
			}
			if tt.want == unknown {
				if v.IsWhollyKnown() {
					t.Errorf("= %#v, want unknown", v)
				}
			} else {
				if v.Type().IsSetType() && v.LengthInt() == 0 {
					v = cty.EmptyTupleVal
				}
				got, err := ctyjson.Marshal(v, v.Type())
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != tt.want {
					t.Errorf("= %s, want %s", got, tt.want)
				}
			}
			switch {
			case tt.level == "" && len(notes) > 0:
				t.Errorf("notes %v", notes)
			case tt.level != "" && (len(notes) == 0 || notes[0].level != tt.level || !strings.Contains(notes[0].message, tt.note)):
				t.Errorf("notes %v, want %s %q", notes, tt.level, tt.note)
			}
			for _, n := range notes {
				if strings.Contains(n.message, secret) || strings.Contains(n.message, repo) || strings.Contains(n.message, outside) {
					t.Errorf("note repeats content or a path: %q", n.message)
				}
			}
		})
	}
}

// TestTemplateFileDoesNotRecurse: templatefile is not available inside a
// template, as in Terraform, so a template cannot call itself.
func TestTemplateFileDoesNotRecurse(t *testing.T) {
	repo, _ := fileTree(t)
	dir := filepath.Join(repo, "env")
	fns := testFunctions(dir, nil)
	expr, _ := hclsyntax.ParseExpression([]byte(`templatefile("nested.tftpl", {})`), "test.tf", hcl.InitialPos)
	_, diags := expr.Value(&hcl.EvalContext{Functions: fns})
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "templatefile") {
		t.Errorf("diagnostics %v", diags)
	}
}

// TestFileCallWarnings: a configuration reading outside the root loads,
// the value is unknown, and a warning names the call's line, never the
// content or the path.
func TestFileCallWarnings(t *testing.T) {
	repo, outside := fileTree(t)
	src := `locals {
  a = "x"
  b = jsondecode(
    file("` + filepath.Join(outside, "secret.txt") + `"))
}
resource "aws_security_group" "g" {
  description = local.b
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [file("outside-link")]
  }
}
`
	if err := os.WriteFile(filepath.Join(repo, "env", "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	units, errs := loadDir(t, filepath.Join(repo, "env"), loader.Options{WorkDir: repo, Root: repo})
	if len(units) != 1 {
		t.Fatalf("units %d, errors %v", len(units), errs)
	}
	for _, want := range []struct{ line int }{{4}, {12}} {
		found := false
		for _, e := range errs {
			if e.File == "env/main.tf" && e.Line == want.line && e.Level == model.LevelWarning && strings.HasPrefix(e.Message, "file(): the path leaves the scan root") {
				found = true
			}
		}
		if !found {
			t.Errorf("no warning at line %d: %v", want.line, errs)
		}
	}
	for _, e := range errs {
		if strings.Contains(e.Error(), secret) || strings.Contains(e.Error(), outside) || strings.Contains(e.Error(), repo) {
			t.Errorf("error repeats content or a path: %q", e.Error())
		}
	}
	g := sg(t, units[0], "aws_security_group.g")
	if g.Description != nil || len(g.Ingress) != 1 || len(g.Ingress[0].CIDRBlocks) != 0 {
		t.Errorf("values read from outside: %s", dump(g))
	}
}
