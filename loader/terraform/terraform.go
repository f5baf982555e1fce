// Package terraform loads Terraform configurations (.tf and .tf.json) into
// model units: one per root module, with its module tree evaluated.
//
// Evaluation follows Terraform without running it: variables (defaults,
// tfvars, --var-file, --var, TF_VAR_), locals, count and for_each,
// dynamic blocks, module calls (local and installed), Terraform's
// built-in functions, and the data sources whose result follows from
// configuration. Whatever cannot be known before apply is a cty unknown
// value, and ends up absent from the model with its path in Meta.Unknown.
// References to resources resolve to their address, which is the id of
// every IaC resource in the model. The evaluated instances go to
// loader/tfaws, which maps them to the model as it does a plan's.
package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/tfaws"
	"github.com/vpclint/vpclint/loader/tfmodules"
	"github.com/vpclint/vpclint/model"
)

// Format is the Terraform HCL loader.
type Format struct{}

// New returns the Terraform loader.
func New() loader.DirFormat { return &Format{} }

// Name implements loader.DirFormat.
func (*Format) Name() string { return model.FormatTerraform }

// Owns implements loader.DirFormat.
func (*Format) Owns(name string) bool {
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")
}

// LoadDirs implements loader.DirFormat. A directory that another
// directory of the set calls as a local module is loaded as part of its
// caller, not on its own; every other directory is a root.
func (*Format) LoadDirs(ctx context.Context, dirs []loader.Dir, opts loader.Options) ([]*model.Model, []model.LoadError) {
	units, errs, _ := loadDirs(ctx, dirs, opts)
	return units, errs
}

// StreamDirs implements loader.DirStreamer: LoadDirs handing each root
// module's unit to emit as soon as it is evaluated, so that a scan of
// many root modules checks and lets go of one while the next is read.
func (*Format) StreamDirs(ctx context.Context, dirs []loader.Dir, opts loader.Options, emit func(*model.Model) error) ([]model.LoadError, error) {
	errs, _, err := streamDirsWithin(ctx, dirs, opts, parseBudget, emit)
	return errs, err
}

// loadStats describes the work of a load.
type loadStats struct {
	// instances is the number of resource and data source instances
	// evaluated, of every type.
	instances int
	// peak is the most of each budget one unit used (see limits.go).
	peak budget
	// parses counts the reads of each module (directory, or files of
	// one), peakTrees the most parse trees held at once (see cache).
	parses    map[string]int
	peakTrees int
}

func loadDirs(ctx context.Context, dirs []loader.Dir, opts loader.Options) ([]*model.Model, []model.LoadError, loadStats) {
	return loadDirsWithin(ctx, dirs, opts, parseBudget)
}

func loadDirsWithin(ctx context.Context, dirs []loader.Dir, opts loader.Options, budget int64) ([]*model.Model, []model.LoadError, loadStats) {
	var units []*model.Model
	errs, stats, _ := streamDirsWithin(ctx, dirs, opts, budget, func(m *model.Model) error {
		units = append(units, m)
		return nil
	})
	return units, errs, stats
}

// parseBudget is how much source (bytes) a scan parses before it stops
// holding every parse tree until the end: a tree weighs ten to fifteen
// times its source (hclsyntax nodes, ranges, the source itself). Below it
// each module is parsed once; above it, a module is parsed again by the
// root that uses it, and let go after the last root that does. On 16
// roots of 1.7 MB each, 4 MB left a third of the live heap that 16 MB
// did, and no more CPU: parsing again costs less than collecting a heap
// near the CLI's memory limit.
const parseBudget = 4 << 20

// streamDirsWithin loads the root modules of dirs in path order, handing
// each unit to emit (an error of emit stops the load and is returned),
// holding parse trees of about budget bytes of source beyond those of
// the root being evaluated.
func streamDirsWithin(ctx context.Context, dirs []loader.Dir, opts loader.Options, budget int64, emit func(*model.Model) error) ([]model.LoadError, loadStats, error) {
	var stats loadStats
	if opts.WorkDir == "" {
		opts.WorkDir = "."
	}
	c := newCache()
	finish := func() loadStats {
		stats.parses, stats.peakTrees = c.parses, c.peakTrees
		return stats
	}
	entries := make([]*scanDir, 0, len(dirs))
	byAbs := map[string]*scanDir{}
	var errs []model.LoadError
	sums, over := firstPass(ctx, c, dirs, &opts, budget)
	for i, d := range dirs {
		abs, err := filepath.Abs(d.Path)
		if err != nil {
			errs = append(errs, model.LoadError{File: d.Rel, Message: err.Error(), Level: model.LevelError})
			continue
		}
		e := &scanDir{dir: d, abs: abs, key: moduleKey(abs, d.Files), sum: sums[i]}
		if e.sum == nil { // the first pass could not read it: again, for the error
			def, err := c.get(ctx, e.key, abs, d.Files, &opts)
			if err != nil {
				errs = append(errs, model.LoadError{File: d.Rel, Message: err.Error(), Level: model.LevelError})
				continue
			}
			e.sum = summarize(def)
		}
		entries = append(entries, e)
		if len(d.Files) == 0 {
			byAbs[abs] = e
		}
	}
	// Which directories are called by others of the set.
	calls := map[*scanDir][]*scanDir{}
	called := map[*scanDir]bool{}
	for _, e := range entries {
		for _, source := range e.sum.calls {
			if !tfmodules.IsLocalSource(source) {
				continue
			}
			target := filepath.Clean(filepath.Join(e.abs, filepath.FromSlash(source)))
			if t, ok := byAbs[target]; ok && t != e {
				calls[e] = append(calls[e], t)
				called[t] = true
			}
		}
	}
	reached := map[*scanDir]bool{}
	var roots []*scanDir
	for _, e := range entries {
		if !called[e] {
			roots = append(roots, e)
			reach(e, calls, reached, func(*scanDir) {})
		}
	}
	for _, e := range entries { // directories only reachable through a cycle
		if !reached[e] {
			roots = append(roots, e)
			reach(e, calls, reached, func(*scanDir) {})
		}
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].dir.Path < roots[j].dir.Path })
	// Over the budget, each module is held from the first root that uses
	// it to the last: lastUse is the index of that root, from the local
	// calls between the directories and the modules terraform init
	// installed for each root. A use not foreseen (a module outside the
	// set) only costs a second parse.
	lastUse := map[string]int{}
	if over {
		first := map[string]bool{}
		for i, r := range roots {
			reach(r, calls, map[*scanDir]bool{}, func(e *scanDir) {
				lastUse[e.key] = i
				if i == 0 {
					first[e.key] = true
				}
			})
			for _, dir := range tfmodules.Installed(scanRoot(&opts, r.abs), r.abs) {
				lastUse[moduleKey(dir, nil)] = i
			}
		}
		// the first root's modules stay, to be parsed once
		c.release(func(key string) bool { return first[key] })
	}
	for i, e := range roots {
		if err := ctx.Err(); err != nil {
			errs = append(errs, model.LoadError{Message: err.Error(), Level: model.LevelError})
			break
		}
		m, lerrs, used := loadRoot(ctx, c, e.dir, e.abs, &opts)
		if over {
			c.release(func(key string) bool { return lastUse[key] > i })
		}
		stats.instances += used.instances
		stats.peak.bytes = max(stats.peak.bytes, used.bytes)
		stats.peak.iterations = max(stats.peak.iterations, used.iterations)
		stats.peak.evaluations = max(stats.peak.evaluations, used.evaluations)
		stats.peak.work = max(stats.peak.work, used.work)
		errs = append(errs, lerrs...)
		if m != nil {
			if err := emit(m); err != nil {
				return errs, finish(), err
			}
		}
	}
	errs = append(errs, undeclaredVars(opts, roots)...)
	return errs, finish(), nil
}

// dirSummary is what root discovery needs of a directory, kept when its
// parse tree is let go: the sources of its module calls and the names of
// its variables (for undeclaredVars).
type dirSummary struct {
	calls     []string
	variables map[string]bool
}

func summarize(d *moduleDef) *dirSummary {
	s := &dirSummary{variables: make(map[string]bool, len(d.variables))}
	for _, cl := range d.calls {
		s.calls = append(s.calls, cl.source)
	}
	for name := range d.variables {
		s.variables[name] = true
	}
	return s
}

// undeclaredVars warns about each --var that no root module of the set
// declares: Terraform refuses such a value, and here it would silently
// set nothing (a misspelt name leaves the variable unknown).
func undeclaredVars(opts loader.Options, roots []*scanDir) []model.LoadError {
	var names []string
	for name := range opts.Vars {
		if !slices.ContainsFunc(roots, func(r *scanDir) bool { return r.sum.variables[name] }) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var where []string
	for _, r := range roots[:min(len(roots), 3)] {
		where = append(where, r.dir.Rel)
	}
	if len(roots) > 3 {
		where = append(where, "...")
	}
	var out []model.LoadError
	for _, name := range names {
		out = append(out, model.LoadError{Level: model.LevelWarning,
			Message: fmt.Sprintf("--var %s: no root module scanned (%s) declares variable %q, so the value sets nothing", name, strings.Join(where, ", "), name)})
	}
	return out
}

// unitUsage is what the evaluation of one unit used.
type unitUsage struct {
	instances int
	budget
}

// loadRoot evaluates one root module; a panic is turned into an error
// naming the module.
func loadRoot(ctx context.Context, c *cache, d loader.Dir, abs string, opts *loader.Options) (m *model.Model, errs []model.LoadError, used unitUsage) {
	u := newUnit(ctx, c, abs, opts)
	defer func() {
		used = unitUsage{instances: u.evaluated, budget: *u.budget}
		if r := recover(); r != nil {
			m = nil
			errs = append(u.errs, model.LoadError{File: d.Rel, Level: model.LevelError,
				Message: fmt.Sprintf("internal error loading module %s: %v\n%s", d.Rel, r, firstFrames(debug.Stack()))})
		}
	}()
	def, err := u.module(abs, d.Files)
	if err != nil {
		return nil, append(u.errs, model.LoadError{File: d.Rel, Message: err.Error(), Level: model.LevelError}), used
	}
	if def.readable == 0 && len(def.errs) > 0 {
		// Not one file of the root module could be read: no unit, so
		// that a scan of nothing else fails instead of passing empty.
		return nil, u.errs, used
	}
	root := &modInst{u: u, def: def, stack: []string{abs}, region: cty.NilVal, defaultTags: cty.NilVal}
	root.vars = u.rootVariables(def, len(d.Files) == 0)
	root.evaluate()
	unit := d.Rel
	if unit == "" {
		unit = "."
	}
	m = model.New(unit, model.FormatTerraform)
	if r := root.regionValue(); r.IsKnown() && !r.IsNull() {
		m.Context.Region = r.AsString()
		m.Context.Partition = loader.PartitionOf(m.Context.Region).Name
	}
	m.Context.Account = opts.Account
	(&builder{u: u, a: tfaws.NewBuilder(m)}).build(root)
	root.walk((*modInst).functionErrors)
	return m, u.errs, used
}

// firstPass parses the directories on every CPU before evaluation
// starts, for what root discovery needs of each (nil: not read). It
// puts the parse trees of up to budget bytes of source (at least one
// tree) in the cache; over says the directories' source exceeds the
// budget.
func firstPass(ctx context.Context, c *cache, dirs []loader.Dir, opts *loader.Options, budget int64) (sums []*dirSummary, over bool) {
	sums = make([]*dirSummary, len(dirs))
	var mu sync.Mutex // guards all but dirs and opts
	var total, heldBytes int64
	inParallel(len(dirs), func(i int) {
		d := dirs[i]
		abs, err := filepath.Abs(d.Path)
		if err != nil {
			return
		}
		key := moduleKey(abs, d.Files)
		def, err := safeReadModule(ctx, abs, d.Files, opts)
		mu.Lock()
		defer mu.Unlock()
		c.parses[key]++
		if err == nil { // else reported when read again
			size := def.sourceBytes()
			total += size
			sums[i] = summarize(def)
			if _, dup := c.defs[key]; !dup && (heldBytes+size <= budget || len(c.defs) == 0) {
				c.put(key, def)
				heldBytes += size
			}
		}
	})
	return sums, total > budget
}

func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 24 {
		lines = lines[:24]
	}
	return strings.Join(lines, "\n")
}

// scanDir is a directory of a scan, with its first pass's summary.
type scanDir struct {
	dir loader.Dir
	abs string
	key string
	sum *dirSummary
}

// reach visits e and every directory its local module calls reach, each
// once: seen holds those already visited.
func reach(e *scanDir, calls map[*scanDir][]*scanDir, seen map[*scanDir]bool, visit func(*scanDir)) {
	if seen[e] {
		return
	}
	seen[e] = true
	visit(e)
	for _, t := range calls[e] {
		reach(t, calls, seen, visit)
	}
}
