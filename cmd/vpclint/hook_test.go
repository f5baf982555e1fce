package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// cfnTemplate is a CloudFormation group open to the internet on SSH.
const cfnTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bastion:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: bastion
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: ssh}
`

// hookTree is a repository with a root module, a module below it, a
// template, and files that are not vpclint's.
func hookTree(t *testing.T) string {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.tf":                  `resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }` + "\n",
		"variables.tf":             "variable \"x\" {}\n",
		"README.md":                "# infra\n",
		"k8s.yaml":                 "apiVersion: v1\nkind: ConfigMap\n",
		"package.json":             `{"name": "x"}`,
		"net/main.tf":              openSSH,
		"net/sub/main.tf":          openSSH,
		"net/prod.tfvars":          "x = 1\n",
		"stacks/bastion.yaml":      cfnTemplate,
		"live/prod/terragrunt.hcl": "terraform {}\n",
	})
	return dir
}

// TestHookPaths: each changed Terraform file stands for its directory's
// module (all its .tf files, nothing below), each template or plan for
// itself, and every other file for nothing.
func TestHookPaths(t *testing.T) {
	t.Chdir(hookTree(t))
	tests := []struct {
		name    string
		changed []string
		want    []string
	}{
		{"root-level files that are not vpclint's", []string{"README.md", "k8s.yaml", "package.json", "live/prod/terragrunt.hcl"}, nil},
		{"a root module file", []string{"variables.tf"}, []string{"main.tf", "variables.tf"}},
		{"a tfvars file", []string{"net/prod.tfvars"}, []string{"net/main.tf"}},
		{"two files of one module, and a template", []string{"net/main.tf", "stacks/bastion.yaml", "net/prod.tfvars"}, []string{"stacks/bastion.yaml", "net/main.tf"}},
		{"a deleted file", []string{"gone.tf", "stacks/gone.yaml"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hookPaths(tt.changed)
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				got[i] = filepath.ToSlash(got[i])
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("paths %v, want %v", got, tt.want)
			}
		})
	}
}

// TestHookScan: `vpclint hook` reads the changed module whole (its other
// files included) but not the module below it, and scans nothing when no
// changed file is vpclint's.
func TestHookScan(t *testing.T) {
	t.Chdir(hookTree(t))
	code, out, stderr := vpclint(t, "hook", "--no-config", "-f", "json", "README.md", "net/prod.tfvars", "stacks/bastion.yaml")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`"file": "net/main.tf"`, `"file": "stacks/bastion.yaml"`} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s", want)
		}
	}
	if strings.Contains(out, "net/sub/") {
		t.Error("the module below the changed one was scanned")
	}
	code, out, stderr = vpclint(t, "hook", "--no-config", "README.md", "k8s.yaml")
	if code != 0 || out != "" || !strings.Contains(stderr, "nothing to scan") {
		t.Errorf("exit %d, stdout %q, stderr %q: want nothing scanned", code, out, stderr)
	}
	if _, err := os.Stat("bin"); err == nil {
		t.Error("the hook wrote into the repository")
	}
}
