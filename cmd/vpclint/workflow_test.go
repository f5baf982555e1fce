package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A group with SSH open, one suppressed group and one finding left.
const workflowTF = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

# vpclint:ignore SG001 reason="bastion behind VPN" until=2099-03-31
resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "bastion"
  vpc_id      = aws_vpc.main.id
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "Managed by Terraform"
  vpc_id      = aws_vpc.main.id
  ingress {
    description = "rdp"
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`

// workflowRepo makes a repository (a git work tree: the config is looked up
// from the scanned directory up to its root) with infra/main.tf and, when
// cfg is set, a .vpclint.yaml at its root.
func workflowRepo(t *testing.T, cfg string) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"infra", ".git"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "infra", "main.tf"), []byte(workflowTF), 0o644); err != nil {
		t.Fatal(err)
	}
	if cfg != "" {
		if err := os.WriteFile(filepath.Join(dir, ".vpclint.yaml"), []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type jsonOut struct {
	Findings []struct {
		RuleID      string          `json:"rule_id"`
		Severity    string          `json:"severity"`
		Suppression json.RawMessage `json:"suppression"`
	} `json:"findings"`
	Summary struct {
		Suppressed int `json:"suppressed"`
		Baselined  int `json:"baselined"`
	} `json:"summary"`
}

func scanJSON(t *testing.T, args ...string) (int, jsonOut, string) {
	t.Helper()
	code, stdout, stderr := vpclint(t, append([]string{"scan", "--format", "json"}, args...)...)
	var out jsonOut
	if code < 2 {
		if err := json.Unmarshal([]byte(stdout), &out); err != nil {
			t.Fatalf("not JSON (%v):\n%s\n%s", err, stdout, stderr)
		}
	}
	return code, out, stderr
}

func ids(o jsonOut, active bool) []string {
	var out []string
	for _, f := range o.Findings {
		if (f.Suppression == nil) == active {
			out = append(out, f.RuleID)
		}
	}
	return out
}

func TestWorkflowConfigAndSuppressions(t *testing.T) {
	tests := []struct {
		name     string
		cfg      string
		args     []string
		code     int
		active   string
		stderr   string
		severity string
	}{
		{"defaults", "", nil, 1, "GOV001 SG001", "", ""},
		{"disable area", "rules:\n  disable: [GOV]\n", nil, 1, "SG001", "", ""},
		{"only", "rules:\n  only: [GOV001]\n", nil, 0, "GOV001", "", ""},
		// Enabling an opt-in rule adds it to the defaults.
		{"enable an opt-in rule", "rules:\n  enable: [SG010]\n", nil, 1, "GOV001 SG010 SG001", "", ""},
		{"enable a tag", "rules:\n  enable: [hygiene]\n", nil, 1, "GOV001 SG010 SG001", "", ""},
		{"--enable", "", []string{"--enable", "SG010"}, 1, "GOV001 SG010 SG001", "", ""},
		{"--disable over the config", "rules:\n  enable: [hygiene]\n", []string{"--disable", "SG010,GOV"}, 1, "SG001", "", ""},
		{"--only over the config", "rules:\n  disable: [GOV]\n", []string{"--only", "GOV"}, 0, "GOV001", "", ""},
		{"--enable names no rule", "", []string{"--enable", "hygeine"}, 2, "", "--enable hygeine: names no rule id, area or tag", ""},
		{"bad --rule-memory", "", []string{"--rule-memory", "lots"}, 2, "", "--rule-memory", ""},
		{"severity override", "rules:\n  severity: {SG001: low}\n  disable: [GOV]\n", nil, 0, "SG001", "", "low"},
		{"fail_on from config", "fail_on: none\n", nil, 0, "GOV001 SG001", "", ""},
		{"flag beats config", "fail_on: none\n", []string{"--fail-on", "critical"}, 1, "GOV001 SG001", "", ""},
		{"admin ports param", "params:\n  admin_ports: [22]\nrules:\n  only: [SG001]\n", nil, 0, "", "", ""},
		{"unknown key", "rules:\n  disabled: [SG001]\n", nil, 2, "", ".vpclint.yaml:2: unknown key rules.disabled", ""},
		{"unknown rule id", "rules:\n  disable: [SG0001]\n", nil, 2, "", `"SG0001" names no rule`, ""},
		{"wrong type", "params:\n  max_port_range: wide\n", nil, 2, "", "max_port_range must be a non-negative integer", ""},
		{"no-config ignores it", "rules:\n  disabled: [SG001]\n", []string{"--no-config"}, 1, "GOV001 SG001", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := workflowRepo(t, tt.cfg)
			code, out, stderr := scanJSON(t, append(tt.args, filepath.Join(dir, "infra"))...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, stderr)
			}
			if tt.stderr != "" && !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.stderr)
			}
			if code == 2 {
				return
			}
			if got := strings.Join(ids(out, true), " "); got != tt.active {
				t.Errorf("active findings %q, want %q", got, tt.active)
			}
			if tt.severity != "" && out.Findings[0].Severity != tt.severity {
				t.Errorf("severity %s, want %s", out.Findings[0].Severity, tt.severity)
			}
			if tt.name == "defaults" && (strings.Join(ids(out, false), " ") != "SG001" || out.Summary.Suppressed != 1) {
				t.Errorf("the bastion's SG001 must stay in the output, suppressed: %+v", out)
			}
		})
	}
}

func TestWorkflowBaseline(t *testing.T) {
	dir := workflowRepo(t, "")
	base := filepath.Join(dir, "baseline.json")
	if code, _, stderr := vpclint(t, "scan", "--write-baseline", base, filepath.Join(dir, "infra")); code != 1 {
		t.Fatalf("write-baseline exit %d: %s", code, stderr)
	}
	// An unrelated edit above the resources moves every line.
	src := "# a comment\n\n" + workflowTF
	if err := os.WriteFile(filepath.Join(dir, "infra", "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := scanJSON(t, "--baseline", base, filepath.Join(dir, "infra"))
	if code != 0 || len(ids(out, true)) != 0 || out.Summary.Baselined != 2 {
		t.Fatalf("exit %d, active %v, baselined %d; %s", code, ids(out, true), out.Summary.Baselined, stderr)
	}
}

func TestWorkflowChangedOnly(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := workflowRepo(t, "")
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-qm", "base")
	git("checkout", "-qb", "pr")
	other := "resource \"aws_security_group\" \"db\" {\n  name = \"db\"\n  ingress {\n    from_port   = 3306\n    to_port     = 3306\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "infra", "db.tf"), []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := scanJSON(t, "--diff-base", "main", filepath.Join(dir, "infra"))
	if code == 2 {
		t.Fatalf("exit 2: %s", stderr)
	}
	for _, id := range ids(out, true) {
		if id == "GOV001" {
			t.Errorf("a finding in an unchanged file was reported: %v", ids(out, true))
		}
	}
	if !strings.Contains(strings.Join(ids(out, true), " "), "SG003") {
		t.Errorf("the new file's finding is missing: %v", ids(out, true))
	}
	if code, _, stderr := vpclint(t, "scan", "--changed-only", filepath.Join(dir, "infra")); code != 2 || !strings.Contains(stderr, "--diff-base") {
		if os.Getenv("GITHUB_BASE_REF") == "" {
			t.Errorf("--changed-only without a base: exit %d, %s", code, stderr)
		}
	}
}

func TestWorkflowConfigPathsAndRules(t *testing.T) {
	dir := workflowRepo(t, "")
	// A legacy folder to exclude, a custom rule directory and a baseline,
	// all named by the config file relative to itself.
	if err := os.MkdirAll(filepath.Join(dir, "infra", "legacy"), 0o755); err != nil {
		t.Fatal(err)
	}
	legacy := "resource \"aws_security_group\" \"old\" {\n  name = \"old\"\n  description = \"old\"\n  ingress {\n    description = \"db\"\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "infra", "legacy", "main.tf"), []byte(legacy), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "policies"), 0o755); err != nil {
		t.Fatal(err)
	}
	custom := `# METADATA
# title: Groups must be named with a team prefix
# description: Every group name starts with a team prefix.
# custom:
#   id: ACME001
#   severity: low
#   remediation: Rename the group.
package vpclint.rules.acme_prefix

deny contains {"resource": sg.address, "message": sprintf("%s is not prefixed", [sg.name])} if {
	some sg in input.security_groups
	not startswith(sg.name, "team-")
}
`
	if err := os.WriteFile(filepath.Join(dir, "policies", "prefix.rego"), []byte(custom), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := "exclude: [\"legacy/**\"]\ncustom_rules: [policies]\nrules:\n  disable: [GOV]\n"
	if err := os.WriteFile(filepath.Join(dir, ".vpclint.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, stderr := scanJSON(t, filepath.Join(dir, "infra"))
	got := strings.Join(ids(out, true), " ")
	if strings.Contains(got, "SG003") {
		t.Errorf("the excluded legacy folder was scanned: %s", got)
	}
	if !strings.Contains(got, "ACME001") {
		t.Errorf("the config's custom rule did not run: %s (%s)", got, stderr)
	}

	// baseline: recorded with the flag, then named by the config.
	base := filepath.Join(dir, "known.json")
	if code, _, stderr := vpclint(t, "scan", "--write-baseline", base, filepath.Join(dir, "infra")); code > 1 {
		t.Fatalf("write baseline: %s", stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, ".vpclint.yaml"), []byte(cfg+"baseline: known.json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := scanJSON(t, filepath.Join(dir, "infra"))
	if code != 0 || len(ids(out, true)) != 0 || out.Summary.Baselined == 0 {
		t.Errorf("config baseline: exit %d, active %v, baselined %d (%s)", code, ids(out, true), out.Summary.Baselined, stderr)
	}
}

// CloudFormation suppressions, by comment and by Metadata, through the
// whole pipeline.
func TestWorkflowCloudFormationSuppressions(t *testing.T) {
	dir := t.TempDir()
	tpl := `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # vpclint:ignore SG001 reason="bastion behind VPN"
  Bastion:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: bastion
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: ssh}
      SecurityGroupEgress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8, Description: https}
  Admin:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      vpclint:
        ignore:
          - {id: SG001, reason: "jump host, reviewed"}
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: 0.0.0.0/0, Description: rdp}
      SecurityGroupEgress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8, Description: https}
`
	p := filepath.Join(dir, "stack.yaml")
	if err := os.WriteFile(p, []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := scanJSON(t, p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := strings.Join(ids(out, false), " "); got != "SG001 SG001" {
		t.Errorf("suppressed %q, want both SG001 findings kept as suppressed (active: %v)", got, ids(out, true))
	}
}
