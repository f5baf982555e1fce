package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/evaluator/suppress"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/awslive"
	"github.com/vpclint/vpclint/loader/terraform"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/reporters"
	"github.com/vpclint/vpclint/scan"
)

// scanFlags are the options of `vpclint scan`.
type scanFlags struct {
	formats        []string
	outputs        []string
	failOn         string
	ruleDirs       []string
	vars           []string
	varFiles       []string
	parameters     []string
	parameterFiles []string
	region         string
	account        string
	source         string
	exclude        []string
	anchor         string
	quiet          bool
	noColor        bool
	showUnknown    bool
	severity       []string
	minSeverity    string
	softFail       bool
	aws            *awsFlags
	workflow       *workflowFlags
	// compare is nil for hook, which has no --compare.
	compare *compareFlags
}

// output is one report to write: a format and its destination ("" is
// standard output).
type output struct {
	format string
	file   string
}

func (a *app) scanCommand() *cobra.Command {
	var f *scanFlags
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Scan Terraform, plan JSON and CloudFormation files (and live AWS accounts)",
		Long: `Scan reads the Terraform modules, plan JSON files and CloudFormation
templates under each PATH (default "."), checks them against vpclint's rules
and reports the findings.

A directory is scanned recursively; a file is read alone. Findings name the
file and line of the offending value, relative to the current directory.`,
		Example: `  vpclint scan infra/
  vpclint scan --format sarif --output results.sarif .
  vpclint scan --format text --output sarif=results.sarif --fail-on critical
  vpclint scan --compare origin/main --fail-on-new --format markdown infra/
  vpclint scan --var env=prod --var-file prod.tfvars stacks/ network.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runScan(cmd, f, args)
		},
	}
	f = addScanFlags(cmd)
	f.compare = addCompareFlags(cmd)
	return cmd
}

// addScanFlags defines the scan options on cmd (scan, and hook which
// scans what changed files belong to).
func addScanFlags(cmd *cobra.Command) *scanFlags {
	f := &scanFlags{}
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.formats, "format", "f", nil, "output format: "+strings.Join(reporters.Formats(), ", ")+" (repeatable; default text)")
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "write the report to FILE, or one format's report with FORMAT=FILE (repeatable)")
	fl.StringVar(&f.failOn, "fail-on", "high", "exit 1 when a finding is at or above this severity: critical, high, medium, low, info or none")
	fl.BoolVar(&f.softFail, "soft-fail", false, "never exit 1 for findings: --fail-on none, over --fail-on and the config")
	fl.StringArrayVar(&f.severity, "severity", nil, "show only findings of these severities, comma-separated (e.g. critical,high); --fail-on counts only what is shown")
	fl.StringVar(&f.minSeverity, "minimum-severity", "", "show only findings of this severity or worse; --fail-on counts only what is shown")
	fl.StringArrayVar(&f.ruleDirs, "rules", nil, "directory of custom Rego rules to add (repeatable)")
	fl.StringArrayVar(&f.vars, "var", nil, "Terraform variable name=value (repeatable)")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "Terraform .tfvars or .tfvars.json file (repeatable)")
	fl.StringArrayVar(&f.parameters, "parameter", nil, "CloudFormation parameter Name=Value (repeatable)")
	fl.StringArrayVar(&f.parameterFiles, "parameter-file", nil, "CloudFormation parameter file, JSON (repeatable)")
	fl.StringVar(&f.region, "region", "", "deployment region, for pseudo parameters and data sources")
	fl.StringVar(&f.account, "account", "", "deployment account id, for pseudo parameters and data sources")
	fl.StringVar(&f.source, "source", "", "directory of the .tf files a plan was made from (for file:line in plan findings)")
	fl.StringArrayVar(&f.exclude, "exclude", nil, "glob of paths not to scan, ** for any depth (repeatable; to turn a rule off, use --disable)")
	fl.StringVar(&f.anchor, "anchor", "", "existing repository file that SARIF results without a file (live resources) point at (default .vpclint.yaml, README.md or README from here up to the repository root, else the first scanned file)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print only findings and errors")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour the text report (NO_COLOR is honoured too)")
	fl.BoolVar(&f.showUnknown, "show-unknown", false, "list the resources with values vpclint could not decide (rules stay silent on them)")
	f.aws = addAWSFlags(cmd)
	f.workflow = addWorkflowFlags(cmd)
	return f
}

// parseOutputs pairs formats with destinations. --output FILE applies to
// the only format; --output FORMAT=FILE names its format (and adds it).
// At most one report goes to standard output.
func parseOutputs(formats, outputs []string) ([]output, error) {
	for _, f := range formats {
		if !reporters.Valid(f) {
			return nil, usageError("--format %q: want one of %s", f, strings.Join(reporters.Formats(), ", "))
		}
	}
	var plain []string
	files := map[string]string{}
	var order []string
	for _, o := range outputs {
		k, v, err := splitOutput(o)
		if err != nil {
			return nil, err
		}
		if k != "" {
			if _, dup := files[k]; dup {
				return nil, usageError("--output: two files for format %s", k)
			}
			files[k] = v
			order = append(order, k)
			continue
		}
		plain = append(plain, o)
	}
	var outs []output
	seen := map[string]bool{}
	for _, f := range formats {
		f = strings.ToLower(f)
		if seen[f] {
			continue
		}
		seen[f] = true
		outs = append(outs, output{format: f, file: files[f]})
	}
	for _, f := range order {
		if !seen[f] {
			seen[f] = true
			outs = append(outs, output{format: f, file: files[f]})
		}
	}
	if len(outs) == 0 {
		outs = []output{{format: "text"}}
	}
	switch {
	case len(plain) > 1:
		return nil, usageError("--output given %d files without a format; write FORMAT=FILE", len(plain))
	case len(plain) == 1:
		var stdout []int
		for i, o := range outs {
			if o.file == "" {
				stdout = append(stdout, i)
			}
		}
		if len(stdout) != 1 {
			return nil, usageError("--output %s: say which format goes there with FORMAT=FILE", plain[0])
		}
		outs[stdout[0]].file = plain[0]
	}
	n := 0
	for _, o := range outs {
		if o.file == "" || o.file == "-" {
			n++
		}
	}
	if n > 1 {
		return nil, usageError("several formats would go to standard output; give all but one a file with --output FORMAT=FILE")
	}
	return outs, nil
}

// parseFailOn reads --fail-on; "none" never fails.
func parseFailOn(s string) (model.Severity, bool, error) {
	if strings.EqualFold(s, "none") {
		return "", false, nil
	}
	sev, err := model.ParseSeverity(s)
	if err != nil {
		return "", false, usageError("--fail-on: %v (or none)", err)
	}
	return sev, true, nil
}

// parseAssignments reads name=value flags.
func parseAssignments(flag string, list []string) (map[string]string, error) {
	if len(list) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, s := range list {
		k, v, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, usageError("--%s %q: want name=value", flag, s)
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}

func (a *app) runScan(cmd *cobra.Command, f *scanFlags, args []string) error {
	ctx := cmd.Context()
	outs, err := parseOutputs(f.formats, f.outputs)
	if err != nil {
		return err
	}
	if err := applySoftFail(cmd, f); err != nil {
		return err
	}
	if _, _, err := parseFailOn(f.failOn); err != nil {
		return err
	}
	if err := f.compare.check(cmd, f.aws.enabled()); err != nil {
		return err
	}
	shown, err := shownSeverities(f.severity, f.minSeverity)
	if err != nil {
		return err
	}
	vars, err := parseAssignments("var", f.vars)
	if err != nil {
		return err
	}
	params, err := parseAssignments("parameter", f.parameters)
	if err != nil {
		return err
	}
	for _, p := range f.parameterFiles {
		if _, err := os.Stat(p); err != nil {
			return usageError("%v", err)
		}
	}
	// A variables file the user names must be there and parse: a scan
	// without its values would judge something else than asked.
	if err := terraform.CheckVarFiles(f.varFiles); err != nil {
		return usageError("%v", err)
	}
	wd, err := os.Getwd()
	if err != nil {
		return &exitCodeError{code: exitError, err: fmt.Errorf("current directory: %w", err)}
	}
	if err := checkAnchor(f.anchor); err != nil {
		return err
	}
	paths := args
	if len(paths) == 0 && !f.aws.enabled() {
		paths = []string{"."}
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return &exitCodeError{code: exitError, err: fmt.Errorf("scan %s: %w", p, errors.Unwrap(err))}
		}
	}

	opts := scan.Options{
		Paths: paths,
		Loader: loader.Options{
			WorkDir: wd, Exclude: f.exclude,
			Vars: vars, VarFiles: f.varFiles, SourceDir: f.source,
			Parameters: params, ParameterFiles: f.parameterFiles,
			Region: f.region, Account: f.account,
		},
		Evaluator:   evaluator.Options{RuleDirs: f.ruleDirs},
		ShowUnknown: f.showUnknown,
	}
	failOnName, err := f.workflow.configure(ctx, cmd, f, paths, wd, &opts)
	if err != nil {
		return err
	}
	failOn, failEnabled, err := parseFailOn(failOnName)
	if err != nil {
		return err
	}
	peers := suppress.PeerIndex(opts.Engine.Catalogue())
	if err := checkExcludes(f.exclude, wd, func(id string) []string { return suppress.PeerRules(peers, id) }); err != nil {
		return err
	}
	opts.Post.Severities = shown
	opts.Topology = drawsMaps(outs)
	if err := checkOutputFiles(outs); err != nil {
		return err
	}
	comparing, err := f.compare.start(ctx, &opts, a.stderr, f.quiet)
	if err != nil {
		return err
	}
	if !f.quiet {
		fmt.Fprintln(a.stderr, configNote(f.workflow.used, f.workflow.noConfig))
	}
	header := &reporters.Report{Tool: reporters.DefaultTool(versionString())}
	if cfg := f.workflow.used; cfg != nil {
		header.Config = cfg.File
	}
	// JSON Lines reports are written unit by unit as the scan goes.
	lines, err := openLineOutputs(outs, a.stdout, header)
	if err != nil {
		return &exitCodeError{code: exitError, err: err}
	}
	if len(lines.writers) > 0 {
		// Keep the findings only for reports written at the end and
		// for --write-baseline.
		opts.OnUnit, opts.Discard = lines.unit, lines.all(outs) && f.workflow.writeBaseline == ""
	}
	var audit *liveAudit
	if f.aws.enabled() {
		if audit, err = f.aws.start(f.quiet, wd); err != nil {
			lines.abort()
			return err
		}
		audit.opts.Clients = a.awsClients
		audit.onPlan = func(*awslive.Plan) error {
			if sh := audit.shard(); sh != nil {
				return lines.shard(*sh)
			}
			return nil
		}
		opts.Stream = audit.source
	}

	res, err := scan.Run(ctx, opts)
	if audit != nil {
		if ferr := audit.finish(err == nil, a.stderr, f.quiet); ferr != nil && err == nil {
			err = ferr
		}
	}
	if err != nil {
		lines.abort()
		return &exitCodeError{code: exitError, err: err}
	}
	comparison := comparing.result()
	if err := lines.close(res.UnitlessErrors(), res.Summary, comparison); err != nil {
		return &exitCodeError{code: exitError, err: err}
	}
	warnNothingRead(a.stderr, res, outs)

	rep := &reporters.Report{
		Tool:        header.Tool,
		Config:      header.Config,
		Findings:    res.Findings,
		Errors:      res.Errors,
		Catalogue:   res.Catalogue,
		Summary:     res.Summary,
		WorkDir:     wd,
		Anchor:      anchorFile(f.anchor, wd, paths, res.Findings),
		RepoDir:     repoDir(wd),
		CodeScanned: len(paths) > 0,
		Units:       res.Live,
		LinkBase:    githubLinkBase(wd),
		ShowUnknown: f.showUnknown,
		Comparison:  comparison,
		Topology:    res.Topology,
	}
	for _, p := range paths {
		if root, err := loader.ScanRoot(p); err == nil {
			rep.Roots = append(rep.Roots, root)
		}
	}
	if audit != nil {
		rep.Accounts, rep.Shard = audit.accounts(), audit.shard()
	}
	if err := f.workflow.finish(res, a.stderr, f.quiet); err != nil {
		return err
	}
	if err := a.writeReports(withoutStreamed(outs), rep, f); err != nil {
		return &exitCodeError{code: exitError, err: err}
	}
	if res.Failed() {
		return &exitCodeError{code: exitError, err: errors.New("no input could be read")}
	}
	if audit != nil && len(paths) == 0 && nothingLive(res.Live) {
		return &exitCodeError{code: exitError, err: errors.New("live AWS: no account or region could be read")}
	}
	if inc := res.Incomplete(); len(inc) > 0 && !f.aws.allowIncomplete {
		return incompleteError(inc, len(res.Live))
	}
	if failEnabled && f.compare.failCount(res, comparison, failOn) > 0 {
		return &exitCodeError{code: exitFindings}
	}
	return nil
}

// drawsMaps reports whether an output draws the VPC maps (HTML, Markdown,
// DOT): only then does the scan build them.
func drawsMaps(outs []output) bool {
	for _, o := range outs {
		switch o.format {
		case "html", "markdown", "dot":
			return true
		}
	}
	return false
}

// writeReports writes every requested report; a file is written whole or
// not at all.
func (a *app) writeReports(outs []output, rep *reporters.Report, f *scanFlags) error {
	for _, o := range outs {
		r := *rep
		if o.format == "sarif" {
			// Code scanning closes the alerts a run does not report.
			r = forCodeScanning(rep, f.aws != nil && f.aws.allowIncomplete, a.stderr, f.quiet)
			if r.Comparison != nil && f.compare != nil && !f.compare.sarifFixed {
				c := *r.Comparison
				c.FixedFindings = nil
				r.Comparison = &c
			}
		}
		if o.file == "" || o.file == "-" {
			r.Color = o.format == "text" && !f.noColor && useColour(a.stdout)
			if f.quiet && o.format == "text" && len(r.Findings) == 0 && len(r.Errors) == 0 {
				continue
			}
			w := bufio.NewWriter(a.stdout)
			if err := reporters.Write(w, o.format, &r); err != nil {
				return err
			}
			if err := w.Flush(); err != nil {
				return fmt.Errorf("write %s report: %w", o.format, err)
			}
			continue
		}
		if err := writeFileAtomic(o.file, func(w io.Writer) error { return reporters.Write(w, o.format, &r) }); err != nil {
			return err
		}
		if !f.quiet {
			fmt.Fprintf(a.stderr, "vpclint: wrote the %s report to %s\n", o.format, o.file)
		}
	}
	return nil
}

// writeFileAtomic writes a whole file through a temporary file renamed
// into place (atomicFile).
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := createAtomic(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// useColour reports whether w is a terminal that should get colours.
func useColour(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	file, ok := w.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// anchorFile picks the repository file that SARIF results without a file
// (live resources) point at, one that exists, since GitHub shows an alert
// on a file of the repository: --anchor, else .vpclint.yaml, README.md
// or README in the current directory or a parent up to the repository
// root, else the first finding's file, the first scanned file, the first
// file at the repository root. Paths are shown as findings' are.
func anchorFile(flag, wd string, paths []string, findings []model.Finding) string {
	if flag != "" {
		return loader.RelPath(wd, wd, flag)
	}
	root, err := loader.ScanRoot(wd)
	if err != nil {
		root = wd
	}
	regular := func(p string) bool {
		st, err := os.Stat(p)
		return err == nil && st.Mode().IsRegular()
	}
	for d := wd; ; {
		for _, name := range []string{".vpclint.yaml", ".vpclint.yml", "README.md", "README"} {
			if p := filepath.Join(d, name); regular(p) {
				return loader.RelPath(wd, root, p)
			}
		}
		parent := filepath.Dir(d)
		if !loader.Within(root, parent) || parent == d {
			break
		}
		d = parent
	}
	for _, f := range findings {
		if f.Location.File != "" {
			return f.Location.File
		}
	}
	for _, p := range paths {
		if regular(p) {
			return loader.RelPath(wd, root, p)
		}
	}
	if entries, err := os.ReadDir(root); err == nil {
		for _, e := range entries {
			if p := filepath.Join(root, e.Name()); !strings.HasPrefix(e.Name(), ".") && regular(p) {
				return loader.RelPath(wd, root, p)
			}
		}
	}
	// Nothing to point at (a live audit run in an empty directory that is
	// no repository): a name GitHub will show the alert under.
	return ".vpclint.yaml"
}
