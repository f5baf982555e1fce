// Package awslive reads the live state of AWS accounts into vpclint's model:
// one model.Model per account and region, with real ids, ARNs and
// Source{Format: "aws", Account, Region}.
//
// It only ever calls read-only APIs (ec2 Describe*/Get*, sts
// GetCallerIdentity and AssumeRole, organizations ListAccounts), walks every
// paginated API with the SDK's paginators, retries throttling with the
// SDK's adaptive retry mode and uses one EC2 client (so one rate limiter)
// per account and region. An account or region that cannot be read is a
// model.LoadError naming the account, the region and the API call; the rest
// of the audit completes.
//
// The package is named awslive, not aws, so that it does not shadow the
// SDK's aws package in the files that use both.
package awslive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"

	"github.com/vpclint/vpclint/model"
)

// Defaults of Options.
const (
	DefaultConcurrency = 4
	DefaultTimeout     = 10 * time.Minute
	// RoleSessionName names the sessions vpclint opens with AssumeRole,
	// so CloudTrail shows who read the account.
	RoleSessionName = "vpclint-audit"
)

// Options say which accounts and regions to read and how.
type Options struct {
	// Profile is the shared config profile; empty means the default
	// credential chain (environment, profile, SSO, web identity, IMDS).
	Profile string
	// Regions to read; empty means the profile's or environment's region.
	Regions []string
	// AllRegions reads every region enabled in each account
	// (ec2:DescribeRegions); Regions is then ignored.
	AllRegions bool
	// RoleARN is a role to assume first; the accounts are read with it
	// (or, with Accounts/Org, the per-account roles are assumed from it).
	RoleARN string
	// Accounts are account ids to read through RoleName in each.
	Accounts []string
	// Org reads every active account of the organization
	// (organizations:ListAccounts) through RoleName in each.
	Org bool
	// RoleName is the role (name or path/name) assumed in each account of
	// Accounts or of the organization.
	RoleName string
	// ExternalID is passed to every AssumeRole call.
	ExternalID string
	// EndpointURL overrides the endpoint of every service (a local API
	// for tests). Per-service overrides are the SDK's
	// AWS_ENDPOINT_URL_<SERVICE> environment variables.
	EndpointURL string
	// Concurrency is how many account×region reads run at once
	// (default 4).
	Concurrency int
	// Timeout bounds the read of one account×region (default 10m); a read
	// that runs out of time is an error for that account and region.
	Timeout time.Duration
	// Progress, when set, receives a progress line ("accounts×regions
	// done: 3/8"); nil is silent. The caller decides whether it is a
	// terminal.
	Progress io.Writer

	// Clients replaces the SDK clients (tests, instrumentation); nil
	// means the real ones.
	Clients Clients
	// HTTPClient replaces the SDK's HTTP client (proxies, tests).
	HTTPClient aws.HTTPClient
	// Retry tunes the adaptive retryer; zero values keep the SDK's
	// defaults except MaxAttempts, which defaults to 10.
	Retry RetryOptions
}

// RetryOptions tune the retries of throttled or failed calls.
type RetryOptions struct {
	// Mode is aws.RetryModeAdaptive (the default: retries with backoff and
	// a client-side rate limit that slows down once EC2 throttles) or
	// aws.RetryModeStandard (retries with backoff only).
	Mode        aws.RetryMode
	MaxAttempts int
	// MaxBackoff caps the wait between two attempts.
	MaxBackoff time.Duration
}

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// Load reads every selected account and region. It returns one model per
// account×region that could be read (unit "aws:<account>/<region>") and a
// LoadError for each account, region or call that failed. The error is
// non-nil only when the options are wrong or nothing at all could be read.
func Load(ctx context.Context, opts Options) ([]*model.Model, []model.LoadError, error) {
	opts.Regions = cleanList(opts.Regions)
	opts.Accounts = cleanList(opts.Accounts)
	if err := opts.validate(); err != nil {
		return nil, nil, err
	}
	r, err := newRun(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	return r.load(ctx)
}

func (o *Options) validate() error {
	if o.Org && len(o.Accounts) > 0 {
		return errors.New("choose --org or --accounts, not both")
	}
	if (o.Org || len(o.Accounts) > 0) && o.RoleName == "" {
		return errors.New("--accounts and --org need --role-name: the role assumed in each account")
	}
	if o.RoleName != "" && !o.Org && len(o.Accounts) == 0 {
		return errors.New("--role-name needs --accounts or --org")
	}
	for _, a := range o.Accounts {
		if !accountIDPattern.MatchString(a) {
			return fmt.Errorf("account id %q: want 12 digits", a)
		}
	}
	if o.Concurrency < 0 {
		return fmt.Errorf("concurrency %d: want a positive number", o.Concurrency)
	}
	if o.Timeout < 0 {
		return fmt.Errorf("timeout %s: want a positive duration", o.Timeout)
	}
	return nil
}

// run is one audit: the base configuration and the clients.
type run struct {
	opts    Options
	clients Clients
	base    aws.Config
}

func newRun(ctx context.Context, opts Options) (*run, error) {
	if opts.Concurrency == 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Retry.MaxAttempts == 0 {
		opts.Retry.MaxAttempts = 10
	}
	retryOpts := opts.Retry
	lo := []func(*config.LoadOptions) error{
		// A new retryer per client: each account×region gets its own
		// adaptive rate limiter and retry token bucket.
		config.WithRetryer(func() aws.Retryer { return newRetryer(retryOpts) }),
		// The SDK's own log lines (warnings about IMDS fallbacks ...)
		// would mix with the report; failures come back as errors.
		config.WithLogger(logging.Nop{}),
	}
	if opts.Profile != "" {
		lo = append(lo, config.WithSharedConfigProfile(opts.Profile))
	}
	if len(opts.Regions) > 0 {
		lo = append(lo, config.WithRegion(opts.Regions[0]))
	}
	if opts.EndpointURL != "" {
		lo = append(lo, config.WithBaseEndpoint(opts.EndpointURL))
	}
	cfg, err := config.LoadDefaultConfig(ctx, lo...)
	if err != nil {
		return nil, fmt.Errorf("load the AWS configuration: %w", err)
	}
	if opts.HTTPClient != nil {
		// Set after loading: the loader would try to add AWS_CA_BUNDLE
		// to a client it does not know.
		cfg.HTTPClient = opts.HTTPClient
	}
	if cfg.Region == "" {
		if !opts.AllRegions {
			return nil, errors.New("no region: give --region (repeatable) or --regions all, or set one in the profile or AWS_REGION")
		}
		// Global calls (sts, organizations, ec2:DescribeRegions) need a
		// region to sign for.
		cfg.Region = "us-east-1"
	}
	clients := opts.Clients
	if clients == nil {
		clients = SDKClients{}
	}
	return &run{opts: opts, clients: clients, base: cfg}, nil
}

func newRetryer(o RetryOptions) aws.Retryer {
	std := func(so *retry.StandardOptions) {
		so.MaxAttempts = o.MaxAttempts
		if o.MaxBackoff > 0 {
			so.MaxBackoff = o.MaxBackoff
			so.Backoff = retry.NewExponentialJitterBackoff(o.MaxBackoff)
		}
	}
	if o.Mode == aws.RetryModeStandard {
		return retry.NewStandard(std)
	}
	return retry.NewAdaptiveMode(func(ao *retry.AdaptiveModeOptions) {
		ao.StandardOptions = append(ao.StandardOptions, std)
	})
}

// target is one account to read, with the credentials to read it.
type target struct {
	account   string
	partition string
	cfg       aws.Config
	regions   []string
}

// job is one account×region read.
type job struct {
	t      *target
	region string
}

func (r *run) load(ctx context.Context) ([]*model.Model, []model.LoadError, error) {
	var errs errList
	targets := r.targets(ctx, &errs)
	r.resolveRegions(ctx, targets, &errs)
	var jobs []job
	for _, t := range targets {
		for _, reg := range t.regions {
			jobs = append(jobs, job{t: t, region: reg})
		}
	}
	sem := make(chan struct{}, r.opts.Concurrency)
	zones := r.allHostedZones(ctx, targets, sem, &errs)
	prog := newProgress(r.opts.Progress, len(jobs))
	units := make([]*model.Model, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		if ctx.Err() != nil {
			errs.add(model.LoadError{Account: j.t.account, Region: j.region, Level: model.LevelError, Message: "not read: " + ctx.Err().Error()})
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			m, les := r.readRegion(ctx, j)
			if m != nil {
				m.HostedZones = zonesForRegion(zones[j.t], j.region)
			}
			units[i] = m
			errs.add(les...)
			prog.step()
		}()
	}
	wg.Wait()
	prog.finish()
	var out []*model.Model
	for _, u := range units {
		if u != nil {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Unit < out[j].Unit })
	list := errs.sorted()
	if len(out) == 0 {
		if err := ctx.Err(); err != nil {
			return nil, list, err
		}
		return nil, list, nothingRead(list, len(jobs))
	}
	return out, list, nil
}

func nothingRead(errs []model.LoadError, jobs int) error {
	var msgs []string
	for i, e := range errs {
		if i == 3 {
			msgs = append(msgs, fmt.Sprintf("and %d more", len(errs)-3))
			break
		}
		msgs = append(msgs, e.Error())
	}
	if len(msgs) == 0 {
		if jobs == 0 {
			return errors.New("no account or region to read")
		}
		return errors.New("no account or region could be read")
	}
	return fmt.Errorf("no account or region could be read: %s", strings.Join(msgs, "; "))
}

// errList collects load errors from concurrent readers.
type errList struct {
	mu   sync.Mutex
	list []model.LoadError
}

func (l *errList) add(es ...model.LoadError) {
	if len(es) == 0 {
		return
	}
	l.mu.Lock()
	l.list = append(l.list, es...)
	l.mu.Unlock()
}

func (l *errList) sorted() []model.LoadError {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := append([]model.LoadError(nil), l.list...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Call < b.Call
	})
	return out
}

// cleanList splits comma-separated values, trims them and drops empty and
// repeated ones, keeping the order.
func cleanList(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		for _, p := range strings.Split(s, ",") {
			p = strings.TrimSpace(p)
			if p == "" || seen[p] {
				continue
			}
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// progress prints "accounts×regions done: n/total" over itself.
type progress struct {
	w     io.Writer
	mu    sync.Mutex
	done  int
	total int
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total}
	p.print()
	return p
}

func (p *progress) step() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	p.done++
	p.print()
	p.mu.Unlock()
}

func (p *progress) print() {
	if p.w == nil || p.total == 0 {
		return
	}
	fmt.Fprintf(p.w, "\raccounts×regions done: %d/%d", p.done, p.total)
}

func (p *progress) finish() {
	if p.w == nil || p.total == 0 {
		return
	}
	fmt.Fprintln(p.w)
}
