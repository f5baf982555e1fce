package main

import (
	"encoding/json"
	"encoding/xml"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// severityReport is the part of the JSON report the flag tests read.
type severityReport struct {
	Findings []struct {
		RuleID   string `json:"rule_id"`
		Severity string `json:"severity"`
	} `json:"findings"`
	Summary struct {
		Hidden int `json:"hidden"`
	} `json:"summary"`
}

func severitiesOf(t *testing.T, out string) (map[string]int, int) {
	t.Helper()
	var r severityReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, out)
	}
	got := map[string]int{}
	for _, f := range r.Findings {
		got[f.Severity]++
	}
	return got, r.Summary.Hidden
}

// TestShownSeverities: --severity and --minimum-severity choose what is
// reported, and --fail-on counts only what is reported. The examples have
// 1 critical, 2 high, 4 medium and 1 low finding.
func TestShownSeverities(t *testing.T) {
	examples := filepath.Join(repoRoot, "examples")
	tests := []struct {
		name   string
		args   []string
		code   int
		want   map[string]int
		hidden int
		stderr string
	}{
		{"all", nil, 1, map[string]int{"critical": 1, "high": 2, "medium": 4, "low": 1}, 0, ""},
		{"severity list", []string{"--severity", "CRITICAL,high"}, 1, map[string]int{"critical": 1, "high": 2}, 5, ""},
		{"severity repeated", []string{"--severity", "low", "--severity", "medium"}, 0, map[string]int{"medium": 4, "low": 1}, 3, ""},
		{"minimum severity", []string{"--minimum-severity", "medium"}, 1, map[string]int{"critical": 1, "high": 2, "medium": 4}, 1, ""},
		// Nothing at or above --fail-on is shown, so the scan passes.
		{"fail-on counts what is shown", []string{"--severity", "medium,low", "--fail-on", "medium"}, 1, map[string]int{"medium": 4, "low": 1}, 3, ""},
		{"hidden above fail-on", []string{"--severity", "low"}, 0, map[string]int{"low": 1}, 7, ""},
		{"unknown severity", []string{"--severity", "severe"}, 2, nil, 0, "--severity"},
		{"unknown minimum", []string{"--minimum-severity", "urgent"}, 2, nil, 0, "--minimum-severity"},
		{"both", []string{"--severity", "high", "--minimum-severity", "low"}, 2, nil, 0, "give one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"scan", "--no-config", "--format", "json"}, tt.args...)
			code, out, stderr := vpclint(t, append(args, examples)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderr)
			}
			if tt.want == nil {
				return
			}
			got, hidden := severitiesOf(t, out)
			if !equalCounts(got, tt.want) || hidden != tt.hidden {
				t.Errorf("shown %v, hidden %d; want %v, hidden %d", got, hidden, tt.want, tt.hidden)
			}
		})
	}
	// The text summary says that findings were left out.
	_, out, _ := vpclint(t, "scan", "--no-config", "--minimum-severity", "critical", examples)
	if !strings.Contains(out, "7 of other severities not shown") {
		t.Errorf("text summary does not count the hidden findings:\n%s", out)
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestSoftFail: --soft-fail is --fail-on none, and wins over the config's
// fail_on and over --fail-on (which wrappers such as the Action always
// pass).
func TestSoftFail(t *testing.T) {
	examples := filepath.Join(repoRoot, "examples")
	cfgDir := t.TempDir()
	cfg := filepath.Join(cfgDir, ".vpclint.yaml")
	if err := os.WriteFile(cfg, []byte("fail_on: low\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"without", []string{"--no-config"}, 1, ""},
		{"soft-fail", []string{"--no-config", "--soft-fail"}, 0, ""},
		{"over the config", []string{"--config", cfg, "--soft-fail"}, 0, ""},
		{"with fail-on none", []string{"--no-config", "--soft-fail", "--fail-on", "none"}, 0, ""},
		{"over --fail-on", []string{"--no-config", "--fail-on", "low", "--soft-fail"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := vpclint(t, append(append([]string{"scan", "-q"}, tt.args...), examples)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
}

// TestExcludeRuleID: an --exclude value that reads as a rule id is an
// error pointing at --disable; an existing path of that name is a path.
func TestExcludeRuleID(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "SG002"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		glob   string
		code   int
		stderr string
	}{
		{"SG001", 2, "--disable SG001"},
		{"nacl003", 2, "--disable NACL003"},
		{"CKV_AWS_24", 2, "vpclint's rule for it is SG001: use --disable SG001"},
		{"CKV_AWS_9999", 2, "looks like a rule id"},
		{"aws-ec2-no-public-egress-sgr", 2, "use --disable SG008"},
		{"AVD-AWS-0107", 2, "--disable SG001 --disable SG002"},
		{"SG002", 0, ""},            // a directory of the scanned tree
		{"legacy/**", 0, ""},        // a glob
		{"modules/sg001.tf", 0, ""}, // a path that mentions an id
	}
	for _, tt := range tests {
		t.Run(tt.glob, func(t *testing.T) {
			t.Chdir(dir)
			code, _, stderr := vpclint(t, "scan", "--no-config", "-q", "--exclude", tt.glob, ".")
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
}

// TestOutputFilesCheckedFirst: an unknown FORMAT in --output FORMAT=FILE
// is an error (not a directory named "xml="), and a report file that
// cannot be created fails with exit 2 before anything is scanned.
func TestOutputFilesCheckedFirst(t *testing.T) {
	examples, err := filepath.Abs(filepath.Join(repoRoot, "examples"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		output string
		stderr string
	}{
		{"unknown format", "xml=" + filepath.Join(dir, "out.xml"), `unknown format "xml"`},
		{"unknown format, relative", "xml=out/report.xml", `unknown format "xml"`},
		{"parent is a file", "sarif=" + filepath.Join(blocker, "r.sarif"), "cannot create its directory"},
		{"is a directory", "json=" + dir, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(dir)
			code, out, stderr := vpclint(t, "scan", "--no-config", "--output", tt.output, examples)
			if code != 2 || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.stderr)
			}
			if out != "" {
				t.Errorf("the scan ran although its report cannot be written:\n%s", out)
			}
		})
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if strings.Join(names, " ") != "file" {
		t.Errorf("the failed runs left files behind: %v", names)
	}
	// A file that can be written is, and a path that merely contains "="
	// after a directory is a file name.
	odd := filepath.Join(dir, "a=b", "r.json")
	if code, _, stderr := vpclint(t, "scan", "--no-config", "-q", "--fail-on", "none", "-f", "json", "-o", odd, examples); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(odd); err != nil {
		t.Error(err)
	}
}

// openSSH is a Terraform group open to the internet on SSH (SG001).
const openSSH = `resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "bastion"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`

// TestExcludeTerraformFile: through the real Terraform loader, an
// excluded .tf file is not read, whether found in a directory or named.
func TestExcludeTerraformFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"infra/legacy.tf": openSSH, "infra/main.tf": `resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }` + "\n"})
	t.Chdir(dir)
	for _, args := range [][]string{
		{"--exclude", "legacy.tf", "infra"},
		{"--exclude", "infra/legacy.tf", "infra/legacy.tf", "infra/main.tf"},
		{"--exclude", "**/legacy.tf", "."},
	} {
		code, out, stderr := vpclint(t, append([]string{"scan", "--no-config", "-f", "json"}, args...)...)
		if code != 0 || strings.Contains(out, "SG001") {
			t.Errorf("%v: exit %d, the excluded file was read:\n%s%s", args, code, out, stderr)
		}
	}
	if code, out, _ := vpclint(t, "scan", "--no-config", "-f", "json", "infra"); code != 1 || !strings.Contains(out, "SG001") {
		t.Errorf("without --exclude: exit %d\n%s", code, out)
	}
}

// TestNothingReadWarning: a directory with nothing vpclint reads is named
// on standard error when no text report shows it, and in the summary.
func TestNothingReadWarning(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"live/prod/terragrunt.hcl": "terraform {}\n", "infra/main.tf": openSSH})
	t.Chdir(dir)
	code, out, stderr := vpclint(t, "scan", "--no-config", "-f", "json", "live", "infra")
	if code != 1 || !strings.Contains(stderr, "warning: live: nothing here that vpclint reads") || !strings.Contains(stderr, "terragrunt show -json") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	var r struct {
		Summary struct {
			Empty []string `json:"empty"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Summary.Empty) != 1 || r.Summary.Empty[0] != "live" {
		t.Errorf("JSON summary empty = %v (%v)", r.Summary.Empty, err)
	}
	_, out, _ = vpclint(t, "scan", "--no-config", "live")
	if !strings.Contains(out, "nothing to read in live") {
		t.Errorf("text summary does not name the directory:\n%s", out)
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestJUnitCleanScan: a scan with no finding still reports one passing
// test case per rule that ran (and none for rules that did not).
func TestJUnitCleanScan(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.tf": `resource "aws_security_group" "a" {
  name        = "a"
  description = "app"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"
}
`})
	code, out, stderr := vpclint(t, "scan", "--no-config", "-q", "-f", "junit", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name string `xml:"name,attr"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, s := range r.Suites {
		names[s.Name] = true
	}
	if r.Tests < 40 || r.Failures != 0 || !names["vpclint/SG001"] || names["vpclint/SG009"] {
		t.Errorf("tests %d, failures %d, SG001 listed %v, SG009 (off by default) listed %v", r.Tests, r.Failures, names["vpclint/SG001"], names["vpclint/SG009"])
	}
}

// fakeRepo makes dir a git work tree as ScanRoot recognizes one.
func fakeRepo(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSARIFPathsFromTheRepositoryRoot: SARIF URIs are relative to the
// repository root wherever vpclint runs from (GitHub resolves them so),
// while the text report stays relative to the current directory; live
// findings point at a file that exists.
func TestSARIFPathsFromTheRepositoryRoot(t *testing.T) {
	repo := t.TempDir()
	fakeRepo(t, repo)
	writeFiles(t, repo, map[string]string{
		"README.md":          "# infra\n",
		"infra/main.tf":      openSSH,
		"infra/sub/x.tf":     openSSH,
		"modules/sg/main.tf": openSSH,
	})
	tests := []struct {
		name string
		cwd  string
		args []string
		want []string
		text string
	}{
		{"from the root", ".", []string{"infra"}, []string{"infra/main.tf", "infra/sub/x.tf"}, "infra/main.tf:"},
		{"from a subdirectory", "infra", []string{"."}, []string{"infra/main.tf", "infra/sub/x.tf"}, "main.tf:"},
		{"a parent from below", "infra/sub", []string{"..", "../../modules"}, []string{"infra/main.tf", "infra/sub/x.tf", "modules/sg/main.tf"}, "\nx.tf:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(filepath.Join(repo, tt.cwd))
			sarif := filepath.Join(t.TempDir(), "r.sarif")
			code, out, stderr := vpclint(t, append([]string{"scan", "--no-config", "-f", "text", "--output", "sarif=" + sarif}, tt.args...)...)
			if code != 1 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(out, tt.text) {
				t.Errorf("text report does not name %s relative to the current directory:\n%s", tt.text, out)
			}
			got := sarifURIs(t, sarif)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("SARIF URIs %v, want %v", got, tt.want)
			}
		})
	}
	// Live findings point at an existing repository file, even from a
	// directory that has none of its own.
	if got := anchorFile("", filepath.Join(repo, "infra", "sub"), nil, nil); got != "README.md" {
		t.Errorf("anchor from infra/sub = %q, want the repository's README.md", got)
	}
	t.Chdir(repo)
	if code, _, stderr := vpclint(t, "scan", "--no-config", "--anchor", "nope.md", "infra"); code != 2 || !strings.Contains(stderr, "--anchor nope.md") {
		t.Errorf("a missing --anchor: exit %d, %q", code, stderr)
	}
}

// sarifURIs lists the distinct result URIs of a SARIF file, sorted.
func sarifURIs(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, run := range log.Runs {
		for _, r := range run.Results {
			u := r.Locations[0].PhysicalLocation.ArtifactLocation.URI
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestUndeclaredVar: a --var that no scanned root module declares is a
// warning naming it (a misspelt name would otherwise set nothing), and so
// is a --var when no Terraform is scanned at all.
func TestUndeclaredVar(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"tf/main.tf":        "variable \"env\" {}\nvariable \"cidr\" {}\n",
		"cfn/template.yaml": "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n",
	})
	t.Chdir(dir)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"declared", []string{"--var", "env=prod", "tf"}, nil},
		{"misspelt", []string{"--var", "env=prod", "--var", "envv=prod", "--var", "cidrs=10.0.0.0/8", "tf"}, []string{
			`--var cidrs: no root module scanned (tf) declares variable "cidrs"`,
			`--var envv: no root module scanned (tf) declares variable "envv"`}},
		{"no Terraform", []string{"--var", "env=prod", "cfn"}, []string{"--var is given, but no Terraform module was scanned"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, out, stderr := vpclint(t, append([]string{"scan", "--no-config", "--soft-fail", "-f", "json"}, tt.args...)...)
			var r struct {
				Errors []struct{ Level, Message string } `json:"errors"`
			}
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%v: %s", err, stderr)
			}
			var got []string
			for _, e := range r.Errors {
				if strings.Contains(e.Message, "--var") {
					if e.Level != "warning" {
						t.Errorf("%q is a %s, want a warning", e.Message, e.Level)
					}
					got = append(got, e.Message)
				}
			}
			sort.Strings(got)
			if len(got) != len(tt.want) {
				t.Fatalf("warnings %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("warning %q, want %q", got[i], tt.want[i])
				}
			}
		})
	}
}

// TestExcludePlanSource: a plan's findings point at the .tf it came from,
// but not at a .tf that --exclude names: that file is not read for the
// plan either, and its findings point at the plan.
func TestExcludePlanSource(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "testdata", "loader", "tfplan", "basic"))); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, tt := range []struct {
		exclude string
		want    []string // files findings point at
	}{
		{"", []string{"main.tf", "modules/sg/main.tf"}},
		{"main.tf", []string{"plan.json", "modules/sg/main.tf"}},
		{"**/*.tf", []string{"plan.json"}},
	} {
		args := []string{"scan", "--no-config", "-f", "json", "."}
		if tt.exclude != "" {
			args = append(args, "--exclude", tt.exclude)
		}
		code, out, stderr := vpclint(t, args...)
		var report struct {
			Findings []struct {
				Location struct {
					File string `json:"file"`
				} `json:"location"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &report); code != 1 || err != nil {
			t.Fatalf("--exclude %q: exit %d (%v), want findings:\n%s%s", tt.exclude, code, err, out, stderr)
		}
		files := map[string]bool{}
		for _, f := range report.Findings {
			files[f.Location.File] = true
		}
		got := slices.Sorted(maps.Keys(files))
		if want := slices.Sorted(slices.Values(tt.want)); !slices.Equal(got, want) {
			t.Errorf("--exclude %q: findings point at %v, want %v", tt.exclude, got, want)
		}
	}
}
