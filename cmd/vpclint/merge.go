package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/reporters"
	"github.com/vpclint/vpclint/scan"
)

// GitHub code scanning's limits on one SARIF upload
// (docs.github.com, "SARIF results exceed one or more limits" and "SARIF
// file is too large"; docs/aws.md "Code-scanning limits").
func githubSARIFLimits() sarifLimits {
	// At most 20 runs; 10 MB gzip-compressed, less a margin for the
	// upload's own encoding.
	return sarifLimits{runs: 20, gzip: 9 << 20}
}

// sarifLimits bound one SARIF file.
type sarifLimits struct {
	runs int // runs per file
	gzip int // bytes, gzip-compressed
}

// mergeFlags are the options of `vpclint merge`.
type mergeFlags struct {
	formats         []string
	outputs         []string
	sarifDir        string
	shards          int
	failOn          string
	ruleDirs        []string
	anchor          string
	allowIncomplete bool
	wait            time.Duration
	maxAge          time.Duration
	quiet           bool
}

func (a *app) mergeCommand() *cobra.Command {
	f := &mergeFlags{}
	cmd := &cobra.Command{
		Use:   "merge REPORT|DIR...",
		Short: "Merge the JSON or JSON Lines reports of the shards of an audit into one report",
		Long: `Merge combines the reports of the shards of a live audit (vpclint scan --aws
--shard I/N --format jsonl, or json) into one report: JSON, JSON Lines,
Markdown, JUnit, text, and SARIF for GitHub code scanning with one run per
account (category vpclint/aws/<account>/), split with --sarif-dir into as many
files as GitHub's limits on one upload need (20 runs, 10 MB compressed).

A shard whose report is missing, unreadable or cut short (its run did not
finish) is named in the merged report, and merge exits 2; so does a shard
that could not read some of its account×regions, unless --allow-incomplete.
Shards must come from the same audit (the same selection of accounts and
regions) and each index only once. A directory stands for the .json and
.jsonl reports in it; with --wait, merge first waits until --shards reports
are there (shards write theirs whole, by renaming), or the time is up;
--max-age leaves out the reports an earlier run left there.

Exit status: 0 merged, 1 findings at or above --fail-on (default none),
2 a shard is missing, failed or incomplete, or the reports cannot be merged.`,
		Example: `  vpclint merge shards/*.jsonl --format json --output merged.json --sarif-dir sarif/
  vpclint merge --shards 8 shards/*.jsonl --format markdown --output summary.md`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runMerge(cmd, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.formats, "format", "f", nil, "output format: "+strings.Join(reporters.Formats(), ", ")+" (repeatable; default json)")
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "write the report to FILE, or one format's report with FORMAT=FILE (repeatable)")
	fl.StringVar(&f.sarifDir, "sarif-dir", "", "write SARIF for code scanning into DIR: one run per account, in as many files as GitHub's upload limits need")
	fl.IntVar(&f.shards, "shards", 0, "the number of shards the audit has (default: as the reports say); a shard without a report is missing")
	fl.StringVar(&f.failOn, "fail-on", "none", "exit 1 when a finding is at or above this severity: critical, high, medium, low, info or none")
	fl.StringArrayVar(&f.ruleDirs, "rules", nil, "directory of the custom Rego rules the shards ran (for their help in SARIF; repeatable)")
	fl.StringVar(&f.anchor, "anchor", "", "repository file that SARIF results without a file point at (default .vpclint.yaml, README.md)")
	fl.BoolVar(&f.allowIncomplete, "allow-incomplete", false, "exit by the findings even when a shard could not read some of its account×regions")
	fl.DurationVar(&f.wait, "wait", 0, "with --shards and directories, wait up to this long for every shard's report to appear before merging")
	fl.DurationVar(&f.maxAge, "max-age", 0, "leave out the reports in directories written longer ago than this (an earlier run's), so that a shard that did not run this time is missing")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print only errors")
	return cmd
}

// shardReport is one report given to merge.
type shardReport struct {
	file string
	rep  *reporters.Report
	err  error
}

func (a *app) runMerge(cmd *cobra.Command, f *mergeFlags, files []string) error {
	formats := f.formats
	if len(formats) == 0 && f.sarifDir == "" && len(f.outputs) == 0 {
		formats = []string{"json"}
	}
	outs, err := parseOutputs(formats, f.outputs)
	if err != nil {
		return err
	}
	if len(formats) == 0 && len(f.outputs) == 0 {
		outs = nil // only --sarif-dir
	}
	failOn, failEnabled, err := parseFailOn(f.failOn)
	if err != nil {
		return err
	}
	if f.shards < 0 {
		return usageError("--shards %d: want a positive number", f.shards)
	}
	if err := checkOutputFiles(outs); err != nil {
		return err
	}
	eng, err := a.engine(cmd, f.ruleDirs)
	if err != nil {
		return err
	}
	if f.wait < 0 || f.wait > 0 && f.shards == 0 {
		return usageError("--wait needs --shards and a positive duration")
	}
	if f.maxAge < 0 {
		return usageError("--max-age %s: want a positive duration", f.maxAge)
	}
	files, err = waitForReports(cmd.Context(), files, f.shards, f.wait, f.maxAge)
	if err != nil {
		return &exitCodeError{code: exitError, err: err}
	}
	var reports []shardReport
	for _, file := range files {
		reports = append(reports, readShardReport(file))
	}
	merged, problems, err := mergeReports(reports, f.shards)
	if err != nil {
		return &exitCodeError{code: exitError, err: err}
	}
	wd, err := os.Getwd()
	if err != nil {
		return &exitCodeError{code: exitError, err: fmt.Errorf("current directory: %w", err)}
	}
	merged.Catalogue = append(eng.Catalogue(), scan.SuppressionRules(eng)...)
	merged.WorkDir = wd
	merged.Anchor = anchorFile(f.anchor, wd, nil, merged.Findings)
	merged.LinkBase = githubLinkBase(wd)

	sf := &scanFlags{quiet: f.quiet, aws: &awsFlags{allowIncomplete: f.allowIncomplete}}
	if err := a.writeReports(outs, merged, sf); err != nil {
		return &exitCodeError{code: exitError, err: err}
	}
	if f.sarifDir != "" {
		upload := forCodeScanning(merged, f.allowIncomplete, a.stderr, f.quiet)
		written, err := writeSARIFFiles(f.sarifDir, &upload, githubSARIFLimits())
		if err != nil {
			return &exitCodeError{code: exitError, err: err}
		}
		if !f.quiet {
			fmt.Fprintf(a.stderr, "vpclint: wrote %d SARIF file(s) for %d account(s) to %s\n", len(written), len(upload.Accounts), f.sarifDir)
		}
	}
	for _, p := range problems {
		fmt.Fprintf(a.stderr, "vpclint: %s\n", safetext.Line(p))
	}
	if len(problems) > 0 {
		return &exitCodeError{code: exitError, err: fmt.Errorf("%d shard(s) missing or failed", len(problems))}
	}
	var inc []model.UnitStatus
	for _, st := range merged.Units {
		if st.Status != model.UnitComplete {
			inc = append(inc, st)
		}
	}
	if len(inc) > 0 && !f.allowIncomplete {
		return incompleteError(inc, len(merged.Units))
	}
	if failEnabled && merged.Summary.Findings.AtLeast(failOn) > 0 {
		return &exitCodeError{code: exitFindings}
	}
	return nil
}

// reportFiles lists the reports named: files as given, and the .json
// and .jsonl files of directories, sorted, but for those written before
// notBefore (when set).
func reportFiles(args []string, notBefore time.Time) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil || !st.IsDir() {
			out = append(out, a) // read, or named as unreadable, later
			continue
		}
		entries, err := os.ReadDir(a)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", a, pathlessErr(err))
		}
		for _, e := range entries {
			n := e.Name()
			if !e.Type().IsRegular() || strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".jsonl") && !strings.HasSuffix(n, ".json") {
				continue
			}
			if info, err := e.Info(); err != nil || !notBefore.IsZero() && info.ModTime().Before(notBefore) {
				continue
			}
			out = append(out, filepath.Join(a, n))
		}
	}
	return out, nil
}

// waitForReports lists the reports, waiting up to wait for shards of them
// to be there (a shard's report appears whole, when its run ends). After
// wait, merge goes on with what is there and names the rest missing.
func waitForReports(ctx context.Context, args []string, shards int, wait, maxAge time.Duration) ([]string, error) {
	start := time.Now()
	deadline := start.Add(wait)
	var notBefore time.Time
	if maxAge > 0 {
		notBefore = start.Add(-maxAge)
	}
	for {
		files, err := reportFiles(args, notBefore)
		if err != nil || wait == 0 || len(files) >= shards || !time.Now().Before(deadline) {
			return files, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(min(time.Second, time.Until(deadline))):
		}
	}
}

// readShardReport reads one report; a report that cannot be read is kept
// with its error, to be named in the merged report.
func readShardReport(file string) shardReport {
	in, err := os.Open(file)
	if err != nil {
		return shardReport{file: file, err: pathlessErr(err)}
	}
	defer in.Close()
	rep, err := reporters.ReadReport(in)
	return shardReport{file: file, rep: rep, err: err}
}

// mergeReports combines the reports of an audit's shards. problems name
// the shards that are missing or failed (also errors of the merged
// report); err is for reports that cannot be merged at all.
func mergeReports(reports []shardReport, count int) (*reporters.Report, []string, error) {
	out := &reporters.Report{Finished: true}
	var problems []string
	fail := func(msg string) {
		problems = append(problems, msg)
		out.Errors = append(out.Errors, model.LoadError{Level: model.LevelError, Message: msg})
	}
	// Sharded or not: all the readable reports agree.
	sharded, plain := 0, 0
	selection := ""
	for _, r := range reports {
		if r.rep == nil {
			continue
		}
		if r.rep.Shard == nil {
			plain++
			continue
		}
		sharded++
		s := r.rep.Shard
		if count == 0 {
			count = s.Count
		}
		if s.Count != count {
			return nil, nil, fmt.Errorf("%s is shard %d of %d, not of %d: reports of different audits", r.file, s.Index, s.Count, count)
		}
		if selection == "" {
			selection = s.Selection
		} else if s.Selection != selection {
			return nil, nil, fmt.Errorf("%s read another selection of accounts and regions (%s, not %s): its shards ran on a different organization or options", r.file, s.Selection, selection)
		}
	}
	if sharded > 0 && plain > 0 {
		return nil, nil, errors.New("some reports are of shards (--shard) and some are not: merge the shards of one audit")
	}
	byIndex := map[int]shardReport{}
	for _, r := range reports {
		if r.err != nil {
			fail(fmt.Sprintf("%s: cannot be read: %v", r.file, r.err))
			continue
		}
		if r.rep.Shard != nil {
			if prev, dup := byIndex[r.rep.Shard.Index]; dup {
				return nil, nil, fmt.Errorf("%s and %s are both shard %d/%d", prev.file, r.file, r.rep.Shard.Index, count)
			}
			byIndex[r.rep.Shard.Index] = r
		}
		if !r.rep.Finished {
			who := r.file
			if s := r.rep.Shard; s != nil {
				who = fmt.Sprintf("shard %d/%d (%s)", s.Index, s.Count, r.file)
			}
			fail(who + ": its run did not finish (the report has no summary); the account×regions it had not reported are missing")
		}
		add(out, r.rep)
	}
	if sharded > 0 || count > 0 {
		for i := range count {
			st := reporters.ShardStatus{Index: i, Status: reporters.ShardMissing}
			r, ok := byIndex[i]
			switch {
			case !ok:
				st.Error = "no report"
				fail(fmt.Sprintf("shard %d/%d: missing (no report among the files given)", i, count))
			case !r.rep.Finished:
				st.File, st.Status, st.Error = r.file, reporters.ShardFailed, "the run did not finish"
			default:
				st.File, st.Status = r.file, reporters.ShardMerged
				for _, u := range r.rep.Units {
					if u.Status != model.UnitComplete {
						st.Status = reporters.ShardIncomplete
						break
					}
				}
			}
			out.Shards = append(out.Shards, st)
		}
	}
	scan.SortFindings(out.Findings)
	scan.SortErrors(out.Errors)
	counts := model.Summarize(out.Findings, 0, 0)
	out.Summary.Findings, out.Summary.Suppressed = counts.Findings, counts.Suppressed
	sort.Slice(out.Units, func(i, j int) bool { return out.Units[i].Unit < out.Units[j].Unit })
	accounts := map[string]bool{}
	for _, u := range out.Units {
		if u.Account != "" {
			accounts[u.Account] = true
		}
	}
	for _, fd := range out.Findings {
		if fd.Source.Account != "" {
			accounts[fd.Source.Account] = true
		}
	}
	for a := range accounts {
		out.Accounts = append(out.Accounts, a)
	}
	sort.Strings(out.Accounts)
	return out, problems, nil
}

// add adds one report's findings, errors, units and counts to the merged
// one.
func add(out, r *reporters.Report) {
	if out.Tool.Name == "" {
		out.Tool = r.Tool
	}
	if out.Config == "" {
		out.Config = r.Config
	}
	out.Findings = append(out.Findings, r.Findings...)
	out.Errors = append(out.Errors, r.Errors...)
	out.Units = append(out.Units, r.Units...)
	// The findings are counted once merged; the rest of a summary only a
	// finished report has, and of one cut short its units say the
	// resources.
	s, t := &out.Summary, r.Summary
	if !r.Finished {
		for _, u := range r.Units {
			s.Resources += u.Resources
		}
		return
	}
	s.Files += t.Files
	s.Resources += t.Resources
	s.Undecided += t.Undecided
	s.Baselined += t.Baselined
	s.Hidden += t.Hidden
	s.Empty = append(s.Empty, t.Empty...)
}

// writeSARIFFiles writes the merged report as SARIF files for code
// scanning: one run per account (and one for code findings, if any), as
// few files as the limits allow (GitHub's: at most 20 runs and 9 MB
// gzip-compressed each), built by the SARIF reporter. It returns the
// files written.
func writeSARIFFiles(dir string, r *reporters.Report, lim sarifLimits) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("--sarif-dir: %w", err)
	}
	// A group is a run: "" for code, else an account.
	var groups []string
	byGroup := map[string][]model.Finding{}
	for _, fd := range r.Findings {
		g := ""
		if fd.Source.Format == model.FormatAWS && (fd.Location.File == "" || fd.Source.Account != "") {
			g = fd.Source.Account
			if g == "" {
				g = "unknown"
			}
		}
		byGroup[g] = append(byGroup[g], fd)
	}
	if _, ok := byGroup[""]; ok {
		groups = append(groups, "")
	}
	groups = append(groups, r.Accounts...)
	var others []string // accounts of findings the report does not list
	for g := range byGroup {
		if g != "" && !slices.Contains(groups, g) {
			others = append(others, g)
		}
	}
	slices.Sort(others)
	groups = append(groups, others...)
	build := func(gs []string) ([]byte, error) {
		part := *r
		part.Findings, part.Accounts, part.Errors, part.CodeScanned = nil, nil, nil, false
		for _, g := range gs {
			part.Findings = append(part.Findings, byGroup[g]...)
			if g != "" {
				part.Accounts = append(part.Accounts, g)
			}
		}
		for _, e := range r.Errors {
			if e.Account != "" && slices.Contains(gs, e.Account) {
				part.Errors = append(part.Errors, e)
			}
		}
		var buf bytes.Buffer
		if err := reporters.Write(&buf, "sarif", &part); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	var files [][]byte
	var pack func(gs []string) error
	pack = func(gs []string) error {
		for len(gs) > lim.runs {
			if err := pack(gs[:lim.runs]); err != nil {
				return err
			}
			gs = gs[lim.runs:]
		}
		if len(gs) == 0 {
			return nil
		}
		b, err := build(gs)
		if err != nil {
			return err
		}
		if len(gs) > 1 && gzipSize(b) > lim.gzip {
			if err := pack(gs[:len(gs)/2]); err != nil {
				return err
			}
			return pack(gs[len(gs)/2:])
		}
		files = append(files, b)
		return nil
	}
	if len(groups) == 0 {
		groups = []string{""} // an empty code run, so that fixed alerts close
	}
	if err := pack(groups); err != nil {
		return nil, err
	}
	var written []string
	for i, b := range files {
		name := filepath.Join(dir, fmt.Sprintf("vpclint-%03d.sarif", i+1))
		if err := writeFileAtomic(name, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return written, err
		}
		written = append(written, name)
	}
	return written, nil
}

// gzipSize is the size of b compressed as GitHub measures uploads.
func gzipSize(b []byte) int {
	var n countingWriter
	zw := gzip.NewWriter(&n)
	zw.Write(b)
	zw.Close()
	return int(n)
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
