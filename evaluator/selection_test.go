package evaluator

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

func TestSelects(t *testing.T) {
	sg001 := model.RuleInfo{ID: "SG001", Tags: []string{"security"}}
	sg009 := model.RuleInfo{ID: "SG009", Tags: []string{"hygiene"}, OptIn: true}
	ep001 := model.RuleInfo{ID: "EP001"}
	type L = Selection
	tests := []struct {
		name   string
		layers []Selection
		rule   model.RuleInfo
		want   bool
	}{
		{"default on", nil, sg001, true},
		{"opt-in off by default", nil, sg009, false},
		{"enable an opt-in rule by id", []L{{Enable: []string{"SG009"}}}, sg009, true},
		{"enabling an opt-in rule keeps the defaults", []L{{Enable: []string{"SG009"}}}, ep001, true},
		{"enable by tag", []L{{Enable: []string{"Hygiene"}}}, sg009, true},
		{"enable by area", []L{{Enable: []string{"sg"}}}, sg009, true},
		{"disable by area", []L{{Disable: []string{"SG"}}}, sg001, false},
		{"disable by area keeps others", []L{{Disable: []string{"SG"}}}, ep001, true},
		{"an id beats an area", []L{{Disable: []string{"SG"}, Enable: []string{"SG001"}}}, sg001, true},
		{"an area beats a tag", []L{{Enable: []string{"SG"}, Disable: []string{"hygiene"}}}, sg009, true},
		{"disable wins a tie", []L{{Enable: []string{"SG001"}, Disable: []string{"SG001"}}}, sg001, false},
		{"only starts over", []L{{Only: []string{"EP"}}}, sg001, false},
		{"only selects", []L{{Only: []string{"EP"}}}, ep001, true},
		{"only includes opt-in rules it names", []L{{Only: []string{"SG009"}}}, sg009, true},
		{"only, then disable", []L{{Only: []string{"SG"}, Disable: []string{"SG001"}}}, sg001, false},
		{"the command line beats the config", []L{{Disable: []string{"SG009"}}, {Enable: []string{"SG009"}}}, sg009, true},
		{"the command line disables", []L{{Enable: []string{"hygiene"}}, {Disable: []string{"SG009"}}}, sg009, false},
		{"--only over a config", []L{{Disable: []string{"EP001"}}, {Only: []string{"EP001"}}}, ep001, true},
		{"an area is letters only", []L{{Disable: []string{"S"}}}, sg001, true},
	}
	for _, tt := range tests {
		if got := Selects(tt.layers, tt.rule); got != tt.want {
			t.Errorf("%s: Selects = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestOptInRules: the catalogue says which rules are off by default
// (custom.default: false or the hygiene tag), a default engine never
// evaluates them, and enabling one keeps every default rule.
func TestOptInRules(t *testing.T) {
	ctx := context.Background()
	dir := writeRules(t, map[string]string{
		"on.rego":      ruleSrc("U1", "", `deny contains {"resource": "x", "message": "on"} if true`),
		"off.rego":     ruleSrc("U2", "#   default: false\n", `deny contains {"resource": "x", "message": "off"} if true`),
		"hygiene.rego": ruleSrc("U3", "#   tags: [hygiene]\n", `deny contains {"resource": "x", "message": "tidy"} if true`),
		"forced.rego":  ruleSrc("U4", "#   tags: [hygiene]\n#   default: true\n", `deny contains {"resource": "x", "message": "forced"} if true`),
	})
	tests := []struct {
		name string
		sel  []Selection
		want []string
	}{
		{"defaults", nil, []string{"U1", "U4"}},
		{"enable by id", []Selection{{Enable: []string{"U2"}}}, []string{"U1", "U2", "U4"}},
		{"enable by tag", []Selection{{Enable: []string{"hygiene"}}}, []string{"U1", "U3", "U4"}},
		{"only", []Selection{{Only: []string{"U3"}}}, []string{"U3"}},
	}
	for _, tt := range tests {
		e, err := New(ctx, Options{RuleDirs: []string{dir}, NoBuiltin: true, Select: tt.sel})
		if err != nil {
			t.Fatal(err)
		}
		defaults := map[string]bool{}
		for _, r := range e.Catalogue() {
			defaults[r.ID] = !r.OptIn
		}
		if want := map[string]bool{"U1": true, "U2": false, "U3": false, "U4": true}; !maps(defaults, want) {
			t.Errorf("catalogue defaults %v, want %v", defaults, want)
		}
		fs, err := e.Evaluate(ctx, model.New("u", model.FormatTerraform))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range fs {
			got = append(got, f.RuleID)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: fired %v, want %v", tt.name, got, tt.want)
		}
	}
}

func maps(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// ruleSrc is a user rule with METADATA; extra are more custom: lines.
func ruleSrc(id, extra, body string) string {
	return "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: " + id + "\n#   severity: low\n#   remediation: R\n" + extra +
		"package vpclint.rules." + strings.ToLower(id) + "\n\n" + body + "\n"
}

// writeRules writes rule files into a temporary directory.
func writeRules(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for n, s := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
