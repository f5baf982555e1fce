package awslive

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

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

// assume returns cfg with the credentials of roleARN, assumed from cfg's.
func (r *run) assume(cfg aws.Config, roleARN string) aws.Config {
	prov := stscreds.NewAssumeRoleProvider(r.clients.STS(cfg), roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = RoleSessionName
		if r.opts.ExternalID != "" {
			o.ExternalID = aws.String(r.opts.ExternalID)
		}
	})
	out := cfg.Copy()
	out.Credentials = aws.NewCredentialsCache(prov)
	return out
}

// targets resolves the accounts to read, with their credentials.
func (r *run) targets(ctx context.Context, errs *errList) []*target {
	cfg := r.base
	if r.opts.RoleARN != "" {
		cfg = r.assume(cfg, r.opts.RoleARN)
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			errs.add(model.LoadError{Account: accountOfRole(r.opts.RoleARN), Call: callAssumeRole, Level: model.LevelError,
				Message: fmt.Sprintf("cannot assume %s: %s", r.opts.RoleARN, errorText(err))})
			return nil
		}
	}
	me, err := r.whoAmI(ctx, cfg)
	if err != nil {
		errs.add(model.LoadError{Account: accountOfRole(r.opts.RoleARN), Call: callGetCallerIdentity, Level: model.LevelError,
			Message: "cannot tell which account the credentials belong to: " + errorText(err)})
		return nil
	}
	if !r.opts.Org && len(r.opts.Accounts) == 0 {
		return []*target{{account: me.account, partition: me.partition, cfg: cfg}}
	}
	accounts := r.opts.Accounts
	if r.opts.Org {
		accounts, err = r.orgAccounts(ctx, cfg)
		if err != nil {
			errs.add(model.LoadError{Account: me.account, Call: callListAccounts, Level: model.LevelError,
				Message: "cannot list the organization's accounts: " + errorText(err)})
			return nil
		}
	}
	out := make([]*target, len(accounts))
	sem := make(chan struct{}, r.opts.Concurrency)
	var wg sync.WaitGroup
	for i, acct := range accounts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			role := fmt.Sprintf("arn:%s:iam::%s:role/%s", me.partition, acct, strings.TrimPrefix(r.opts.RoleName, "/"))
			tc := r.assume(cfg, role)
			if _, err := tc.Credentials.Retrieve(ctx); err != nil {
				errs.add(model.LoadError{Account: acct, Call: callAssumeRole, Level: model.LevelError,
					Message: fmt.Sprintf("cannot assume %s: %s", role, errorText(err))})
				return
			}
			out[i] = &target{account: acct, partition: me.partition, cfg: tc}
		}()
	}
	wg.Wait()
	var list []*target
	for _, t := range out {
		if t != nil {
			list = append(list, t)
		}
	}
	return list
}

// orgAccounts lists the organization's active accounts.
func (r *run) orgAccounts(ctx context.Context, cfg aws.Config) ([]string, error) {
	p := organizations.NewListAccountsPaginator(r.clients.Organizations(cfg), &organizations.ListAccountsInput{})
	var out []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, a := range page.Accounts {
			if !accountActive(a) {
				continue
			}
			if id := aws.ToString(a.Id); id != "" {
				out = append(out, id)
			}
		}
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

// resolveRegions fills each target's regions: the ones asked for, or with
// AllRegions the regions enabled in that account.
func (r *run) resolveRegions(ctx context.Context, targets []*target, errs *errList) {
	if !r.opts.AllRegions {
		regions := r.opts.Regions
		if len(regions) == 0 {
			regions = []string{r.base.Region}
		}
		for _, t := range targets {
			t.regions = regions
		}
		return
	}
	sem := make(chan struct{}, r.opts.Concurrency)
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			regions, err := enabledRegions(ctx, r.clients.EC2(t.cfg))
			if err != nil {
				errs.add(model.LoadError{Account: t.account, Region: t.cfg.Region, Call: callDescribeRegions, Level: model.LevelError,
					Message: "cannot list the enabled regions: " + errorText(err)})
				return
			}
			t.regions = regions
		}()
	}
	wg.Wait()
}

// enabledRegions lists the regions the account can use. AllRegions=false
// already leaves out regions that are not opted in; the filter on
// OptInStatus also guards against an API that ignores it.
func enabledRegions(ctx context.Context, c EC2API) ([]string, error) {
	out, err := c.DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(false)})
	if err != nil {
		return nil, err
	}
	var regions []string
	for _, reg := range out.Regions {
		if aws.ToString(reg.OptInStatus) == "not-opted-in" {
			continue
		}
		if n := aws.ToString(reg.RegionName); n != "" {
			regions = append(regions, n)
		}
	}
	sort.Strings(regions)
	return regions, nil
}

// accountOfRole is the account of a role ARN, or "".
func accountOfRole(roleARN string) string {
	if a, err := arn.Parse(roleARN); err == nil {
		return a.AccountID
	}
	return ""
}

// errorText is a short, credential-free description of an API error:
// "AccessDenied: User ... is not authorized ...".
func errorText(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg := ae.ErrorCode()
		if m := ae.ErrorMessage(); m != "" {
			msg += ": " + m
		}
		return msg
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	return err.Error()
}
