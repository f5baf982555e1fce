package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

const full = `fail_on: high
rules:
  disable: [SG009, sg010]      # ids, areas or tags
  enable: [hygiene]
  only: []
  severity: {SG004: high}
params:
  admin_ports: [22, 3389]
  trusted_accounts: ["111122223333"]
  my_custom: {a: 1}
exclude: ["**/.terraform/**"]
custom_rules: [policies/]
baseline: .vpclint-baseline.json
`

func TestParseFull(t *testing.T) {
	cfg, err := Parse("/repo/.vpclint.yaml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.FailOn != "high" {
		t.Errorf("fail_on = %q", cfg.FailOn)
	}
	if !reflect.DeepEqual(cfg.Rules.Disable, []string{"SG009", "sg010"}) || !reflect.DeepEqual(cfg.Rules.Enable, []string{"hygiene"}) {
		t.Errorf("disable = %v, enable = %v", cfg.Rules.Disable, cfg.Rules.Enable)
	}
	if cfg.Rules.Severity["SG004"] != model.SeverityHigh {
		t.Errorf("severity = %v", cfg.Rules.Severity)
	}
	if got := cfg.Params["admin_ports"]; !reflect.DeepEqual(got, []any{22, 3389}) {
		t.Errorf("admin_ports = %#v", got)
	}
	if _, ok := cfg.Params["my_custom"]; !ok {
		t.Errorf("custom params must pass through")
	}
	if !reflect.DeepEqual(cfg.Exclude, []string{"**/.terraform/**"}) {
		t.Errorf("exclude = %v", cfg.Exclude)
	}
	if !reflect.DeepEqual(cfg.CustomRules, []string{filepath.Join("/repo", "policies")}) {
		t.Errorf("custom_rules = %v", cfg.CustomRules)
	}
	if cfg.Baseline != filepath.Join("/repo", ".vpclint-baseline.json") {
		t.Errorf("baseline = %v", cfg.Baseline)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
		line            int
	}{
		{"unknown top key", "fail_on: high\nfailon: low\n", "unknown key failon", 2},
		{"unknown nested key", "rules:\n  disabled: [SG001]\n", "unknown key rules.disabled", 2},
		{"bad severity", "fail_on: severe\n", "not critical", 1},
		{"disable not list", "rules:\n  disable: SG001\n", "must be a list", 2},
		{"bad selector", "rules:\n  disable: [\"SG 1\"]\n", "not a rule id", 2},
		{"severity bad value", "rules:\n  severity: {SG001: urgent}\n", "unknown severity", 2},
		{"ports wrong type", "params:\n  admin_ports: 22\n", "list of port numbers", 2},
		{"port out of range", "params:\n  admin_ports: [70000]\n", "not a port number", 2},
		{"account unquoted", "params:\n  trusted_accounts: [111122223333]\n", "must be a string", 2},
		{"account malformed", "params:\n  trusted_accounts: [\"1234\"]\n", "12-digit", 2},
		{"max range type", "params:\n  max_port_range: many\n", "non-negative integer", 2},
		{"exclude type", "exclude: {a: b}\n", "list of strings", 1},
		{"duplicate key", "fail_on: high\nfail_on: low\n", "duplicate key", 2},
		{"not yaml", "rules: [\n", "not valid YAML", 0},
		{"not a mapping", "- a\n", "must be a mapping", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.src))
			if err == nil {
				t.Fatal("want error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not *config.Error", err)
			}
			if tt.line > 0 && ce.Line != tt.line {
				t.Errorf("line = %d, want %d", ce.Line, tt.line)
			}
		})
	}
}

func TestEmptyConfig(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("# nothing yet\n"))
	if err != nil || cfg.FailOn != "" || len(cfg.Rules.Enable)+len(cfg.Rules.Disable)+len(cfg.Rules.Only) > 0 {
		t.Fatalf("empty config: %+v, %v", cfg, err)
	}
}

func TestCheckSelectors(t *testing.T) {
	cat := []model.RuleInfo{{ID: "SG001"}, {ID: "SG004"}, {ID: "SG009", Tags: []string{"hygiene"}, OptIn: true}}
	tests := []struct {
		name, src, want string
	}{
		{"ids, areas and tags", "rules:\n  disable: [SG, sg004]\n  enable: [hygiene]\n  only: [SG009]\n  severity: {SG004: low}\n", ""},
		{"unknown id", "rules:\n  disable: [SG, XX001]\n", `c.yaml:2: rules.disable[1]: "XX001" names no rule id, area or tag`},
		{"unknown tag", "rules:\n  enable:\n    - hygeine\n", `c.yaml:3: rules.enable[0]: "hygeine" names no rule`},
		{"unknown only", "rules:\n  only: [NACL]\n", `rules.only[0]: "NACL" names no rule`},
		{"severity of an area", "rules:\n  severity: {SG: low}\n", `c.yaml:2: rules.severity: "SG" is not a rule id`},
	}
	for _, tt := range tests {
		cfg, err := Parse("c.yaml", []byte(tt.src))
		if err == nil {
			err = cfg.CheckSelectors(cat)
		}
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: CheckSelectors = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestFind(t *testing.T) {
	tmp := t.TempDir()
	repo := filepath.Join(tmp, "repo")
	sub := filepath.Join(repo, "infra", "net")
	plain := filepath.Join(tmp, "plain", "infra")
	for _, d := range []string{sub, plain} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(dir string) string {
		t.Helper()
		p := filepath.Join(dir, FileName)
		if err := os.WriteFile(p, []byte("fail_on: low\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A config above the scan root (planted in a parent directory, in a
	// shared temporary directory) is never read.
	write(tmp)
	write(filepath.Dir(plain))
	tests := []struct {
		name, start, root, want string
	}{
		{"work tree without config", sub, repo, ""},
		{"not in a work tree: only the scanned directory", plain, plain, ""},
		{"scanned file's directory", filepath.Join(plain, "main.tf"), plain, ""},
	}
	for _, tt := range tests {
		if got, err := Find(tt.start, tt.root); err != nil || got != tt.want {
			t.Errorf("%s: Find = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	cfg := write(repo)
	if got, _ := Find(sub, repo); resolved(got) != resolved(cfg) {
		t.Errorf("Find in a work tree = %q, want the work tree's %q", got, cfg)
	}
	inner := write(sub)
	if got, _ := Find(sub, repo); resolved(got) != resolved(inner) {
		t.Errorf("Find = %q, want the nearest %q", got, inner)
	}
	if got, _ := Find(os.TempDir(), os.TempDir()); got != "" {
		t.Errorf("Find in the temporary directory = %q, want none", got)
	}
}

// FuzzParse feeds arbitrary text to the config parser: it must not panic,
// and it returns a config or an error, never both or neither.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"fail-on: medium\nrules:\n  disable: [SG003]\n  severity:\n    EP001: high\nparams:\n  admin_ports: [22, 3389]\n",
		"exclude:\n  - \"**/test/**\"\nbaseline: .vpclint-baseline.json\n",
		"rules: {enable: [SG, EP002]}\nunknown_key: 1\n",
		"a: &x [*x]\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, err := Parse(".vpclint.yaml", src)
		if (cfg == nil) == (err == nil) {
			t.Fatalf("%q: config %v and error %v", src, cfg, err)
		}
	})
}
