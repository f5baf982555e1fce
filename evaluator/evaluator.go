// Package evaluator compiles vpclint's Rego rules (the built-in ones of
// package rules and the user's --rules directories) once, reads their
// METADATA into the rule catalogue, and evaluates them over one model at a
// time, turning each `deny` result into a model.Finding with the exact file
// and line of the offending attribute and a stable fingerprint.
//
// User rules are compiled with OPA capabilities that remove the network
// and runtime built-ins (http.send, net.lookup_ip_addr, opa.runtime), so a
// rule file can never call out or read the environment.
package evaluator

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/vpclint/vpclint/internal/pathshow"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/rules"
)

// Options configure an Engine.
type Options struct {
	// RuleDirs are directories of user rules: every .rego file below
	// them, _test.rego files excluded.
	RuleDirs []string
	// Params are rule parameters deep-merged over rules/config.json and
	// readable by rules as data.config.
	Params map[string]any
	// Select chooses the rules that run, layer by layer over the rules'
	// defaults (see Selects): the config file's, then the command line's.
	// Rules not selected are compiled and checked, never evaluated.
	Select []Selection
	// RuleTimeout bounds the time the user rules take on one unit (0:
	// DefaultRuleTimeout); RuleMemory the heap a user rule's evaluation
	// may grow by (0: DefaultRuleMemory).
	RuleTimeout time.Duration
	RuleMemory  uint64
	// Severity overrides the catalogue severity of rule ids.
	Severity map[string]model.Severity
	// NoBuiltin leaves the embedded rules out (tests of user rules).
	NoBuiltin bool
	// WorkDir and Root name the user's rule files in messages: relative
	// to the current directory when below it, else to the scan root
	// (package pathshow). Empty WorkDir is the current directory.
	WorkDir, Root string
}

// forbiddenBuiltins may not be called by any rule: they reach the network
// or the process environment.
var forbiddenBuiltins = []string{"http.send", "net.lookup_ip_addr", "opa.runtime"}

// cachePrelude starts every rule query. OPA groups an indexed
// comprehension (`eps := {a | some p in pairs; p[0] == id; a := p[1]}`,
// indexed on id) once and keeps the groups in a cache that it creates on
// the evaluation that first needs one; rule bodies and function calls
// copy their caller's cache when they start. When the query itself never
// needs it, every function call creates its own, and a comprehension
// indexed on a function's argument is rebuilt on every call: quadratic
// on a large model. One indexed comprehension at the top of the query
// creates the cache there, so every evaluation below shares it.
const cachePrelude = "cache_k := 0; _ = [cache_x | some cache_x in [0]; cache_x = cache_k]; "

// Engine is a rule set, parsed and checked, compiled when first needed.
// It is safe for concurrent use.
type Engine struct {
	// program compiles the rules once, on the first call (see New).
	program func() (*program, error)
	// parallelFrom is the unit size from which program.groups are used.
	parallelFrom int
	store        storage.Store
	// codec converts models to Rego input, compiled once for all units.
	codec     *codec
	catalogue []model.RuleInfo
	byPackage map[string]*model.RuleInfo // package name (last segment) -> rule
	opts      Options
}

// program is the compiled rule set and the queries prepared on it.
type program struct {
	compiler *ast.Compiler
	// pq evaluates the selected built-in rules at once.
	pq rego.PreparedEvalQuery
	// custom are the selected user rules, each evaluated alone under the
	// limits, so a rule that runs away is stopped and named.
	custom []customRule
	// groups are the rules split in groups evaluated at once on a large
	// unit (see groups.go); empty on a single core.
	groups []rego.PreparedEvalQuery
	// names are the selected built-in rules (package names, sorted), and
	// subjects their subjects: a unit is given the query of the rules
	// whose subjects it has (see subjects.go), prepared once per set of
	// collections a unit has.
	names    []string
	subjects []subjectMask
	store    storage.Store
	mu       sync.Mutex
	byUnit   map[subjectMask]*rego.PreparedEvalQuery
}

// applicable are the selected built-in rules that apply to a unit with
// these collections.
func (p *program) applicable(unit subjectMask) []string {
	var names []string
	for i, n := range p.names {
		if p.subjects[i].applies(unit) {
			names = append(names, n)
		}
	}
	return names
}

// query is the query of the built-in rules that apply to a unit with
// these collections; nil when none does.
func (p *program) query(ctx context.Context, unit subjectMask) (*rego.PreparedEvalQuery, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if q, ok := p.byUnit[unit]; ok {
		return q, nil
	}
	names := p.applicable(unit)
	var q *rego.PreparedEvalQuery
	switch len(names) {
	case 0:
	case len(p.names):
		q = &p.pq
	default:
		pq, err := p.prepare(ctx, p.store, groupQuery(names))
		if err != nil {
			return nil, fmt.Errorf("prepare rule query: %w", err)
		}
		q = &pq
	}
	p.byUnit[unit] = q
	return q, nil
}

// customRule is a user rule's query, with the file to name when it fails.
type customRule struct {
	name     string // package name (last segment)
	file     string
	subjects subjectMask
	pq       rego.PreparedEvalQuery
}

// New parses and compiles the built-in rules and the user's rule
// directories once. It fails on a Rego syntax or type error, on missing or
// invalid METADATA, on a duplicate id, and on a rule that calls a
// forbidden built-in.
func New(ctx context.Context, opts Options) (*Engine, error) {
	srcs := map[string]string{}
	if !opts.NoBuiltin {
		builtin, err := rules.Modules(false)
		if err != nil {
			return nil, fmt.Errorf("embedded rules: %w", err)
		}
		for p, s := range builtin {
			srcs["rules/"+p] = s
		}
	}
	custom := map[string]bool{}
	for _, dir := range opts.RuleDirs {
		files, err := regoFiles(dir)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			// A user's file is named as the user sees it, relative to
			// the current directory, in every message (compile errors
			// included).
			name := pathshow.Rel(opts.WorkDir, opts.Root, f)
			b, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("read rule %s: %w", name, pathshow.Pathless(err))
			}
			if _, dup := srcs[name]; dup {
				continue // the same directory given twice
			}
			srcs[name] = string(b)
			custom[name] = true
		}
	}

	// One set of capabilities for every module: without it the parser
	// builds (and sorts) this version's capabilities for each file.
	caps := Capabilities()
	// The catalogue needs only the METADATA of the embedded rules: their
	// headers (the METADATA block and the package line) are parsed now,
	// the whole files when the rules are compiled. A user's files are
	// parsed whole now, so that an error in one stops the command at once.
	modules := make(map[string]*ast.Module, len(srcs))
	headers := map[string]bool{}
	for name, src := range srcs {
		if !custom[name] {
			if h, ok := header(src); ok {
				src = h
				headers[name] = true
			}
		}
		m, err := ast.ParseModuleWithOpts(name, src, ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1, Capabilities: caps})
		if err != nil {
			return nil, fmt.Errorf("parse rule %s: %w", name, err)
		}
		// The embedded rules are tested never to call a forbidden
		// built-in (TestSkippedStagesChangeNothing); a user's are walked
		// to say so clearly.
		if custom[name] {
			if err := checkForbidden(name, m); err != nil {
				return nil, err
			}
		}
		modules[name] = m
	}

	pkgs, cat, err := buildCatalogue(modules, custom, headers)
	if err != nil {
		return nil, err
	}

	data, err := rules.Data()
	if err != nil {
		return nil, fmt.Errorf("embedded rule data: %w", err)
	}
	if len(opts.Params) > 0 {
		params, err := jsonRoundTrip(opts.Params)
		if err != nil {
			return nil, fmt.Errorf("rule parameters: %w", err)
		}
		cfg, _ := data["config"].(map[string]any)
		data["config"] = deepMerge(cfg, params.(map[string]any))
	}

	// AST values in the store: rules read data (services.json) for every
	// endpoint, and converting it from Go values on each read is slow.
	store := inmem.NewFromObjectWithOpts(data, inmem.OptReturnASTValuesOnRead(true))
	e := &Engine{parallelFrom: parallelThreshold, store: store, codec: newCodec(), byPackage: map[string]*model.RuleInfo{}, opts: opts}
	e.codec.encoder(reflect.TypeFor[model.Model]())
	for i := range cat {
		if s, ok := opts.Severity[cat[i].ID]; ok {
			if !s.Valid() {
				return nil, fmt.Errorf("severity override for %s: %q is not a severity", cat[i].ID, s)
			}
			cat[i].Severity = s
		}
	}
	e.catalogue = cat
	// Only the selected rules are evaluated: the built-in ones in one
	// query (or groups of them on a large unit), each user rule alone.
	builtin := map[string]*model.RuleInfo{}
	var users []customRule
	for i := range e.catalogue {
		ri := &e.catalogue[i]
		for name, rp := range pkgs {
			if rp.info.ID != ri.ID {
				continue
			}
			e.byPackage[name] = ri
			if !Selects(opts.Select, *ri) {
				continue
			}
			if !ri.Custom {
				builtin[name] = ri
				continue
			}
			users = append(users, customRule{name: name, file: rp.file, subjects: maskOf(ri.Subjects)})
		}
	}
	sort.Slice(users, func(i, j int) bool { return users[i].file < users[j].file })
	// Compiling is most of start-up, and a scan that finds nothing to
	// check, or a command that only reads the catalogue, never needs it:
	// the embedded rules are compiled when first evaluated. A user's rules
	// are compiled now, so that an error in them stops the command before
	// it reads anything.
	e.program = sync.OnceValues(func() (*program, error) {
		for name := range headers {
			m, err := ast.ParseModuleWithOpts(name, srcs[name], ast.ParserOptions{RegoVersion: ast.RegoV1, Capabilities: caps})
			if err != nil {
				return nil, fmt.Errorf("parse rule %s: %w", name, err)
			}
			modules[name] = m
		}
		return compile(context.WithoutCancel(ctx), e, caps, modules, len(custom) > 0, builtin, users)
	})
	if len(custom) > 0 {
		if _, err := e.program(); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// header is a rule file's METADATA and package line, the part the
// catalogue reads: the source up to the end of its first package line.
// ok is false when the file has none (the whole file is parsed).
func header(src string) (string, bool) {
	for i := 0; i < len(src); {
		line, _, _ := strings.Cut(src[i:], "\n")
		if strings.HasPrefix(line, "package ") {
			return src[:i+len(line)] + "\n", true
		}
		i += len(line) + 1
	}
	return "", false
}

// compile compiles the modules, under the capabilities they were parsed
// with, and prepares the queries of the selected
// rules: one for the built-in ones, one per user rule.
func compile(ctx context.Context, e *Engine, caps *ast.Capabilities, modules map[string]*ast.Module, withUser bool, builtin map[string]*model.RuleInfo, users []customRule) (*program, error) {
	compiler := ast.NewCompiler().WithCapabilities(caps)
	if !withUser {
		// The embedded rules passed every check when they were tested
		// (rules.TestRego compiles them with their tests); at run time
		// only the stages that prepare them for evaluation are needed,
		// which halves compilation, the largest part of start-up.
		compiler = compiler.WithSkipStages(slices.Concat(checkStages, idleStages)...)
	}
	compiler.Compile(modules)
	if compiler.Failed() {
		return nil, fmt.Errorf("compile rules: %w", compiler.Errors)
	}
	p := &program{compiler: compiler, store: e.store, byUnit: map[subjectMask]*rego.PreparedEvalQuery{}}
	for _, u := range users {
		pq, err := p.prepare(ctx, e.store, groupQuery([]string{u.name}))
		if err != nil {
			return nil, fmt.Errorf("prepare rule %s: %w", u.file, err)
		}
		u.pq = pq
		p.custom = append(p.custom, u)
	}
	names := make([]string, 0, len(builtin))
	for name := range builtin {
		names = append(names, name)
	}
	sort.Strings(names)
	p.names = names
	for _, n := range names {
		p.subjects = append(p.subjects, maskOf(builtin[n].Subjects))
	}
	var err error
	if p.pq, err = p.prepare(ctx, e.store, groupQuery(names)); err != nil {
		return nil, fmt.Errorf("prepare rule query: %w", err)
	}
	if err := p.prepareGroups(ctx, e.store, builtin); err != nil {
		return nil, err
	}
	return p, nil
}

// checkStages are the compiler stages that only check the rules (and
// report errors), leaving them as they are: types, recursion, safety of
// rule heads, conflicts, imports, undefined and deprecated built-ins.
// The safety check of rule bodies is not one: it also orders their
// expressions for evaluation.
var checkStages = []ast.StageID{
	ast.StageCheckUnusedImports, ast.StageCheckKeywordOverrides, ast.StageCheckDuplicateImports,
	ast.StageCheckVoidCalls, ast.StageCheckRuleConflicts, ast.StageCheckUndefinedFuncs,
	ast.StageCheckSafetyRuleHeads, ast.StageRewriteTestRulesForTracing, ast.StageCheckRecursion,
	ast.StageCheckTypes, ast.StageCheckUnsafeBuiltins, ast.StageCheckDeprecatedBuiltins,
	ast.StageBuildRequiredCapabilities,
}

// idleStages rewrite Rego features the embedded rules do not use (print,
// rego.metadata calls, template strings, with modifiers): on them each is
// a walk of every rule that changes nothing, and
// TestSkippedStagesChangeNothing keeps it so. A user's rules may use them
// and get every stage.
var idleStages = []ast.StageID{
	ast.StageRewritePrintCalls, ast.StageParseMetadataBlocks, ast.StageRewriteRegoMetadataCalls,
	ast.StageRewriteTemplateStrings, ast.StageRewriteWithValues,
}

// Capabilities are the OPA capabilities every rule is compiled with: this
// version's, without the network and runtime built-ins, and no host
// allowed for network access.
func Capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	kept := caps.Builtins[:0:0]
	for _, b := range caps.Builtins {
		if !isForbidden(b.Name) {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	caps.AllowNet = []string{}
	return caps
}

func isForbidden(name string) bool {
	for _, f := range forbiddenBuiltins {
		if name == f {
			return true
		}
	}
	return false
}

// checkForbidden reports a call to a forbidden built-in with a clearer
// message than the compiler's "undefined function".
func checkForbidden(file string, m *ast.Module) error {
	var found *ast.Location
	var fname string
	note := func(ref ast.Ref, loc *ast.Location) {
		if found == nil && isForbidden(ref.String()) {
			found, fname = loc, ref.String()
		}
	}
	ast.WalkExprs(m, func(e *ast.Expr) bool {
		if e.IsCall() {
			note(e.Operator(), e.Location)
		}
		return found != nil
	})
	ast.WalkTerms(m, func(t *ast.Term) bool {
		if c, ok := t.Value.(ast.Call); ok && len(c) > 0 {
			if r, ok := c[0].Value.(ast.Ref); ok {
				note(r, t.Location)
			}
		}
		return found != nil
	})
	if found != nil {
		line := 0
		if found.Row > 0 {
			line = found.Row
		}
		return fmt.Errorf("rule %s:%d calls %s: vpclint rules may not use network or runtime built-ins (%s)", file, line, fname, strings.Join(forbiddenBuiltins, ", "))
	}
	return nil
}

// regoFiles lists the rule files below dir, tests excluded.
func regoFiles(dir string) ([]string, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("rules directory: %w", err)
	}
	if !st.IsDir() {
		if strings.HasSuffix(dir, ".rego") && !strings.HasSuffix(dir, "_test.rego") {
			return []string{dir}, nil
		}
		return nil, fmt.Errorf("rules directory %s: not a directory or .rego file", dir)
	}
	var out []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return nil
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read rules directory %s: %w", dir, err)
	}
	sort.Strings(out)
	return out, nil
}

// Catalogue returns every rule, sorted by id, with severity overrides
// applied.
func (e *Engine) Catalogue() []model.RuleInfo {
	return append([]model.RuleInfo(nil), e.catalogue...)
}

// Rule returns the catalogue entry of an id.
func (e *Engine) Rule(id string) (model.RuleInfo, bool) {
	for _, r := range e.catalogue {
		if strings.EqualFold(r.ID, id) {
			return r, true
		}
	}
	return model.RuleInfo{}, false
}

// Selected reports whether a rule runs under the engine's selection
// (the suppression findings SUP001-SUP003 are selected the same way).
func (e *Engine) Selected(r model.RuleInfo) bool { return Selects(e.opts.Select, r) }

// Evaluate runs the selected rules over one model and returns their
// findings, sorted by file, line and rule id. A user rule that exceeds
// its limits, or fails, ends the evaluation with a *RuleError.
func (e *Engine) Evaluate(ctx context.Context, m *model.Model) ([]model.Finding, error) {
	p, err := e.program()
	if err != nil {
		return nil, err
	}
	unit := unitMask(m)
	q, err := p.query(ctx, unit)
	if err != nil {
		return nil, err
	}
	if q == nil && !slices.ContainsFunc(p.custom, func(c customRule) bool { return c.subjects.applies(unit) }) {
		return []model.Finding{}, nil // no rule can report on this unit
	}
	input, err := e.codec.inputValue(m)
	if err != nil {
		return nil, err
	}
	idx := newIndex(m)
	results, err := p.eval(ctx, q, rego.EvalParsedInput(input), idx.resources, e.parallelFrom)
	if err != nil {
		return nil, fmt.Errorf("evaluate rules on %s: %w", m.Unit, err)
	}
	custom, err := e.evalCustom(ctx, p, input, unit, m.Unit)
	if err != nil {
		return nil, err
	}
	results = append(results, custom...)
	out := make([]model.Finding, 0, len(results))
	for _, pair := range results {
		name, _ := pair.Elem(0).Value.(ast.String)
		ri := e.byPackage[string(name)]
		if ri == nil {
			continue
		}
		out = append(out, idx.finding(ri, pair.Elem(1).Value))
	}
	SortFindings(out)
	return out, nil
}

// evalCustom evaluates the user rules one after the other, all within
// the unit's deadline, each under the memory budget.
func (e *Engine) evalCustom(ctx context.Context, p *program, input ast.Value, collections subjectMask, unit string) ([]*ast.Array, error) {
	if len(p.custom) == 0 {
		return nil, nil
	}
	timeout, budget := e.opts.RuleTimeout, e.opts.RuleMemory
	if timeout <= 0 {
		timeout = DefaultRuleTimeout
	}
	if budget == 0 {
		budget = DefaultRuleMemory
	}
	deadline := time.Now().Add(timeout)
	var out []*ast.Array
	for _, c := range p.custom {
		if !c.subjects.applies(collections) {
			continue
		}
		cancel, stop := watchdog(ctx, deadline, budget)
		rs, err := c.pq.Eval(ctx, rego.EvalParsedInput(input), rego.EvalExternalCancel(cancel))
		if lerr := limitError(stop(), c.file, unit, timeout, budget, ctx); lerr != nil {
			return nil, lerr
		}
		if err != nil {
			return nil, &RuleError{File: c.file, Unit: unit, Reason: err.Error()}
		}
		pairs, err := resultPairs(rs)
		if err != nil {
			return nil, &RuleError{File: c.file, Unit: unit, Reason: err.Error()}
		}
		out = append(out, pairs...)
	}
	return out, nil
}

// keepTerms makes a query's bindings the Rego terms themselves: the
// evaluator reads the few fields of each finding from them, where OPA
// would convert every result to Go maps first.
var keepTerms = rego.GenerateJSON(func(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil })

// resultPairs reads the [package, result] pairs that a query bound to
// results.
func resultPairs(rs rego.ResultSet) ([]*ast.Array, error) {
	var out []*ast.Array
	for _, r := range rs {
		t, ok := r.Bindings["results"].(*ast.Term)
		if !ok {
			return nil, fmt.Errorf("rule query: unexpected result %T", r.Bindings["results"])
		}
		arr, ok := t.Value.(*ast.Array)
		if !ok {
			return nil, fmt.Errorf("rule query: results are a %s, not an array", ast.ValueName(t.Value))
		}
		for i := 0; i < arr.Len(); i++ {
			pair, ok := arr.Elem(i).Value.(*ast.Array)
			if !ok || pair.Len() != 2 {
				return nil, fmt.Errorf("rule query: result %d is not a [package, result] pair", i)
			}
			out = append(out, pair)
		}
	}
	return out, nil
}

// SortFindings orders findings by file, line, rule id, resource and
// message, so output is stable.
func SortFindings(fs []model.Finding) {
	// Their positions are sorted, not the findings: a Finding is a few
	// hundred bytes, copied on every comparison and swap otherwise, and a
	// large unit's tens of thousands of findings take a million
	// comparisons. Each finding then moves once.
	order := make([]int32, len(fs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(i, j int32) int { return compareFindings(&fs[i], &fs[j]) })
	permute(fs, order)
}

// permute puts fs[order[k]] at k for every k, in place, following the
// cycles of the permutation; order is the identity when it returns.
func permute(fs []model.Finding, order []int32) {
	for start := range order {
		if int(order[start]) == start {
			continue
		}
		held := fs[start]
		k := start
		for {
			next := int(order[k])
			order[k] = int32(k)
			if next == start {
				fs[k] = held
				break
			}
			fs[k] = fs[next]
			k = next
		}
	}
}

func compareFindings(a, b *model.Finding) int {
	if c := strings.Compare(a.Location.File, b.Location.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Location.StartLine, b.Location.StartLine); c != 0 {
		return c
	}
	if a.RuleID != b.RuleID {
		if lessID(a.RuleID, b.RuleID) {
			return -1
		}
		if lessID(b.RuleID, a.RuleID) {
			return 1
		}
	}
	if c := strings.Compare(a.Resource.Address, b.Resource.Address); c != 0 {
		return c
	}
	if c := strings.Compare(a.Attribute, b.Attribute); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

func jsonRoundTrip(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// deepMerge returns base with over merged in: objects merge key by key,
// any other value of over replaces base's.
func deepMerge(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		bm, ok1 := out[k].(map[string]any)
		om, ok2 := v.(map[string]any)
		if ok1 && ok2 {
			out[k] = deepMerge(bm, om)
			continue
		}
		out[k] = v
	}
	return out
}
