package scan

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// TestIndexChangesNoFinding checks the analysis' index (facts.index)
// against the facts it is derived from: on every rule fixture, the rules
// find exactly the same with the index as without it, when they read the
// facts whole. A rule that trusted an incomplete index would miss here.
func TestIndexChangesNoFinding(t *testing.T) {
	fixtures := findFixtures(t)
	if len(fixtures) == 0 {
		t.Skip("no fixtures under " + fixturesRoot)
	}
	ctx := context.Background()
	eng, err := evaluator.New(ctx, evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wd, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	indexed := 0
	for _, fx := range fixtures {
		res, err := Run(ctx, Options{Paths: []string{fx.path}, Engine: eng, Loader: loader.Options{WorkDir: wd}, KeepUnits: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range res.Units {
			if u.Facts == nil || u.Facts.Index == nil {
				t.Fatalf("%s: unit %s has no fact index", fx.path, u.Unit)
			}
			with, err := eng.Evaluate(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			idx := u.Facts.Index
			u.Facts.Index = nil
			without, err := eng.Evaluate(ctx, u)
			u.Facts.Index = idx
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(with, without) {
				t.Errorf("%s: findings differ with the index:\n with    %v\n without %v", fx.path, ids(with), ids(without))
			}
			indexed++
		}
	}
	if indexed == 0 {
		t.Fatal("no unit compared")
	}
}

// ids lists the rule id and resource of each finding, for messages.
func ids(fs []model.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.RuleID + " " + f.Resource.Address
	}
	return out
}
