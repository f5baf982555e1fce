package evaluator

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

func TestRuleGroups(t *testing.T) {
	by := map[string]*model.RuleInfo{
		"ep_a": {Area: "EP"}, "ep_b": {Area: "EP"}, "ep_c": {Area: "EP"},
		"sg_a": {Area: "SG"}, "sg_b": {Area: "SG"},
		"gw_a": {Area: "GW"}, "az_a": {Area: "AZ"},
	}
	tests := []struct {
		n    int
		want [][]string
	}{
		{1, nil},
		// weights EP 45, SG 32, GW 13, AZ 1: costliest first, each on
		// the least loaded group (the first of equals).
		{2, [][]string{{"ep_a", "ep_b", "ep_c", "az_a"}, {"sg_a", "sg_b", "gw_a"}}},
		{3, [][]string{{"ep_a", "ep_b", "ep_c"}, {"sg_a", "sg_b"}, {"gw_a", "az_a"}}},
		{9, [][]string{{"ep_a", "ep_b", "ep_c"}, {"sg_a", "sg_b"}, {"gw_a"}, {"az_a"}}},
	}
	for _, tt := range tests {
		if got := ruleGroups(by, tt.n); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ruleGroups(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	if q := groupQuery([]string{"a", "b"}); !strings.Contains(q, `["a", "b"]`) {
		t.Errorf("groupQuery = %s", q)
	}
}

// TestGroupsMatchSingleQuery evaluates a large unit in rule groups and in
// one query: the findings must be the same. Run with -race, it also checks
// that groups share the input safely.
func TestGroupsMatchSingleQuery(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, Options{RuleDirs: []string{"testdata/rules"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(mustProgram(t, e).groups) < 2 {
		ruleGroupsForTest(t, e)
	}
	m := benchModel(400)
	e.parallelFrom = 1
	grouped, err := e.Evaluate(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	e.parallelFrom = 1 << 30
	single, err := e.Evaluate(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(single) == 0 || !reflect.DeepEqual(grouped, single) {
		t.Errorf("grouped evaluation gives %d findings, one query %d", len(grouped), len(single))
	}
}

// ruleGroupsForTest prepares two groups even on one core.
func ruleGroupsForTest(t *testing.T, e *Engine) {
	t.Helper()
	p := mustProgram(t, e)
	p.groups = nil
	for _, g := range ruleGroups(e.byPackage, 2) {
		pq, err := p.prepare(context.Background(), e.store, groupQuery(g))
		if err != nil {
			t.Fatal(err)
		}
		p.groups = append(p.groups, pq)
	}
}

// mustProgram compiles e's rules.
func mustProgram(tb testing.TB, e *Engine) *program {
	tb.Helper()
	p, err := e.program()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}
