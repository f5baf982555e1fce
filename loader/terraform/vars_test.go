package terraform

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// TestVariablesFilesConfined: terraform.tfvars and *.auto.tfvars found by
// convention are read inside the scan root only; a file named with
// --var-file is the user's and read wherever it is.
func TestVariablesFilesConfined(t *testing.T) {
	top := t.TempDir()
	repo, outside := filepath.Join(top, "repo"), filepath.Join(top, "outside")
	for _, d := range []string{repo, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(repo, "main.tf"), `
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
resource "aws_security_group" "g" {
  name        = var.a
  description = var.b
  tags        = { c = var.c }
}`)
	write(filepath.Join(outside, "x.tfvars"), `a = "`+secret+`"`)
	write(filepath.Join(outside, "user.tfvars"), `c = "from the user"`)
	write(filepath.Join(repo, "inside.tfvars"), `b = "inside"`)
	for link, target := range map[string]string{
		"terraform.tfvars":   filepath.Join(outside, "x.tfvars"),
		"b.auto.tfvars":      "inside.tfvars",
		"z.auto.tfvars.json": filepath.Join(outside, "missing.json"),
	} {
		if err := os.Symlink(target, filepath.Join(repo, link)); err != nil {
			t.Fatal(err)
		}
	}
	units, errs := loadDir(t, repo, loader.Options{VarFiles: []string{filepath.Join(outside, "user.tfvars")}})
	if len(units) != 1 {
		t.Fatalf("units %d: %v", len(units), errs)
	}
	g := sg(t, units[0], "aws_security_group.g")
	if g.Name != "default" || g.Description == nil || *g.Description != "inside" || g.Tags["c"] != "from the user" {
		t.Errorf("group %s", dump(g))
	}
	if !hasError(errs, model.LevelWarning, "terraform.tfvars: variables file leaves the scan root") ||
		!hasError(errs, model.LevelWarning, "z.auto.tfvars.json: variables file leaves the scan root") {
		t.Errorf("errors %v", errs)
	}
	for _, e := range errs {
		if strings.Contains(e.Error(), secret) || strings.Contains(e.Error(), top) {
			t.Errorf("error repeats content or a path: %q", e.Error())
		}
	}
}

// TestCheckVarFiles: a --var-file that cannot be read or does not parse
// is a *VarFileError naming it and its line.
func TestCheckVarFiles(t *testing.T) {
	dir := t.TempDir()
	good, bad, deep := filepath.Join(dir, "good.tfvars"), filepath.Join(dir, "bad.tfvars"), filepath.Join(dir, "deep.tfvars.json")
	os.WriteFile(good, []byte(`a = "x"`), 0o644)
	os.WriteFile(bad, []byte("a = \"x\"\nb = = 1\n"), 0o644)
	os.WriteFile(deep, []byte(`{"a": `+strings.Repeat("[", 1000)+strings.Repeat("]", 1000)+`}`), 0o644)
	tests := []struct {
		files []string
		line  int // 0 with want
		want  string
	}{
		{[]string{good}, 0, ""},
		{[]string{good, bad}, 2, "bad.tfvars"},
		{[]string{deep}, 1, "nested deeper than 256 levels"},
		{[]string{filepath.Join(dir, "missing.tfvars")}, 0, "missing.tfvars"},
	}
	for _, tt := range tests {
		err := CheckVarFiles(tt.files)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%v: %v", tt.files, err)
			}
			continue
		}
		var ve *VarFileError
		if !errors.As(err, &ve) || ve.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want line %d and %q", tt.files, err, tt.line, tt.want)
		}
	}
}

// TestEnvironmentValuesNotRead: TF_VAR_ values of the process environment
// are not read (they hold a CI runner's secrets): the variable is unknown,
// not its default, and a note names it; an environment the options give
// is read.
func TestEnvironmentValuesNotRead(t *testing.T) {
	t.Setenv("TF_VAR_password", secret)
	src := map[string]string{"main.tf": `
variable "password" {
  default = "default"
}
resource "aws_security_group" "g" {
  description = var.password
}`}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src["main.tf"]), 0o644)
	units, errs := New().LoadDirs(context.Background(), []loader.Dir{{Path: dir, Rel: "."}}, loader.Options{WorkDir: dir, Root: dir})
	if len(units) != 1 {
		t.Fatalf("units %d: %v", len(units), errs)
	}
	g := sg(t, units[0], "aws_security_group.g")
	if g.Description != nil {
		t.Errorf("description %q, want unknown", *g.Description)
	}
	if !hasError(errs, model.LevelInfo, "TF_VAR_password") {
		t.Errorf("errors %v", errs)
	}
	units, _ = New().LoadDirs(context.Background(), []loader.Dir{{Path: dir, Rel: "."}}, loader.Options{WorkDir: dir, Root: dir, Env: []string{"TF_VAR_password=given"}})
	if g := sg(t, units[0], "aws_security_group.g"); g.Description == nil || *g.Description != "given" {
		t.Errorf("an environment given is not read: %s", dump(g))
	}
}
