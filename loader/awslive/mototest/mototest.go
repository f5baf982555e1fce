// Package mototest runs moto_server (a local AWS API) for the tests of the
// live AWS loader and of the command line, and seeds it with a small
// network through the SDK. It is for tests only, like net/http/httptest.
//
// moto_server is started on a free loopback port on first use and stopped
// by Close. When it is not installed, tests skip with a clear reason, or
// fail when VPCLINT_REQUIRE_MOTO=1 (internal/testenv) asks for it.
package mototest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpclint/vpclint/internal/testenv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Account is moto's default account id.
const Account = "123456789012"

// Server is one moto_server process, started on first use.
type Server struct {
	once sync.Once
	cmd  *exec.Cmd
	url  string
	err  error
	skip string
}

// URL returns the base URL of the running server, starting it if needed.
// It skips the test when moto_server is not installed (fails it under
// VPCLINT_REQUIRE_MOTO=1).
func (s *Server) URL(tb testing.TB) string {
	tb.Helper()
	s.once.Do(s.start)
	if s.skip != "" {
		testenv.Missing(tb, testenv.RequireMotoVar, s.skip+": install moto with `pip install \"moto[server]\"` to run the live-AWS tests")
	}
	if s.err != nil {
		tb.Fatalf("moto_server: %v", s.err)
	}
	return s.url
}

func (s *Server) start() {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		s.skip = "moto_server is not on PATH"
		return
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.err = err
		return
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		s.err = fmt.Errorf("start: %w", err)
		return
	}
	s.cmd = cmd
	s.url = fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.err = fmt.Errorf("no answer on %s after 30s", s.url)
}

// Close stops the server, if it was started.
func (s *Server) Close() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
		s.cmd = nil
	}
}

// Reset clears moto's state.
func (s *Server) Reset(tb testing.TB) {
	tb.Helper()
	resp, err := http.Post(s.URL(tb)+"/moto-api/reset", "application/json", nil)
	if err != nil {
		tb.Fatalf("reset moto: %v", err)
	}
	resp.Body.Close()
}

// Env sets static fake credentials for the test and keeps the user's AWS
// configuration, region and CA bundle out.
func Env(tb testing.TB) {
	tb.Helper()
	dir := tb.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "testing",
		"AWS_SECRET_ACCESS_KEY":       "testing",
		"AWS_SESSION_TOKEN":           "",
		"AWS_PROFILE":                 "",
		"AWS_REGION":                  "",
		"AWS_DEFAULT_REGION":          "",
		"AWS_CONFIG_FILE":             dir + "/config",
		"AWS_SHARED_CREDENTIALS_FILE": dir + "/credentials",
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CA_BUNDLE":               "",
	} {
		tb.Setenv(k, v)
	}
}

// EC2 returns an SDK client of the server, for seeding.
func EC2(base, region string) *ec2.Client {
	return ec2.New(ec2.Options{
		Region:       region,
		BaseEndpoint: aws.String(base),
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	})
}

// Query calls one of moto's query-protocol APIs (elbv2, cloudformation) by
// hand, their SDK modules not being dependencies, and returns the body.
func Query(ctx context.Context, base, region, service string, form url.Values) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// moto routes by the signing scope of the Authorization header.
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/"+region+"/"+service+"/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s %s: %s: %.500s", service, form.Get("Action"), resp.Status, body)
	}
	return string(body), nil
}

// CreateNLB creates a network load balancer through moto's elbv2 API and
// returns its ARN.
func CreateNLB(ctx context.Context, base, region, name string, subnets ...string) (string, error) {
	form := url.Values{"Action": {"CreateLoadBalancer"}, "Version": {"2015-12-01"}, "Name": {name}, "Type": {"network"}, "Scheme": {"internal"}}
	for i, s := range subnets {
		form.Set(fmt.Sprintf("Subnets.member.%d", i+1), s)
	}
	body, err := Query(ctx, base, region, "elasticloadbalancing", form)
	if err != nil {
		return "", err
	}
	i := strings.Index(body, "<LoadBalancerArn>")
	j := strings.Index(body, "</LoadBalancerArn>")
	if i < 0 || j < i {
		return "", fmt.Errorf("CreateLoadBalancer: no ARN in %.500s", body)
	}
	return body[i+len("<LoadBalancerArn>") : j], nil
}

// Network holds the ids of what Seed created.
type Network struct {
	VPC, SubnetA, SubnetB, SecurityGroup, NetworkACL   string
	InterfaceEndpoint, GatewayEndpoint, MainRouteTable string
	PrefixList                                         string
	// HostedZone is the id of a private zone for STS's name on the VPC.
	HostedZone string
	// Service and NLB are empty when ServiceErr says why moto could not
	// create the endpoint service.
	Service, NLB string
	ServiceErr   error
}

// Seed creates, in region: a VPC with DNS hostnames on, subnets in two
// AZs, a security group "admin" with SSH open to 0.0.0.0/0 (tagged
// vpclint:ignore SG004,SG009 with a reason), a custom network ACL on the
// first subnet, an interface endpoint for STS without a policy (moto, like
// AWS, attaches the default full-access policy), a gateway endpoint for S3,
// a customer prefix list, and an endpoint service on an NLB allowing one
// account; and a private hosted zone sts.<region>.amazonaws.com on the VPC.
func Seed(ctx context.Context, base, region string) (*Network, error) {
	c := EC2(base, region)
	s := &Network{}
	tags := func(rt types.ResourceType, kv ...string) []types.TagSpecification {
		var ts []types.Tag
		for i := 0; i+1 < len(kv); i += 2 {
			ts = append(ts, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		return []types.TagSpecification{{ResourceType: rt, Tags: ts}}
	}
	fail := func(what string, err error) (*Network, error) { return nil, fmt.Errorf("seed %s: %w", what, err) }

	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tags(types.ResourceTypeVpc, "Name", "main")})
	if err != nil {
		return fail("vpc", err)
	}
	s.VPC = *vpc.Vpc.VpcId
	if _, err := c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc.Vpc.VpcId, EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}}); err != nil {
		return fail("vpc attribute", err)
	}
	sa, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String(region + "a")})
	if err != nil {
		return fail("subnet a", err)
	}
	s.SubnetA = *sa.Subnet.SubnetId
	sb, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.2.0/24"), AvailabilityZone: aws.String(region + "b")})
	if err != nil {
		return fail("subnet b", err)
	}
	s.SubnetB = *sb.Subnet.SubnetId

	sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("admin"), Description: aws.String("admin access"), VpcId: vpc.Vpc.VpcId,
		TagSpecifications: tags(types.ResourceTypeSecurityGroup, "vpclint:ignore", "SG004, SG009", "vpclint:ignore-reason", "bastion, reviewed")})
	if err != nil {
		return fail("security group", err)
	}
	s.SecurityGroup = *sg.GroupId
	if _, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("ssh from anywhere")}}},
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}}},
	}}); err != nil {
		return fail("ingress", err)
	}

	acl, err := c.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: vpc.Vpc.VpcId})
	if err != nil {
		return fail("network acl", err)
	}
	s.NetworkACL = *acl.NetworkAcl.NetworkAclId
	for _, e := range []ec2.CreateNetworkAclEntryInput{
		{RuleNumber: aws.Int32(100), Protocol: aws.String("6"), RuleAction: types.RuleActionAllow, CidrBlock: aws.String("10.0.0.0/16"), PortRange: &types.PortRange{From: aws.Int32(443), To: aws.Int32(443)}, Egress: aws.Bool(false)},
		{RuleNumber: aws.Int32(200), Protocol: aws.String("-1"), RuleAction: types.RuleActionDeny, CidrBlock: aws.String("0.0.0.0/0"), Egress: aws.Bool(false)},
		{RuleNumber: aws.Int32(100), Protocol: aws.String("6"), RuleAction: types.RuleActionAllow, CidrBlock: aws.String("0.0.0.0/0"), PortRange: &types.PortRange{From: aws.Int32(1024), To: aws.Int32(65535)}, Egress: aws.Bool(true)},
	} {
		e.NetworkAclId = acl.NetworkAcl.NetworkAclId
		if _, err := c.CreateNetworkAclEntry(ctx, &e); err != nil {
			return fail("acl entry", err)
		}
	}
	acls, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{s.SubnetA}}}})
	if err != nil {
		return fail("acl association", err)
	}
	for _, a := range acls.NetworkAcls {
		for _, as := range a.Associations {
			if aws.ToString(as.SubnetId) == s.SubnetA {
				if _, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: as.NetworkAclAssociationId, NetworkAclId: acl.NetworkAcl.NetworkAclId}); err != nil {
					return fail("acl association", err)
				}
			}
		}
	}

	rts, err := c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{s.VPC}}}})
	if err != nil {
		return fail("route tables", err)
	}
	for _, rt := range rts.RouteTables {
		s.MainRouteTable = aws.ToString(rt.RouteTableId)
	}
	ep, err := c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, VpcEndpointType: types.VpcEndpointTypeInterface,
		ServiceName: aws.String("com.amazonaws." + region + ".sts"), SubnetIds: []string{s.SubnetA, s.SubnetB}, SecurityGroupIds: []string{s.SecurityGroup}, PrivateDnsEnabled: aws.Bool(true)})
	if err != nil {
		return fail("interface endpoint", err)
	}
	s.InterfaceEndpoint = *ep.VpcEndpoint.VpcEndpointId
	gw, err := c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, VpcEndpointType: types.VpcEndpointTypeGateway,
		ServiceName: aws.String("com.amazonaws." + region + ".s3"), RouteTableIds: []string{s.MainRouteTable}})
	if err != nil {
		return fail("gateway endpoint", err)
	}
	s.GatewayEndpoint = *gw.VpcEndpoint.VpcEndpointId

	pl, err := c.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("office"), AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(5),
		Entries: []types.AddPrefixListEntry{{Cidr: aws.String("192.0.2.0/24")}, {Cidr: aws.String("198.51.100.7/32")}}})
	if err != nil {
		return fail("prefix list", err)
	}
	s.PrefixList = *pl.PrefixList.PrefixListId

	// The endpoint service needs an NLB, which moto creates through its
	// elbv2 API; if that fails, the rest of the network is still there.
	s.NLB, s.ServiceErr = CreateNLB(ctx, base, region, "svc-nlb", s.SubnetA, s.SubnetB)
	if s.ServiceErr == nil {
		svc, err := c.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{s.NLB}, AcceptanceRequired: aws.Bool(false)})
		if err != nil {
			s.ServiceErr = err
		} else {
			s.Service = *svc.ServiceConfiguration.ServiceId
			if _, err := c.ModifyVpcEndpointServicePermissions(ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{ServiceId: svc.ServiceConfiguration.ServiceId,
				AddAllowedPrincipals: []string{"arn:aws:iam::111122223333:root"}}); err != nil {
				return fail("service permissions", err)
			}
		}
	}
	r53 := route53.New(route53.Options{Region: region, BaseEndpoint: aws.String(base),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	zone, err := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{
		Name: aws.String("sts." + region + ".amazonaws.com"), CallerReference: aws.String("vpclint-seed-" + s.VPC),
		HostedZoneConfig: &r53types.HostedZoneConfig{PrivateZone: true},
		VPC:              &r53types.VPC{VPCId: aws.String(s.VPC), VPCRegion: r53types.VPCRegion(region)},
	})
	if err != nil {
		return fail("hosted zone", err)
	}
	s.HostedZone = strings.TrimPrefix(aws.ToString(zone.HostedZone.Id), "/hostedzone/")
	return s, nil
}

// Organization creates the organization of moto's default account (once)
// and n member accounts, and returns the members' ids.
func Organization(ctx context.Context, base string, n int) ([]string, error) {
	c := organizations.New(organizations.Options{Region: "us-east-1", BaseEndpoint: aws.String(base),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	if _, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll}); err != nil &&
		!strings.Contains(err.Error(), "AlreadyInOrganization") {
		return nil, fmt.Errorf("create the organization: %w", err)
	}
	var ids []string
	for i := range n {
		out, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String(fmt.Sprintf("member-%d", i)), Email: aws.String(fmt.Sprintf("member-%d@example.com", i))})
		if err != nil {
			return nil, fmt.Errorf("create an account: %w", err)
		}
		ids = append(ids, aws.ToString(out.CreateAccountStatus.AccountId))
	}
	return ids, nil
}

// AccountCredentials are credentials of a role in the account (moto
// issues them for any role, and keeps each account's resources apart).
func AccountCredentials(ctx context.Context, base, account string) (aws.CredentialsProvider, error) {
	c := sts.New(sts.Options{Region: "us-east-1", BaseEndpoint: aws.String(base),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	out, err := c.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + account + ":role/OrganizationAccountAccessRole"), RoleSessionName: aws.String("seed")})
	if err != nil {
		return nil, fmt.Errorf("assume a role in %s: %w", account, err)
	}
	cr := out.Credentials
	return credentials.NewStaticCredentialsProvider(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken)), nil
}

// SeedSmall creates, with the credentials given, in region: a VPC, a
// security group open on SSH to the internet (SG001) and a gateway
// endpoint for S3 without a policy (EP001).
func SeedSmall(ctx context.Context, base, region string, creds aws.CredentialsProvider) error {
	c := ec2.New(ec2.Options{Region: region, BaseEndpoint: aws.String(base), Credentials: creds})
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		return fmt.Errorf("seed vpc: %w", err)
	}
	sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("ssh"), Description: aws.String("ssh"), VpcId: vpc.Vpc.VpcId})
	if err != nil {
		return fmt.Errorf("seed security group: %w", err)
	}
	if _, err := c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("ssh")}}},
	}}); err != nil {
		return fmt.Errorf("seed ingress: %w", err)
	}
	rts, err := c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{*vpc.Vpc.VpcId}}}})
	if err != nil || len(rts.RouteTables) == 0 {
		return fmt.Errorf("seed route tables: %v", err)
	}
	if _, err := c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, VpcEndpointType: types.VpcEndpointTypeGateway,
		ServiceName: aws.String("com.amazonaws." + region + ".s3"), RouteTableIds: []string{*rts.RouteTables[0].RouteTableId}}); err != nil {
		return fmt.Errorf("seed gateway endpoint: %w", err)
	}
	return nil
}
