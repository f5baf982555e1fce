// Package scan runs vpclint's pipeline for the command line and the tests:
// load the inputs under the given paths into model units, derive the
// network facts of each unit, evaluate the compiled rules on each unit,
// and gather findings, input errors, the rule catalogue and a summary.
package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/vpclint/vpclint/analysis"
	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/internal/pathshow"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/cloudformation"
	"github.com/vpclint/vpclint/loader/inventory"
	"github.com/vpclint/vpclint/loader/terraform"
	"github.com/vpclint/vpclint/loader/tfplan"
	"github.com/vpclint/vpclint/model"
)

// Options say what to scan and how.
type Options struct {
	// Paths are the files and directories to read; none means nothing is
	// loaded from disk (a live-only scan).
	Paths []string
	// Loader are the settings passed to every format loader.
	Loader loader.Options
	// Units are models loaded elsewhere (live AWS), scanned with the rest;
	// UnitErrors are the problems met while loading them.
	Units      []*model.Model
	UnitErrors []model.LoadError
	// Files counts input files read for Units (for the summary).
	Files int
	// Evaluator configures the rule engine built when Engine is nil.
	Evaluator evaluator.Options
	// Engine is a rule engine to reuse (tests, several scans in one run).
	Engine *evaluator.Engine
	// Loaders replaces the default format list (tests).
	Loaders *loader.Loader
	// Parallelism is the number of units evaluated at once; 0 means
	// GOMAXPROCS.
	Parallelism int
	// ShowUnknown adds an info entry to Errors for every resource with
	// values the loader could not decide, on which rules stayed silent
	// (--show-unknown).
	ShowUnknown bool
	// Post tunes inline suppressions, --changed-only and the baseline;
	// nil applies inline suppressions with their reports.
	Post *Post
}

// Result is what a scan found.
type Result struct {
	// Findings of every unit, sorted by file, line and rule id.
	Findings []model.Finding
	// Errors are input problems: files that failed to parse, values AWS
	// would reject, failed API calls, units the rules failed on.
	Errors []model.LoadError
	// Catalogue is every rule that ran.
	Catalogue []model.RuleInfo
	Summary   model.Summary
	// Units are the loaded models, facts included.
	Units []*model.Model
	// Engine is the rule engine used.
	Engine *evaluator.Engine
}

// DefaultLoader reads every format vpclint knows. Plans and inventory
// snapshots are detected before CloudFormation, whose detection is the
// loosest (any JSON or YAML with a Resources map of AWS:: types).
func DefaultLoader() *loader.Loader {
	return &loader.Loader{
		Dirs:  []loader.DirFormat{terraform.New()},
		Files: []loader.FileFormat{tfplan.New(), inventory.New(), cloudformation.New()},
	}
}

// Run loads, analyses and evaluates. It returns an error only when it
// cannot do what was asked (the rules do not compile, a path cannot be
// read); a broken input file is an entry of Result.Errors.
func Run(ctx context.Context, opts Options) (*Result, error) {
	eng := opts.Engine
	if eng == nil {
		var err error
		if eng, err = evaluator.New(ctx, opts.Evaluator); err != nil {
			return nil, err
		}
	}
	res := &Result{Engine: eng, Catalogue: eng.Catalogue()}
	files := opts.Files
	var empty []string
	if len(opts.Paths) > 0 {
		l := opts.Loaders
		if l == nil {
			l = DefaultLoader()
		}
		lr, err := l.Load(ctx, opts.Paths, opts.Loader)
		if err != nil {
			return nil, err
		}
		res.Units = append(res.Units, lr.Units...)
		res.Errors = append(res.Errors, lr.Errors...)
		files += lr.Files
		empty = lr.Empty
	}
	res.Units = append(res.Units, opts.Units...)
	res.Errors = append(res.Errors, opts.UnitErrors...)

	findings, errs, err := evaluateAll(ctx, eng, res.Units, opts.Parallelism)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Findings = findings
	res.Errors = append(res.Errors, errs...)
	if opts.ShowUnknown {
		res.Errors = append(res.Errors, UnknownNotes(res.Units)...)
	}
	relativize(res, opts)
	SortFindings(res.Findings)
	SortErrors(res.Errors)

	resources, undecided := 0, 0
	for _, u := range res.Units {
		for _, r := range u.Resources() {
			resources++
			if len(r.GetMeta().Unknown) > 0 {
				undecided++
			}
		}
	}
	res.Summary = model.Summarize(res.Findings, files, resources)
	res.Summary.Empty = empty
	res.Summary.Undecided = undecided
	post := opts.Post
	if post == nil {
		post = &Post{}
	}
	post.apply(res)
	return res, nil
}

// evaluateAll analyses and evaluates units concurrently. A unit whose
// analysis or built-in rules fail (or panic) becomes an error entry; the
// others are still reported. A user rule stopped by its limits (or
// failing) stops the scan: its error is returned.
func evaluateAll(ctx context.Context, eng *evaluator.Engine, units []*model.Model, par int) ([]model.Finding, []model.LoadError, error) {
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	type out struct {
		findings []model.Finding
		err      *model.LoadError
	}
	outs := make([]out, len(units))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(par, len(units)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				fs, lerr, fatal := evaluateUnit(ctx, eng, units[i])
				if fatal != nil {
					cancel(fatal)
					continue
				}
				outs[i] = out{fs, lerr}
			}
		}()
	}
	for i := range units {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, nil, err
	}
	var findings []model.Finding
	var errs []model.LoadError
	for _, o := range outs {
		findings = append(findings, o.findings...)
		if o.err != nil {
			errs = append(errs, *o.err)
		}
	}
	return findings, errs, nil
}

func evaluateUnit(ctx context.Context, eng *evaluator.Engine, u *model.Model) (fs []model.Finding, lerr *model.LoadError, fatal error) {
	defer func() {
		if r := recover(); r != nil {
			fs = nil
			lerr = &model.LoadError{File: unitFile(u), Level: model.LevelError, Account: u.Context.Account, Region: u.Context.Region,
				Message: fmt.Sprintf("internal error while checking %s: %v (please report it)", u.Unit, r)}
		}
	}()
	analysis.Analyze(u)
	fs, err := eng.Evaluate(ctx, u)
	var re *evaluator.RuleError
	if errors.As(err, &re) {
		return nil, nil, err
	}
	if err != nil {
		return nil, &model.LoadError{File: unitFile(u), Level: model.LevelError, Message: err.Error(), Account: u.Context.Account, Region: u.Context.Region}, nil
	}
	return fs, nil, nil
}

func unitFile(u *model.Model) string {
	if u.Format == model.FormatAWS {
		return ""
	}
	return u.Unit
}

// relativize is the last guard against a host path in any output: a
// file still absolute is shown relative (to the current directory or its
// scan root), and the absolute scan roots, current and home directories
// that libraries put in their messages (an *fs.PathError, a parser's
// diagnostic) are rewritten the same way.
func relativize(res *Result, opts Options) {
	wd := opts.Loader.WorkDir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	var roots []string
	for _, p := range opts.Paths {
		if r, err := loader.ScanRoot(p); err == nil {
			roots = append(roots, r)
		}
	}
	if opts.Loader.Root != "" {
		roots = append(roots, opts.Loader.Root)
	}
	root := ""
	if len(roots) > 0 {
		root = roots[0]
	}
	sc := pathshow.NewScrubber(wd, roots...)
	file := func(f string) string {
		if filepath.IsAbs(f) {
			return loader.RelPath(wd, root, f)
		}
		return f
	}
	for i := range res.Errors {
		e := &res.Errors[i]
		e.File = file(e.File)
		e.Message = sc.Scrub(e.Message)
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		f.Location.File = file(f.Location.File)
		f.Source.File = file(f.Source.File)
		f.Resource.Root = file(f.Resource.Root)
		f.Message = sc.Scrub(f.Message)
	}
}

// UnknownNotes lists, as info entries, the resources whose values the
// loaders could not decide (a variable without a value, a computed id, an
// unresolved intrinsic): rules stay silent on them, so a clean report may
// hide a problem there.
func UnknownNotes(units []*model.Model) []model.LoadError {
	var out []model.LoadError
	for _, u := range units {
		for _, r := range u.Resources() {
			meta := r.GetMeta()
			if len(meta.Unknown) == 0 {
				continue
			}
			paths := append([]string(nil), meta.Unknown...)
			sort.Strings(paths)
			noun := "value"
			if len(paths) > 1 {
				noun = "values"
			}
			out = append(out, model.LoadError{
				File: meta.Source.File, Line: meta.Source.StartLine, Level: model.LevelInfo,
				Account: meta.Source.Account, Region: meta.Source.Region,
				Message: fmt.Sprintf("%s: could not decide the %s of %s; rules reading %s stayed silent",
					meta.Address, noun, strings.Join(paths, ", "), map[bool]string{true: "them", false: "it"}[len(paths) > 1]),
			})
		}
	}
	return out
}

// SortFindings orders findings by file, line, rule id, resource and
// message.
func SortFindings(fs []model.Finding) { evaluator.SortFindings(fs) }

// SortErrors orders errors by file and line, keeping the order of errors
// on the same line.
func SortErrors(es []model.LoadError) {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].File != es[j].File {
			return es[i].File < es[j].File
		}
		return es[i].Line < es[j].Line
	})
}

// Failed reports whether the scan could not do what was asked: inputs were
// named, none could be loaded, and errors say why.
func (r *Result) Failed() bool {
	if len(r.Units) > 0 {
		return false
	}
	for _, e := range r.Errors {
		if e.Level == "" || e.Level == model.LevelError {
			return true
		}
	}
	return false
}

// CountAtLeast counts the unsuppressed findings of severity s or worse.
func (r *Result) CountAtLeast(s model.Severity) int { return r.Summary.Findings.AtLeast(s) }
