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
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/loader"
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
	errs, _, err := streamDirs(ctx, dirs, opts, emit)
	return errs, err
}

// loadStats describes the work of a load.
type loadStats struct {
	// instances is the number of resource and data source instances
	// evaluated, of every type.
	instances int
	// peak is the most of each budget one unit used (see limits.go).
	peak budget
}

func loadDirs(ctx context.Context, dirs []loader.Dir, opts loader.Options) ([]*model.Model, []model.LoadError, loadStats) {
	var units []*model.Model
	errs, stats, _ := streamDirs(ctx, dirs, opts, func(m *model.Model) error {
		units = append(units, m)
		return nil
	})
	return units, errs, stats
}

// streamDirs loads the root modules of dirs in path order, handing each
// unit to emit; an error of emit stops the load and is returned.
func streamDirs(ctx context.Context, dirs []loader.Dir, opts loader.Options, emit func(*model.Model) error) ([]model.LoadError, loadStats, error) {
	var stats loadStats
	if opts.WorkDir == "" {
		opts.WorkDir = "."
	}
	c := newCache()
	type entry struct {
		dir loader.Dir
		abs string
		def *moduleDef
	}
	entries := make([]*entry, 0, len(dirs))
	byAbs := map[string]*entry{}
	var errs []model.LoadError
	parseAll(ctx, c, dirs, &opts)
	for _, d := range dirs {
		abs, err := filepath.Abs(d.Path)
		if err != nil {
			errs = append(errs, model.LoadError{File: d.Rel, Message: err.Error(), Level: model.LevelError})
			continue
		}
		e := &entry{dir: d, abs: abs}
		def, err := c.get(ctx, moduleKey(abs, d.Files), abs, d.Files, &opts)
		if err != nil {
			errs = append(errs, model.LoadError{File: d.Rel, Message: err.Error(), Level: model.LevelError})
			continue
		}
		e.def = def
		entries = append(entries, e)
		if len(d.Files) == 0 {
			byAbs[abs] = e
		}
	}
	// Which directories are called by others of the set.
	calls := map[*entry][]*entry{}
	called := map[*entry]bool{}
	for _, e := range entries {
		for _, cl := range e.def.calls {
			if !tfmodules.IsLocalSource(cl.source) {
				continue
			}
			target := filepath.Clean(filepath.Join(e.abs, filepath.FromSlash(cl.source)))
			if t, ok := byAbs[target]; ok && t != e {
				calls[e] = append(calls[e], t)
				called[t] = true
			}
		}
	}
	reached := map[*entry]bool{}
	var mark func(e *entry)
	mark = func(e *entry) {
		if reached[e] {
			return
		}
		reached[e] = true
		for _, t := range calls[e] {
			mark(t)
		}
	}
	var roots []*entry
	for _, e := range entries {
		if !called[e] {
			roots = append(roots, e)
			mark(e)
		}
	}
	for _, e := range entries { // directories only reachable through a cycle
		if !reached[e] {
			roots = append(roots, e)
			mark(e)
		}
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].dir.Path < roots[j].dir.Path })
	for _, e := range roots {
		if err := ctx.Err(); err != nil {
			errs = append(errs, model.LoadError{Message: err.Error(), Level: model.LevelError})
			break
		}
		m, lerrs, used := loadRoot(ctx, c, e.dir, e.abs, &opts)
		stats.instances += used.instances
		stats.peak.bytes = max(stats.peak.bytes, used.bytes)
		stats.peak.iterations = max(stats.peak.iterations, used.iterations)
		stats.peak.evaluations = max(stats.peak.evaluations, used.evaluations)
		stats.peak.work = max(stats.peak.work, used.work)
		errs = append(errs, lerrs...)
		if m != nil {
			if err := emit(m); err != nil {
				return errs, stats, err
			}
		}
	}
	defs := make([]*moduleDef, 0, len(roots))
	rels := make([]string, 0, len(roots))
	for _, e := range roots {
		defs = append(defs, e.def)
		rels = append(rels, e.dir.Rel)
	}
	errs = append(errs, undeclaredVars(opts, rels, defs)...)
	return errs, stats, nil
}

// undeclaredVars warns about each --var that no root module of the set
// declares: Terraform refuses such a value, and here it would silently
// set nothing (a misspelt name leaves the variable unknown).
func undeclaredVars(opts loader.Options, rels []string, roots []*moduleDef) []model.LoadError {
	var names []string
	for name := range opts.Vars {
		declared := false
		for _, d := range roots {
			if _, ok := d.variables[name]; ok {
				declared = true
				break
			}
		}
		if !declared {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	where := rels
	if len(where) > 3 {
		where = append(where[:3:3], "...")
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
	root := &modInst{u: u, def: def, stack: []string{abs}, funcs: u.funcsFor(def), region: cty.NilVal, defaultTags: cty.NilVal}
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
	b := newBuilder(u, m)
	b.build(root)
	root.walk(func(mi *modInst) {
		for _, e := range mi.functionErrors() {
			u.addErrOnce(e)
		}
	})
	return m, u.errs, used
}

// parseAll parses the directories on every CPU before evaluation starts;
// the cache is filled afterwards, from this goroutine.
func parseAll(ctx context.Context, c *cache, dirs []loader.Dir, opts *loader.Options) {
	type result struct {
		key string
		def *moduleDef
	}
	results := make([]result, len(dirs))
	next := make(chan int)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	if workers > len(dirs) {
		workers = len(dirs)
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d := dirs[i]
				abs, err := filepath.Abs(d.Path)
				if err != nil {
					continue
				}
				def, err := safeReadModule(ctx, abs, d.Files, opts)
				if err != nil {
					continue // reported when read again
				}
				results[i] = result{key: moduleKey(abs, d.Files), def: def}
			}
		}()
	}
	for i := range dirs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, r := range results {
		if r.def != nil {
			if _, ok := c.defs[r.key]; !ok {
				c.defs[r.key] = r.def
			}
		}
	}
}

func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 24 {
		lines = lines[:24]
	}
	return strings.Join(lines, "\n")
}
