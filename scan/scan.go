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
	"sort"
	"strings"

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
	// Stream, when set, hands over more units one at a time, after
	// those of Paths and Units (a live audit): each is checked, given to
	// OnUnit and let go while the next ones are read.
	Stream Source
	// OnUnit, when set, receives what the scan made of each unit, in the
	// order the units were given, as soon as it and the ones before it
	// are checked (a report written as the scan goes). An error stops the
	// scan and is Run's.
	OnUnit func(UnitResult) error
	// Discard leaves the findings and errors given to OnUnit out of the
	// Result (its summary still counts them): for reports written as the
	// scan goes, so that memory does not grow with the findings.
	Discard bool
	// KeepUnits keeps the checked models, facts included, in
	// Result.Units (tests); without it each is let go once checked.
	KeepUnits bool
	// Topology maps each unit's VPCs (Result.Topology) for the reports
	// that draw them.
	Topology bool
}

// Source hands units to a scan one at a time, in a fixed order. emit
// blocks while the scan is busy (back-pressure) and fails once the scan
// has stopped, which the source returns. errs are the problems met loading
// the unit. A source calls emit from one goroutine at a time.
type Source func(ctx context.Context, emit func(u *model.Model, errs []model.LoadError) error) error

// UnitResult is what the scan made of one unit.
type UnitResult struct {
	// Unit names the unit; Format is its format.
	Unit   string
	Format string
	// Live is how much of a live unit was read; nil for code.
	Live *model.UnitStatus
	// Findings of the unit after the post steps (suppressions,
	// --changed-only, the baseline, the severities shown), sorted.
	Findings []model.Finding
	// Errors are the problems met loading and checking the unit.
	Errors []model.LoadError
	// Summary counts the unit's resources and findings.
	Summary model.Summary
	// Topology maps the unit's VPCs, with Options.Topology.
	Topology []model.VPCMap
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
	// Units are the checked models, facts included, with
	// Options.KeepUnits only.
	Units []*model.Model
	// Topology maps the VPCs of every unit, in unit order, with
	// Options.Topology.
	Topology []model.VPCMap
	// Live is how much of each live unit was read (sorted by unit): a
	// partial or failed one makes the audit incomplete.
	Live []model.UnitStatus
	// Engine is the rule engine used.
	Engine *evaluator.Engine
	// checked counts the units checked.
	checked int
	// unitless are the errors of no unit.
	unitless []model.LoadError
}

// UnitlessErrors are the errors that belong to no unit (a file that could
// not be read, Options.UnitErrors), sorted: what OnUnit did not see.
func (r *Result) UnitlessErrors() []model.LoadError { return r.unitless }

// Checked is the number of units checked.
func (r *Result) Checked() int { return r.checked }

// Incomplete are the live units that were not read completely.
func (r *Result) Incomplete() []model.UnitStatus {
	var out []model.UnitStatus
	for _, st := range r.Live {
		if st.Status != model.UnitComplete {
			out = append(out, st)
		}
	}
	return out
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
// read, a user rule exceeded its limits, OnUnit or Stream failed); a broken
// input file is an entry of Result.Errors.
//
// Units are checked as they come (the units under Paths, then Units, then
// those of Stream), at most Parallelism at once; each is handed to OnUnit,
// in that order, and let go, unless KeepUnits asks to keep them.
func Run(ctx context.Context, opts Options) (*Result, error) {
	eng := opts.Engine
	if eng == nil {
		var err error
		if eng, err = evaluator.New(ctx, opts.Evaluator); err != nil {
			return nil, err
		}
	}
	res := &Result{Engine: eng}
	// The rules that run: reports list them (SARIF's rules, JUnit's
	// passing cases), not those the selection turned off.
	for _, r := range eng.Catalogue() {
		if eng.Selected(r) {
			res.Catalogue = append(res.Catalogue, r)
		}
	}
	post := opts.Post
	if post == nil {
		post = &Post{}
	}
	res.Summary.Files = opts.Files
	pr := post.start(res)
	// The units given whole count among the owners of addresses, with
	// those of Paths as they are loaded.
	for _, u := range opts.Units {
		pr.owners.add(u)
	}
	rel := newRelativizer(opts)
	p := newPipeline(ctx, eng, &opts, res, pr, rel)
	if len(opts.Paths) > 0 {
		l := opts.Loaders
		if l == nil {
			l = DefaultLoader()
		}
		// Each unit is checked as soon as it is loaded and let go once
		// checked; its results wait for the end of the load (see
		// pipeline).
		p.hold()
		lr, err := l.Stream(p.ctx, opts.Paths, opts.Loader, func(u *model.Model) error { return p.add(u, nil) })
		if err != nil {
			if perr := p.stop(); perr != nil {
				return nil, perr
			}
			return nil, err
		}
		res.unitless = append(res.unitless, lr.Errors...)
		res.Summary.Files += lr.Files
		res.Summary.Empty = lr.Empty
		p.release()
	}
	res.unitless = append(res.unitless, opts.UnitErrors...)
	for _, u := range opts.Units {
		if p.add(u, nil) != nil {
			break
		}
	}
	var streamErr error
	if opts.Stream != nil && p.err() == nil {
		streamErr = opts.Stream(p.ctx, p.add)
	}
	if err := p.stop(); err != nil {
		return nil, err
	}
	if streamErr != nil {
		return nil, streamErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rel.errors(res.unitless)
	SortErrors(res.unitless)
	res.Errors = append(res.Errors, res.unitless...)
	SortFindings(res.Findings)
	SortErrors(res.Errors)
	sort.Slice(res.Live, func(i, j int) bool { return res.Live[i].Unit < res.Live[j].Unit })
	return res, nil
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

// relativizer is the last guard against a host path in any output: a
// file still absolute is shown relative (to the current directory or its
// scan root), and the absolute scan roots, current and home directories
// that libraries put in their messages (an *fs.PathError, a parser's
// diagnostic) are rewritten the same way.
type relativizer struct {
	wd, root string
	sc       *pathshow.Scrubber
}

func newRelativizer(opts Options) *relativizer {
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
	rel := &relativizer{wd: wd, sc: pathshow.NewScrubber(wd, roots...)}
	if len(roots) > 0 {
		rel.root = roots[0]
	}
	return rel
}

func (r *relativizer) file(f string) string {
	if filepath.IsAbs(f) {
		return loader.RelPath(r.wd, r.root, f)
	}
	return f
}

func (r *relativizer) errors(es []model.LoadError) {
	for i := range es {
		e := &es[i]
		e.File = r.file(e.File)
		e.Message = r.sc.Scrub(e.Message)
	}
}

func (r *relativizer) findings(fs []model.Finding) {
	for i := range fs {
		f := &fs[i]
		f.Location.File = r.file(f.Location.File)
		f.Source.File = r.file(f.Source.File)
		f.Resource.Root = r.file(f.Resource.Root)
		f.Message = r.sc.Scrub(f.Message)
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
	if r.checked > 0 {
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
