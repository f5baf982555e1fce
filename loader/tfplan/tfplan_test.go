package tfplan

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/modeltest"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// loadText writes a plan into a fresh directory (so no .tf is next to
// it) and loads it.
func loadText(t *testing.T, name, text string, opts loader.Options) (*model.Model, []model.LoadError) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if opts.WorkDir == "" {
		opts.WorkDir = dir
	}
	in := loader.Input{Path: p, Rel: name, Content: []byte(text)}
	if !New().Detect(in) {
		t.Fatalf("%s: not detected as a plan", name)
	}
	units, errs := New().Load(context.Background(), in, opts)
	if len(units) != 1 {
		t.Fatalf("%s: %d units, errors %v", name, len(units), errs)
	}
	return units[0], errs
}

func findGroup(t *testing.T, m *model.Model, addr string) *model.SecurityGroup {
	t.Helper()
	return modeltest.ByAddress(t, m, m.SecurityGroups, addr)
}

func findEndpoint(t *testing.T, m *model.Model, addr string) *model.VPCEndpoint {
	t.Helper()
	return modeltest.ByAddress(t, m, m.VPCEndpoints, addr)
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"plan", `{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{}}`, true},
		{"minimal hand-written", `{"format_version": "1.2", "resource_changes": []}`, true},
		{"configuration only", `{"format_version":"1.0","configuration":{}}`, true},
		{"state", `{"format_version":"1.0","terraform_version":"1.5.0","values":{"root_module":{}}}`, true},
		{"sorted keys, version late", `{"configuration":{"root_module":{"resources":[{"a":"}"}]}},"format_version":"1.1"}`, true},
		{"byte order mark", "\ufeff" + `{"format_version":"1.1","planned_values":{}}`, true},
		{"truncated after the keys", `{"format_version":"1.1","terraform_version":"1.2","planned_values":{"root`, true},
		{"escaped key", `{"format\u005fversion":"1.1","planned_values":{}}`, true},
		{"version alone", `{"format_version":"1.1"}`, false},
		{"cloudformation", `{"AWSTemplateFormatVersion":"2010-09-09","Resources":{"X":{"Type":"AWS::EC2::VPC"}}}`, false},
		{"nested keys only", `{"x":{"format_version":"1","planned_values":{}}}`, false},
		{"array", `[{"format_version":"1.0","planned_values":{}}]`, false},
		{"yaml", "format_version: 1.0\nplanned_values: {}\n", false},
		{"empty", ``, false},
		{"garbage", `{"format_version`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := New().Detect(loader.Input{Path: "x.json", Rel: "x.json", Content: []byte(tt.text)})
			if got != tt.want {
				t.Errorf("Detect = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestCorpusPlans loads every public plan of the corpus: all are
// detected and load without an error, except the one that is
// intentionally invalid, which gives an error naming file and line.
func TestCorpusPlans(t *testing.T) {
	var files []string
	for _, sub := range []string{"plans", "fixtures-kics"} {
		dir := corpusDir(t, sub)
		for _, p := range corpusPlans(t, dir) {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if sub == "fixtures-kics" && !bytes.Contains(b, []byte(`"format_version"`)) {
				continue // KICS CloudFormation JSON and expected results
			}
			files = append(files, p)
		}
	}
	if len(files) < 68 {
		t.Errorf("found %d corpus plans, want at least 68", len(files))
	}
	for _, p := range files {
		name := filepath.ToSlash(p[strings.Index(p, "corpus"):])
		t.Run(name, func(t *testing.T) {
			ok, units, errs := loadFile(t, p, loader.Options{})
			if !ok {
				t.Fatal("not detected as a plan")
			}
			invalid := strings.Contains(name, "testdata/invalid/")
			var hard []model.LoadError
			for _, e := range errs {
				if e.Level == model.LevelError {
					hard = append(hard, e)
				}
			}
			if invalid {
				if len(hard) != 1 || len(units) != 0 {
					t.Fatalf("invalid plan: units %d, errors %v", len(units), errs)
				}
				if hard[0].File == "" || hard[0].Line <= 0 {
					t.Errorf("error %+v does not name file and line", hard[0])
				}
				return
			}
			if len(hard) > 0 || len(units) != 1 {
				t.Fatalf("units %d, errors %v", len(units), errs)
			}
			for _, r := range units[0].Resources() {
				m := r.GetMeta()
				if m.Source.File == "" || m.Source.StartLine <= 0 {
					t.Errorf("%s: no location: %+v", m.Address, m.Source)
				}
				if m.Source.Format != model.FormatTFPlan {
					t.Errorf("%s: format %q", m.Address, m.Source.Format)
				}
			}
		})
	}
}

// TestCorpusFolding checks a corpus plan whose separate rule names its
// group by reference only (security_group_id unknown until apply).
func TestCorpusFolding(t *testing.T) {
	p := filepath.Join(corpusDir(t, "plans"), "bridgecrewio__checkov", "tests", "terraform", "runner", "resources", "plan", "tfplan.json")
	_, units, errs := loadFile(t, p, loader.Options{})
	if len(units) != 1 {
		t.Fatalf("errors %v", errs)
	}
	m := units[0]
	g := findGroup(t, m, "aws_security_group.default")
	if len(g.Ingress) != 1 || g.Ingress[0].Address != "aws_security_group_rule.ingress" || !slices.Contains(g.Ingress[0].CIDRBlocks, "172.16.0.0/16") {
		t.Errorf("ingress = %s", asJSON(g.Ingress))
	}
	if len(g.Egress) != 1 || g.Egress[0].Protocol != model.ProtoAll {
		t.Errorf("egress = %s", asJSON(g.Egress))
	}
	for _, sg := range m.SecurityGroups {
		if sg.Placeholder {
			t.Errorf("unexpected placeholder %s", sg.Address)
		}
	}
	if len(m.FlowLogs) != 1 || m.FlowLogs[0].ResourceID != "aws_vpc.web_vpc" || m.FlowLogs[0].ResourceType != "VPC" {
		t.Errorf("flow logs = %s", asJSON(m.FlowLogs))
	}
}
