package evaluator

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// TestSubjects checks that a rule is evaluated only on units that have one
// of its subjects, and that a rule without them runs on every unit. The
// rules below report every security group whatever they declare, so a
// finding shows that the rule ran.
func TestSubjects(t *testing.T) {
	const rule = "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: %s\n#   severity: low\n#   remediation: R\n%spackage vpclint.rules.%s\n\n" +
		"deny contains {\"resource\": sg.address, \"message\": \"m\"} if {\n\tsome sg in input.security_groups\n}\n"
	dir := t.TempDir()
	for _, r := range []struct{ id, subjects string }{
		{"U1", ""},
		{"U2", "#   subjects: [vpc_endpoints]\n"},
		{"U3", "#   subjects: [security_groups]\n"},
		{"U4", "#   subjects: [vpcs, vpc_endpoints]\n"},
	} {
		src := fmt.Sprintf(rule, r.id, r.subjects, strings.ToLower(r.id))
		if err := os.WriteFile(filepath.Join(dir, r.id+".rego"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	withEndpoint := sgModel()
	withEndpoint.VPCEndpoints = append(withEndpoint.VPCEndpoints, &model.VPCEndpoint{Meta: model.Meta{ID: "e", Address: "aws_vpc_endpoint.e", Type: "aws_vpc_endpoint"}})
	tests := []struct {
		name string
		unit *model.Model
		want []string
	}{
		{"groups only", sgModel(), []string{"U1", "U3"}},
		{"groups and an endpoint", withEndpoint, []string{"U1", "U2", "U3", "U4"}},
		{"empty", model.New("empty", model.FormatTerraform), nil},
	}
	ctx := context.Background()
	for _, builtin := range []bool{false, true} {
		e, err := New(ctx, Options{RuleDirs: []string{dir}, NoBuiltin: !builtin})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			fs, err := e.Evaluate(ctx, tt.unit)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, f := range fs {
				if strings.HasPrefix(f.RuleID, "U") {
					ids = append(ids, f.RuleID)
				}
			}
			slices.Sort(ids)
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("%s (built-in rules too: %v): rules that ran %v, want %v", tt.name, builtin, ids, tt.want)
			}
		}
	}
}

// TestBuiltinQueryPerUnit checks which embedded rules a unit's query
// holds: those whose subjects the unit has, all of them for a unit with
// every collection, none for an empty one.
func TestBuiltinQueryPerUnit(t *testing.T) {
	ctx := context.Background()
	e, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := mustProgram(t, e)
	all := subjectMask(0)
	for _, bit := range collectionBits {
		all |= bit
	}
	if q, err := p.query(ctx, all); err != nil || q != &p.pq {
		t.Errorf("a unit with every collection does not get the query of every rule (%v)", err)
	}
	if q, err := p.query(ctx, 0); err != nil || q != nil {
		t.Errorf("an empty unit gets a query (%v)", err)
	}
	q, err := p.query(ctx, collectionBits["security_groups"])
	if err != nil || q == nil || q == &p.pq {
		t.Fatalf("a unit with groups only: query %v, %v", q, err)
	}
	// The query of a unit of groups holds the selected rules that report
	// on groups and no other.
	names := p.applicable(collectionBits["security_groups"])
	for _, ri := range e.Catalogue() {
		name := strings.TrimPrefix(ri.Package, rulesPrefix)
		if got, want := slices.Contains(names, name), e.Selected(ri) && slices.Contains(ri.Subjects, "security_groups"); got != want {
			t.Errorf("%s in the query of a unit of groups: %v, want %v (subjects %v)", ri.ID, got, want, ri.Subjects)
		}
	}
}

// TestBuiltinRulesDeclareSubjects: every embedded rule says what its
// findings are about, so no unit evaluates a rule that cannot report on
// it (scan's TestRuleFixtures checks that each finding's resource is in
// one of its rule's subjects).
func TestBuiltinRulesDeclareSubjects(t *testing.T) {
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ri := range e.Catalogue() {
		if len(ri.Subjects) == 0 {
			t.Errorf("%s declares no custom.subjects", ri.ID)
		}
	}
}

// TestCollectionsFitTheMask: each collection of the model needs a bit of a
// subjectMask; a model with more collections than bits would give two
// collections the same bit (or none) and skip rules wrongly.
func TestCollectionsFitTheMask(t *testing.T) {
	if n, bits := len(model.Collections()), 64; n > bits {
		t.Fatalf("model.Model has %d collections; subjectMask holds %d", n, bits)
	}
	seen := map[subjectMask]string{}
	for name, bit := range collectionBits {
		if bit == 0 || seen[bit] != "" {
			t.Errorf("collection %s has bit %b, shared with %q", name, bit, seen[bit])
		}
		seen[bit] = name
	}
	if len(collectionBits) != len(model.Collections()) {
		t.Fatalf("%d bits for the model's %d collections", len(collectionBits), len(model.Collections()))
	}
}
