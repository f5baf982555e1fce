package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/testenv"
)

// sshOpen is a security group that SG001 (critical) reports.
func sshOpen(name string) string {
	return `resource "aws_security_group" "` + name + `" {
  name = "` + name + `"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`
}

// compareRepo commits base as main.tf on main, then writes head into the
// work tree on a branch.
func compareRepo(t *testing.T, base, head string) string {
	t.Helper()
	dir := t.TempDir()
	testenv.Git(t, dir, "", "init", "-q", "-b", "main")
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(base), 0o644); err != nil {
		t.Fatal(err)
	}
	testenv.Git(t, dir, "", "add", "-A")
	testenv.Git(t, dir, "", "commit", "-qm", "base")
	testenv.Git(t, dir, "", "checkout", "-qb", "change")
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(head), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestScanCompare(t *testing.T) {
	same := compareRepo(t, sshOpen("a"), sshOpen("a"))
	worse := compareRepo(t, sshOpen("a"), sshOpen("a")+sshOpen("b"))
	notRepo := t.TempDir()
	for _, tt := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"an old critical finding fails without --fail-on-new", []string{"--compare", "main", same}, 1, ""},
		{"an old critical finding passes with --fail-on-new", []string{"--compare", "main", "--fail-on-new", same}, 0, ""},
		{"a new critical finding fails with --fail-on-new", []string{"--compare", "main", "--fail-on-new", worse}, 1, ""},
		{"--fail-on counts the new ones", []string{"--compare", "main", "--fail-on-new", "--fail-on", "none", worse}, 0, ""},
		{"--fail-on-new needs --compare", []string{"--fail-on-new", same}, 2, "needs --compare"},
		{"--sarif-fixed needs --compare", []string{"--sarif-fixed=false", same}, 2, "needs --compare"},
		{"unknown ref", []string{"--compare", "no-such-branch", same}, 2, "no-such-branch is not a commit"},
		{"not a git repository", []string{"--compare", "main", notRepo}, 2, "not in a git repository"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := vpclint(t, append([]string{"scan", "-q"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
}

// TestScanCompareSARIFFixed: --sarif-fixed=false (the GitHub Action's
// code-scanning upload) leaves the fixed findings out of the SARIF only.
func TestScanCompareSARIFFixed(t *testing.T) {
	dir := compareRepo(t, sshOpen("a"), sshOpen("b"))
	for _, tt := range []struct {
		name      string
		flags     []string
		wantState string // the baselineStates of the results: present ones, then fixed
	}{
		{"fixed listed", nil, "new absent"},
		{"fixed left out", []string{"--sarif-fixed=false"}, "new"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			sarifFile, jsonFile, linesFile := filepath.Join(out, "r.sarif"), filepath.Join(out, "r.json"), filepath.Join(out, "r.jsonl")
			args := append([]string{"scan", "-q", "--compare", "main", "-o", "sarif=" + sarifFile, "-o", "json=" + jsonFile, "-o", "jsonl=" + linesFile}, tt.flags...)
			if code, _, stderr := vpclint(t, append(args, dir)...); code != 1 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			b, err := os.ReadFile(sarifFile)
			if err != nil {
				t.Fatal(err)
			}
			var log struct {
				Runs []struct {
					Results []struct {
						BaselineState string `json:"baselineState"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(b, &log); err != nil {
				t.Fatal(err)
			}
			var states []string
			for _, r := range log.Runs[0].Results {
				states = append(states, r.BaselineState)
			}
			if got := strings.Join(states, " "); got != tt.wantState {
				t.Errorf("baselineStates %q, want %q", got, tt.wantState)
			}
			b, err = os.ReadFile(jsonFile)
			if err != nil {
				t.Fatal(err)
			}
			var rep struct {
				Comparison struct{ New, Fixed, Unchanged int } `json:"comparison"`
			}
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			if c := rep.Comparison; c.New != 1 || c.Fixed != 1 || c.Unchanged != 0 {
				t.Errorf("JSON comparison %+v, want 1 new, 1 fixed", c)
			}
			// JSON Lines, written as the scan goes: the finding records
			// are marked, the summary record has the comparison.
			b, err = os.ReadFile(linesFile)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			var last struct {
				Type       string
				Comparison struct{ New, Fixed int } `json:"comparison"`
			}
			if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
				t.Fatal(err)
			}
			if last.Type != "summary" || last.Comparison.New != 1 || last.Comparison.Fixed != 1 || !strings.Contains(string(b), `"baseline_state":"new"`) {
				t.Errorf("JSON Lines report:\n%s", b)
			}
		})
	}
}
