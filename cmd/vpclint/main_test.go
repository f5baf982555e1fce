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
