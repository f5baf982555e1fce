package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/scan"
	"github.com/vpclint/vpclint/scan/compare"
)

// compareFlags are the options of `vpclint scan --compare`: what a change
// does to the findings, against the same paths at a git ref.
type compareFlags struct {
	ref        string
	failOnNew  bool
	sarifFixed bool
}

func addCompareFlags(cmd *cobra.Command) *compareFlags {
	c := &compareFlags{}
	fl := cmd.Flags()
	fl.StringVar(&c.ref, "compare", "", "also scan the same paths as they are at this git ref (its merge base with HEAD) and report each finding as new, unchanged or fixed")
	fl.BoolVar(&c.failOnNew, "fail-on-new", false, "with --compare: --fail-on counts only new findings")
	fl.BoolVar(&c.sarifFixed, "sarif-fixed", true, "with --compare: list the fixed findings in the SARIF report as results with baselineState absent (the GitHub Action turns this off for code scanning, which closes fixed alerts itself)")
	return c
}

// check rejects combinations that cannot work, before anything is read.
func (c *compareFlags) check(cmd *cobra.Command, live bool) error {
	if c == nil {
		return nil
	}
	if c.ref == "" {
		for _, name := range []string{"fail-on-new", "sarif-fixed"} {
			if cmd.Flags().Changed(name) {
				return usageError("--%s needs --compare REF", name)
			}
		}
		return nil
	}
	if live {
		return usageError("--compare compares code with a git ref: it cannot be combined with a live AWS audit")
	}
	return nil
}

// comparing is a comparison under way: the ref scanned, the work tree's
// findings being marked as the scan delivers them.
type comparing struct {
	base    *compare.Base
	matcher *compare.Matcher
}

// start scans the paths at the ref, with the options of the work tree's
// scan (opts, configured), and makes that scan mark its findings.
func (c *compareFlags) start(ctx context.Context, opts *scan.Options, stderr io.Writer, quiet bool) (*comparing, error) {
	if c == nil || c.ref == "" {
		return nil, nil
	}
	base, err := compare.Scan(ctx, opts, c.ref)
	if err != nil {
		return nil, &exitCodeError{code: exitError, err: err}
	}
	if !quiet {
		for _, s := range base.Skipped {
			fmt.Fprintf(stderr, "vpclint: --compare %s: %s left out: %s\n", c.ref, s.Path, s.Reason)
		}
		for _, p := range base.Missing {
			fmt.Fprintf(stderr, "vpclint: --compare %s: %s is not there; its findings are new\n", c.ref, p)
		}
		if n := errorCount(base.Errors); n > 0 {
			fmt.Fprintf(stderr, "vpclint: --compare %s: %d input problem(s) at the ref; the findings of what did not load there are new\n", c.ref, n)
		}
	}
	m := compare.NewMatcher(base.Findings)
	opts.Post.Compare = m
	return &comparing{base: base, matcher: m}, nil
}

// result is the comparison once the work tree's scan has delivered every
// finding; nil without --compare.
func (cp *comparing) result() *model.Comparison {
	if cp == nil {
		return nil
	}
	c := cp.matcher.Comparison()
	c.Ref, c.Commit, c.MergeBase = cp.base.Ref, cp.base.Commit, cp.base.MergeBase
	c.BaseErrors = errorCount(cp.base.Errors)
	return &c
}

// errorCount counts the errors among input problems: a warning or a note
// at the ref loses no finding there.
func errorCount(errs []model.LoadError) int {
	n := 0
	for _, e := range errs {
		if e.Level == "" || e.Level == model.LevelError {
			n++
		}
	}
	return n
}

// failCount is what --fail-on counts: every finding shown, or with
// --fail-on-new the new ones only.
func (c *compareFlags) failCount(res *scan.Result, cmp *model.Comparison, failOn model.Severity) int {
	if c != nil && c.failOnNew && cmp != nil {
		return cmp.NewBySeverity.AtLeast(failOn)
	}
	return res.CountAtLeast(failOn)
}
