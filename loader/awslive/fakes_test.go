package awslive

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
)

// pageSize is the fakes' page size: small, so that every list is paged.
const pageSize = 2

// page returns one page of items for a NextToken (the index of the first
// item) and the token of the next page.
func page[T any](items []T, token *string) ([]T, *string) {
	start := 0
	if token != nil {
		start, _ = strconv.Atoi(*token)
	}
	if start > len(items) {
		start = len(items)
	}
	end := min(start+pageSize, len(items))
	var next *string
	if end < len(items) {
		next = aws.String(strconv.Itoa(end))
	}
	return items[start:end], next
}

func apiErr(code, msg string) error {
	return &smithy.GenericAPIError{Code: code, Message: msg}
}

// fakeEC2 serves one account×region from memory, paging every list.
type fakeEC2 struct {
	vpcs      []types.Vpc
	subnets   []types.Subnet
	groups    []types.SecurityGroup
	rules     []types.SecurityGroupRule
	acls      []types.NetworkAcl
	endpoints []types.VpcEndpoint
	services  []types.ServiceConfiguration
	perms     map[string][]types.AllowedPrincipal
	tables    []types.RouteTable
	lists     []types.ManagedPrefixList
	entries   map[string][]types.PrefixListEntry
	flowLogs  []types.FlowLog
	regions   []types.Region
	// fail makes an operation fail with this error.
	fail map[string]error

	mu    sync.Mutex
	calls map[string]int
	// delay makes every call wait (timeouts).
	delay time.Duration
	// key ("account/region") and cloud, set by fakeCloud.region, log the
	// calls in the cloud's events.
	key   string
	cloud *fakeCloud
}

func (f *fakeEC2) call(ctx context.Context, op string) error {
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[op]++
	f.mu.Unlock()
	if f.cloud != nil {
		f.cloud.event(op + " " + f.key)
	}
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return f.fail[op]
}

func (f *fakeEC2) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *fakeEC2) DescribeVpcs(ctx context.Context, in *ec2.DescribeVpcsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error) {
	if err := f.call(ctx, "DescribeVpcs"); err != nil {
		return nil, err
	}
	items, next := page(f.vpcs, in.NextToken)
	return &ec2.DescribeVpcsOutput{Vpcs: items, NextToken: next}, nil
}

func (f *fakeEC2) DescribeVpcAttribute(ctx context.Context, in *ec2.DescribeVpcAttributeInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcAttributeOutput, error) {
	if err := f.call(ctx, "DescribeVpcAttribute"); err != nil {
		return nil, err
	}
	out := &ec2.DescribeVpcAttributeOutput{VpcId: in.VpcId}
	switch in.Attribute {
	case types.VpcAttributeNameEnableDnsSupport:
		out.EnableDnsSupport = &types.AttributeBooleanValue{Value: aws.Bool(true)}
	case types.VpcAttributeNameEnableDnsHostnames:
		out.EnableDnsHostnames = &types.AttributeBooleanValue{Value: aws.Bool(false)}
	}
	return out, nil
}

func (f *fakeEC2) DescribeSubnets(ctx context.Context, in *ec2.DescribeSubnetsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	if err := f.call(ctx, "DescribeSubnets"); err != nil {
		return nil, err
	}
	items, next := page(f.subnets, in.NextToken)
	return &ec2.DescribeSubnetsOutput{Subnets: items, NextToken: next}, nil
}

func (f *fakeEC2) DescribeSecurityGroups(ctx context.Context, in *ec2.DescribeSecurityGroupsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error) {
	if err := f.call(ctx, "DescribeSecurityGroups"); err != nil {
		return nil, err
	}
	items, next := page(f.groups, in.NextToken)
	return &ec2.DescribeSecurityGroupsOutput{SecurityGroups: items, NextToken: next}, nil
}

func (f *fakeEC2) DescribeSecurityGroupRules(ctx context.Context, in *ec2.DescribeSecurityGroupRulesInput, _ ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupRulesOutput, error) {
	if err := f.call(ctx, "DescribeSecurityGroupRules"); err != nil {
		return nil, err
	}
	items, next := page(f.rules, in.NextToken)
	return &ec2.DescribeSecurityGroupRulesOutput{SecurityGroupRules: items, NextToken: next}, nil
}

func (f *fakeEC2) DescribeNetworkAcls(ctx context.Context, in *ec2.DescribeNetworkAclsInput, _ ...func(*ec2.Options)) (*ec2.DescribeNetworkAclsOutput, error) {
	if err := f.call(ctx, "DescribeNetworkAcls"); err != nil {
		return nil, err
	}
	items, next := page(f.acls, in.NextToken)
	return &ec2.DescribeNetworkAclsOutput{NetworkAcls: items, NextToken: next}, nil
}

func (f *fakeEC2) DescribeVpcEndpoints(ctx context.Context, in *ec2.DescribeVpcEndpointsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error) {
	if err := f.call(ctx, "DescribeVpcEndpoints"); err != nil {
		return nil, err
	}
	items, next := page(f.endpoints, in.NextToken)
	return &ec2.DescribeVpcEndpointsOutput{VpcEndpoints: items, NextToken: next}, nil
}

func (f *fakeEC2) DescribeVpcEndpointServiceConfigurations(ctx context.Context, in *ec2.DescribeVpcEndpointServiceConfigurationsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServiceConfigurationsOutput, error) {
	if err := f.call(ctx, "DescribeVpcEndpointServiceConfigurations"); err != nil {
		return nil, err
	}
	items, next := page(f.services, in.NextToken)
	return &ec2.DescribeVpcEndpointServiceConfigurationsOutput{ServiceConfigurations: items, NextToken: next}, nil
}

func (f *fakeEC2) DescribeVpcEndpointServicePermissions(ctx context.Context, in *ec2.DescribeVpcEndpointServicePermissionsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServicePermissionsOutput, error) {
	if err := f.call(ctx, "DescribeVpcEndpointServicePermissions"); err != nil {
		return nil, err
	}
	items, next := page(f.perms[aws.ToString(in.ServiceId)], in.NextToken)
	return &ec2.DescribeVpcEndpointServicePermissionsOutput{AllowedPrincipals: items, NextToken: next}, nil
}

func (f *fakeEC2) DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput, _ ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error) {
	if err := f.call(ctx, "DescribeRouteTables"); err != nil {
		return nil, err
	}
	items, next := page(f.tables, in.NextToken)
	return &ec2.DescribeRouteTablesOutput{RouteTables: items, NextToken: next}, nil
}

func (f *fakeEC2) DescribeManagedPrefixLists(ctx context.Context, in *ec2.DescribeManagedPrefixListsInput, _ ...func(*ec2.Options)) (*ec2.DescribeManagedPrefixListsOutput, error) {
	if err := f.call(ctx, "DescribeManagedPrefixLists"); err != nil {
		return nil, err
	}
	items, next := page(f.lists, in.NextToken)
	return &ec2.DescribeManagedPrefixListsOutput{PrefixLists: items, NextToken: next}, nil
}

func (f *fakeEC2) GetManagedPrefixListEntries(ctx context.Context, in *ec2.GetManagedPrefixListEntriesInput, _ ...func(*ec2.Options)) (*ec2.GetManagedPrefixListEntriesOutput, error) {
	if err := f.call(ctx, "GetManagedPrefixListEntries"); err != nil {
		return nil, err
	}
	items, next := page(f.entries[aws.ToString(in.PrefixListId)], in.NextToken)
	return &ec2.GetManagedPrefixListEntriesOutput{Entries: items, NextToken: next}, nil
}

func (f *fakeEC2) DescribeFlowLogs(ctx context.Context, in *ec2.DescribeFlowLogsInput, _ ...func(*ec2.Options)) (*ec2.DescribeFlowLogsOutput, error) {
	if err := f.call(ctx, "DescribeFlowLogs"); err != nil {
		return nil, err
	}
	items, next := page(f.flowLogs, in.NextToken)
	return &ec2.DescribeFlowLogsOutput{FlowLogs: items, NextToken: next}, nil
}

func (f *fakeEC2) DescribeRegions(ctx context.Context, in *ec2.DescribeRegionsInput, _ ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error) {
	if err := f.call(ctx, "DescribeRegions"); err != nil {
		return nil, err
	}
	return &ec2.DescribeRegionsOutput{Regions: f.regions}, nil
}

// fakeCloud is a set of accounts: credentials are "AK<account>", so the
// fakes know whose they are.
type fakeCloud struct {
	mu sync.Mutex
	// ec2 per "account/region"; a missing one behaves as an empty region.
	ec2 map[string]*fakeEC2
	// orgAccounts are ListAccounts' answer.
	orgAccounts []orgtypes.Account
	// denied are accounts whose role cannot be assumed.
	denied map[string]bool
	// assumed records the roles assumed, with their external ids.
	assumed []string
	// zones per account; zonesDenied accounts refuse to list them.
	zones       map[string][]r53types.HostedZone
	zonesDenied map[string]bool
	// credsTTL is how long assumed credentials last (default an hour).
	credsTTL time.Duration
	// events logs, in order, the roles assumed ("AssumeRole <account>")
	// and the EC2 calls ("<operation> <account>/<region>").
	events []string
}

func (c *fakeCloud) event(e string) {
	c.mu.Lock()
	c.events = append(c.events, e)
	c.mu.Unlock()
}

// eventLog returns a copy of the events so far.
func (c *fakeCloud) eventLog() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.events...)
}

func accountOf(cfg aws.Config) string {
	c, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		return "?"
	}
	return strings.TrimPrefix(c.AccessKeyID, "AK")
}

func (c *fakeCloud) region(account, region string) *fakeEC2 {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := account + "/" + region
	if c.ec2 == nil {
		c.ec2 = map[string]*fakeEC2{}
	}
	f := c.ec2[key]
	if f == nil {
		f = &fakeEC2{}
		c.ec2[key] = f
	}
	f.key, f.cloud = key, c
	return f
}

func (c *fakeCloud) EC2(cfg aws.Config) EC2API { return c.region(accountOf(cfg), cfg.Region) }
func (c *fakeCloud) STS(cfg aws.Config) STSAPI { return &fakeSTS{cloud: c, account: accountOf(cfg)} }
func (c *fakeCloud) Organizations(cfg aws.Config) OrganizationsAPI {
	return &fakeOrg{cloud: c}
}
func (c *fakeCloud) Route53(cfg aws.Config) Route53API {
	return &fakeRoute53{cloud: c, account: accountOf(cfg)}
}

// fakeRoute53 lists an account's zones two at a time (to page).
type fakeRoute53 struct {
	cloud   *fakeCloud
	account string
}

func (f *fakeRoute53) ListHostedZones(ctx context.Context, in *route53.ListHostedZonesInput, _ ...func(*route53.Options)) (*route53.ListHostedZonesOutput, error) {
	f.cloud.mu.Lock()
	defer f.cloud.mu.Unlock()
	if f.cloud.zonesDenied[f.account] {
		return nil, apiErr("AccessDenied", "User: arn:aws:iam::"+f.account+":user/auditor is not authorized to perform: route53:ListHostedZones")
	}
	all := f.cloud.zones[f.account]
	start := 0
	if in.Marker != nil {
		start, _ = strconv.Atoi(*in.Marker)
	}
	end := min(start+2, len(all))
	out := &route53.ListHostedZonesOutput{HostedZones: all[start:end]}
	if end < len(all) {
		out.IsTruncated, out.NextMarker = true, aws.String(strconv.Itoa(end))
	}
	return out, nil
}

type fakeSTS struct {
	cloud   *fakeCloud
	account string
}

func (s *fakeSTS) GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, _ ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{Account: aws.String(s.account), Arn: aws.String("arn:aws:iam::" + s.account + ":user/auditor")}, nil
}

func (s *fakeSTS) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, _ ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	arn := aws.ToString(in.RoleArn)
	parts := strings.Split(arn, ":")
	if len(parts) < 6 {
		return nil, apiErr("ValidationError", "bad role ARN")
	}
	acct := parts[4]
	s.cloud.mu.Lock()
	s.cloud.assumed = append(s.cloud.assumed, fmt.Sprintf("%s session=%s external=%s", arn, aws.ToString(in.RoleSessionName), aws.ToString(in.ExternalId)))
	s.cloud.events = append(s.cloud.events, "AssumeRole "+acct)
	denied := s.cloud.denied[acct]
	ttl := s.cloud.credsTTL
	s.cloud.mu.Unlock()
	if denied {
		return nil, apiErr("AccessDenied", "User: arn:aws:iam::"+s.account+":user/auditor is not authorized to perform: sts:AssumeRole on resource: "+arn)
	}
	if ttl == 0 {
		ttl = time.Hour
	}
	exp := time.Now().Add(ttl)
	return &sts.AssumeRoleOutput{Credentials: &ststypes.Credentials{AccessKeyId: aws.String("AK" + acct), SecretAccessKey: aws.String("secret-" + acct), SessionToken: aws.String("token"), Expiration: &exp}}, nil
}

type fakeOrg struct{ cloud *fakeCloud }

func (o *fakeOrg) ListAccounts(ctx context.Context, in *organizations.ListAccountsInput, _ ...func(*organizations.Options)) (*organizations.ListAccountsOutput, error) {
	items, next := page(o.cloud.orgAccounts, in.NextToken)
	return &organizations.ListAccountsOutput{Accounts: items, NextToken: next}, nil
}
