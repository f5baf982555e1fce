package awslive

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclint/vpclint/model"
)

// seeded are the ids of what seedMoto created.
type seeded struct {
	vpc, subnetA, subnetB, sg, nacl, ifaceEP, gwEP, service, prefixList, mainRT string
	nlb                                                                         string
	serviceErr                                                                  error
}

// seedMoto creates a small network in moto through the SDK: a VPC with
// DNS hostnames, subnets in two AZs, a group with SSH open to the world, a
// custom ACL on one subnet, an interface endpoint without a policy, a
// gateway endpoint, an endpoint service on an NLB, a prefix list.
func seedMoto(t *testing.T, base, region string) seeded {
	t.Helper()
	ctx := context.Background()
	c := ec2Client(base, region)
	var s seeded
	must := func(err error, what string) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed %s: %v", what, err)
		}
	}
	tags := func(rt types.ResourceType, kv ...string) []types.TagSpecification {
		var ts []types.Tag
		for i := 0; i+1 < len(kv); i += 2 {
			ts = append(ts, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		return []types.TagSpecification{{ResourceType: rt, Tags: ts}}
	}
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tags(types.ResourceTypeVpc, "Name", "main")})
	must(err, "vpc")
	s.vpc = *vpc.Vpc.VpcId
	_, err = c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: vpc.Vpc.VpcId, EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(true)}})
	must(err, "vpc attribute")
	sa, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String(region + "a")})
	must(err, "subnet a")
	s.subnetA = *sa.Subnet.SubnetId
	sb, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.2.0/24"), AvailabilityZone: aws.String(region + "b")})
	must(err, "subnet b")
	s.subnetB = *sb.Subnet.SubnetId

	sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("admin"), Description: aws.String("admin access"), VpcId: vpc.Vpc.VpcId,
		TagSpecifications: tags(types.ResourceTypeSecurityGroup, "vpclint:ignore", "SG004, SG009", "vpclint:ignore-reason", "bastion, reviewed")})
	must(err, "security group")
	s.sg = *sg.GroupId
	_, err = c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: []types.IpPermission{
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), IpRanges: []types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("ssh from anywhere")}}},
		{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []types.IpRange{{CidrIp: aws.String("10.0.0.0/16")}}},
	}})
	must(err, "ingress")

	acl, err := c.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: vpc.Vpc.VpcId})
	must(err, "network acl")
	s.nacl = *acl.NetworkAcl.NetworkAclId
	for _, e := range []ec2.CreateNetworkAclEntryInput{
		{RuleNumber: aws.Int32(100), Protocol: aws.String("6"), RuleAction: types.RuleActionAllow, CidrBlock: aws.String("10.0.0.0/16"), PortRange: &types.PortRange{From: aws.Int32(443), To: aws.Int32(443)}, Egress: aws.Bool(false)},
		{RuleNumber: aws.Int32(200), Protocol: aws.String("-1"), RuleAction: types.RuleActionDeny, CidrBlock: aws.String("0.0.0.0/0"), Egress: aws.Bool(false)},
		{RuleNumber: aws.Int32(100), Protocol: aws.String("6"), RuleAction: types.RuleActionAllow, CidrBlock: aws.String("0.0.0.0/0"), PortRange: &types.PortRange{From: aws.Int32(1024), To: aws.Int32(65535)}, Egress: aws.Bool(true)},
	} {
		e.NetworkAclId = acl.NetworkAcl.NetworkAclId
		_, err := c.CreateNetworkAclEntry(ctx, &e)
		must(err, "acl entry")
	}
	acls, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{s.subnetA}}}})
	must(err, "find acl association")
	for _, a := range acls.NetworkAcls {
		for _, as := range a.Associations {
			if aws.ToString(as.SubnetId) == s.subnetA {
				_, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: as.NetworkAclAssociationId, NetworkAclId: acl.NetworkAcl.NetworkAclId})
				must(err, "acl association")
			}
		}
	}

	rts, err := c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{s.vpc}}}})
	must(err, "route tables")
	for _, rt := range rts.RouteTables {
		s.mainRT = aws.ToString(rt.RouteTableId)
	}
	ep, err := c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, VpcEndpointType: types.VpcEndpointTypeInterface,
		ServiceName: aws.String("com.amazonaws." + region + ".sts"), SubnetIds: []string{s.subnetA, s.subnetB}, SecurityGroupIds: []string{s.sg}, PrivateDnsEnabled: aws.Bool(true)})
	must(err, "interface endpoint")
	s.ifaceEP = *ep.VpcEndpoint.VpcEndpointId
	gw, err := c.CreateVpcEndpoint(ctx, &ec2.CreateVpcEndpointInput{VpcId: vpc.Vpc.VpcId, VpcEndpointType: types.VpcEndpointTypeGateway,
		ServiceName: aws.String("com.amazonaws." + region + ".s3"), RouteTableIds: []string{s.mainRT}})
	must(err, "gateway endpoint")
	s.gwEP = *gw.VpcEndpoint.VpcEndpointId

	pl, err := c.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{PrefixListName: aws.String("office"), AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(5),
		Entries: []types.AddPrefixListEntry{{Cidr: aws.String("192.0.2.0/24")}, {Cidr: aws.String("198.51.100.7/32")}}})
	must(err, "prefix list")
	s.prefixList = *pl.PrefixList.PrefixListId

	// The endpoint service needs an NLB, which moto creates through its
	// elbv2 API; if that fails the rest of the test still runs.
	s.nlb, s.serviceErr = createNLB(ctx, base, region, "svc-nlb", s.subnetA, s.subnetB)
	if s.serviceErr == nil {
		svc, err := c.CreateVpcEndpointServiceConfiguration(ctx, &ec2.CreateVpcEndpointServiceConfigurationInput{NetworkLoadBalancerArns: []string{s.nlb}, AcceptanceRequired: aws.Bool(false)})
		if err != nil {
			s.serviceErr = err
		} else {
			s.service = *svc.ServiceConfiguration.ServiceId
			_, err := c.ModifyVpcEndpointServicePermissions(ctx, &ec2.ModifyVpcEndpointServicePermissionsInput{ServiceId: svc.ServiceConfiguration.ServiceId, AddAllowedPrincipals: []string{"arn:aws:iam::111122223333:root"}})
			must(err, "service permissions")
		}
	}
	return s
}

// recorder is an HTTP client that records the API actions called.
type recorder struct {
	mu      sync.Mutex
	actions []string
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	action := req.Header.Get("X-Amz-Target")
	if action == "" && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		if v, err := url.ParseQuery(string(body)); err == nil {
			action = v.Get("Action")
		}
	}
	r.mu.Lock()
	r.actions = append(r.actions, action)
	r.mu.Unlock()
	return http.DefaultClient.Do(req)
}

func TestMotoAccount(t *testing.T) {
	base := requireMoto(t)
	resetMoto(t, base)
	fakeEnv(t)
	t0 := time.Now()
	s := seedMoto(t, base, "us-east-1")
	t.Logf("seeded moto in %s (its first EC2 call loads its EC2 data)", time.Since(t0))
	rec := &recorder{}
	units, errs, err := Load(context.Background(), Options{Regions: []string{"us-east-1", "us-west-2"}, EndpointURL: base, HTTPClient: rec})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, e := range errs {
		t.Errorf("load error: %v", e)
	}
	if len(units) != 2 {
		t.Fatalf("got %d units, want 2 (us-east-1 and the empty us-west-2)", len(units))
	}
	const acct = "123456789012"
	m := units[0]
	if m.Unit != "aws:"+acct+"/us-east-1" || m.Format != model.FormatAWS || !m.Inventory.Complete {
		t.Errorf("unit %q format %q complete %v", m.Unit, m.Format, m.Inventory.Complete)
	}
	if m.Context != (model.Context{Account: acct, Region: "us-east-1", Partition: "aws"}) {
		t.Errorf("context = %+v", m.Context)
	}

	vpc := find(t, m.VPCs, s.vpc)
	if !slices.Equal(vpc.CIDRBlocks, []string{"10.0.0.0/16"}) || vpc.EnableDNSSupport == nil || !*vpc.EnableDNSSupport ||
		vpc.EnableDNSHostnames == nil || !*vpc.EnableDNSHostnames || vpc.IsDefault || vpc.Tags["Name"] != "main" {
		t.Errorf("vpc = %+v", vpc)
	}
	if vpc.ARN != "arn:aws:ec2:us-east-1:"+acct+":vpc/"+s.vpc || vpc.Address != s.vpc ||
		vpc.Source != (model.Source{Format: "aws", Account: acct, Region: "us-east-1"}) {
		t.Errorf("vpc identity = %q %q %+v", vpc.ARN, vpc.Address, vpc.Source)
	}
	a, b := find(t, m.Subnets, s.subnetA), find(t, m.Subnets, s.subnetB)
	if a.AvailabilityZone != "us-east-1a" || b.AvailabilityZone != "us-east-1b" || a.AvailabilityZoneID == "" || a.AvailabilityZoneID == b.AvailabilityZoneID {
		t.Errorf("AZs: %q/%q %q/%q", a.AvailabilityZone, a.AvailabilityZoneID, b.AvailabilityZone, b.AvailabilityZoneID)
	}
	if a.NetworkACLID != s.nacl || b.NetworkACLID == "" || b.NetworkACLID == s.nacl || a.CIDRBlock != "10.0.1.0/24" || a.VPCID != s.vpc {
		t.Errorf("subnet ACLs: a=%q b=%q (custom %s)", a.NetworkACLID, b.NetworkACLID, s.nacl)
	}
	if a.RouteTableID != s.mainRT {
		t.Errorf("subnet a route table %q, want the main table %s", a.RouteTableID, s.mainRT)
	}

	sg := find(t, m.SecurityGroups, s.sg)
	if sg.Name != "admin" || sg.IsDefault || sg.VPCID != s.vpc || sg.Description == nil || *sg.Description != "admin access" {
		t.Errorf("group = %+v", sg)
	}
	var ssh *model.SGRule
	for _, r := range sg.Ingress {
		if r.FromPort != nil && *r.FromPort == 22 {
			ssh = r
		}
	}
	if len(sg.Ingress) != 2 || ssh == nil || ssh.Protocol != "tcp" || *ssh.ToPort != 22 || !slices.Equal(ssh.CIDRBlocks, []string{"0.0.0.0/0"}) ||
		ssh.Description == nil || *ssh.Description != "ssh from anywhere" || !strings.HasPrefix(ssh.RuleID, "sgr-") {
		t.Errorf("ingress = %s", jsonOf(sg.Ingress))
	}
	if len(sg.Egress) != 1 || sg.Egress[0].Protocol != "all" || !slices.Equal(sg.Egress[0].CIDRBlocks, []string{"0.0.0.0/0"}) {
		t.Errorf("egress = %s", jsonOf(sg.Egress))
	}
	want := []model.Suppression{{Kind: "tag", RuleIDs: []string{"SG004", "SG009"}, Reason: "bastion, reviewed"}}
	if !equalJSON(sg.Suppressions, want) {
		t.Errorf("suppressions = %s", jsonOf(sg.Suppressions))
	}
	var def *model.SecurityGroup
	for _, g := range m.SecurityGroups {
		if g.VPCID == s.vpc && g.Name == "default" {
			def = g
		}
	}
	// moto gives the default group no self-referencing ingress rule
	// (AWS does), so only its identity is checked here; the fakes check
	// self references.
	if def == nil || !def.IsDefault {
		t.Errorf("default group = %s", jsonOf(def))
	}

	acl := find(t, m.NetworkACLs, s.nacl)
	if acl.IsDefault || !slices.Equal(acl.SubnetIDs, []string{s.subnetA}) || len(acl.Entries) != 3 {
		t.Fatalf("acl = %s", jsonOf(acl))
	}
	e0, e1, e2 := acl.Entries[0], acl.Entries[1], acl.Entries[2]
	if e0.Egress || *e0.RuleNumber != 100 || e0.Protocol != "tcp" || e0.Action != "allow" || *e0.FromPort != 443 || e0.CIDRBlock != "10.0.0.0/16" ||
		e1.Egress || *e1.RuleNumber != 200 || e1.Protocol != "all" || e1.Action != "deny" ||
		!e2.Egress || *e2.FromPort != 1024 || *e2.ToPort != 65535 {
		t.Errorf("entries = %s", jsonOf(acl.Entries))
	}
	var defACL *model.NetworkACL
	for _, n := range m.NetworkACLs {
		if n.VPCID == s.vpc && n.IsDefault {
			defACL = n
		}
	}
	if defACL == nil || !slices.Contains(defACL.SubnetIDs, s.subnetB) || len(defACL.Entries) == 0 {
		t.Errorf("default acl = %s", jsonOf(defACL))
	}
	for _, n := range m.NetworkACLs {
		for _, e := range n.Entries {
			if *e.RuleNumber >= 32767 {
				t.Errorf("acl %s keeps AWS's final deny entry %d", n.ID, *e.RuleNumber)
			}
		}
	}

	ep := find(t, m.VPCEndpoints, s.ifaceEP)
	if ep.Type != "Interface" || ep.Service != "sts" || !slices.Equal(ep.SubnetIDs, sortedUnique([]string{s.subnetA, s.subnetB})) ||
		!slices.Equal(ep.SecurityGroupIDs, []string{s.sg}) || ep.PrivateDNSEnabled == nil || !*ep.PrivateDNSEnabled || ep.VPCID != s.vpc {
		t.Errorf("interface endpoint = %s", jsonOf(ep))
	}
	if ep.Policy == nil || len(ep.Policy.Statement) != 1 || ep.Policy.Statement[0].Effect != "Allow" || !ep.Policy.Statement[0].PrincipalStar ||
		!slices.Equal(ep.Policy.Statement[0].Action, []string{"*"}) || ep.PolicyRaw != nil {
		t.Errorf("interface endpoint policy (moto's default full access) = %s", jsonOf(ep.Policy))
	}
	gw := find(t, m.VPCEndpoints, s.gwEP)
	if gw.Type != "Gateway" || gw.Service != "s3" || !slices.Equal(gw.RouteTableIDs, []string{s.mainRT}) || gw.Policy == nil {
		t.Errorf("gateway endpoint = %s", jsonOf(gw))
	}

	if s.serviceErr != nil {
		t.Logf("endpoint service not seeded (moto): %v", s.serviceErr)
	} else {
		svc := find(t, m.EndpointServices, s.service)
		if svc.AcceptanceRequired == nil || *svc.AcceptanceRequired || !slices.Equal(svc.NetworkLoadBalancerARNs, []string{s.nlb}) ||
			!slices.Equal(svc.AllowedPrincipals, []string{"arn:aws:iam::111122223333:root"}) || !strings.HasPrefix(svc.ServiceName, "com.amazonaws.vpce.us-east-1.") {
			t.Errorf("endpoint service = %s", jsonOf(svc))
		}
	}
	pl := find(t, m.PrefixLists, s.prefixList)
	if pl.AWSManaged || pl.Name != "office" || !slices.Equal(pl.CIDRs, []string{"192.0.2.0/24", "198.51.100.7/32"}) || pl.MaxEntries == nil || *pl.MaxEntries != 5 {
		t.Errorf("prefix list = %s", jsonOf(pl))
	}
	for _, p := range m.PrefixLists {
		if p.AWSManaged && (p.CIDRs != nil || !slices.Contains(p.Unknown, "cidrs")) {
			t.Errorf("AWS-managed list %s: cidrs should be unknown", p.ID)
		}
	}
	rt := find(t, m.RouteTables, s.mainRT)
	if !rt.IsMain || rt.VPCID != s.vpc {
		t.Errorf("main route table = %s", jsonOf(rt))
	}

	// The second region holds only moto's default VPC.
	w := units[1]
	if w.Unit != "aws:"+acct+"/us-west-2" || !w.Inventory.Complete || len(w.VPCEndpoints) != 0 {
		t.Errorf("us-west-2 unit = %s %v, %d endpoints", w.Unit, w.Inventory.Complete, len(w.VPCEndpoints))
	}
	for _, v := range w.VPCs {
		if !v.IsDefault {
			t.Errorf("us-west-2 has a non-default VPC %s", v.ID)
		}
		if v.Source.Region != "us-west-2" {
			t.Errorf("us-west-2 VPC with source %+v", v.Source)
		}
	}

	// Read-only: only Describe*, Get* and sts:GetCallerIdentity.
	seen := map[string]bool{}
	for _, a := range rec.actions {
		seen[a] = true
		if !strings.HasPrefix(a, "Describe") && !strings.HasPrefix(a, "Get") {
			t.Errorf("the read called %q, which is not a read-only action", a)
		}
	}
	var calls []string
	for a := range seen {
		calls = append(calls, a)
	}
	sort.Strings(calls)
	t.Logf("actions called: %s", strings.Join(calls, " "))
}

// find returns the resource with the given id.
func find[T model.Resource](t *testing.T, list []T, id string) T {
	t.Helper()
	for _, r := range list {
		if r.GetMeta().ID == id {
			return r
		}
	}
	var zero T
	t.Fatalf("no resource %s", id)
	return zero
}
