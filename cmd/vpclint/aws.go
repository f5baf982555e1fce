package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/awslive"
	"github.com/vpclint/vpclint/loader/inventory"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/reporters"
)

// awsFlags are the live-AWS options of `vpclint scan`.
type awsFlags struct {
	aws           bool
	profile       string
	regions       []string // --region, shared with the IaC pseudo-parameter flag
	regionsAll    string   // --regions all
	roleARN       string
	accounts      []string
	org           bool
	roleName      string
	externalID    string
	endpointURL   string
	concurrency   int
	timeout       time.Duration
	unitTimeout   time.Duration
	saveInventory string
	// The selection of large audits.
	shard           string
	accountsFile    string
	excludeAccounts []string
	// allowIncomplete exits by the findings even when some account,
	// region or list could not be read.
	allowIncomplete bool
	// cmd is the scan command, whose error stream (set on the root after
	// the flags are added) gets the progress line and notes.
	cmd *cobra.Command
}

// addAWSFlags registers the live-AWS flags on the scan command. The scan
// command's --region (the deployment region for IaC pseudo parameters) is
// reused: it becomes repeatable, and with --aws each value is a region to
// read, while the IaC loaders keep seeing the last one.
func addAWSFlags(cmd *cobra.Command) *awsFlags {
	f := &awsFlags{cmd: cmd}
	fl := cmd.Flags()
	fl.BoolVar(&f.aws, "aws", false, "read live AWS accounts (read-only Describe calls) and scan them")
	fl.StringVar(&f.profile, "profile", "", "AWS shared config profile for --aws (default: the SDK's credential chain)")
	if rf := fl.Lookup("region"); rf != nil {
		rf.Value = &regionList{inner: rf.Value, list: &f.regions}
		rf.Usage += "; with --aws, a region to read (repeatable, or comma-separated)"
	} else {
		fl.StringArrayVar(&f.regions, "region", nil, "with --aws, a region to read (repeatable, or comma-separated)")
	}
	fl.StringVar(&f.regionsAll, "regions", "", `"all": with --aws, read every region enabled in each account`)
	fl.StringVar(&f.roleARN, "role-arn", "", "with --aws, a role to assume before reading")
	fl.StringSliceVar(&f.accounts, "accounts", nil, "with --aws, account ids to read through --role-name (comma-separated)")
	fl.BoolVar(&f.org, "org", false, "with --aws, read every active account of the organization through --role-name")
	fl.StringVar(&f.roleName, "role-name", "", "with --accounts or --org, the role assumed in each account")
	fl.StringVar(&f.externalID, "external-id", "", "with --aws, the external id passed when assuming roles")
	fl.StringVar(&f.endpointURL, "endpoint-url", "", "with --aws, the AWS API endpoint to call (a VPC interface endpoint, or a local API for tests)")
	fl.IntVar(&f.concurrency, "concurrency", 0, "with --aws, how many account×region reads run at once (default 16 per CPU, from 16 to 64)")
	fl.DurationVar(&f.timeout, "timeout", awslive.DefaultTimeout, "with --aws, the time limit of the whole audit's reading (account and organization look-ups included)")
	fl.DurationVar(&f.unitTimeout, "unit-timeout", awslive.DefaultUnitTimeout, "with --aws, the time limit of one account×region read")
	fl.StringVar(&f.saveInventory, "save-inventory", "", "with --aws, save what was read as a JSON snapshot FILE that findings then point into, and that a later scan of FILE re-checks offline")
	fl.StringVar(&f.shard, "shard", "", "with --aws, read only shard I of N (I/N, 0 <= I < N) of the account×regions: N runs with I = 0 ... N-1 read each once")
	fl.StringVar(&f.accountsFile, "accounts-file", "", "with --aws, a file of account ids to read through --role-name (one per line, # comments), added to --accounts")
	fl.StringSliceVar(&f.excludeAccounts, "exclude-accounts", nil, "with --aws, account ids not to read, from --org, --accounts or --accounts-file (comma-separated)")
	fl.BoolVar(&f.allowIncomplete, "allow-incomplete", false, "exit by the findings even when some account, region or list could not be read (otherwise such an audit exits 2)")
	return f
}

// regionList wraps the scan command's --region flag so that it can be
// repeated and comma-separated: every region is collected for --aws, and
// the original flag gets each region in turn (so it keeps the last one).
type regionList struct {
	inner pflag.Value
	list  *[]string
	set   bool
}

func (r *regionList) String() string { return r.inner.String() }
func (r *regionList) Type() string   { return "strings" }

func (r *regionList) Set(s string) error {
	if !r.set {
		*r.list = nil
		r.set = true
	}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*r.list = append(*r.list, p)
			if err := r.inner.Set(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// awsOnlyFlags are the flags that mean nothing without --aws.
func awsOnlyFlags() []string {
	return []string{"profile", "regions", "role-arn", "accounts", "org", "role-name", "external-id", "endpoint-url", "concurrency", "timeout", "unit-timeout", "save-inventory", "shard", "accounts-file", "exclude-accounts"}
}

// enabled reports whether the user asked for a live AWS scan: --aws, or a
// flag that only --aws uses (load then says that --aws is missing, rather
// than the flag being ignored).
func (f *awsFlags) enabled() bool { return f.aws || f.strayFlag() != "" }

// strayFlag is a live-AWS flag given without --aws.
func (f *awsFlags) strayFlag() string {
	if f.aws {
		return ""
	}
	for _, name := range awsOnlyFlags() {
		if fl := f.cmd.Flags().Lookup(name); fl != nil && fl.Changed {
			return name
		}
	}
	return ""
}

// options turns the flags into the loader's options.
func (f *awsFlags) options(quiet bool) (awslive.Options, error) {
	if name := f.strayFlag(); name != "" {
		return awslive.Options{}, usageError("--%s reads live AWS accounts: add --aws", name)
	}
	o := awslive.Options{
		Profile: f.profile, Regions: f.regions, RoleARN: f.roleARN, Accounts: f.accounts, Org: f.org,
		ExcludeAccounts: f.excludeAccounts, RoleName: f.roleName, ExternalID: f.externalID, EndpointURL: f.endpointURL,
		Concurrency: f.concurrency, Timeout: f.timeout, UnitTimeout: f.unitTimeout,
	}
	if f.accountsFile != "" {
		ids, err := readAccountsFile(f.accountsFile)
		if err != nil {
			return o, usageError("--accounts-file: %v", err)
		}
		o.Accounts = append(o.Accounts, ids...)
	}
	if f.shard != "" {
		sh, err := awslive.ParseShard(f.shard)
		if err != nil {
			return o, usageError("--shard: %v", err)
		}
		o.Shard = sh
	}
	switch strings.ToLower(strings.TrimSpace(f.regionsAll)) {
	case "":
	case "all":
		if len(f.regions) > 0 {
			return o, usageError("--regions all and --region: choose one")
		}
		o.AllRegions = true
	default:
		return o, usageError("--regions %q: the only value is all (use --region for a list)", f.regionsAll)
	}
	if f.concurrency < 0 || f.cmd.Flags().Changed("concurrency") && f.concurrency == 0 {
		return o, usageError("--concurrency %d: want at least 1", f.concurrency)
	}
	if f.timeout <= 0 {
		return o, usageError("--timeout %s: want a positive duration", f.timeout)
	}
	if f.unitTimeout <= 0 {
		return o, usageError("--unit-timeout %s: want a positive duration", f.unitTimeout)
	}
	if stderr := f.cmd.ErrOrStderr(); !quiet {
		// A line per account×region in a log, one line rewritten in
		// place on a terminal.
		o.Progress, o.ProgressLines = stderr, !isTerminal(stderr)
	}
	return o, nil
}

// readAccountsFile reads account ids, one per line (or separated by commas
// or spaces); # starts a comment.
func readAccountsFile(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ids []string
	for n, line := range strings.Split(string(b), "\n") {
		line, _, _ = strings.Cut(line, "#")
		for _, id := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
			if !accountID(id) {
				return nil, fmt.Errorf("%s:%d: %q is not an account id (12 digits)", path, n+1, safetext.Line(id))
			}
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%s: no account id", path)
	}
	return ids, nil
}

func accountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// liveAudit is a live audit in progress: its options, the snapshot being
// written (--save-inventory) and, once known, its plan.
type liveAudit struct {
	opts  awslive.Options
	plan  *awslive.Plan
	inv   *atomicFile
	invw  *inventory.Writer
	saved int
	// onPlan is told the plan before the first unit is read.
	onPlan  func(*awslive.Plan) error
	planErr error
}

// start prepares a live audit: its options, and the snapshot file.
func (f *awsFlags) start(quiet bool, wd string) (*liveAudit, error) {
	opts, err := f.options(quiet)
	if err != nil {
		return nil, err
	}
	a := &liveAudit{opts: opts}
	a.opts.OnPlan = func(p *awslive.Plan) {
		a.plan = p
		if a.onPlan != nil {
			a.planErr = a.onPlan(p)
		}
	}
	if f.saveInventory != "" {
		if a.inv, err = createAtomic(f.saveInventory); err != nil {
			return nil, fmt.Errorf("save the inventory: %w", err)
		}
		// Findings point into the snapshot at the path a later scan of it
		// shows.
		a.invw = inventory.NewWriter(a.inv, loader.RelPath(wd, wd, f.saveInventory))
	}
	return a, nil
}

// source hands the units read to the scan (scan.Options.Stream), each
// written to the snapshot first, so that its findings point at its lines
// there.
func (a *liveAudit) source(ctx context.Context, emit func(*model.Model, []model.LoadError) error) error {
	_, err := awslive.Stream(ctx, a.opts, func(u awslive.Unit) error {
		if a.planErr != nil {
			return a.planErr
		}
		m := u.Model
		if a.invw != nil {
			var err error
			if m, err = a.invw.Write(u.Model); err != nil {
				return fmt.Errorf("save the inventory: %w", err)
			}
			a.saved++
		}
		return emit(m, u.Errors)
	})
	if err != nil {
		return fmt.Errorf("live AWS: %w", err)
	}
	return nil
}

// finish puts the snapshot in place, or drops it when the scan failed.
func (a *liveAudit) finish(ok bool, stderr io.Writer, quiet bool) error {
	if a.inv == nil {
		return nil
	}
	if !ok {
		a.inv.Abort()
		return nil
	}
	if err := a.invw.Close(); err != nil {
		a.inv.Abort()
		return err
	}
	if err := a.inv.Commit(); err != nil {
		return fmt.Errorf("save the inventory: %w", err)
	}
	if !quiet {
		fmt.Fprintf(stderr, "vpclint: saved the inventory of %d account×region(s) to %s\n", a.saved, a.inv.path)
	}
	return nil
}

// accounts are the accounts the audit read.
func (a *liveAudit) accounts() []string {
	if a.plan == nil {
		return nil
	}
	return a.plan.Accounts
}

// shard is the shard the audit read, for the reports; nil when the audit
// is not sharded.
func (a *liveAudit) shard() *reporters.Shard {
	if a.plan == nil || a.plan.Shard.Count == 0 {
		return nil
	}
	p := a.plan
	return &reporters.Shard{Index: p.Shard.Index, Count: p.Shard.Count, Selection: p.Selection, Units: p.Units, Total: p.Total}
}

// forCodeScanning is the report to upload to code scanning. Code scanning
// closes every alert of a category that a new analysis does not report, so
// an account some of whose account×regions or lists could not be read
// would see the alerts of what was not read closed as fixed: its run is
// left out, and its alerts stay as they were, unless allowIncomplete.
func forCodeScanning(rep *reporters.Report, allowIncomplete bool, stderr io.Writer, quiet bool) reporters.Report {
	r := *rep
	if allowIncomplete {
		return r
	}
	skip := map[string]bool{}
	for _, u := range rep.Units {
		if u.Status != model.UnitComplete && u.Account != "" {
			skip[u.Account] = true
		}
	}
	if len(skip) == 0 {
		return r
	}
	r.Accounts = slices.DeleteFunc(slices.Clone(rep.Accounts), func(a string) bool { return skip[a] })
	r.Findings = slices.DeleteFunc(slices.Clone(rep.Findings), func(f model.Finding) bool {
		return f.Source.Format == model.FormatAWS && skip[f.Source.Account]
	})
	if !quiet {
		left := slices.Sorted(maps.Keys(skip))
		fmt.Fprintf(stderr, "vpclint: SARIF: left out account(s) %s, not read completely: their code-scanning alerts stay as they were (--allow-incomplete uploads what was read)\n", strings.Join(left, ", "))
	}
	return r
}

// nothingLive reports whether a live audit read nothing at all.
func nothingLive(units []model.UnitStatus) bool {
	for _, st := range units {
		if st.Status != model.UnitFailed {
			return false
		}
	}
	return true
}

// incompleteError is the exit of an audit that could not read everything.
func incompleteError(inc []model.UnitStatus, total int) error {
	failed := 0
	for _, st := range inc {
		if st.Status == model.UnitFailed {
			failed++
		}
	}
	return &exitCodeError{code: exitError, err: fmt.Errorf("incomplete: %d of %d account×region(s) not read completely (%d not read at all, %d with lists not read; see the report's errors); the findings cover what was read. --allow-incomplete exits by the findings instead",
		len(inc), total, failed, len(inc)-failed)}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	file, ok := w.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}
