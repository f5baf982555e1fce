package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/awslive"
	"github.com/vpclint/vpclint/loader/inventory"
	"github.com/vpclint/vpclint/model"
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
	fl.IntVar(&f.concurrency, "concurrency", awslive.DefaultConcurrency, "with --aws, how many account×region reads run at once")
	fl.DurationVar(&f.timeout, "timeout", awslive.DefaultTimeout, "with --aws, the time limit of the whole audit's reading (account and organization look-ups included)")
	fl.DurationVar(&f.unitTimeout, "unit-timeout", awslive.DefaultUnitTimeout, "with --aws, the time limit of one account×region read")
	fl.StringVar(&f.saveInventory, "save-inventory", "", "with --aws, save what was read as a JSON snapshot FILE that findings then point into, and that a later scan of FILE re-checks offline")
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
	return []string{"profile", "regions", "role-arn", "accounts", "org", "role-name", "external-id", "endpoint-url", "concurrency", "timeout", "unit-timeout", "save-inventory"}
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
		RoleName: f.roleName, ExternalID: f.externalID, EndpointURL: f.endpointURL,
		Concurrency: f.concurrency, Timeout: f.timeout, UnitTimeout: f.unitTimeout,
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
	if f.concurrency < 1 {
		return o, usageError("--concurrency %d: want at least 1", f.concurrency)
	}
	if f.timeout <= 0 {
		return o, usageError("--timeout %s: want a positive duration", f.timeout)
	}
	if f.unitTimeout <= 0 {
		return o, usageError("--unit-timeout %s: want a positive duration", f.unitTimeout)
	}
	if stderr := f.cmd.ErrOrStderr(); !quiet && isTerminal(stderr) {
		o.Progress = stderr
	}
	return o, nil
}

// load reads the live accounts and regions into model units. With
// --save-inventory it writes the snapshot and returns the units as read
// back from it, so findings point at the snapshot's lines.
func (f *awsFlags) load(ctx context.Context, quiet bool) ([]*model.Model, []model.LoadError, error) {
	opts, err := f.options(quiet)
	if err != nil {
		return nil, nil, err
	}
	units, errs, err := awslive.Load(ctx, opts)
	if err != nil {
		return nil, errs, err
	}
	if f.saveInventory == "" {
		return units, errs, nil
	}
	var buf bytes.Buffer
	if err := inventory.Write(&buf, units); err != nil {
		return nil, errs, err
	}
	if err := writeFileAtomic(f.saveInventory, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	}); err != nil {
		return nil, errs, fmt.Errorf("save the inventory: %w", err)
	}
	if !quiet {
		fmt.Fprintf(f.cmd.ErrOrStderr(), "vpclint: saved the inventory of %d account×region(s) to %s\n", len(units), f.saveInventory)
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, errs, fmt.Errorf("current directory: %w", err)
	}
	rel := loader.RelPath(wd, wd, f.saveInventory)
	reread, rerrs := inventory.New().Load(ctx, loader.Input{Path: f.saveInventory, Rel: rel, Content: buf.Bytes()}, loader.Options{WorkDir: wd})
	return reread, append(errs, rerrs...), nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	file, ok := w.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}
