package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/testenv"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vpclint/vpclint/model"
)

func vpclint(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	empty := t.TempDir()
	badVars := filepath.Join(t.TempDir(), "bad.tfvars")
	if err := os.WriteFile(badVars, []byte("a = \"x\"\nb = = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"version", []string{"version"}, 0, ""},
		{"unknown flag", []string{"scan", "--bogus"}, 2, "unknown flag"},
		{"unknown command", []string{"lint"}, 2, "unknown command"},
		{"missing path", []string{"scan", filepath.Join(empty, "nope")}, 2, "no such file"},
		{"bad fail-on", []string{"scan", "--fail-on", "severe", empty}, 2, "--fail-on"},
		{"bad format", []string{"scan", "--format", "xml", empty}, 2, "--format"},
		{"bad var", []string{"scan", "--var", "novalue", empty}, 2, "name=value"},
		{"missing var file", []string{"scan", "--var-file", filepath.Join(empty, "x.tfvars"), empty}, 2, "x.tfvars"},
		{"var file that does not parse", []string{"scan", "--var-file", badVars, empty}, 2, "bad.tfvars:2"},
		{"two stdout formats", []string{"scan", "-f", "json", "-f", "sarif", empty}, 2, "standard output"},
		{"bad rules dir", []string{"scan", "--rules", filepath.Join(empty, "none"), empty}, 2, "rules directory"},
		{"empty dir", []string{"scan", empty}, 0, ""},
		{"explain unknown", []string{"explain", "XX999"}, 2, "no rule"},
		{"rules bad format", []string{"rules", "--format", "xml"}, 2, "--format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := vpclint(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
}

func TestParseOutputs(t *testing.T) {
	tests := []struct {
		formats, outputs []string
		want             []output
		err              string
	}{
		{nil, nil, []output{{"text", ""}}, ""},
		{[]string{"json"}, []string{"out.json"}, []output{{"json", "out.json"}}, ""},
		{nil, []string{"sarif=r.sarif"}, []output{{"sarif", "r.sarif"}}, ""},
		{[]string{"text"}, []string{"sarif=r.sarif", "json=r.json"}, []output{{"text", ""}, {"sarif", "r.sarif"}, {"json", "r.json"}}, ""},
		{[]string{"text", "sarif"}, []string{"SARIF=r.sarif", "out.txt"}, []output{{"text", "out.txt"}, {"sarif", "r.sarif"}}, ""},
		{[]string{"text", "json"}, nil, nil, "standard output"},
		{[]string{"json"}, []string{"a", "b"}, nil, "without a format"},
		{nil, []string{"sarif=a", "sarif=b"}, nil, "two files"},
		{[]string{"yaml"}, nil, nil, "--format"},
		{[]string{"json", "sarif"}, []string{"x"}, nil, "which format"},
	}
	for _, tt := range tests {
		got, err := parseOutputs(tt.formats, tt.outputs)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseOutputs(%v, %v) error = %v, want %q", tt.formats, tt.outputs, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseOutputs(%v, %v) = %v, %v; want %v", tt.formats, tt.outputs, got, err, tt.want)
		}
	}
}

func TestRulesJSONAndExplain(t *testing.T) {
	code, out, stderr := vpclint(t, "rules", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var cat []model.RuleInfo
	if err := json.Unmarshal([]byte(out), &cat); err != nil {
		t.Fatal(err)
	}
	for _, r := range cat {
		if r.ID == "" || r.Title == "" || r.Description == "" || r.Remediation == "" || !r.Severity.Valid() {
			t.Errorf("incomplete rule %+v", r)
		}
	}
	if len(cat) == 0 {
		t.Skip("no built-in rule yet")
	}
	code, out, _ = vpclint(t, "explain", strings.ToLower(cat[0].ID))
	if code != 0 || !strings.HasPrefix(out, "# "+cat[0].ID+": ") {
		t.Errorf("explain: exit %d, %q", code, out)
	}
}

func TestScanWritesReports(t *testing.T) {
	dir := t.TempDir()
	sarif := filepath.Join(dir, "out", "r.sarif")
	code, out, stderr := vpclint(t, "scan", "-f", "json", "-o", "sarif="+sarif, dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Version != "1" {
		t.Errorf("json on stdout: %v %q", err, out)
	}
	b, err := os.ReadFile(sarif)
	if err != nil || !bytes.Contains(b, []byte(`"version": "2.1.0"`)) {
		t.Errorf("sarif file: %v", err)
	}
	if !strings.Contains(stderr, "wrote the sarif report") {
		t.Errorf("stderr %q", stderr)
	}
}

// TestScanExamples runs the README's first command: the examples yield
// findings with file and line, exit 1, and a SARIF report that validates
// against the SARIF 2.1.0 schema.
func TestScanExamples(t *testing.T) {
	examples := filepath.Join(repoRoot, "examples")
	sarif := filepath.Join(t.TempDir(), "r.sarif")
	code, out, stderr := vpclint(t, "scan", "--format", "json", "--output", "sarif="+sarif, examples)
	var rep struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Location struct {
				File      string `json:"file"`
				StartLine int    `json:"start_line"`
			} `json:"location"`
		} `json:"findings"`
		Errors  []json.RawMessage `json:"errors"`
		Summary struct {
			Resources int `json:"resources"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	if rep.Summary.Resources == 0 && len(rep.Errors) == 0 {
		t.Fatal("examples: nothing loaded")
	}
	if code != 1 || len(rep.Findings) < 3 || len(rep.Errors) > 0 {
		t.Errorf("exit %d, %d findings, errors %s", code, len(rep.Findings), rep.Errors)
	}
	for _, f := range rep.Findings {
		if f.Location.File == "" || f.Location.StartLine < 1 {
			t.Errorf("%s has no file:line", f.RuleID)
		}
	}
	validateSARIF(t, sarif)
}

// validateSARIF checks a SARIF file against the official 2.1.0 schema,
// vendored under testdata/schemas.
func validateSARIF(t *testing.T, path string) {
	t.Helper()
	sf, err := os.Open(testenv.SARIFSchema())
	if err != nil {
		t.Fatalf("SARIF schema: %v", err)
	}
	defer sf.Close()
	doc, err := jsonschema.UnmarshalJSON(sf)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	rf, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rf.Close()
	inst, err := jsonschema.UnmarshalJSON(rf)
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s does not validate: %v", path, err)
	}
}

func TestAnchorFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fs := []model.Finding{{Location: model.Location{File: "infra/main.tf", StartLine: 3}}}
	if got := anchorFile("", dir, []string{dir}, fs); got != "infra/main.tf" {
		t.Errorf("no config, no README: %q, want the first finding's file", got)
	}
	write("README.md")
	if got := anchorFile("", dir, nil, fs); got != "README.md" {
		t.Errorf("README: %q", got)
	}
	write(".vpclint.yaml")
	if got := anchorFile("", dir, nil, fs); got != ".vpclint.yaml" {
		t.Errorf("config: %q", got)
	}
	if got := anchorFile(filepath.Join(dir, "accounts.yaml"), dir, nil, fs); got != "accounts.yaml" {
		t.Errorf("--anchor: %q", got)
	}
}
