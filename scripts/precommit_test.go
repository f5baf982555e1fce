package scripts

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// hookDef is one entry of .pre-commit-hooks.yaml.
type hookDef struct {
	ID            string `yaml:"id"`
	Entry         string `yaml:"entry"`
	Language      string `yaml:"language"`
	Files         string `yaml:"files"`
	RequireSerial bool   `yaml:"require_serial"`
	PassFilenames *bool  `yaml:"pass_filenames"`
}

// TestPreCommitHooksFile: the three variants (script, golang, container
// image) run `vpclint hook` on all the staged files at once, and their
// files pattern selects Terraform, tfvars and the YAML/JSON that may be
// templates or plans, and nothing else.
func TestPreCommitHooksFile(t *testing.T) {
	b, err := os.ReadFile("../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []hookDef
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	byID := map[string]hookDef{}
	for _, h := range hooks {
		byID[h.ID] = h
	}
	want := map[string]struct{ language, entry string }{
		"vpclint":        {"script", "scripts/pre-commit.sh"},
		"vpclint-go":     {"golang", "vpclint hook --quiet"},
		"vpclint-docker": {"docker_image", "ghcr.io/vpclint/vpclint:v1 hook --quiet"},
	}
	for id, w := range want {
		h, ok := byID[id]
		if !ok {
			t.Errorf("hook %s missing", id)
			continue
		}
		if h.Language != w.language || h.Entry != w.entry || !h.RequireSerial || h.PassFilenames == nil || !*h.PassFilenames {
			t.Errorf("hook %s: %+v", id, h)
		}
		re, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("hook %s: files %q: %v", id, h.Files, err)
		}
		for name, selected := range map[string]bool{
			"main.tf": true, "modules/sg/main.tf.json": true, "env/prod.tfvars": true, "x.tfvars.json": true,
			"stacks/vpc.yaml": true, "vpc.yml": true, "plan.json": true, "vpc.template": true,
			"README.md": false, "main.go": false, "Dockerfile": false, "terragrunt.hcl": false, "main.tf.bak": false, "notes.txt": false,
		} {
			if re.MatchString(name) != selected {
				t.Errorf("hook %s: files pattern selects %s: %v, want %v", id, name, !selected, selected)
			}
		}
	}
	if st, err := os.Stat("pre-commit.sh"); err != nil || st.Mode()&0o111 == 0 {
		t.Errorf("scripts/pre-commit.sh is missing or not executable (%v)", err)
	}
}

// TestPreCommitScript runs the script hook as pre-commit does, with the
// staged files a commit touching the repository's root would pass: only
// the changed module and template are scanned, never the whole tree.
func TestPreCommitScript(t *testing.T) {
	needBash(t)
	repo := t.TempDir()
	for name, body := range map[string]string{
		"main.tf":                `resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }` + "\n",
		"README.md":              "# infra\n",
		"deploy.yaml":            "apiVersion: v1\nkind: ConfigMap\n",
		"modules/bastion/sg.tf":  openSSH,
		"modules/bastion/var.tf": "variable \"x\" {}\n",
		"modules/other/sg.tf":    openSSH,
	} {
		p := filepath.Join(repo, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		files    []string
		wantCode int
		want     []string
		notWant  []string
	}{
		{"root files", []string{"README.md", "deploy.yaml", "main.tf"}, 0, nil, []string{"modules/"}},
		{"a module", []string{"modules/bastion/var.tf", "README.md"}, 1, []string{"modules/bastion/sg.tf:", "SG001"}, []string{"modules/other", "main.tf:"}},
		{"args before the files", []string{"--fail-on", "none", "modules/bastion/sg.tf"}, 0, []string{"SG001"}, nil},
		{"nothing vpclint reads", []string{"README.md"}, 0, nil, []string{"SG001"}},
		{"no files", nil, 0, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, _ := step(t, repo, []string{"VPCLINT_BIN=" + vpclintBin(t)}, "pre-commit.sh", tt.files...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s", code, tt.wantCode, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
			if strings.Count(out, "SG001 ") > 1 {
				t.Errorf("a module was scanned twice:\n%s", out)
			}
		})
	}
}
