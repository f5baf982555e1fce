package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/evaluator"
)

// peerTF holds the ignore comments teams have for tfsec, Trivy and
// Checkov, in each place those tools read them.
const peerTF = `resource "aws_security_group" "trailing" {
  name        = "trailing"
  description = "ssh"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] #tfsec:ignore:aws-ec2-no-public-ingress-sgr
  }
}

#trivy:ignore:AVD-AWS-0107
resource "aws_security_group" "above" {
  name        = "above"
  description = "ssh"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "checkov" {
  #checkov:skip=CKV_AWS_24:reached through the VPN only
  #checkov:skip=CKV2_AWS_5:attached in another stack
  name        = "checkov"
  description = "ssh"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "expired" {
  name        = "expired"
  description = "ssh"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] #tfsec:ignore:aws-ec2-no-public-ingress-sgr:exp:2020-01-31
  }
}

resource "aws_security_group" "other_check" {
  name        = "other_check"
  description = "ssh"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] #tfsec:ignore:aws-ec2-no-public-egress-sgr
  }
}

resource "aws_security_group" "workspace" {
  name        = "workspace"
  description = "ssh"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] #trivy:ignore:AVD-AWS-0107[ws:dev]
  }
}
`

// peerCFN has Trivy's comment and Checkov's Metadata skip.
const peerCFN = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  # trivy:ignore:AVD-AWS-0107
  Above:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: ssh}
  Metadata:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      checkov:
        skip:
          - id: CKV_AWS_24
            comment: reached through the VPN only
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: ssh}
  Open:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: ssh
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: ssh} # checkov:skip=CKV_AWS_25:rdp only
`

// TestPeerIgnoreComments: the ignores of tfsec, Trivy and Checkov suppress
// the vpclint rules that correspond to the checks they name, wherever those
// tools read them; an expired one no longer does and is reported; one that
// names a check vpclint has no rule for, or holds a condition vpclint
// cannot evaluate, changes nothing and is not reported.
func TestPeerIgnoreComments(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": peerTF, "template.yaml": peerCFN})
	t.Chdir(dir)
	_, out, stderr := vpclint(t, "scan", "--no-config", "--soft-fail", "-f", "json", ".")
	var r struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Resource struct {
				Address string `json:"address"`
			} `json:"resource"`
			Suppression *struct {
				Justification string `json:"justification"`
			} `json:"suppression"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	got := map[string]string{}
	var sup []string
	for _, f := range r.Findings {
		switch {
		case f.RuleID == "SG001" && f.Suppression != nil:
			got[f.Resource.Address] = "suppressed: " + f.Suppression.Justification
		case f.RuleID == "SG001":
			got[f.Resource.Address] = "reported"
		case strings.HasPrefix(f.RuleID, "SUP"):
			sup = append(sup, f.RuleID+" "+f.Resource.Address)
		}
	}
	want := map[string]string{
		"aws_security_group.trailing":    "suppressed: tfsec:ignore:aws-ec2-no-public-ingress-sgr",
		"aws_security_group.above":       "suppressed: trivy:ignore:AVD-AWS-0107",
		"aws_security_group.checkov":     "suppressed: checkov:skip=CKV_AWS_24: reached through the VPN only",
		"aws_security_group.expired":     "reported",
		"aws_security_group.other_check": "reported",
		"aws_security_group.workspace":   "reported",
		"Above":                          "suppressed: trivy:ignore:AVD-AWS-0107",
		"Metadata":                       "suppressed: checkov:skip=CKV_AWS_24: reached through the VPN only",
		"Open":                           "suppressed: checkov:skip=CKV_AWS_25: rdp only",
	}
	for addr, w := range want {
		if got[addr] != w {
			t.Errorf("SG001 on %s: %q, want %q", addr, got[addr], w)
		}
	}
	sort.Strings(sup)
	if strings.Join(sup, ", ") != "SUP002 aws_security_group.expired" {
		t.Errorf("suppression findings %v, want only the expired tfsec ignore (SUP002)", sup)
	}
}

// TestPeerIDsInSARIFAndDocs: each rule's SARIF properties and docs page
// name the peer checks it corresponds to.
func TestPeerIDsInSARIFAndDocs(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": openSSH})
	sarif := filepath.Join(dir, "r.sarif")
	if code, _, stderr := vpclint(t, "scan", "--no-config", "--soft-fail", "-o", "sarif="+sarif, dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string         `json:"id"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	var props map[string]any
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		if r.ID == "SG001" {
			props = r.Properties
		}
	}
	if c, _ := json.Marshal(props["peers/checkov"]); string(c) != `["CKV_AWS_24","CKV_AWS_25"]` {
		t.Errorf("SG001 peers/checkov = %s", c)
	}
	if c, _ := json.Marshal(props["peers/trivy"]); !strings.Contains(string(c), "AVD-AWS-0107") {
		t.Errorf("SG001 peers/trivy = %s", c)
	}
	doc, err := os.ReadFile(filepath.Join(repoRoot, "docs", "rules", "SG001.md"))
	if err != nil || !strings.Contains(string(doc), "`CKV_AWS_24`") || !strings.Contains(string(doc), "`AVD-AWS-0107`") {
		t.Errorf("docs/rules/SG001.md does not name the peer checks (run go run ./cmd/vpclint docs): %v", err)
	}
}

// TestMigratingTable: the table of docs/migrating.md is the rules'
// METADATA (custom.peers), row for row.
func TestMigratingTable(t *testing.T) {
	e, err := evaluator.New(context.Background(), evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, r := range e.Catalogue() {
		if len(r.Peers) > 0 {
			want[r.ID] = peerCells(r.Peers["checkov"], r.Peers["trivy"], r.Peers["tfsec"])
		}
	}
	doc, err := os.ReadFile(filepath.Join(repoRoot, "docs", "migrating.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(doc), "<!-- peers:begin")
	table, _, ok2 := strings.Cut(table, "<!-- peers:end -->")
	if !ok || !ok2 {
		t.Fatal("docs/migrating.md has no peers table markers")
	}
	got := map[string]string{}
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 6 || strings.HasPrefix(strings.TrimSpace(cells[1]), "vpclint") || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") {
			continue
		}
		id, _, _ := strings.Cut(strings.TrimSpace(cells[1]), " ")
		split := func(c string) []string {
			var out []string
			for _, s := range strings.Split(c, ",") {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
			return out
		}
		got[id] = peerCells(split(cells[2]), split(cells[3]), split(cells[4]))
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("docs/migrating.md row %s: %q, METADATA says %q", id, got[id], w)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("docs/migrating.md lists %s, whose METADATA has no custom.peers", id)
		}
	}
}

func peerCells(lists ...[]string) string {
	var parts []string
	for _, l := range lists {
		l = append([]string(nil), l...)
		sort.Strings(l)
		parts = append(parts, strings.Join(l, ","))
	}
	return strings.Join(parts, " | ")
}
