// Package scripts holds the shell steps of the GitHub Action and the
// pre-commit hook, and the checks of the release files; its tests run the
// steps as GitHub and pre-commit would, against servers faked on
// 127.0.0.1.
package scripts

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/vpclint/vpclint/internal/testenv"
)

// testVersion is the version the test binary is stamped with, as a
// release build is.
const testVersion = "v1.2.3"

// TestMain builds vpclint once for every test of the package. Only the
// link step differs from `go test`'s build (the version stamp), so it
// reuses the build cache.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vpclint-scripts")
	if err != nil {
		panic(err)
	}
	bin := filepath.Join(dir, "vpclint")
	cmd := exec.Command("go", "build", "-ldflags", "-X main.version="+testVersion, "-o", bin, "./cmd/vpclint")
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

func vpclintBin(t *testing.T) string {
	t.Helper()
	return os.Getenv("VPCLINT_TEST_BIN")
}

func needBash(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
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

// step runs one of the scripts with the environment given (on top of a
// minimal one) and returns its exit code, combined output and what it
// wrote to GITHUB_OUTPUT.
func step(t *testing.T, dir string, env []string, script string, args ...string) (int, string, map[string]string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "github_output")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", append([]string{mustAbs(t, script)}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(append(cleanEnv(), "GITHUB_OUTPUT="+out), env...)
	b, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{}
	if raw, err := os.ReadFile(out); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				outputs[k] = v
			}
		}
	}
	return code, string(b), outputs
}

// cleanEnv is the test's environment without what GitHub Actions or a
// previous step would set, so a test run inside a workflow behaves as
// one outside it. Go's own settings (GOCACHE, GOMODCACHE, ...) stay: the
// source build reuses the test's build cache.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "RUNNER_") || strings.HasPrefix(k, "VPCLINT_") || k == "CI" {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// fakeRelease serves release assets as GitHub does
// (/<tag>/<asset>) and records what was asked.
type fakeRelease struct {
	mu     sync.Mutex
	assets map[string][]byte
	asked  []string
}

func (f *fakeRelease) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, r.URL.Path)
	b, ok := f.assets[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Write(b)
}

func (f *fakeRelease) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.asked...)
}

// releaseAssets builds the archives GoReleaser makes for version (as
// .goreleaser.yaml names them) and their checksum file. Each archive holds
// a small stand-in for vpclint that answers `version` as the release
// would (the scan step's tests run the real binary). tamper names an
// archive whose listed checksum is wrong.
func releaseAssets(t *testing.T, version string, tamper string) map[string][]byte {
	t.Helper()
	archivesOnce.Do(func() {
		archives = map[string][]byte{}
		exe := []byte("#!/bin/sh\necho vpclint " + version + "\n")
		for _, goos := range []string{"linux", "darwin", "windows"} {
			for _, arch := range []string{"amd64", "arm64"} {
				name := fmt.Sprintf("vpclint_%s_%s_%s", strings.TrimPrefix(version, "v"), goos, arch)
				if goos == "windows" {
					archives[name+".zip"] = zipArchive(t, map[string][]byte{"vpclint.exe": exe, "LICENSE": []byte("license\n")})
				} else {
					archives[name+".tar.gz"] = tarArchive(t, map[string][]byte{"vpclint": exe, "LICENSE": []byte("license\n")})
				}
			}
		}
	})
	assets := map[string][]byte{}
	var sums strings.Builder
	for name, data := range archives {
		sum := sha256.Sum256(data)
		hexSum := hex.EncodeToString(sum[:])
		if name == tamper {
			hexSum = strings.Repeat("0", 64)
		}
		fmt.Fprintf(&sums, "%s  %s\n", hexSum, name)
		assets["/"+version+"/"+name] = data
	}
	assets[fmt.Sprintf("/%s/vpclint_%s_checksums.txt", version, strings.TrimPrefix(version, "v"))] = []byte(sums.String())
	return assets
}

// archives are the release archives, built once for every test.
var (
	archivesOnce sync.Once
	archives     map[string][]byte
)

func tarArchive(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for name, b := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(b))}); err != nil {
			t.Fatal(err)
		}
		tw.Write(b)
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func zipArchive(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

// TestActionInstall runs the Action's install steps (resolve, then
// install) against a release server on 127.0.0.1: the version each way
// it can be given, the archive of each platform, the checksum check, the
// cache, and the source build.
func TestActionInstall(t *testing.T) {
	needBash(t)
	otherVersion := filepath.Join(t.TempDir(), "vpclint")
	if err := os.WriteFile(otherVersion, []byte("#!/bin/sh\necho vpclint v0.9.0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  []string
		// actionVersion is scripts/action-version in the Action's files.
		actionVersion string
		tamper        string
		// cached is a binary already in the tool cache.
		cached   string
		noGo     bool
		wantCode int
		wantOut  string
		// wantGet is the archive downloaded ("" none).
		wantGet string
		// runs: the installed binary runs here and reports testVersion.
		runs bool
	}{
		{name: "version input", env: []string{"VPCLINT_VERSION=v1.2.3"}, wantGet: "vpclint_1.2.3_linux_amd64.tar.gz", runs: true},
		{name: "version without v", env: []string{"VPCLINT_VERSION=1.2.3"}, wantGet: "vpclint_1.2.3_linux_amd64.tar.gz", runs: true},
		{name: "the Action's version tag", env: []string{"VPCLINT_ACTION_REF=v1.2.3"}, wantGet: "vpclint_1.2.3_linux_amd64.tar.gz", runs: true},
		{name: "the Action's major tag", env: []string{"VPCLINT_ACTION_REF=v1"}, actionVersion: "v1.2.3\n", wantGet: "vpclint_1.2.3_linux_amd64.tar.gz", runs: true},
		{name: "input wins over the tag", env: []string{"VPCLINT_ACTION_REF=v1.0.0", "VPCLINT_VERSION=v1.2.3"}, wantGet: "vpclint_1.2.3_linux_amd64.tar.gz", runs: true},
		{name: "a commit that is no release", env: []string{"VPCLINT_ACTION_REF=main"}, actionVersion: "none\n", wantCode: 1, wantOut: "is not a release"},
		{name: "not a version", env: []string{"VPCLINT_VERSION=latest"}, wantCode: 1, wantOut: "not a release version"},
		{name: "no such release", env: []string{"VPCLINT_VERSION=v9.9.9"}, wantCode: 1, wantOut: "is v9.9.9 a release?"},
		{name: "checksum mismatch", env: []string{"VPCLINT_VERSION=v1.2.3"}, tamper: "vpclint_1.2.3_linux_amd64.tar.gz", wantCode: 1, wantOut: "checksum mismatch", wantGet: "vpclint_1.2.3_linux_amd64.tar.gz"},
		{name: "macOS on arm64", env: []string{"VPCLINT_VERSION=v1.2.3", "RUNNER_OS=macOS", "RUNNER_ARCH=ARM64"}, wantGet: "vpclint_1.2.3_darwin_arm64.tar.gz"},
		{name: "Windows", env: []string{"VPCLINT_VERSION=v1.2.3", "RUNNER_OS=Windows", "RUNNER_ARCH=X64"}, wantGet: "vpclint_1.2.3_windows_amd64.zip"},
		{name: "unsupported architecture", env: []string{"VPCLINT_VERSION=v1.2.3", "RUNNER_ARCH=ARM"}, wantCode: 1, wantOut: "no vpclint release for the runner's architecture"},
		{name: "cached", env: []string{"VPCLINT_VERSION=v1.2.3"}, cached: vpclintBin(t), wantOut: "(cached)", runs: true},
		{name: "cached, another version", env: []string{"VPCLINT_VERSION=v1.2.3"}, cached: otherVersion, wantGet: "vpclint_1.2.3_linux_amd64.tar.gz", runs: true},
		{name: "from source", env: []string{"VPCLINT_INSTALL=source"}, wantOut: "building vpclint from the Action's source", runs: true},
		{name: "from source without Go", env: []string{"VPCLINT_INSTALL=source"}, noGo: true, wantCode: 1, wantOut: "needs Go on the runner"},
		{name: "unknown install", env: []string{"VPCLINT_INSTALL=brew", "VPCLINT_VERSION=v1.2.3"}, wantCode: 1, wantOut: "want release or source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &fakeRelease{assets: releaseAssets(t, testVersion, tt.tamper)}
			ts := httptest.NewServer(srv)
			defer ts.Close()

			actionPath := mustAbs(t, "..")
			if tt.actionVersion != "" {
				actionPath = t.TempDir()
				os.MkdirAll(filepath.Join(actionPath, "scripts"), 0o755)
				os.WriteFile(filepath.Join(actionPath, "scripts", "action-version"), []byte(tt.actionVersion), 0o644)
			}
			toolCache := t.TempDir()
			env := append([]string{
				"RUNNER_OS=Linux", "RUNNER_ARCH=X64", "RUNNER_TOOL_CACHE=" + toolCache, "RUNNER_TEMP=" + t.TempDir(),
				"VPCLINT_RELEASE_URL=" + ts.URL, "VPCLINT_ACTION_PATH=" + actionPath,
			}, tt.env...)
			if tt.noGo {
				env = append(env, "PATH="+pathWithout(t, "go"))
			}
			code, out, resolved := step(t, t.TempDir(), env, "action-install.sh", "resolve")
			if code != 0 {
				if tt.wantCode == 0 || !strings.Contains(out, tt.wantOut) {
					t.Fatalf("resolve: exit %d\n%s", code, out)
				}
				return
			}
			if tt.cached != "" {
				if err := os.MkdirAll(resolved["dir"], 0o755); err != nil {
					t.Fatal(err)
				}
				b, _ := os.ReadFile(tt.cached)
				os.WriteFile(filepath.Join(resolved["dir"], "vpclint"), b, 0o755)
			}
			env = append(env, "VPCLINT_DIR="+resolved["dir"])
			code, out, installed := step(t, t.TempDir(), env, "action-install.sh", "install")
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) {
				t.Fatalf("install: exit %d, want %d and %q\n%s", code, tt.wantCode, tt.wantOut, out)
			}
			var got []string
			for _, p := range srv.requests() {
				if !strings.HasSuffix(p, "_checksums.txt") {
					got = append(got, strings.TrimPrefix(p, "/"+testVersion+"/"))
				}
			}
			if tt.wantGet == "" && len(got) > 0 || tt.wantGet != "" && (len(got) != 1 || got[0] != tt.wantGet) {
				t.Errorf("downloaded %v, want %q", got, tt.wantGet)
			}
			if tt.wantCode != 0 {
				if entries, _ := os.ReadDir(resolved["dir"]); len(entries) > 0 {
					t.Errorf("a failed install left %v in %s", entries, resolved["dir"])
				}
				return
			}
			if installed["bin"] == "" {
				t.Fatalf("no bin output:\n%s", out)
			}
			if st, err := os.Stat(installed["bin"]); err != nil || st.Mode()&0o111 == 0 {
				t.Fatalf("the binary is not installed: %v", err)
			}
			if tt.runs {
				v, err := exec.Command(installed["bin"], "version").Output()
				if err != nil || !strings.HasPrefix(string(v), "vpclint "+testVersion+"\n") && tt.env[0] != "VPCLINT_INSTALL=source" {
					t.Errorf("installed binary reports %q (%v)", v, err)
				}
			}
		})
	}
}

// pathWithout is PATH without the directories holding the named program.
func pathWithout(t *testing.T, prog string) string {
	t.Helper()
	var keep []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, prog)); err == nil {
			continue
		}
		keep = append(keep, d)
	}
	return strings.Join(keep, string(filepath.ListSeparator))
}

// TestActionScanStep runs the scan step as the Action does: the SARIF
// and the job summary are always written, the exit code becomes an
// output (the verdict comes after the upload), and the format report
// goes to the log or to a file.
func TestActionScanStep(t *testing.T) {
	needBash(t)
	tests := []struct {
		name        string
		env         []string
		wantCode    string
		wantLog     string
		wantReport  string // a file named by the report output holds this
		sarifReport bool   // the SARIF output is the report file
	}{
		{name: "finding at fail-on", env: []string{"VPCLINT_FAIL_ON=high"}, wantCode: "1", wantLog: "CRITICAL SG001"},
		{name: "finding below fail-on", env: []string{"VPCLINT_FAIL_ON=none"}, wantCode: "0", wantLog: "CRITICAL SG001"},
		{name: "json to the log", env: []string{"VPCLINT_FORMAT=json"}, wantCode: "1", wantLog: `"rule_id": "SG001"`},
		{name: "junit to a file", env: []string{"VPCLINT_FORMAT=junit", "VPCLINT_OUTPUT=reports/vpclint.xml"}, wantCode: "1", wantReport: "<testsuites"},
		{name: "sarif to a file", env: []string{"VPCLINT_FORMAT=sarif", "VPCLINT_OUTPUT=vpclint.sarif"}, wantCode: "1", wantReport: `"ruleId": "SG001"`, sarifReport: true},
		{name: "extra args", env: []string{"VPCLINT_ARGS=--soft-fail"}, wantCode: "0", wantLog: "SG001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := t.TempDir()
			os.MkdirAll(filepath.Join(repo, "infra"), 0o755)
			if err := os.WriteFile(filepath.Join(repo, "infra", "main.tf"), []byte(openSSH), 0o644); err != nil {
				t.Fatal(err)
			}
			summary := filepath.Join(t.TempDir(), "summary.md")
			env := append([]string{"VPCLINT_BIN=" + vpclintBin(t), "VPCLINT_PATHS=infra", "RUNNER_TEMP=" + t.TempDir(), "GITHUB_STEP_SUMMARY=" + summary}, tt.env...)
			code, out, outputs := step(t, repo, env, "action-scan.sh")
			if code != 0 {
				t.Fatalf("step exit %d, want 0 (the verdict is an output)\n%s", code, out)
			}
			if outputs["exit-code"] != tt.wantCode {
				t.Errorf("exit-code output %q, want %q", outputs["exit-code"], tt.wantCode)
			}
			if !strings.Contains(out, tt.wantLog) {
				t.Errorf("the log lacks %q:\n%s", tt.wantLog, out)
			}
			sarif, err := os.ReadFile(filepath.Join(repo, outputs["sarif"]))
			if filepath.IsAbs(outputs["sarif"]) {
				sarif, err = os.ReadFile(outputs["sarif"])
			}
			if err != nil || !strings.Contains(string(sarif), `"ruleId": "SG001"`) {
				t.Errorf("SARIF at %s lacks SG001 (%v)", outputs["sarif"], err)
			}
			if tt.sarifReport && outputs["sarif"] != outputs["report"] {
				t.Errorf("the SARIF report %q is not the SARIF uploaded %q", outputs["report"], outputs["sarif"])
			}
			if tt.wantReport != "" {
				b, err := os.ReadFile(filepath.Join(repo, outputs["report"]))
				if err != nil || !strings.Contains(string(b), tt.wantReport) {
					t.Errorf("report %q lacks %q (%v)", outputs["report"], tt.wantReport, err)
				}
			}
			sum, err := os.ReadFile(summary)
			if err != nil || !strings.Contains(string(sum), "SG001") {
				t.Errorf("job summary not written: %q (%v)", sum, err)
			}
		})
	}
}

// TestActionScanStepCompareBase: with compare-base the step fetches the
// pull request's base commit into a shallow checkout, fails on new
// findings only, writes "N new, M fixed" to the job summary, and uploads
// no fixed (absent) result to code scanning.
func TestActionScanStepCompareBase(t *testing.T) {
	needBash(t)
	// origin: main has one open group; the pull request opens another.
	origin := t.TempDir()
	testenv.Git(t, origin, "", "init", "-q", "-b", "main")
	write := func(dir, body string) {
		t.Helper()
		os.MkdirAll(filepath.Join(dir, "infra"), 0o755)
		if err := os.WriteFile(filepath.Join(dir, "infra", "main.tf"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	second := strings.Replace(openSSH, `"aws_security_group" "`, `"aws_security_group" "second_`, 1)
	write(origin, openSSH)
	testenv.Git(t, origin, "", "add", "-A")
	testenv.Git(t, origin, "", "commit", "-qm", "base")
	base := testenv.Git(t, origin, "", "rev-parse", "HEAD")
	testenv.Git(t, origin, "", "checkout", "-qb", "pr")
	tests := []struct {
		name, head, failOn string
		sha                string
		wantCode           string
		wantSummary        string
	}{
		{name: "a new critical finding", head: openSSH + second, failOn: "high", sha: base, wantCode: "1", wantSummary: "1 new, 0 fixed"},
		{name: "the old finding only", head: openSSH + "\n", failOn: "high", sha: base, wantCode: "0", wantSummary: "0 new, 0 fixed"},
		{name: "fixed", head: "# nothing\n", failOn: "low", sha: base, wantCode: "0", wantSummary: "0 new, 1 fixed"},
		{name: "not a pull request", head: openSSH, failOn: "high", wantCode: "1", wantSummary: "1 finding"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(origin, tt.head)
			testenv.Git(t, origin, "", "add", "-A")
			testenv.Git(t, origin, "", "commit", "-qm", fmt.Sprint("pr ", i), "--allow-empty")
			// The checkout the Action gets by default: one commit.
			repo := filepath.Join(t.TempDir(), "repo")
			testenv.Git(t, origin, "", "clone", "-q", "--depth", "1", "-b", "pr", "file://"+origin, repo)
			summary := filepath.Join(t.TempDir(), "summary.md")
			env := []string{"VPCLINT_BIN=" + vpclintBin(t), "VPCLINT_PATHS=infra", "RUNNER_TEMP=" + t.TempDir(), "GITHUB_STEP_SUMMARY=" + summary,
				"VPCLINT_FAIL_ON=" + tt.failOn, "VPCLINT_COMPARE_BASE=true", "VPCLINT_BASE_SHA=" + tt.sha}
			code, out, outputs := step(t, repo, env, "action-scan.sh")
			if code != 0 || outputs["exit-code"] != tt.wantCode {
				t.Fatalf("step exit %d, exit-code %q; want 0 and %q\n%s", code, outputs["exit-code"], tt.wantCode, out)
			}
			sum, _ := os.ReadFile(summary)
			if !strings.Contains(string(sum), tt.wantSummary) {
				t.Errorf("job summary lacks %q:\n%s", tt.wantSummary, sum)
			}
			sarif, err := os.ReadFile(outputs["sarif"])
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(sarif), `"absent"`) {
				t.Errorf("the SARIF for code scanning lists fixed findings")
			}
		})
	}
}

func TestActionScanStepFailsOnBrokenRun(t *testing.T) {
	needBash(t)
	code, out, _ := step(t, t.TempDir(), []string{"VPCLINT_BIN=" + vpclintBin(t), "VPCLINT_PATHS=missing", "RUNNER_TEMP=" + t.TempDir()}, "action-scan.sh")
	if code != 2 {
		t.Fatalf("a scan that cannot run must fail the step with 2, got %d\n%s", code, out)
	}
}

// TestActionUploadGate: the SARIF upload is skipped, with a notice, where
// code scanning is unavailable, and attempted everywhere else; the
// code-scanning API is faked on 127.0.0.1.
func TestActionUploadGate(t *testing.T) {
	needBash(t)
	tests := []struct {
		name       string
		env        []string
		apiStatus  int
		apiBody    string
		wantUpload string
		wantOut    string
		wantAPI    bool
	}{
		{name: "turned off", env: []string{"VPCLINT_UPLOAD=false"}, wantUpload: "false"},
		{name: "push to a public repository", env: []string{"VPCLINT_EVENT_NAME=push", "VPCLINT_PRIVATE=false"}, wantUpload: "true"},
		{name: "pull request from a fork", env: []string{"VPCLINT_EVENT_NAME=pull_request", "VPCLINT_HEAD_REPO=someone/fork"}, wantUpload: "false", wantOut: "::notice title=vpclint::not uploading SARIF: this pull request comes from the fork someone/fork"},
		{name: "pull request from a branch", env: []string{"VPCLINT_EVENT_NAME=pull_request", "VPCLINT_HEAD_REPO=acme/infra"}, wantUpload: "true"},
		{name: "private with code scanning", env: []string{"VPCLINT_PRIVATE=true"}, apiStatus: 200, apiBody: "[]", wantUpload: "true", wantAPI: true},
		{name: "private, enabled, nothing uploaded yet", env: []string{"VPCLINT_PRIVATE=true"}, apiStatus: 404, apiBody: `{"message":"no analysis found"}`, wantUpload: "true", wantAPI: true},
		{name: "private without Advanced Security", env: []string{"VPCLINT_PRIVATE=true"}, apiStatus: 403, apiBody: `{"message":"Advanced Security must be enabled for this repository to use code scanning."}`, wantUpload: "false", wantOut: "::notice title=vpclint::not uploading SARIF: code scanning is not enabled", wantAPI: true},
		{name: "token without permission", env: []string{"VPCLINT_PRIVATE=true"}, apiStatus: 403, apiBody: `{"message":"Resource not accessible by integration"}`, wantUpload: "false", wantOut: "security-events: write", wantAPI: true},
		{name: "API error", env: []string{"VPCLINT_PRIVATE=true"}, apiStatus: 500, apiBody: "oops", wantUpload: "true", wantAPI: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked []string
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				asked = append(asked, r.URL.Path+" "+r.Header.Get("Authorization"))
				w.WriteHeader(tt.apiStatus)
				fmt.Fprint(w, tt.apiBody)
			}))
			defer ts.Close()
			env := append([]string{"GITHUB_API_URL=" + ts.URL, "VPCLINT_REPO=acme/infra", "VPCLINT_TOKEN=t0ken"}, tt.env...)
			code, out, outputs := step(t, t.TempDir(), env, "action-upload-gate.sh")
			if code != 0 || outputs["upload"] != tt.wantUpload || !strings.Contains(out, tt.wantOut) {
				t.Errorf("exit %d, upload=%q; want upload=%s and %q\n%s", code, outputs["upload"], tt.wantUpload, tt.wantOut, out)
			}
			if tt.wantAPI != (len(asked) > 0) {
				t.Errorf("API asked %v, want asked: %v", asked, tt.wantAPI)
			}
			if len(asked) > 0 && asked[0] != "/repos/acme/infra/code-scanning/analyses Bearer t0ken" {
				t.Errorf("API request %q", asked[0])
			}
		})
	}
}

// actionFile is the part of action.yml the tests check.
type actionFile struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID   string            `yaml:"id"`
			If   string            `yaml:"if"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// TestActionDefinition checks action.yml against its scripts: the inputs
// users expect exist, every script a step runs exists and is executable,
// the Go toolchain is never set up (the job's Go stays), the binary is
// cached by version and platform, and the upload depends on the gate.
func TestActionDefinition(t *testing.T) {
	b, err := os.ReadFile("../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a actionFile
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"version", "install", "path", "args", "fail-on", "config", "format", "output", "upload-sarif", "category", "token", "compare-base"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("input %q missing", in)
		}
	}
	if a.Inputs["upload-sarif"].Default != "true" || a.Inputs["install"].Default != "release" || a.Inputs["version"].Default != "" {
		t.Errorf("defaults: upload-sarif %q, install %q, version %q", a.Inputs["upload-sarif"].Default, a.Inputs["install"].Default, a.Inputs["version"].Default)
	}
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q", a.Runs.Using)
	}
	var cache, upload bool
	for _, s := range a.Runs.Steps {
		if strings.Contains(s.Uses, "setup-go") || strings.Contains(s.Run, "GOTOOLCHAIN") {
			t.Errorf("step %q changes the job's Go toolchain", s.ID+s.Uses)
		}
		if strings.HasPrefix(s.Uses, "actions/cache@") {
			cache = s.With["path"] == "${{ steps.resolve.outputs.dir }}" && strings.Contains(s.With["key"], "steps.resolve.outputs.version") &&
				strings.Contains(s.With["key"], "runner.os") && strings.Contains(s.With["key"], "runner.arch")
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			upload = strings.Contains(s.If, "steps.gate.outputs.upload == 'true'") && strings.Contains(s.If, "always()")
		}
		if s.Run == "" {
			continue
		}
		for _, f := range strings.Fields(strings.NewReplacer(`"`, " ", "'", " ").Replace(s.Run)) {
			if !strings.HasPrefix(f, "$VPCLINT_ACTION_PATH/") {
				continue
			}
			p := filepath.Join("..", strings.TrimPrefix(f, "$VPCLINT_ACTION_PATH/"))
			st, err := os.Stat(p)
			if err != nil || st.Mode()&0o111 == 0 {
				t.Errorf("step %q runs %s, which is missing or not executable (%v)", s.ID, p, err)
			}
			if s.Env["VPCLINT_ACTION_PATH"] != "${{ github.action_path }}" {
				t.Errorf("step %q does not set VPCLINT_ACTION_PATH", s.ID)
			}
		}
	}
	if !cache {
		t.Error("the binary is not cached by version, OS and architecture")
	}
	if !upload {
		t.Error("the SARIF upload does not depend on the gate step")
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
