package evaluator

import (
	"context"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/metrics"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/vpclint/vpclint/analysis"
)

// TestComprehensionCacheShared checks that cachePrelude makes OPA group an
// indexed comprehension inside a function once per evaluation, not once
// per call (which is quadratic on a large model).
func TestComprehensionCacheShared(t *testing.T) {
	ctx := context.Background()
	src := `package vpclint.rules.cache_probe

pairs := [[i % 10, i] | some i in numbers.range(0, 999)]

members(k) := s if {
	s := {v | some p in pairs; p[0] == k; v := p[1]}
}

deny contains {"resource": sprintf("k%d", [k]), "message": sprintf("%d", [count(members(k))])} if {
	some k in numbers.range(0, 9)
}
`
	c := ast.NewCompiler().WithCapabilities(Capabilities())
	c.Compile(map[string]*ast.Module{"probe.rego": ast.MustParseModule(src)})
	if c.Failed() {
		t.Fatal(c.Errors)
	}
	for _, tc := range []struct {
		query     string
		maxBuilds int
	}{
		{groupQuery([]string{"cache_probe"}), 1},
	} {
		pq, err := rego.New(rego.Query(tc.query), rego.Compiler(c), keepTerms).PrepareForEval(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := metrics.New()
		rs, err := pq.Eval(ctx, rego.EvalInput(map[string]any{}), rego.EvalMetrics(m), rego.EvalInstrument(true))
		if err != nil {
			t.Fatal(err)
		}
		pairs, err := resultPairs(rs)
		if err != nil {
			t.Fatal(err)
		}
		if len(pairs) != 10 {
			t.Fatalf("%s: %d results, want 10", tc.query, len(pairs))
		}
		for _, p := range pairs {
			if msg := field(p.Elem(1).Value.(ast.Object), keyMessage); msg != "100" {
				t.Fatalf("%s: result %v, want 100 members", tc.query, p.Elem(1))
			}
		}
		// The prelude's own comprehension is built once too.
		builds := m.Counter("eval_op_comprehension_cache_build").Value().(uint64)
		if int(builds) > tc.maxBuilds+1 {
			t.Errorf("%s: indexed comprehensions built %d times, want at most %d", tc.query, builds, tc.maxBuilds+1)
		}
	}
}

// TestInputValueInterned checks the conversion of a model whose facts
// repeat the same port sets and verdicts many times (converted once and
// shared) against the conversion through JSON; the model is large enough
// to be converted in parallel (parallelFrom).
func TestInputValueInterned(t *testing.T) {
	m := benchModel(parallelFrom)
	analysis.Analyze(m)
	sameAsJSON(t, m, "interned facts")
}
