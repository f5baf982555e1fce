package awslive

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/vpclint/vpclint/model"
)

// Call names used in LoadErrors.
const (
	callGetCallerIdentity = "sts:GetCallerIdentity"
	callAssumeRole        = "sts:AssumeRole"
	callListAccounts      = "organizations:ListAccounts"
	callDescribeRegions   = "ec2:DescribeRegions"
)

// credentialsExpiryWindow refreshes assumed-role credentials this long
// before they expire, so that a long audit never signs with credentials
// about to lapse.
const credentialsExpiryWindow = 5 * time.Minute

// identity is who a configuration's credentials are.
type identity struct {
	account   string
	partition string
}

func (r *run) whoAmI(ctx context.Context, cfg aws.Config) (identity, error) {
	out, err := r.clients.STS(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return identity{}, err
	}
	id := identity{account: aws.ToString(out.Account), partition: "aws"}
	if a, err := arn.Parse(aws.ToString(out.Arn)); err == nil && a.Partition != "" {
		id.partition = a.Partition
	}
	if id.account == "" {
		return identity{}, errors.New("the caller identity has no account")
	}
	return id, nil
}

// assume returns cfg with the credentials of roleARN, assumed from cfg's
// when first needed and again before they expire (the SDK's credentials
// cache around its AssumeRole provider).
func (r *run) assume(cfg aws.Config, roleARN string) aws.Config {
	prov := stscreds.NewAssumeRoleProvider(r.clients.STS(cfg), roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = RoleSessionName
		if r.opts.ExternalID != "" {
			o.ExternalID = aws.String(r.opts.ExternalID)
		}
	})
	out := cfg.Copy()
	out.Credentials = aws.NewCredentialsCache(prov, func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = credentialsExpiryWindow
	})
	return out
}

// account is one account to read. Its role is assumed, its enabled regions
// listed and its hosted zones read when its first unit is read, once.
type account struct {
	id        string
	partition string
	cfg       aws.Config
	// role is the role assumed in it, "" for the caller's own account.
	role string

	credsOnce sync.Once
	credsErr  *model.LoadError

	regionsOnce sync.Once
	enabled     map[string]bool
	regionsErr  *model.LoadError

	zonesOnce sync.Once
	zones     []*model.HostedZone
	zonesErr  *model.LoadError

	// left counts the units not yet read, to let the zones go after the
	// last one.
	mu   sync.Mutex
	left int
}

// job is one account×region read.
type job struct {
	a      *account
	region string
}

// plan resolves whose the credentials are, the accounts and regions to
// read and this shard's share of them.
func (r *run) plan(ctx context.Context) ([]job, *Plan, error) {
	cfg := r.base
	if r.opts.RoleARN != "" {
		cfg = r.assume(cfg, r.opts.RoleARN)
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			return nil, nil, fmt.Errorf("%s: cannot assume %s: %s", callAssumeRole, r.opts.RoleARN, r.errorText(ctx, err))
		}
	}
	me, err := r.whoAmI(ctx, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: cannot tell which account the credentials belong to: %s", callGetCallerIdentity, r.errorText(ctx, err))
	}
	ids := r.opts.Accounts
	if r.opts.Org {
		if ids, err = r.orgAccounts(ctx, cfg); err != nil {
			return nil, nil, fmt.Errorf("%s: cannot list the organization's accounts: %s", callListAccounts, r.errorText(ctx, err))
		}
	}
	if !r.opts.Org && len(ids) == 0 {
		ids = []string{me.account}
	}
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return slices.Contains(r.opts.ExcludeAccounts, id) })
	sort.Strings(ids)
	regions := r.opts.Regions
	if r.opts.AllRegions {
		// Every region of the partition: which of them an account has
		// enabled is asked of each account when it is read.
		if regions, err = describeRegions(ctx, r.clients.EC2(cfg), true); err != nil {
			return nil, nil, fmt.Errorf("%s: cannot list the regions: %s", callDescribeRegions, r.errorText(ctx, err))
		}
	} else if len(regions) == 0 {
		regions = []string{r.base.Region}
	}
	var all []pair
	for _, id := range ids {
		for _, reg := range regions {
			all = append(all, pair{id, reg})
		}
	}
	mine := shardOf(all, r.opts.Shard)
	accounts := map[string]*account{}
	var jobs []job
	p := &Plan{Shard: r.opts.Shard, Units: len(mine), Total: len(all), Selection: selectionDigest(all)}
	for _, pr := range mine {
		a := accounts[pr.account]
		if a == nil {
			a = &account{id: pr.account, partition: me.partition, cfg: cfg}
			if len(r.opts.Accounts) > 0 || r.opts.Org {
				a.role = fmt.Sprintf("arn:%s:iam::%s:role/%s", me.partition, pr.account, strings.TrimPrefix(r.opts.RoleName, "/"))
				// Not assumed yet: the credentials cache assumes the
				// role on the first call that needs it.
				a.cfg = r.assume(cfg, a.role)
			}
			accounts[pr.account] = a
			p.Accounts = append(p.Accounts, pr.account)
		}
		a.left++
		jobs = append(jobs, job{a: a, region: pr.region})
	}
	return jobs, p, nil
}

// orgAccounts lists the organization's active accounts.
func (r *run) orgAccounts(ctx context.Context, cfg aws.Config) ([]string, error) {
	p := organizations.NewListAccountsPaginator(r.clients.Organizations(cfg), &organizations.ListAccountsInput{})
	var out []string
	if err := eachPage(ctx, p, func(page *organizations.ListAccountsOutput) {
		for _, a := range page.Accounts {
			if id := aws.ToString(a.Id); id != "" && accountActive(a) {
				out = append(out, id)
			}
		}
	}); err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

// accountActive reads State, and the retired Status when State is absent.
func accountActive(a orgtypes.Account) bool {
	if a.State != "" {
		return a.State == orgtypes.AccountStateActive
	}
	return a.Status == "" || a.Status == orgtypes.AccountStatusActive
}

// credentials makes sure the account's role can be assumed (once); the
// error is reported with the account's first unit only.
func (r *run) credentials(ctx context.Context, a *account) (le *model.LoadError, first bool) {
	a.credsOnce.Do(func() {
		first = true
		if a.role == "" {
			return
		}
		if _, err := a.cfg.Credentials.Retrieve(ctx); err != nil {
			a.credsErr = &model.LoadError{Account: a.id, Call: callAssumeRole, Level: model.LevelError,
				Message: fmt.Sprintf("cannot assume %s: %s", a.role, r.errorText(ctx, err))}
		}
	})
	return a.credsErr, first
}

// regionEnabled reports whether the account has the region enabled
// (asked once per account, with AllRegions only).
func (r *run) regionEnabled(ctx context.Context, a *account, region string) (bool, *model.LoadError, bool) {
	if !r.opts.AllRegions {
		return true, nil, false
	}
	first := false
	a.regionsOnce.Do(func() {
		first = true
		c := a.cfg.Copy()
		c.Region = r.base.Region
		regions, err := describeRegions(ctx, r.clients.EC2(c), false)
		if err != nil {
			a.regionsErr = &model.LoadError{Account: a.id, Call: callDescribeRegions, Level: model.LevelError,
				Message: "cannot list the enabled regions: " + r.errorText(ctx, err)}
			return
		}
		a.enabled = map[string]bool{}
		for _, reg := range regions {
			a.enabled[reg] = true
		}
	})
	if a.regionsErr != nil {
		return false, a.regionsErr, first
	}
	return a.enabled[region], nil, first
}

// describeRegions lists the partition's regions (all), else the account's
// enabled ones: AllRegions=false already leaves out regions that are not
// opted in; the filter on OptInStatus also guards against an API that
// ignores it.
func describeRegions(ctx context.Context, c EC2API, all bool) ([]string, error) {
	out, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(all)})
	if err != nil {
		return nil, err
	}
	var regions []string
	for _, reg := range out.Regions {
		if n := aws.ToString(reg.RegionName); n != "" && (all || aws.ToString(reg.OptInStatus) != "not-opted-in") {
			regions = append(regions, n)
		}
	}
	sort.Strings(regions)
	return slices.Compact(regions), nil
}

// errorText is a short, credential-free description of an API error:
// "AccessDenied: User ... is not authorized ...", and for a deadline,
// which one ran out.
func (r *run) errorText(ctx context.Context, err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg := ae.ErrorCode()
		if m := ae.ErrorMessage(); m != "" {
			msg += ": " + m
		}
		return msg
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		if r.auditCtx != nil && r.auditCtx.Err() != nil {
			return fmt.Sprintf("timed out: the audit's time limit of %s ran out (see --timeout)", r.opts.Timeout)
		}
		return fmt.Sprintf("timed out: the read of one account and region is limited to %s (see --unit-timeout)", r.opts.UnitTimeout)
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	// The call's context has time left: the HTTP client's own limits on
	// an attempt ran out, attempt after attempt.
	var te interface{ Timeout() bool }
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &te) && te.Timeout() {
		return "timed out: the endpoint did not answer in time, attempt after attempt (" + err.Error() + ")"
	}
	return err.Error()
}
