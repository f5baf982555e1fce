package evaluator

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vpclint/vpclint/model"
)

// TestUserRuleLimits: a user rule that runs away is stopped by the
// deadline or the memory budget, and the error names its file; the
// built-in rules and well-behaved user rules are unaffected.
func TestUserRuleLimits(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		body   string
		opts   Options
		reason string // "" when the rule must run to the end
	}{
		{"memory: a huge range", `deny contains {"resource": "x", "message": "n"} if { count({x | x := numbers.range(1, 100000000)[_]}) > 0 }`,
			Options{RuleMemory: 64 << 20}, "--rule-memory"},
		{"time: a long loop", `deny contains {"resource": "x", "message": "n"} if { some i in numbers.range(1, 100000); some j in numbers.range(1, 100000); i * j == -1 }`,
			Options{RuleTimeout: 50 * time.Millisecond}, "--rule-timeout"},
		{"within the limits", `deny contains {"resource": "x", "message": "n"} if { count(numbers.range(1, 1000)) == 1000 }`,
			Options{RuleMemory: 64 << 20, RuleTimeout: time.Minute}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeRules(t, map[string]string{"bomb.rego": ruleSrc("U1", "", tt.body)})
			opts := tt.opts
			opts.RuleDirs = []string{dir}
			e, err := New(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := e.Evaluate(ctx, model.New("infra/net", model.FormatTerraform))
			if tt.reason == "" {
				if err != nil || !hasRule(fs, "U1") {
					t.Fatalf("findings %v, error %v", fs, err)
				}
				return
			}
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T), want a *RuleError", err, err)
			}
			if !strings.HasSuffix(re.File, "bomb.rego") || re.Unit != "infra/net" || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error %q: want the rule's file, the unit and %s", err, tt.reason)
			}
		})
	}
}

func hasRule(fs []model.Finding, id string) bool {
	for _, f := range fs {
		if f.RuleID == id {
			return true
		}
	}
	return false
}
