package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/tfmodules"
	"github.com/vpclint/vpclint/model"
)

// maxModuleDepth bounds nested module calls.
const maxModuleDepth = 24

// cache holds parsed modules, shared by the units of one LoadDirs call.
// A parse tree weighs about ten times its source, so a scan whose
// sources exceed a budget holds a module only while a root that uses it
// is being evaluated, or will be next (see release and streamDirs).
type cache struct {
	defs     map[string]*moduleDef
	reported map[string]bool // modules whose parse errors were reported
	defaults map[*variableDef]cty.Value
	orders   map[*moduleDef]orderInfo
	types    map[*variableDef]declType
	// parses counts the reads of each module key and trees the parse
	// trees held in defs; peakTrees is the
	// most held at once. They describe the load (loadStats).
	parses    map[string]int
	trees     int
	peakTrees int
}

func newCache() *cache {
	return &cache{defs: map[string]*moduleDef{}, reported: map[string]bool{}, defaults: map[*variableDef]cty.Value{},
		orders: map[*moduleDef]orderInfo{}, types: map[*variableDef]declType{}, parses: map[string]int{}}
}

// hold counts n more (or, negative, fewer) parse trees held.
func (c *cache) hold(n int) {
	c.trees += n
	c.peakTrees = max(c.peakTrees, c.trees)
}

// put caches a parsed module.
func (c *cache) put(key string, d *moduleDef) {
	if _, ok := c.defs[key]; ok {
		return
	}
	c.defs[key] = d
	c.hold(1)
}

// release drops each cached module that keep does not keep, with what was
// derived from it, so that its parse tree can go; a later use parses it
// again (its errors were reported already, see reportParse).
func (c *cache) release(keep func(key string) bool) {
	for key, d := range c.defs {
		if keep(key) {
			continue
		}
		delete(c.defs, key)
		delete(c.orders, d)
		for _, v := range d.variables {
			delete(c.defaults, v)
			delete(c.types, v)
		}
		c.hold(-1)
	}
}

// unit is the evaluation of one root module with its module tree.
type unit struct {
	ctx     context.Context
	opts    *loader.Options
	cache   *cache
	rootDir string
	// root is the scan root: no file outside it is read.
	root        string
	modulesJSON map[string]string // modules.json key -> absolute dir
	// funcs serve every module of the unit: Terraform resolves file
	// paths against the working directory (the root module).
	funcs map[string]function.Function
	// notes are what function calls of the expression being evaluated
	// reported (see callNote).
	notes []callNote
	// budget is what evaluation may still build (see limits.go).
	budget *budget
	// literalCtx evaluates values written without references.
	literalCtx *hcl.EvalContext
	errs       []model.LoadError
	errSeen    map[string]bool
	// evaluated counts resource and data instance evaluations, modules
	// the module instances evaluated, blocks the blocks dynamic blocks
	// generated: together bounded by maxUnitInstances.
	evaluated int
	modules   int
	blocks    int
}

type orderInfo struct {
	nodes  []evalNode
	cyclic bool
}

func newUnit(ctx context.Context, c *cache, rootDir string, opts *loader.Options) *unit {
	u := &unit{ctx: ctx, opts: opts, cache: c, rootDir: rootDir, errSeen: map[string]bool{}}
	u.root = scanRoot(opts, rootDir)
	u.modulesJSON = tfmodules.Installed(u.root, rootDir)
	note := func(n callNote) {
		// A bound reached in a loop is noted once per expression.
		if k := len(u.notes); k > 0 && u.notes[k-1] == n {
			return
		}
		u.notes = append(u.notes, n)
	}
	u.budget = newBudget(note)
	u.funcs = functions(&fileAccess{root: u.root, base: rootDir, note: note})
	u.budget.guardFunctions(u.funcs)
	// Values a configuration writes without references (variables'
	// defaults) are evaluated with the syntax guards alone.
	u.literalCtx = &hcl.EvalContext{Functions: u.budget.syntaxGuards()}
	return u
}

// scanRoot is the directory nothing is read outside of: the scan root of
// the options, else (a loader called directly) the root module's own.
func scanRoot(opts *loader.Options, dir string) string {
	if opts.Root != "" {
		if abs, err := filepath.Abs(opts.Root); err == nil {
			if st, err := os.Stat(abs); err == nil && !st.IsDir() {
				return filepath.Dir(abs)
			}
			return abs
		}
	}
	return dir
}

func (u *unit) addErrOnce(e model.LoadError) {
	k := fmt.Sprintf("%s:%d:%s", e.File, e.Line, e.Message)
	if u.errSeen[k] {
		return
	}
	u.errSeen[k] = true
	u.errs = append(u.errs, e)
}

// module returns the parsed module of a directory (names: only those files).
func (u *unit) module(dir string, names []string) (*moduleDef, error) {
	key := moduleKey(dir, names)
	d, err := u.cache.get(u.ctx, key, dir, names, u.opts)
	if err != nil {
		return nil, err
	}
	u.reportParse(key, d)
	return d, nil
}

func moduleKey(dir string, names []string) string {
	if len(names) > 0 {
		return dir + "\x00" + strings.Join(names, "\x00")
	}
	return dir
}

// get returns a parsed module, parsing it on first use.
func (c *cache) get(ctx context.Context, key, dir string, names []string, opts *loader.Options) (*moduleDef, error) {
	if d, ok := c.defs[key]; ok {
		return d, nil
	}
	c.parses[key]++
	d, err := safeReadModule(ctx, dir, names, opts)
	if err != nil {
		return nil, err
	}
	c.put(key, d)
	return d, nil
}

// safeReadModule reads a module, turning a parser panic into an error.
func safeReadModule(ctx context.Context, dir string, names []string, opts *loader.Options) (d *moduleDef, err error) {
	defer func() {
		if r := recover(); r != nil {
			d, err = nil, fmt.Errorf("internal error parsing module %s: %v", dir, r)
		}
	}()
	return readModule(ctx, dir, names, opts)
}

func (u *unit) reportParse(key string, d *moduleDef) {
	if u.cache.reported[key] {
		return
	}
	u.cache.reported[key] = true
	for _, e := range d.errs {
		u.addErrOnce(e)
	}
}

func (u *unit) order(d *moduleDef) ([]evalNode, bool) {
	o, ok := u.cache.orders[d]
	if !ok {
		nodes, cyclic := d.order()
		o = orderInfo{nodes: nodes, cyclic: cyclic}
		u.cache.orders[d] = o
	}
	return o.nodes, o.cyclic
}

// resolveModule finds the module a call refers to: a local directory, or
// one installed by terraform init, inside the scan root (links followed).
// A nil module with an error means its outputs are unknown.
func (u *unit) resolveModule(mi *modInst, c *callDef) (*moduleDef, string, *model.LoadError) {
	key := c.name
	if mi.key != "" {
		key = mi.key + "." + c.name
	}
	at := func(level, format string, args ...any) *model.LoadError {
		return &model.LoadError{File: c.file.rel, Line: c.rng.Start.Line, Level: level, Message: fmt.Sprintf(format, args...)}
	}
	if len(mi.stack) >= maxModuleDepth {
		return nil, key, at(model.LevelError, "module %q: modules nested deeper than %d; not followed", c.name, maxModuleDepth)
	}
	var dir string
	switch {
	case c.source == "":
		return nil, key, at(model.LevelWarning, "module %q has no literal source; its outputs are unknown", c.name)
	case tfmodules.IsLocalSource(c.source):
		dir = filepath.Clean(filepath.Join(mi.def.dir, filepath.FromSlash(c.source)))
		if !loader.Within(u.root, dir) {
			return nil, key, at(model.LevelWarning, "module %q: source %q leaves the scan root; not followed, its outputs are unknown", c.name, c.source)
		}
	default:
		d, ok := u.modulesJSON[key]
		if !ok {
			return nil, key, at(model.LevelInfo, "module %q: remote source %q is not installed (run terraform init); its outputs are unknown", c.name, c.source)
		}
		if !loader.Within(u.root, d) {
			return nil, key, at(model.LevelWarning, "module %q: its installed directory (.terraform/modules/modules.json) leaves the scan root; not followed, its outputs are unknown", c.name)
		}
		dir = d
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, key, at(model.LevelWarning, "module %q: source directory %s not found; its outputs are unknown", c.name, c.source)
	}
	for i, s := range mi.stack {
		if s == dir {
			chain := make([]string, 0, len(mi.stack)-i+1)
			for _, d := range mi.stack[i:] {
				chain = append(chain, u.show(d))
			}
			chain = append(chain, u.show(dir))
			return nil, key, at(model.LevelError, "module cycle refused: %s", strings.Join(chain, " -> "))
		}
	}
	def, err := u.module(dir, nil)
	if err != nil {
		return nil, key, at(model.LevelError, "module %q: %v", c.name, err)
	}
	return def, key, nil
}

func (u *unit) show(dir string) string {
	return loader.RelPath(u.opts.WorkDir, u.opts.Root, dir)
}
