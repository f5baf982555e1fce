// Package scripts holds the shell steps of the GitHub Action and the
// pre-commit hook; its test runs them as GitHub and pre-commit would.
package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain builds vpclint once for every test of the package.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vpclint-scripts")
	if err != nil {
		panic(err)
	}
	bin := filepath.Join(dir, "vpclint")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/vpclint")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		os.RemoveAll(dir)
		panic("build vpclint: " + err.Error())
	}
	os.Setenv("VPCLINT_TEST_BIN", bin)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func buildVpclint(t *testing.T) string {
	t.Helper()
	return os.Getenv("VPCLINT_TEST_BIN")
}

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

func TestActionScanStep(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	bin := buildVpclint(t)
	tests := []struct {
		name     string
		failOn   string
		wantCode string
		wantExit int
	}{
		{"finding at fail-on", "high", "1", 0},
		{"finding below fail-on", "none", "0", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := t.TempDir()
			if err := os.MkdirAll(filepath.Join(repo, "infra"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(repo, "infra", "main.tf"), []byte(openSSH), 0o644); err != nil {
				t.Fatal(err)
			}
			runner := t.TempDir()
			summary := filepath.Join(runner, "summary.md")
			output := filepath.Join(runner, "output")
			cmd := exec.Command("bash", filepath.Join(mustAbs(t, "."), "action-scan.sh"))
			cmd.Dir = repo
			cmd.Env = append(os.Environ(),
				"VPCLINT_BIN="+bin, "VPCLINT_PATHS=infra", "VPCLINT_FAIL_ON="+tt.failOn,
				"RUNNER_TEMP="+runner, "GITHUB_STEP_SUMMARY="+summary, "GITHUB_OUTPUT="+output)
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.wantExit {
				t.Fatalf("step exit %d, want %d\n%s", code, tt.wantExit, out)
			}
			outs, err := os.ReadFile(output)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(outs), "exit-code="+tt.wantCode+"\n") {
				t.Errorf("GITHUB_OUTPUT = %q, want exit-code=%s", outs, tt.wantCode)
			}
			sarifPath := strings.TrimPrefix(strings.SplitN(string(outs), "\n", 2)[0], "sarif=")
			sarif, err := os.ReadFile(sarifPath)
			if err != nil || !strings.Contains(string(sarif), `"ruleId": "SG001"`) {
				t.Errorf("SARIF at %s lacks SG001 (%v)", sarifPath, err)
			}
			sum, err := os.ReadFile(summary)
			if err != nil || !strings.Contains(string(sum), "vpclint:") || !strings.Contains(string(sum), "SG001") {
				t.Errorf("job summary not written: %q (%v)", sum, err)
			}
		})
	}
}

func TestActionScanStepFailsOnBrokenRun(t *testing.T) {
	bin := buildVpclint(t)
	runner := t.TempDir()
	cmd := exec.Command("bash", filepath.Join(mustAbs(t, "."), "action-scan.sh"))
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "VPCLINT_BIN="+bin, "VPCLINT_PATHS=missing", "RUNNER_TEMP="+runner,
		"GITHUB_OUTPUT="+filepath.Join(runner, "output"))
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 2 {
		t.Fatalf("a scan that cannot run must fail the step with 2, got %v\n%s", err, out)
	}
}

func TestPreCommitHookScansDirectories(t *testing.T) {
	bin := buildVpclint(t)
	repo := t.TempDir()
	for _, d := range []string{"a", "b"} {
		if err := os.MkdirAll(filepath.Join(repo, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(repo, "a", "main.tf"), []byte(openSSH), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "a", "vars.tf"), []byte("variable \"x\" {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", filepath.Join(mustAbs(t, "."), "pre-commit.sh"), "a/main.tf", "a/vars.tf")
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "VPCLINT_BIN="+bin)
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "SG001") {
		t.Fatalf("hook: %v\n%s", err, out)
	}
	if strings.Count(string(out), "SG001 ") > 1 {
		t.Errorf("the directory was scanned more than once:\n%s", out)
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
