// Package awstest serves a synthetic AWS organization to the live loader
// (awslive.Clients), for benchmarks and tests of audits far larger than
// moto_server can hold: every account×region is generated from its name
// when it is asked for, so an organization of thousands of account×regions
// costs the generator nothing to keep, and the same names always give the
// same resources. A latency can be added to every call, to measure an
// audit's concurrency as against a real API. It is for tests only, like
// net/http/httptest.
package awstest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
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

	"github.com/vpclint/vpclint/loader/awslive"
)

// Org is a synthetic organization. Its management account is
// Account(0), whose credentials are any the SDK is given (the access key
// "testing" ...); AssumeRole into Account(i) gives credentials that say
// which account they are.
type Org struct {
	// Accounts is how many accounts the organization has.
	Accounts int
	// Regions are the regions DescribeRegions lists.
	Regions []string
	// Groups and Endpoints are the security groups and interface endpoints
	// of every account×region; each has 4 VPCs with 4 subnets, a network
	// ACL, a route table and (but the last) a flow log each.
	Groups, Endpoints int
	// Latency is added to every call.
	Latency time.Duration
	// OnUnit, when set, is called as the read of an account×region starts
	// (its first DescribeVpcs call), from the reading goroutine: a test
	// samples the heap there, as units stream through an audit.
	OnUnit func(account, region string)

	calls atomic.Int64
}

// Account is the id of account i.
func Account(i int) string { return fmt.Sprintf("%012d", 100000000000+i) }

// Calls is how many API calls were made.
func (o *Org) Calls() int64 { return o.calls.Load() }

// Clients implements awslive.Clients.
func (o *Org) Clients() awslive.Clients { return clients{o} }

type clients struct{ o *Org }

// accountOf tells whose credentials a configuration has.
func accountOf(cfg aws.Config) string {
	c, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || !strings.HasPrefix(c.AccessKeyID, "AKSYN") {
		return Account(0)
	}
	return strings.TrimPrefix(c.AccessKeyID, "AKSYN")
}

func (c clients) EC2(cfg aws.Config) awslive.EC2API {
	return &region{o: c.o, account: accountOf(cfg), region: cfg.Region}
}
func (c clients) STS(cfg aws.Config) awslive.STSAPI { return &stsAPI{o: c.o, account: accountOf(cfg)} }
func (c clients) Organizations(aws.Config) awslive.OrganizationsAPI {
	return orgAPI(c)
}
func (c clients) Route53(cfg aws.Config) awslive.Route53API {
	return zonesAPI{o: c.o, account: accountOf(cfg)}
}

// call counts a call and waits the latency.
func (o *Org) call(ctx context.Context) error {
	o.calls.Add(1)
	if o.Latency <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(o.Latency)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type stsAPI struct {
	o       *Org
	account string
}

func (s *stsAPI) GetCallerIdentity(ctx context.Context, _ *sts.GetCallerIdentityInput, _ ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	if err := s.o.call(ctx); err != nil {
		return nil, err
	}
	return &sts.GetCallerIdentityOutput{Account: aws.String(s.account), Arn: aws.String("arn:aws:iam::" + s.account + ":role/vpclint-runner")}, nil
}

func (s *stsAPI) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, _ ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	if err := s.o.call(ctx); err != nil {
		return nil, err
	}
	parts := strings.Split(aws.ToString(in.RoleArn), ":")
	if len(parts) < 6 {
		return nil, errors.New("bad role ARN")
	}
	exp := time.Now().Add(time.Hour)
	return &sts.AssumeRoleOutput{Credentials: &ststypes.Credentials{AccessKeyId: aws.String("AKSYN" + parts[4]),
		SecretAccessKey: aws.String("synthetic"), SessionToken: aws.String("synthetic"), Expiration: &exp}}, nil
}

type orgAPI struct{ o *Org }

func (g orgAPI) ListAccounts(ctx context.Context, in *organizations.ListAccountsInput, _ ...func(*organizations.Options)) (*organizations.ListAccountsOutput, error) {
	if err := g.o.call(ctx); err != nil {
		return nil, err
	}
	start, end, next := pageOf(g.o.Accounts, in.NextToken, 20)
	out := &organizations.ListAccountsOutput{NextToken: next}
	for i := start; i < end; i++ {
		out.Accounts = append(out.Accounts, orgtypes.Account{Id: aws.String(Account(i)), State: orgtypes.AccountStateActive})
	}
	return out, nil
}

type zonesAPI struct {
	o       *Org
	account string
}

func (z zonesAPI) ListHostedZones(ctx context.Context, _ *route53.ListHostedZonesInput, _ ...func(*route53.Options)) (*route53.ListHostedZonesOutput, error) {
	if err := z.o.call(ctx); err != nil {
		return nil, err
	}
	return &route53.ListHostedZonesOutput{HostedZones: []r53types.HostedZone{
		{Id: aws.String("/hostedzone/Z" + z.account + "A"), Name: aws.String("corp.internal."), Config: &r53types.HostedZoneConfig{PrivateZone: true}},
		{Id: aws.String("/hostedzone/Z" + z.account + "B"), Name: aws.String("example.com."), Config: &r53types.HostedZoneConfig{PrivateZone: false}},
	}}, nil
}

// pageOf is the index range of one page of n items and the next token.
func pageOf(n int, token *string, max int) (start, end int, next *string) {
	if token != nil {
		start, _ = strconv.Atoi(*token)
	}
	start = min(start, n)
	end = min(start+max, n)
	if end < n {
		next = aws.String(strconv.Itoa(end))
	}
	return start, end, next
}

func pageSize(max *int32) int {
	if max == nil || *max <= 0 {
		return 1000
	}
	return int(*max)
}

// region is one account×region of the organization.
type region struct {
	o       *Org
	account string
	region  string
}

const vpcsPerRegion = 4

func (r *region) vpcID(v int) string { return fmt.Sprintf("vpc-%s%d", r.account[8:], v) }
func (r *region) subnetID(v, s int) string {
	return fmt.Sprintf("subnet-%s%d%d", r.account[8:], v, s)
}
func (r *region) groupID(g int) string { return fmt.Sprintf("sg-%s%05d", r.account[8:], g) }
func (r *region) vpcOf(i int) int      { return i % vpcsPerRegion }

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

func (r *region) DescribeRegions(ctx context.Context, _ *ec2.DescribeRegionsInput, _ ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	out := &ec2.DescribeRegionsOutput{}
	for _, reg := range r.o.Regions {
		out.Regions = append(out.Regions, types.Region{RegionName: aws.String(reg), OptInStatus: aws.String("opt-in-not-required")})
	}
	return out, nil
}

func (r *region) DescribeVpcs(ctx context.Context, in *ec2.DescribeVpcsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	if r.o.OnUnit != nil && in.NextToken == nil {
		r.o.OnUnit(r.account, r.region)
	}
	out := &ec2.DescribeVpcsOutput{}
	for v := range vpcsPerRegion {
		out.Vpcs = append(out.Vpcs, types.Vpc{VpcId: aws.String(r.vpcID(v)), CidrBlock: aws.String(fmt.Sprintf("10.%d.0.0/16", v)),
			OwnerId: aws.String(r.account), IsDefault: aws.Bool(v == 0), Tags: []types.Tag{tag("Name", fmt.Sprintf("vpc-%d", v))}})
	}
	return out, nil
}

func (r *region) DescribeVpcAttribute(ctx context.Context, in *ec2.DescribeVpcAttributeInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcAttributeOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	out := &ec2.DescribeVpcAttributeOutput{VpcId: in.VpcId}
	on := &types.AttributeBooleanValue{Value: aws.Bool(true)}
	if in.Attribute == types.VpcAttributeNameEnableDnsSupport {
		out.EnableDnsSupport = on
	} else {
		out.EnableDnsHostnames = on
	}
	return out, nil
}

func (r *region) DescribeSubnets(ctx context.Context, in *ec2.DescribeSubnetsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	out := &ec2.DescribeSubnetsOutput{}
	for v := range vpcsPerRegion {
		for s := range 4 {
			out.Subnets = append(out.Subnets, types.Subnet{SubnetId: aws.String(r.subnetID(v, s)), VpcId: aws.String(r.vpcID(v)),
				CidrBlock: aws.String(fmt.Sprintf("10.%d.%d.0/24", v, s)), AvailabilityZone: aws.String(fmt.Sprintf("%s%c", r.region, 'a'+s%3)),
				AvailabilityZoneId: aws.String(fmt.Sprintf("az%d", s%3+1))})
		}
	}
	return out, nil
}

// The groups: every fiftieth lets SSH in from the internet (SG001).
func (r *region) DescribeSecurityGroups(ctx context.Context, in *ec2.DescribeSecurityGroupsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupsOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	start, end, next := pageOf(r.o.Groups, in.NextToken, pageSize(in.MaxResults))
	out := &ec2.DescribeSecurityGroupsOutput{NextToken: next}
	for g := start; g < end; g++ {
		name := fmt.Sprintf("app-%d", g)
		if g < vpcsPerRegion {
			name = "default"
		}
		out.SecurityGroups = append(out.SecurityGroups, types.SecurityGroup{GroupId: aws.String(r.groupID(g)), GroupName: aws.String(name),
			Description: aws.String("group " + name), VpcId: aws.String(r.vpcID(r.vpcOf(g))), OwnerId: aws.String(r.account),
			Tags: []types.Tag{tag("Name", name), tag("team", fmt.Sprintf("team-%d", g%7))}})
	}
	return out, nil
}

const rulesPerGroup = 4

func (r *region) DescribeSecurityGroupRules(ctx context.Context, in *ec2.DescribeSecurityGroupRulesInput, _ ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupRulesOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	start, end, next := pageOf(r.o.Groups*rulesPerGroup, in.NextToken, pageSize(in.MaxResults))
	out := &ec2.DescribeSecurityGroupRulesOutput{NextToken: next}
	for i := start; i < end; i++ {
		g, k := i/rulesPerGroup, i%rulesPerGroup
		v := r.vpcOf(g)
		ru := types.SecurityGroupRule{SecurityGroupRuleId: aws.String(fmt.Sprintf("sgr-%s%06d", r.account[8:], i)), GroupId: aws.String(r.groupID(g)),
			GroupOwnerId: aws.String(r.account), IpProtocol: aws.String("tcp"), Description: aws.String(fmt.Sprintf("rule %d", k))}
		switch k {
		case 0: // HTTPS from the VPC
			ru.FromPort, ru.ToPort, ru.CidrIpv4 = aws.Int32(443), aws.Int32(443), aws.String(fmt.Sprintf("10.%d.0.0/16", v))
		case 1: // SSH from the corporate network, or the internet
			cidr := "10.0.0.0/8"
			if g%50 == 49 {
				cidr = "0.0.0.0/0"
			}
			ru.FromPort, ru.ToPort, ru.CidrIpv4 = aws.Int32(22), aws.Int32(22), aws.String(cidr)
		case 2: // an application port from another group
			ru.FromPort, ru.ToPort = aws.Int32(8080), aws.Int32(8080)
			ru.ReferencedGroupInfo = &types.ReferencedSecurityGroup{GroupId: aws.String(r.groupID((g + vpcsPerRegion) % r.o.Groups))}
		case 3: // all egress
			ru.IsEgress, ru.IpProtocol, ru.FromPort, ru.ToPort, ru.CidrIpv4 = aws.Bool(true), aws.String("-1"), aws.Int32(-1), aws.Int32(-1), aws.String("0.0.0.0/0")
		}
		out.SecurityGroupRules = append(out.SecurityGroupRules, ru)
	}
	return out, nil
}

func (r *region) DescribeNetworkAcls(ctx context.Context, in *ec2.DescribeNetworkAclsInput, _ ...func(*ec2.Options)) (*ec2.DescribeNetworkAclsOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	out := &ec2.DescribeNetworkAclsOutput{}
	for v := range vpcsPerRegion {
		acl := types.NetworkAcl{NetworkAclId: aws.String(fmt.Sprintf("acl-%s%d", r.account[8:], v)), VpcId: aws.String(r.vpcID(v)), IsDefault: aws.Bool(true),
			Entries: []types.NetworkAclEntry{
				{RuleNumber: aws.Int32(100), Protocol: aws.String("-1"), RuleAction: types.RuleActionAllow, CidrBlock: aws.String("0.0.0.0/0"), Egress: aws.Bool(false)},
				{RuleNumber: aws.Int32(100), Protocol: aws.String("-1"), RuleAction: types.RuleActionAllow, CidrBlock: aws.String("0.0.0.0/0"), Egress: aws.Bool(true)},
			}}
		for s := range 4 {
			acl.Associations = append(acl.Associations, types.NetworkAclAssociation{SubnetId: aws.String(r.subnetID(v, s))})
		}
		out.NetworkAcls = append(out.NetworkAcls, acl)
	}
	return out, nil
}

func (r *region) DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput, _ ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	out := &ec2.DescribeRouteTablesOutput{}
	for v := range vpcsPerRegion {
		out.RouteTables = append(out.RouteTables, types.RouteTable{RouteTableId: aws.String(fmt.Sprintf("rtb-%s%d", r.account[8:], v)), VpcId: aws.String(r.vpcID(v)),
			Associations: []types.RouteTableAssociation{{Main: aws.Bool(true)}},
			Routes:       []types.Route{{DestinationCidrBlock: aws.String(fmt.Sprintf("10.%d.0.0/16", v)), GatewayId: aws.String("local")}}})
	}
	return out, nil
}

// endpointServices are the services of the interface endpoints.
var endpointServices = []string{"ssm", "ssmmessages", "ec2messages", "kms", "sts", "logs", "ecr.api", "ecr.dkr", "secretsmanager", "monitoring"}

// The endpoints: interface endpoints of the VPCs, each in its VPC's
// subnets with a group of the VPC; every fifth has a policy that lets any
// principal do anything with the service.
func (r *region) DescribeVpcEndpoints(ctx context.Context, in *ec2.DescribeVpcEndpointsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointsOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	start, end, next := pageOf(r.o.Endpoints, in.NextToken, pageSize(in.MaxResults))
	out := &ec2.DescribeVpcEndpointsOutput{NextToken: next}
	for e := start; e < end; e++ {
		v := r.vpcOf(e)
		svc := endpointServices[e%len(endpointServices)]
		policy := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"%s:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-synthetic"}}}]}`, r.account, strings.Split(svc, ".")[0])
		if e%5 == 4 {
			policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
		}
		ep := types.VpcEndpoint{VpcEndpointId: aws.String(fmt.Sprintf("vpce-%s%04d", r.account[8:], e)), VpcId: aws.String(r.vpcID(v)),
			VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws." + r.region + "." + svc),
			Groups: []types.SecurityGroupIdentifier{{GroupId: aws.String(r.groupID(v + vpcsPerRegion))}}, PrivateDnsEnabled: aws.Bool(true),
			PolicyDocument: aws.String(policy), State: types.StateAvailable, OwnerId: aws.String(r.account),
			DnsOptions: &types.DnsOptions{DnsRecordIpType: types.DnsRecordIpTypeIpv4}, IpAddressType: types.IpAddressTypeIpv4}
		for s := range 2 {
			ep.SubnetIds = append(ep.SubnetIds, r.subnetID(v, s))
		}
		out.VpcEndpoints = append(out.VpcEndpoints, ep)
	}
	return out, nil
}

func (r *region) DescribeVpcEndpointServiceConfigurations(ctx context.Context, in *ec2.DescribeVpcEndpointServiceConfigurationsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServiceConfigurationsOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	id := "vpce-svc-" + r.account[4:]
	return &ec2.DescribeVpcEndpointServiceConfigurationsOutput{ServiceConfigurations: []types.ServiceConfiguration{{
		ServiceId: aws.String(id), ServiceName: aws.String("com.amazonaws.vpce." + r.region + "." + id), AcceptanceRequired: aws.Bool(true),
		NetworkLoadBalancerArns: []string{"arn:aws:elasticloadbalancing:" + r.region + ":" + r.account + ":loadbalancer/net/svc/0123"}}}}, nil
}

func (r *region) DescribeVpcEndpointServicePermissions(ctx context.Context, in *ec2.DescribeVpcEndpointServicePermissionsInput, _ ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServicePermissionsOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	return &ec2.DescribeVpcEndpointServicePermissionsOutput{AllowedPrincipals: []types.AllowedPrincipal{{Principal: aws.String("arn:aws:iam::" + Account(0) + ":root")}}}, nil
}

func (r *region) DescribeManagedPrefixLists(ctx context.Context, in *ec2.DescribeManagedPrefixListsInput, _ ...func(*ec2.Options)) (*ec2.DescribeManagedPrefixListsOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	return &ec2.DescribeManagedPrefixListsOutput{PrefixLists: []types.ManagedPrefixList{
		{PrefixListId: aws.String("pl-s3" + r.account[8:]), OwnerId: aws.String("AWS"), PrefixListName: aws.String("com.amazonaws." + r.region + ".s3"), AddressFamily: aws.String("IPv4")},
		{PrefixListId: aws.String("pl-office" + r.account[8:]), OwnerId: aws.String(r.account), PrefixListName: aws.String("office"), AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(10)},
	}}, nil
}

func (r *region) GetManagedPrefixListEntries(ctx context.Context, in *ec2.GetManagedPrefixListEntriesInput, _ ...func(*ec2.Options)) (*ec2.GetManagedPrefixListEntriesOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	return &ec2.GetManagedPrefixListEntriesOutput{Entries: []types.PrefixListEntry{{Cidr: aws.String("192.0.2.0/24")}, {Cidr: aws.String("198.51.100.0/24")}}}, nil
}

// The flow logs: one per VPC but the last (GOV001).
func (r *region) DescribeFlowLogs(ctx context.Context, in *ec2.DescribeFlowLogsInput, _ ...func(*ec2.Options)) (*ec2.DescribeFlowLogsOutput, error) {
	if err := r.o.call(ctx); err != nil {
		return nil, err
	}
	out := &ec2.DescribeFlowLogsOutput{}
	for v := range vpcsPerRegion - 1 {
		out.FlowLogs = append(out.FlowLogs, types.FlowLog{FlowLogId: aws.String(fmt.Sprintf("fl-%s%d", r.account[8:], v)), ResourceId: aws.String(r.vpcID(v)), TrafficType: types.TrafficTypeAll})
	}
	return out, nil
}
