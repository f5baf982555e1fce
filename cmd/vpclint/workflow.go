package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/evaluator/baseline"
	"github.com/vpclint/vpclint/evaluator/config"
	"github.com/vpclint/vpclint/internal/gitdiff"
	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/scan"
)

// workflowFlags are the scan options that fit vpclint into pre-merge and
// code-scanning workflows: the config file, baselines, suppression
// reports and pull-request scoping.
type workflowFlags struct {
	config               string
	noConfig             bool
	baseline             string
	writeBaseline        string
	noUnusedSuppressions bool
	changedOnly          bool
	diffBase             string
	// used is the config file read by configure, nil when none.
	used *config.Config
	// Rule selection on top of the config's (--only, --enable, --disable)
	// and the limits of user rules.
	only, enable, disable []string
	ruleTimeout           time.Duration
	ruleMemory            string
}

func addWorkflowFlags(cmd *cobra.Command) *workflowFlags {
	w := &workflowFlags{}
	fl := cmd.Flags()
	fl.StringVar(&w.config, "config", "", "config file (default: "+config.FileName+" in the scanned directory or its parents up to the git work tree's root)")
	fl.BoolVar(&w.noConfig, "no-config", false, "ignore "+config.FileName)
	fl.StringVar(&w.baseline, "baseline", "", "report only findings not recorded in this baseline file")
	fl.StringVar(&w.writeBaseline, "write-baseline", "", "record the current findings in this baseline file")
	fl.BoolVar(&w.noUnusedSuppressions, "no-unused-suppressions", false, "do not report suppressions that are unused, expired or without a reason (SUP001-SUP003)")
	fl.BoolVar(&w.changedOnly, "changed-only", false, "report only findings in files changed since --diff-base (default: origin/$GITHUB_BASE_REF in a pull request)")
	fl.StringVar(&w.diffBase, "diff-base", "", "git ref to compare with for --changed-only (implies it)")
	fl.StringSliceVar(&w.enable, "enable", nil, "run these rules too: rule ids, areas (SG) or tags (hygiene), opt-in rules included (repeatable)")
	fl.StringSliceVar(&w.disable, "disable", nil, "do not run these rules: rule ids, areas or tags (repeatable)")
	fl.StringSliceVar(&w.only, "only", nil, "run only these rules: rule ids, areas or tags (repeatable)")
	fl.DurationVar(&w.ruleTimeout, "rule-timeout", evaluator.DefaultRuleTimeout, "time the custom rules may take on one unit before the scan stops (exit 2)")
	fl.StringVar(&w.ruleMemory, "rule-memory", evaluator.FormatBytes(evaluator.DefaultRuleMemory), "heap a custom rule's evaluation may grow by before the scan stops (exit 2), e.g. 512MiB")
	return w
}

// configure reads the config file and applies it under the command-line
// flags (which win), builds the rule engine once to check the config's
// rule ids against the catalogue, and sets up the post-evaluation steps.
// It returns the effective --fail-on.
func (w *workflowFlags) configure(ctx context.Context, cmd *cobra.Command, f *scanFlags, paths []string, wd string, opts *scan.Options) (string, error) {
	failOn := f.failOn
	cfg, err := w.loadConfig(paths, wd)
	if err != nil {
		return "", err
	}
	w.used = cfg
	// User rule files are named relative to the current directory, else
	// to the first path's scan root.
	opts.Evaluator.WorkDir = wd
	start := wd
	if len(paths) > 0 {
		start = paths[0]
	}
	if root, err := loader.ScanRoot(start); err == nil {
		opts.Evaluator.Root = root
	}
	if cfg != nil {
		if cfg.FailOn != "" && !cmd.Flags().Changed("fail-on") {
			failOn = cfg.FailOn
		}
		opts.Loader.Exclude = append(opts.Loader.Exclude, cfg.Exclude...)
		opts.Evaluator.RuleDirs = append(opts.Evaluator.RuleDirs, cfg.CustomRules...)
		opts.Evaluator.Select = append(opts.Evaluator.Select, evaluator.Selection{Only: cfg.Rules.Only, Enable: cfg.Rules.Enable, Disable: cfg.Rules.Disable})
		if len(cfg.Rules.Severity) > 0 {
			if opts.Evaluator.Severity == nil {
				opts.Evaluator.Severity = map[string]model.Severity{}
			}
			for id, s := range cfg.Rules.Severity {
				opts.Evaluator.Severity[id] = s
			}
		}
		if len(cfg.Params) > 0 {
			opts.Evaluator.Params = cfg.Params
		}
		for _, d := range cfg.CustomRules {
			if st, err := os.Stat(d); err != nil || !st.IsDir() {
				return "", usageError("%s: custom_rules: %s is not a directory", cfg.File, loader.RelPath(wd, "", d))
			}
		}
	}
	flags := evaluator.Selection{Only: w.only, Enable: w.enable, Disable: w.disable}
	opts.Evaluator.Select = append(opts.Evaluator.Select, flags)
	budget, err := parseBytes(w.ruleMemory)
	if err != nil {
		return "", usageError("--rule-memory: %v", err)
	}
	if w.ruleTimeout <= 0 {
		return "", usageError("--rule-timeout must be positive")
	}
	opts.Evaluator.RuleTimeout, opts.Evaluator.RuleMemory = w.ruleTimeout, budget
	eng, err := evaluator.New(ctx, opts.Evaluator)
	if err != nil {
		return "", &exitCodeError{code: exitError, err: err}
	}
	opts.Engine = eng
	// The config's and the flags' selectors must each name a rule, an
	// area or a tag: a typo must not silently leave a rule on or off.
	cat := append(eng.Catalogue(), scan.SuppressionRules(nil)...)
	if cfg != nil {
		if err := cfg.CheckSelectors(cat); err != nil {
			return "", &exitCodeError{code: exitError, err: err}
		}
	}
	if err := evaluator.CheckSelectors(cat, flags, "--"); err != nil {
		return "", usageError("%v", err)
	}

	post := &scan.Post{WorkDir: wd, NoSuppressionReports: w.noUnusedSuppressions}
	for _, p := range paths {
		if root, err := loader.ScanRoot(p); err == nil {
			post.Roots = append(post.Roots, root)
		}
	}
	baselinePath := w.baseline
	if baselinePath == "" && cfg != nil {
		baselinePath = cfg.Baseline
	}
	// Writing a baseline records every current finding, so an existing
	// baseline must not hide any of them.
	if baselinePath != "" && w.writeBaseline == "" {
		b, err := baseline.Read(baselinePath)
		if err != nil {
			return "", &exitCodeError{code: exitError, err: err}
		}
		post.Baseline = b
	}
	base := w.diffBase
	if w.changedOnly && base == "" {
		if ref := os.Getenv("GITHUB_BASE_REF"); ref != "" {
			base = "origin/" + ref
		} else {
			return "", usageError("--changed-only needs --diff-base REF (or GITHUB_BASE_REF in a pull request)")
		}
	}
	if base != "" {
		dir := wd
		if len(paths) > 0 {
			dir = paths[0]
			if st, err := os.Stat(dir); err == nil && !st.IsDir() {
				dir = filepath.Dir(dir)
			}
		}
		changed, err := gitdiff.ChangedFiles(ctx, dir, base)
		if err != nil {
			return "", &exitCodeError{code: exitError, err: err}
		}
		post.Changed = changed
	}
	opts.Post = post
	return failOn, nil
}

// loadConfig reads --config, or finds the config file from the first
// scanned path (or the current directory) up to its scan root: the git
// work tree holding it, else that directory alone.
func (w *workflowFlags) loadConfig(paths []string, wd string) (*config.Config, error) {
	if w.noConfig {
		return nil, nil
	}
	path := w.config
	root := ""
	if path == "" {
		start := wd
		if len(paths) > 0 {
			start = paths[0]
		}
		var err error
		if root, err = loader.ScanRoot(start); err != nil {
			return nil, &exitCodeError{code: exitError, err: err}
		}
		found, err := config.Find(start, root)
		if err != nil {
			return nil, &exitCodeError{code: exitError, err: err}
		}
		if found == "" {
			return nil, nil
		}
		path = found
	}
	shown := loader.RelPath(wd, root, path)
	cfg, err := config.Load(path)
	if err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			ce.File = shown
			return nil, &exitCodeError{code: exitError, err: ce}
		}
		if errors.Is(err, os.ErrNotExist) {
			return nil, &exitCodeError{code: exitError, err: fmt.Errorf("config %s: no such file", shown)}
		}
		return nil, &exitCodeError{code: exitError, err: fmt.Errorf("config %s: %w", shown, err)}
	}
	cfg.File = shown
	return cfg, nil
}

// parseBytes reads a size: 1073741824, 512MiB, 1GiB, 64MB, 2G.
func parseBytes(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		size   uint64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}}
	mult := uint64(1)
	for _, u := range units {
		if strings.HasSuffix(strings.ToUpper(t), strings.ToUpper(u.suffix)) {
			t, mult = strings.TrimSpace(t[:len(t)-len(u.suffix)]), u.size
			break
		}
	}
	n, err := strconv.ParseUint(t, 10, 64)
	if err != nil || n == 0 || n > math.MaxUint64/mult {
		return 0, fmt.Errorf("%q is not a size (e.g. 512MiB, 1GiB)", s)
	}
	return n * mult, nil
}

// configNote is the stderr line naming the config in use, so a config
// that turns rules off is never silent.
func configNote(cfg *config.Config, noConfig bool) string {
	switch {
	case cfg != nil:
		return "vpclint: config " + safetext.Line(cfg.File)
	case noConfig:
		return "vpclint: config: none (--no-config)"
	}
	return "vpclint: config: none"
}

// finish writes the baseline when asked.
func (w *workflowFlags) finish(res *scan.Result, stderr io.Writer, quiet bool) error {
	if w.writeBaseline == "" {
		return nil
	}
	err := writeFileAtomic(w.writeBaseline, func(out io.Writer) error { return baseline.Write(out, res.Findings) })
	if err != nil {
		return &exitCodeError{code: exitError, err: err}
	}
	if !quiet {
		n := 0
		for _, f := range res.Findings {
			if f.Suppression == nil {
				n++
			}
		}
		fmt.Fprintf(stderr, "vpclint: recorded %d findings in the baseline %s\n", n, w.writeBaseline)
	}
	return nil
}

// githubLinkBase gives absolute blob links for the Markdown report when
// running in GitHub Actions from the repository root, where relative links
// of a job summary would not resolve.
func githubLinkBase(wd string) string {
	server, repo, sha, ws := os.Getenv("GITHUB_SERVER_URL"), os.Getenv("GITHUB_REPOSITORY"), os.Getenv("GITHUB_SHA"), os.Getenv("GITHUB_WORKSPACE")
	if server == "" || repo == "" || sha == "" || ws == "" {
		return ""
	}
	a, _ := filepath.EvalSymlinks(wd)
	b, _ := filepath.EvalSymlinks(ws)
	if a == "" || a != b {
		return ""
	}
	return strings.TrimSuffix(server, "/") + "/" + repo + "/blob/" + sha + "/"
}
