// Package awslive reads the live state of AWS accounts into vpclint's model:
// one model.Model per account and region, with real ids, ARNs and
// Source{Format: "aws", Account, Region}.
//
// It only ever calls read-only APIs (ec2 Describe*/Get*, sts
// GetCallerIdentity and AssumeRole, organizations ListAccounts, route53
// ListHostedZones), walks every paginated API with the SDK's paginators,
// retries throttling with the SDK's adaptive retry mode and uses one EC2
// client (so one rate limiter) per account and region.
//
// Every call has a deadline: the HTTP client bounds connecting, the TLS
// handshake, the wait for a response and each attempt; each account×region
// has its own time limit; and Options.Timeout bounds the whole audit.
//
// An audit streams: Stream reads at most Options.Concurrency
// account×regions at once and hands each to its caller, in a fixed order,
// as soon as it is read, so that the caller can check it, write it out and
// let it go. Memory is bounded by the largest units and the concurrency, not
// by the organization. An account×region that cannot be read is still
// handed over, as an empty unit whose inventory says why
// (model.Inventory.Error) and whose lists are all unread; one whose some
// lists could not be read says which (model.Inventory.Lists), so the rules
// that need those lists stay undecided rather than report what they could
// not see.
//
// The package is named awslive, not aws, so that it does not shadow the
// SDK's aws package in the files that use both.
package awslive

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"

	"github.com/vpclint/vpclint/model"
)

// DefaultConcurrency is how many account×regions are read at once: 16 per
// CPU, from 16 to 64. Reading one is mostly waiting (about 20 API calls of
// 50 to 300 ms each), checking it is CPU (60 to 80 ms for 200 groups and
// 20 endpoints): the throughput is the lesser of concurrency / (calls ×
// latency) and CPUs / CPU per unit, and 16 per CPU keeps the CPUs checking
// at 50 ms calls (BenchmarkAuditConcurrency in cmd/vpclint, docs/aws.md
// "Sizing"). Each unit in flight holds its model, about 1.5 MB at that
// size: the cap of 64 bounds what much larger accounts hold at once.
func DefaultConcurrency() int { return min(64, max(16, 16*runtime.GOMAXPROCS(0))) }

// Defaults of Options.
const (
	// DefaultTimeout bounds a whole audit's reading.
	DefaultTimeout = time.Hour
	// DefaultUnitTimeout bounds the read of one account×region.
	DefaultUnitTimeout = 10 * time.Minute
	// RoleSessionName names the sessions vpclint opens with AssumeRole,
	// so CloudTrail shows who read the account.
	RoleSessionName = "vpclint-audit"
)

// HTTPTimeouts bound each HTTP attempt of an API call, so that an
// endpoint that accepts a connection and never answers fails the attempt
// (which the retryer may retry) instead of hanging the audit. Zero fields
// take DefaultHTTPTimeouts' values.
type HTTPTimeouts struct {
	// Connect bounds the TCP connection, TLSHandshake the handshake.
	Connect      time.Duration
	TLSHandshake time.Duration
	// ResponseHeader bounds the wait for the response's headers once the
	// request is sent.
	ResponseHeader time.Duration
	// Read bounds a pause in the response body (it restarts on every byte).
	Read time.Duration
	// Attempt bounds one attempt as a whole.
	Attempt time.Duration
}

// DefaultHTTPTimeouts are generous for AWS APIs, which answer a page in
// well under a second, and short enough that a stalled connection is
// noticed and retried.
func DefaultHTTPTimeouts() HTTPTimeouts {
	return HTTPTimeouts{Connect: 10 * time.Second, TLSHandshake: 10 * time.Second, ResponseHeader: 30 * time.Second,
		Read: 30 * time.Second, Attempt: 2 * time.Minute}
}

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
	// ExcludeAccounts are left out of Accounts or of the organization.
	ExcludeAccounts []string
	// RoleName is the role (name or path/name) assumed in each account of
	// Accounts or of the organization.
	RoleName string
	// ExternalID is passed to every AssumeRole call.
	ExternalID string
	// Shard, when Count > 0, reads only this run's share of the
	// account×regions (see Shard).
	Shard Shard
	// EndpointURL overrides the endpoint of every service (a local API
	// for tests). Per-service overrides are the SDK's
	// AWS_ENDPOINT_URL_<SERVICE> environment variables.
	EndpointURL string
	// Concurrency is how many account×region reads run at once; 0 is
	// DefaultConcurrency().
	Concurrency int
	// Timeout bounds the whole audit's reading, the account and
	// organization look-ups included (default DefaultTimeout). When it
	// runs out, the reads in progress stop and the account×regions not
	// read are handed over as failed units.
	Timeout time.Duration
	// UnitTimeout bounds the read of one account×region, assuming its
	// account's role included (default DefaultUnitTimeout).
	UnitTimeout time.Duration
	// HTTP bounds each HTTP attempt (default DefaultHTTPTimeouts).
	HTTP HTTPTimeouts
	// Progress, when set, receives progress: with ProgressLines one line
	// per account×region started and finished and one per failed call as
	// it happens (for CI logs), else one line rewritten in place (for a
	// terminal). nil is silent.
	Progress      io.Writer
	ProgressLines bool
	// OnPlan, when set, is called with the plan before the first unit is
	// read.
	OnPlan func(*Plan)

	// Clients replaces the SDK clients (tests, instrumentation); nil
	// means the real ones.
	Clients Clients
	// HTTPClient replaces the SDK's HTTP client (proxies, tests); the
	// HTTP timeouts are then the client's business.
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

// Unit is one account×region as read. Model is never nil: a unit that
// could not be read is an empty model whose Inventory.Error says why.
type Unit struct {
	Account string
	Region  string
	Model   *model.Model
	// Errors are the problems met reading it (failed calls, with the
	// account, region and call), the account's own (its role could not
	// be assumed) on its first unit only.
	Errors []model.LoadError
}

// Name is the unit's name, "aws:<account>/<region>".
func (u Unit) Name() string { return UnitName(u.Account, u.Region) }

// Failed reports whether nothing of the unit could be read.
func (u Unit) Failed() bool { return u.Model.Inventory.Error != "" }

// UnitName names the unit of an account and region.
func UnitName(account, region string) string { return "aws:" + account + "/" + region }

// Plan is what an audit set out to read.
type Plan struct {
	// Shard is the share read (Count 0: everything).
	Shard Shard
	// Units is how many account×regions this run reads (its shard);
	// Total how many the whole selection has, over all shards.
	Units, Total int
	// Selection is a digest of the whole selection (every account×region
	// of every shard): shards of one audit agree on it.
	Selection string
	// Accounts are the accounts of this run's units, sorted.
	Accounts []string
}

// Stream reads the selected account×regions and calls emit with each, in
// the plan's order (account, then region), from one goroutine at a time. A
// unit is handed over as soon as it and the ones before it are read; at
// most Concurrency are read at once and at most twice as many are held
// waiting for emit, which may block (back-pressure). The units are the
// caller's: Stream keeps none.
//
// It returns an error when the options are wrong, when it cannot tell
// whose the credentials are or list what to read (the organization's
// accounts, the regions), or when emit fails; a failure of one account or
// region is a failed unit, never an error.
func Stream(ctx context.Context, opts Options, emit func(Unit) error) (*Plan, error) {
	opts.Regions = cleanList(opts.Regions)
	opts.Accounts = cleanList(opts.Accounts)
	opts.ExcludeAccounts = cleanList(opts.ExcludeAccounts)
	if err := opts.validate(); err != nil {
		return nil, err
	}
	r, err := newRun(ctx, opts)
	if err != nil {
		return nil, err
	}
	readCtx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	r.auditCtx = readCtx
	jobs, plan, err := r.plan(readCtx)
	if err != nil {
		return nil, err
	}
	if opts.OnPlan != nil {
		opts.OnPlan(plan)
	}
	if err := r.stream(readCtx, jobs, emit); err != nil {
		return plan, err
	}
	return plan, nil
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
	if len(o.ExcludeAccounts) > 0 && !o.Org && len(o.Accounts) == 0 {
		return errors.New("--exclude-accounts needs --accounts or --org")
	}
	for _, l := range [][]string{o.Accounts, o.ExcludeAccounts} {
		for _, a := range l {
			if !accountIDPattern.MatchString(a) {
				return fmt.Errorf("account id %q: want 12 digits", a)
			}
		}
	}
	if o.Concurrency < 0 {
		return fmt.Errorf("concurrency %d: want a positive number", o.Concurrency)
	}
	if o.Timeout < 0 || o.UnitTimeout < 0 {
		return errors.New("timeouts must be positive durations")
	}
	return o.Shard.validate()
}

// run is one audit: the base configuration and the clients.
type run struct {
	opts    Options
	clients Clients
	base    aws.Config
	// auditCtx carries the whole audit's deadline, to tell it from a
	// unit's own when a call times out.
	auditCtx context.Context
	prog     *progress
}

func newRun(ctx context.Context, opts Options) (*run, error) {
	if opts.Concurrency == 0 {
		opts.Concurrency = DefaultConcurrency()
	}
	if opts.Timeout == 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.UnitTimeout == 0 {
		opts.UnitTimeout = DefaultUnitTimeout
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
	if opts.HTTPClient == nil {
		// Given to the loader, which adds AWS_CA_BUNDLE to it.
		lo = append(lo, config.WithHTTPClient(httpClient(opts.HTTP)))
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
	return &run{opts: opts, clients: clients, base: cfg, prog: newProgress(opts.Progress, opts.ProgressLines)}, nil
}

// httpClient is the SDK's HTTP client with every wait bounded.
func httpClient(t HTTPTimeouts) *awshttp.BuildableClient {
	d := DefaultHTTPTimeouts()
	pick := func(v, def time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return def
	}
	connect, handshake := pick(t.Connect, d.Connect), pick(t.TLSHandshake, d.TLSHandshake)
	header, read, attempt := pick(t.ResponseHeader, d.ResponseHeader), pick(t.Read, d.Read), pick(t.Attempt, d.Attempt)
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(nd *net.Dialer) { nd.Timeout = connect }).
		WithTransportOptions(func(tr *http.Transport) {
			tr.TLSHandshakeTimeout = handshake
			tr.ResponseHeaderTimeout = header
		}).
		WithReadTimeout(read).
		WithTimeout(attempt)
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

// sortErrors orders errors by account, region and call.
func sortErrors(out []model.LoadError) {
	slices.SortStableFunc(out, func(a, b model.LoadError) int {
		return cmp.Or(strings.Compare(a.Account, b.Account), strings.Compare(a.Region, b.Region), strings.Compare(a.Call, b.Call))
	})
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
