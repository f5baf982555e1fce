package evaluator

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"

	"github.com/vpclint/vpclint/model"
)

// parallelThreshold is the number of resources from which a unit's rules
// are evaluated in several groups at once. Below it, one query is cheaper
// than the goroutines.
const parallelThreshold = 2000

// maxGroups caps the rule groups, whatever the number of cores.
const maxGroups = 4

// ruleCost is the relative CPU cost of one rule of an area (about 10 µs
// each on BenchmarkEvaluate/5000, where an area's rules with the library
// documents they share were timed alone with GC off); an area not listed
// counts defaultRuleCost per rule. Only the balance of the groups depends
// on it, and it moves as rules get faster: once the fact index let most
// rules skip the groups and endpoints with nothing to report, the SG area
// (0.21 CPU-s) weighed as much as all the others but EP together, and
// the old weights put it with the AZ and NACL areas.
var ruleCost = map[string]int{
	"SG": 16, "EP": 15, "GW": 13, "DNS": 8, "NACL": 3, "GOV": 3, "AZ": 1, "SVC": 1,
}

const defaultRuleCost = 10

// ruleGroups partitions rule packages into at most n groups, an area per
// group (the rules of an area share library documents, which a group
// computes once), the costliest areas (ruleCost) placed first on the
// least loaded group.
func ruleGroups(byPackage map[string]*model.RuleInfo, n int) [][]string {
	areas := map[string][]string{}
	for name, ri := range byPackage {
		areas[ri.Area] = append(areas[ri.Area], name)
	}
	if n > len(areas) {
		n = len(areas)
	}
	if n < 2 {
		return nil
	}
	cost := make(map[string]int, len(areas))
	names := make([]string, 0, len(areas))
	for a := range areas {
		sort.Strings(areas[a])
		names = append(names, a)
		c, ok := ruleCost[a]
		if !ok {
			c = defaultRuleCost
		}
		cost[a] = c * len(areas[a])
	}
	sort.Slice(names, func(i, j int) bool {
		if cost[names[i]] != cost[names[j]] {
			return cost[names[i]] > cost[names[j]]
		}
		return names[i] < names[j]
	})
	groups := make([][]string, n)
	load := make([]int, n)
	for _, a := range names {
		least := 0
		for g := range groups {
			if load[g] < load[least] {
				least = g
			}
		}
		groups[least] = append(groups[least], areas[a]...)
		load[least] += cost[a]
	}
	return groups
}

// groupQuery evaluates the deny results of the named rule packages (the
// selected ones) in one evaluation, as one array of [package, result]
// pairs: one result set entry in all, where a binding per finding cost
// OPA a result, a bindings map and expression values each (a sixth of an
// evaluation's allocations on a large model).
func groupQuery(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return cachePrelude + "results := [[name, result] | some name in [" + strings.Join(quoted, ", ") + "]; some result in data.vpclint.rules[name].deny]"
}

// prepareGroups prepares one query per group of the selected built-in
// rules, for large units.
func (p *program) prepareGroups(ctx context.Context, store storage.Store, builtin map[string]*model.RuleInfo) error {
	for _, g := range ruleGroups(builtin, min(runtime.GOMAXPROCS(0), maxGroups)) {
		pq, err := p.prepare(ctx, store, groupQuery(g))
		if err != nil {
			return fmt.Errorf("prepare rule group query: %w", err)
		}
		p.groups = append(p.groups, pq)
	}
	return nil
}

// prepare compiles a query against the program's rules and the data.
func (p *program) prepare(ctx context.Context, store storage.Store, query string) (rego.PreparedEvalQuery, error) {
	return rego.New(rego.Query(query), rego.Compiler(p.compiler), rego.Store(store), keepTerms).PrepareForEval(ctx)
}

// eval runs the rules over an input: q, the query of the rules that apply
// to the unit (nil: none), or for a large unit the rule groups at once,
// which hold every rule. It returns the [package, result] pairs.
func (p *program) eval(ctx context.Context, q *rego.PreparedEvalQuery, input rego.EvalOption, resources, parallelFrom int) ([]*ast.Array, error) {
	if len(p.groups) < 2 || resources < parallelFrom {
		if q == nil {
			return nil, nil
		}
		rs, err := q.Eval(ctx, input)
		if err != nil {
			return nil, err
		}
		return resultPairs(rs)
	}
	out := make([]rego.ResultSet, len(p.groups))
	errs := make([]error, len(p.groups))
	var wg sync.WaitGroup
	for i := range p.groups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = p.groups[i].Eval(ctx, input)
		}()
	}
	wg.Wait()
	var pairs []*ast.Array
	for i := range out {
		if errs[i] != nil {
			return nil, errs[i]
		}
		p, err := resultPairs(out[i])
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, p...)
	}
	return pairs, nil
}
