package awslive

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/vpclint/vpclint/internal/modeltest"
	"github.com/vpclint/vpclint/loader/awslive/mototest"
	"github.com/vpclint/vpclint/model"
)

const baseAccount = "111111111111"

// fakeOptions are options that read the fake cloud with the base
// account's credentials.
func fakeOptions(t *testing.T, cloud *fakeCloud) Options {
	t.Helper()
	fakeEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AK"+baseAccount)
	t.Setenv("AWS_SECRET_ACCESS_KEY", "very-secret-key")
	return Options{Regions: []string{"us-east-1"}, Clients: cloud, Retry: RetryOptions{MaxAttempts: 2, MaxBackoff: time.Millisecond}}
}

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

// bigRegion has more of everything than one fake page holds.
func bigRegion() *fakeEC2 {
	f := &fakeEC2{perms: map[string][]types.AllowedPrincipal{}, entries: map[string][]types.PrefixListEntry{}}
	for i := range 5 {
		vpc := fmt.Sprintf("vpc-%d", i)
		f.vpcs = append(f.vpcs, types.Vpc{VpcId: aws.String(vpc), CidrBlock: aws.String(fmt.Sprintf("10.%d.0.0/16", i)), OwnerId: aws.String(baseAccount), IsDefault: aws.Bool(i == 0)})
		f.subnets = append(f.subnets, types.Subnet{SubnetId: aws.String(fmt.Sprintf("subnet-%d", i)), VpcId: aws.String("vpc-0"), CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i)),
			AvailabilityZone: aws.String(fmt.Sprintf("us-east-1%c", 'a'+i%3)), AvailabilityZoneId: aws.String(fmt.Sprintf("use1-az%d", i%3+1))})
		sg := fmt.Sprintf("sg-%d", i)
		f.groups = append(f.groups, types.SecurityGroup{GroupId: aws.String(sg), GroupName: aws.String(sg), Description: aws.String("d"), VpcId: aws.String("vpc-0")})
		for j := range 3 {
			f.rules = append(f.rules, types.SecurityGroupRule{SecurityGroupRuleId: aws.String(fmt.Sprintf("sgr-%d-%d", i, j)), GroupId: aws.String(sg),
				IpProtocol: aws.String("tcp"), FromPort: aws.Int32(int32(1000 + j)), ToPort: aws.Int32(int32(1000 + j)), CidrIpv4: aws.String("10.0.0.0/8"), IsEgress: aws.Bool(j == 2)})
		}
		f.acls = append(f.acls, types.NetworkAcl{NetworkAclId: aws.String(fmt.Sprintf("acl-%d", i)), VpcId: aws.String("vpc-0"),
			Associations: []types.NetworkAclAssociation{{SubnetId: aws.String(fmt.Sprintf("subnet-%d", i))}}})
		f.endpoints = append(f.endpoints, types.VpcEndpoint{VpcEndpointId: aws.String(fmt.Sprintf("vpce-%d", i)), VpcId: aws.String("vpc-0"), VpcEndpointType: types.VpcEndpointTypeGateway, ServiceName: aws.String("com.amazonaws.us-east-1.s3")})
		svc := fmt.Sprintf("vpce-svc-%d", i)
		f.services = append(f.services, types.ServiceConfiguration{ServiceId: aws.String(svc), ServiceName: aws.String("com.amazonaws.vpce.us-east-1." + svc), AcceptanceRequired: aws.Bool(true)})
		for j := range 3 {
			f.perms[svc] = append(f.perms[svc], types.AllowedPrincipal{Principal: aws.String(fmt.Sprintf("arn:aws:iam::%012d:root", j))})
		}
		f.tables = append(f.tables, types.RouteTable{RouteTableId: aws.String(fmt.Sprintf("rtb-%d", i)), VpcId: aws.String("vpc-0")})
		pl := fmt.Sprintf("pl-%d", i)
		f.lists = append(f.lists, types.ManagedPrefixList{PrefixListId: aws.String(pl), OwnerId: aws.String(baseAccount), PrefixListName: aws.String(pl)})
		for j := range 5 {
			f.entries[pl] = append(f.entries[pl], types.PrefixListEntry{Cidr: aws.String(fmt.Sprintf("192.0.2.%d/32", j))})
		}
		f.flowLogs = append(f.flowLogs, types.FlowLog{FlowLogId: aws.String(fmt.Sprintf("fl-%d", i)), ResourceId: aws.String(fmt.Sprintf("vpc-%d", i)), TrafficType: types.TrafficTypeAll})
	}
	return f
}

func TestPagination(t *testing.T) {
	cloud := &fakeCloud{}
	f := bigRegion()
	cloud.ec2 = map[string]*fakeEC2{baseAccount + "/us-east-1": f}
	units, errs, err := Load(context.Background(), fakeOptions(t, cloud))
	if err != nil || len(errs) > 0 || len(units) != 1 {
		t.Fatalf("Load: %v %v, %d units", err, errs, len(units))
	}
	m := units[0]
	got := []int{len(m.VPCs), len(m.Subnets), len(m.SecurityGroups), len(m.NetworkACLs), len(m.VPCEndpoints), len(m.EndpointServices), len(m.RouteTables), len(m.PrefixLists), len(m.FlowLogs)}
	if !slices.Equal(got, []int{5, 5, 5, 5, 5, 5, 5, 5, 5}) {
		t.Errorf("resource counts %v, want 5 of each", got)
	}
	for _, sg := range m.SecurityGroups {
		if len(sg.Ingress) != 2 || len(sg.Egress) != 1 {
			t.Errorf("%s: %d ingress, %d egress rules", sg.ID, len(sg.Ingress), len(sg.Egress))
		}
	}
	for _, s := range m.EndpointServices {
		if len(s.AllowedPrincipals) != 3 {
			t.Errorf("%s: principals %v", s.ID, s.AllowedPrincipals)
		}
	}
	for _, p := range m.PrefixLists {
		if len(p.CIDRs) != 5 {
			t.Errorf("%s: cidrs %v", p.ID, p.CIDRs)
		}
	}
	// 5 items in pages of 2: three calls per list; 15 rules: eight.
	for op, want := range map[string]int{"DescribeVpcs": 3, "DescribeSubnets": 3, "DescribeSecurityGroups": 3, "DescribeSecurityGroupRules": 8,
		"DescribeNetworkAcls": 3, "DescribeVpcEndpoints": 3, "DescribeVpcEndpointServiceConfigurations": 3, "DescribeVpcEndpointServicePermissions": 10,
		"DescribeRouteTables": 3, "DescribeManagedPrefixLists": 3, "GetManagedPrefixListEntries": 15, "DescribeFlowLogs": 3, "DescribeVpcAttribute": 10} {
		if n := f.count(op); n != want {
			t.Errorf("%s called %d times, want %d", op, n, want)
		}
	}
	if m.Subnets[3].NetworkACLID != "acl-3" || m.Subnets[1].AvailabilityZoneID != "use1-az2" {
		t.Errorf("subnet 3 = %s", jsonOf(m.Subnets[3]))
	}
}

func TestConvert(t *testing.T) {
	cloud := &fakeCloud{}
	f := &fakeEC2{
		vpcs: []types.Vpc{{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.0.0/16"), OwnerId: aws.String(baseAccount),
			CidrBlockAssociationSet: []types.VpcCidrBlockAssociation{
				{CidrBlock: aws.String("10.0.0.0/16"), CidrBlockState: &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeAssociated}},
				{CidrBlock: aws.String("10.9.0.0/16"), CidrBlockState: &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeDisassociated}}},
			Ipv6CidrBlockAssociationSet: []types.VpcIpv6CidrBlockAssociation{{Ipv6CidrBlock: aws.String("2001:db8::/56"), Ipv6CidrBlockState: &types.VpcCidrBlockState{State: types.VpcCidrBlockStateCodeAssociated}}}}},
		subnets: []types.Subnet{
			{SubnetId: aws.String("subnet-a"), VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1a"), AvailabilityZoneId: aws.String("use1-az4"), SubnetArn: aws.String("arn:aws:ec2:us-east-1:" + baseAccount + ":subnet/subnet-a")},
			{SubnetId: aws.String("subnet-b"), VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.2.0/24"), AvailabilityZone: aws.String("us-east-1b"), AvailabilityZoneId: aws.String("use1-az6")}},
		groups: []types.SecurityGroup{
			{GroupId: aws.String("sg-def"), GroupName: aws.String("default"), Description: aws.String("default VPC security group"), VpcId: aws.String("vpc-1")},
			{GroupId: aws.String("sg-app"), GroupName: aws.String("app"), Description: aws.String("app"), VpcId: aws.String("vpc-1"),
				Tags: []types.Tag{tag("vpclint:ignore", "sg001;sg004"), tag("Name", "app")}}},
		rules: []types.SecurityGroupRule{
			{SecurityGroupRuleId: aws.String("sgr-1"), GroupId: aws.String("sg-def"), IpProtocol: aws.String("-1"), FromPort: aws.Int32(-1), ToPort: aws.Int32(-1), ReferencedGroupInfo: &types.ReferencedSecurityGroup{GroupId: aws.String("sg-def")}},
			{SecurityGroupRuleId: aws.String("sgr-2"), GroupId: aws.String("sg-def"), IsEgress: aws.Bool(true), IpProtocol: aws.String("-1"), FromPort: aws.Int32(-1), ToPort: aws.Int32(-1), CidrIpv4: aws.String("0.0.0.0/0")},
			{SecurityGroupRuleId: aws.String("sgr-3"), GroupId: aws.String("sg-app"), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), ReferencedGroupInfo: &types.ReferencedSecurityGroup{GroupId: aws.String("sg-def")}},
			{SecurityGroupRuleId: aws.String("sgr-4"), GroupId: aws.String("sg-app"), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), CidrIpv6: aws.String("::/0"), Description: aws.String("ssh v6")},
			{SecurityGroupRuleId: aws.String("sgr-5"), GroupId: aws.String("sg-app"), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22), PrefixListId: aws.String("pl-office")},
			{SecurityGroupRuleId: aws.String("sgr-6"), GroupId: aws.String("sg-app"), IpProtocol: aws.String("icmp"), FromPort: aws.Int32(8), ToPort: aws.Int32(-1), CidrIpv4: aws.String("10.1.2.3/8")},
			{SecurityGroupRuleId: aws.String("sgr-7"), GroupId: aws.String("sg-app"), IpProtocol: aws.String("50"), FromPort: aws.Int32(-1), ToPort: aws.Int32(-1), CidrIpv4: aws.String("10.0.0.0/8")}},
		acls: []types.NetworkAcl{{NetworkAclId: aws.String("acl-def"), VpcId: aws.String("vpc-1"), IsDefault: aws.Bool(true),
			Associations: []types.NetworkAclAssociation{{SubnetId: aws.String("subnet-b")}, {SubnetId: aws.String("subnet-a")}},
			Entries: []types.NetworkAclEntry{
				{RuleNumber: aws.Int32(32767), Egress: aws.Bool(true), Protocol: aws.String("-1"), RuleAction: types.RuleActionDeny, CidrBlock: aws.String("0.0.0.0/0")},
				{RuleNumber: aws.Int32(100), Egress: aws.Bool(true), Protocol: aws.String("-1"), RuleAction: types.RuleActionAllow, CidrBlock: aws.String("0.0.0.0/0")},
				{RuleNumber: aws.Int32(32768), Egress: aws.Bool(false), Protocol: aws.String("-1"), RuleAction: types.RuleActionDeny, Ipv6CidrBlock: aws.String("::/0")},
				{RuleNumber: aws.Int32(101), Egress: aws.Bool(false), Protocol: aws.String("-1"), RuleAction: types.RuleActionAllow, Ipv6CidrBlock: aws.String("::/0")},
				{RuleNumber: aws.Int32(100), Egress: aws.Bool(false), Protocol: aws.String("-1"), RuleAction: types.RuleActionAllow, CidrBlock: aws.String("0.0.0.0/0")},
				{RuleNumber: aws.Int32(90), Egress: aws.Bool(false), Protocol: aws.String("1"), RuleAction: types.RuleActionDeny, CidrBlock: aws.String("0.0.0.0/0"), IcmpTypeCode: &types.IcmpTypeCode{Type: aws.Int32(8), Code: aws.Int32(-1)}},
				{RuleNumber: aws.Int32(80), Egress: aws.Bool(false), Protocol: aws.String("6"), RuleAction: types.RuleActionDeny, CidrBlock: aws.String("0.0.0.0/0"), PortRange: &types.PortRange{From: aws.Int32(22), To: aws.Int32(22)}}}}},
		endpoints: []types.VpcEndpoint{
			{VpcEndpointId: aws.String("vpce-if"), VpcId: aws.String("vpc-1"), VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.us-east-1.ecr.api"),
				SubnetIds: []string{"subnet-b", "subnet-a"}, Groups: []types.SecurityGroupIdentifier{{GroupId: aws.String("sg-app")}}, PrivateDnsEnabled: aws.Bool(false),
				DnsOptions: &types.DnsOptions{DnsRecordIpType: types.DnsRecordIpTypeIpv4}, IpAddressType: types.IpAddressTypeIpv4, State: types.StateAvailable,
				PolicyDocument: aws.String(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*"}]}`)},
			{VpcEndpointId: aws.String("vpce-bad"), VpcId: aws.String("vpc-1"), VpcEndpointType: types.VpcEndpointTypeGateway, ServiceName: aws.String("com.amazonaws.us-east-1.dynamodb"),
				RouteTableIds: []string{"rtb-main"}, PolicyDocument: aws.String(`{"Statement": [`)},
			{VpcEndpointId: aws.String("vpce-svc"), VpcId: aws.String("vpc-1"), VpcEndpointType: types.VpcEndpointTypeInterface, ServiceName: aws.String("com.amazonaws.vpce.us-east-1.vpce-svc-0123")}},
		tables: []types.RouteTable{
			{RouteTableId: aws.String("rtb-main"), VpcId: aws.String("vpc-1"), Associations: []types.RouteTableAssociation{{Main: aws.Bool(true)}},
				Routes: []types.Route{{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: aws.String("local")}, {DestinationPrefixListId: aws.String("pl-ddb"), GatewayId: aws.String("vpce-bad")}}},
			{RouteTableId: aws.String("rtb-a"), VpcId: aws.String("vpc-1"), Associations: []types.RouteTableAssociation{{SubnetId: aws.String("subnet-a")}},
				Routes: []types.Route{{DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String("nat-1")}}}},
		lists:    []types.ManagedPrefixList{{PrefixListId: aws.String("pl-ddb"), OwnerId: aws.String("AWS"), PrefixListName: aws.String("com.amazonaws.us-east-1.dynamodb"), AddressFamily: aws.String("IPv4")}},
		flowLogs: []types.FlowLog{{FlowLogId: aws.String("fl-1"), ResourceId: aws.String("subnet-a"), TrafficType: types.TrafficTypeReject}},
	}
	cloud.ec2 = map[string]*fakeEC2{baseAccount + "/us-east-1": f}
	units, errs, err := Load(context.Background(), fakeOptions(t, cloud))
	if err != nil || len(errs) > 0 || len(units) != 1 {
		t.Fatalf("Load: %v %v", err, errs)
	}
	m := units[0]
	vpc := m.VPCs[0]
	if !slices.Equal(vpc.CIDRBlocks, []string{"10.0.0.0/16"}) || !slices.Equal(vpc.IPv6CIDRBlocks, []string{"2001:db8::/56"}) {
		t.Errorf("vpc cidrs %v %v", vpc.CIDRBlocks, vpc.IPv6CIDRBlocks)
	}
	a, b := modeltest.ByID(t, m.Subnets, "subnet-a"), modeltest.ByID(t, m.Subnets, "subnet-b")
	if a.NetworkACLID != "acl-def" || b.NetworkACLID != "acl-def" || a.RouteTableID != "rtb-a" || b.RouteTableID != "rtb-main" {
		t.Errorf("subnet links: a %s/%s b %s/%s", a.NetworkACLID, a.RouteTableID, b.NetworkACLID, b.RouteTableID)
	}
	if a.ARN != "arn:aws:ec2:us-east-1:"+baseAccount+":subnet/subnet-a" || b.ARN != "arn:aws:ec2:us-east-1:"+baseAccount+":subnet/subnet-b" {
		t.Errorf("subnet ARNs %s %s", a.ARN, b.ARN)
	}
	def := modeltest.ByID(t, m.SecurityGroups, "sg-def")
	if !def.IsDefault || len(def.Ingress) != 1 || !def.Ingress[0].Self || def.Ingress[0].SecurityGroupIDs != nil || def.Ingress[0].Protocol != "all" || def.Ingress[0].FromPort != nil {
		t.Errorf("default group ingress = %s", jsonOf(def.Ingress))
	}
	app := modeltest.ByID(t, m.SecurityGroups, "sg-app")
	if app.IsDefault || len(app.Ingress) != 5 {
		t.Fatalf("app ingress = %s", jsonOf(app.Ingress))
	}
	// Sorted by protocol, ports, peer: 50, icmp, tcp 22 v6, tcp 22 pl, tcp 443 sg.
	in := app.Ingress
	if in[0].Protocol != "50" || in[1].Protocol != "icmp" || *in[1].FromPort != 8 || *in[1].ToPort != -1 || !slices.Equal(in[1].CIDRBlocks, []string{"10.0.0.0/8"}) ||
		!slices.Equal(in[2].IPv6CIDRBlocks, []string{"::/0"}) || *in[2].Description != "ssh v6" || !slices.Equal(in[3].PrefixListIDs, []string{"pl-office"}) ||
		!slices.Equal(in[4].SecurityGroupIDs, []string{"sg-def"}) || in[4].Self || app.Egress == nil || len(app.Egress) != 0 {
		t.Errorf("app rules = %s", jsonOf(app))
	}
	if !equalJSON(app.Suppressions, []model.Suppression{{Kind: "tag", RuleIDs: []string{"SG001", "SG004"}}}) || app.Tags["Name"] != "app" {
		t.Errorf("app suppressions %s tags %v", jsonOf(app.Suppressions), app.Tags)
	}
	acl := m.NetworkACLs[0]
	var nums []string
	for _, e := range acl.Entries {
		nums = append(nums, fmt.Sprintf("%v/%d/%s/%s", e.Egress, *e.RuleNumber, e.Protocol, e.Action))
	}
	if want := []string{"false/80/tcp/deny", "false/90/icmp/deny", "false/100/all/allow", "false/101/all/allow", "true/100/all/allow"}; !slices.Equal(nums, want) {
		t.Errorf("acl entries %v, want %v", nums, want)
	}
	if e := acl.Entries[1]; *e.ICMPType != 8 || *e.ICMPCode != -1 || e.FromPort != nil {
		t.Errorf("icmp entry %s", jsonOf(e))
	}
	if e := acl.Entries[0]; *e.FromPort != 22 || *e.ToPort != 22 || e.ICMPType != nil {
		t.Errorf("tcp entry %s", jsonOf(e))
	}
	if !acl.IsDefault || !slices.Equal(acl.SubnetIDs, []string{"subnet-a", "subnet-b"}) || acl.Entries[3].IPv6CIDRBlock != "::/0" {
		t.Errorf("acl = %s", jsonOf(acl))
	}
	ifep := modeltest.ByID(t, m.VPCEndpoints, "vpce-if")
	if ifep.Service != "ecr.api" || !slices.Equal(ifep.SubnetIDs, []string{"subnet-a", "subnet-b"}) || *ifep.PrivateDNSEnabled || ifep.DNSOptions.DNSRecordIPType != "ipv4" ||
		ifep.IPAddressType != "ipv4" || ifep.State != "available" || ifep.Policy == nil || !slices.Equal(ifep.Policy.Statement[0].Action, []string{"ecr:*"}) || ifep.RouteTableIDs == nil {
		t.Errorf("interface endpoint = %s", jsonOf(ifep))
	}
	bad := modeltest.ByID(t, m.VPCEndpoints, "vpce-bad")
	if bad.Policy != nil || bad.PolicyRaw == nil || bad.PolicyError == "" || bad.Service != "dynamodb" || bad.SecurityGroupIDs == nil {
		t.Errorf("unparsable policy endpoint = %s", jsonOf(bad))
	}
	if svc := modeltest.ByID(t, m.VPCEndpoints, "vpce-svc"); svc.Service != "" || svc.Policy != nil {
		t.Errorf("endpoint to an endpoint service = %s", jsonOf(svc))
	}
	rt := modeltest.ByID(t, m.RouteTables, "rtb-main")
	if !rt.IsMain || rt.Routes[0].Target != "local" || rt.Routes[0].TargetType != "gateway_id" || rt.Routes[1].Target != "vpce-bad" || rt.Routes[1].TargetType != "vpc_endpoint_id" {
		t.Errorf("main table = %s", jsonOf(rt))
	}
	if r := modeltest.ByID(t, m.RouteTables, "rtb-a").Routes[0]; r.TargetType != "nat_gateway_id" {
		t.Errorf("nat route %s", jsonOf(r))
	}
	if pl := m.PrefixLists[0]; !pl.AWSManaged || pl.CIDRs != nil || !slices.Equal(pl.Unknown, []string{"cidrs"}) || f.count("GetManagedPrefixListEntries") != 0 {
		t.Errorf("AWS-managed prefix list = %s", jsonOf(pl))
	}
	if fl := m.FlowLogs[0]; fl.ResourceType != "Subnet" || fl.TrafficType != "REJECT" {
		t.Errorf("flow log = %s", jsonOf(fl))
	}
}

func TestOptInRegions(t *testing.T) {
	cloud := &fakeCloud{}
	home := cloud.region(baseAccount, "us-east-1")
	home.regions = []types.Region{
		{RegionName: aws.String("us-east-1"), OptInStatus: aws.String("opt-in-not-required")},
		{RegionName: aws.String("eu-south-1"), OptInStatus: aws.String("opted-in")},
		{RegionName: aws.String("ap-east-1"), OptInStatus: aws.String("not-opted-in")},
	}
	opts := fakeOptions(t, cloud)
	opts.Regions, opts.AllRegions = nil, true
	t.Setenv("AWS_REGION", "us-east-1")
	units, errs, err := Load(context.Background(), opts)
	if err != nil || len(errs) > 0 {
		t.Fatalf("Load: %v %v", err, errs)
	}
	var names []string
	for _, u := range units {
		names = append(names, u.Unit)
	}
	if want := []string{"aws:" + baseAccount + "/eu-south-1", "aws:" + baseAccount + "/us-east-1"}; !slices.Equal(names, want) {
		t.Errorf("units %v, want %v", names, want)
	}
	if n := cloud.region(baseAccount, "ap-east-1").count("DescribeVpcs"); n != 0 {
		t.Errorf("a region that is not opted in was read (%d calls)", n)
	}

	// A region named explicitly but not enabled fails alone.
	cloud.region(baseAccount, "af-south-1").fail = map[string]error{"DescribeVpcs": apiErr("OptInRequired", "You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.")}
	opts = fakeOptions(t, cloud)
	opts.Regions = []string{"us-east-1", "af-south-1"}
	units, errs, err = Load(context.Background(), opts)
	if err != nil || len(units) != 1 || units[0].Context.Region != "us-east-1" {
		t.Fatalf("Load: %v, %d units", err, len(units))
	}
	if len(errs) != 1 || errs[0].Account != baseAccount || errs[0].Region != "af-south-1" || errs[0].Call != "ec2:DescribeVpcs" ||
		errs[0].Level != model.LevelError || !strings.HasPrefix(errs[0].Message, "OptInRequired: ") {
		t.Errorf("errors = %+v", errs)
	}

	// DescribeRegions itself denied: nothing can be planned.
	home.fail = map[string]error{"DescribeRegions": apiErr("UnauthorizedOperation", "You are not authorized to perform this operation.")}
	opts = fakeOptions(t, cloud)
	opts.Regions, opts.AllRegions = nil, true
	t.Setenv("AWS_REGION", "us-east-1")
	units, _, err = Load(context.Background(), opts)
	if err == nil || len(units) != 0 || !strings.Contains(err.Error(), "ec2:DescribeRegions") || !strings.Contains(err.Error(), "UnauthorizedOperation") {
		t.Errorf("Load = %d units, %v", len(units), err)
	}
}

func TestAccessDenied(t *testing.T) {
	denied := apiErr("UnauthorizedOperation", "You are not authorized to perform this operation.")
	cloud := &fakeCloud{}
	f := bigRegion()
	f.groups[0].IpPermissions = []types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(22), ToPort: aws.Int32(22),
		IpRanges:         []types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("ssh")}, {CidrIp: aws.String("10.0.0.0/8")}},
		UserIdGroupPairs: []types.UserIdGroupPair{{GroupId: aws.String("sg-0")}, {GroupId: aws.String("sg-1")}}}}
	f.fail = map[string]error{"DescribeFlowLogs": denied, "DescribeSecurityGroupRules": denied, "DescribeVpcAttribute": denied}
	cloud.ec2 = map[string]*fakeEC2{baseAccount + "/us-east-1": f}
	var progress bytes.Buffer
	opts := fakeOptions(t, cloud)
	opts.Progress = &progress
	units, errs, err := Load(context.Background(), opts)
	if err != nil || len(units) != 1 {
		t.Fatalf("Load: %v, %d units", err, len(units))
	}
	m := units[0]
	if m.Inventory.Complete {
		t.Error("a unit whose flow logs could not be read is marked complete")
	}
	calls := map[string]model.LoadError{}
	for _, e := range errs {
		if e.Account != baseAccount || e.Region != "us-east-1" {
			t.Errorf("error without account/region: %+v", e)
		}
		if strings.Contains(e.Error(), "very-secret-key") {
			t.Errorf("an error shows the secret key: %v", e)
		}
		if _, dup := calls[e.Call]; !dup {
			calls[e.Call] = e
		}
	}
	if e := calls["ec2:DescribeFlowLogs"]; e.Level != model.LevelError || !strings.HasPrefix(e.Message, "UnauthorizedOperation") {
		t.Errorf("flow log error = %+v", e)
	}
	if e := calls["ec2:DescribeSecurityGroupRules"]; e.Level != model.LevelWarning {
		t.Errorf("group rules error = %+v", e)
	}
	if e := calls["ec2:DescribeVpcAttribute"]; e.Level != model.LevelWarning {
		t.Errorf("vpc attribute error = %+v", e)
	}
	if len(errs) != 4 { // flow logs, rules, attribute, "9 more calls failed"
		t.Errorf("errors: %v", errs)
	}
	// The rules come from the groups' permission lists instead.
	sg := modeltest.ByID(t, m.SecurityGroups, "sg-0")
	if len(sg.Ingress) != 4 || sg.Egress == nil {
		t.Fatalf("rules from permissions = %s", jsonOf(sg))
	}
	var self, other, world bool
	for _, r := range sg.Ingress {
		self = self || r.Self
		other = other || slices.Equal(r.SecurityGroupIDs, []string{"sg-1"})
		world = world || slices.Equal(r.CIDRBlocks, []string{"0.0.0.0/0"}) && r.Description != nil && *r.Description == "ssh"
	}
	if !self || !other || !world {
		t.Errorf("rules from permissions = %s", jsonOf(sg.Ingress))
	}
	// Unreadable attributes are unknown; so is whether a flow log this
	// read could not see targets the VPC.
	if v := m.VPCs[0]; v.EnableDNSSupport != nil || !slices.Equal(v.Unknown, []string{"enable_dns_support", "enable_dns_hostnames", "flow_logs"}) {
		t.Errorf("vpc with unreadable attributes = %s", jsonOf(v))
	}
	if !strings.Contains(progress.String(), "accounts×regions done: 1/1") || strings.Contains(progress.String(), "very-secret-key") {
		t.Errorf("progress = %q", progress.String())
	}

	// Nothing readable at all: an error.
	f.fail["DescribeVpcs"] = apiErr("AuthFailure", "AWS was not able to validate the provided access credentials")
	units, errs, err = Load(context.Background(), fakeOptions(t, cloud))
	if err == nil || len(units) != 0 || !strings.Contains(err.Error(), "AuthFailure") || len(errs) != 1 {
		t.Errorf("Load = %d units, %v, %v", len(units), errs, err)
	}
}

func TestAccounts(t *testing.T) {
	cloud := &fakeCloud{denied: map[string]bool{"333333333333": true}}
	cloud.region("222222222222", "us-east-1").vpcs = []types.Vpc{{VpcId: aws.String("vpc-222")}}
	opts := fakeOptions(t, cloud)
	opts.Accounts = []string{"222222222222,333333333333"}
	opts.RoleName = "audit/vpclint-reader"
	opts.ExternalID = "ext-123"
	units, errs, err := Load(context.Background(), opts)
	if err != nil || len(units) != 1 {
		t.Fatalf("Load: %v, %d units", err, len(units))
	}
	if m := units[0]; m.Unit != "aws:222222222222/us-east-1" || m.VPCs[0].Source.Account != "222222222222" || m.VPCs[0].ARN != "arn:aws:ec2:us-east-1:222222222222:vpc/vpc-222" {
		t.Errorf("unit %s, vpc %s", m.Unit, jsonOf(m.VPCs))
	}
	if len(errs) != 1 || errs[0].Account != "333333333333" || errs[0].Call != "sts:AssumeRole" || !strings.Contains(errs[0].Message, "AccessDenied") ||
		!strings.Contains(errs[0].Message, "arn:aws:iam::333333333333:role/audit/vpclint-reader") {
		t.Errorf("errors = %+v", errs)
	}
	if !slices.Contains(cloud.assumed, "arn:aws:iam::222222222222:role/audit/vpclint-reader session=vpclint-audit external=ext-123") {
		t.Errorf("assumed = %v", cloud.assumed)
	}

	// The organization's active accounts.
	cloud = &fakeCloud{orgAccounts: []orgtypes.Account{
		{Id: aws.String("444444444444"), State: orgtypes.AccountStateActive},
		{Id: aws.String("555555555555"), State: orgtypes.AccountStateSuspended},
		{Id: aws.String("666666666666"), Status: orgtypes.AccountStatusActive},
		{Id: aws.String("777777777777"), State: orgtypes.AccountStateClosed},
	}}
	opts = fakeOptions(t, cloud)
	opts.Org, opts.RoleName = true, "OrganizationAccountAccessRole"
	opts.Regions = []string{"us-east-1", "eu-west-1"}
	units, errs, err = Load(context.Background(), opts)
	if err != nil || len(errs) > 0 {
		t.Fatalf("Load: %v %v", err, errs)
	}
	var names []string
	for _, u := range units {
		names = append(names, u.Unit)
	}
	want := []string{"aws:444444444444/eu-west-1", "aws:444444444444/us-east-1", "aws:666666666666/eu-west-1", "aws:666666666666/us-east-1"}
	if !slices.Equal(names, want) {
		t.Errorf("units %v, want %v", names, want)
	}

	// Role ARN first, then the accounts from it.
	cloud = &fakeCloud{}
	opts = fakeOptions(t, cloud)
	opts.RoleARN = "arn:aws:iam::888888888888:role/hub"
	units, _, err = Load(context.Background(), opts)
	if err != nil || len(units) != 1 || units[0].Context.Account != "888888888888" {
		t.Errorf("Load with a role: %v, %d units", err, len(units))
	}

	for _, bad := range []Options{
		{Org: true},
		{Accounts: []string{"123"}, RoleName: "r"},
		{Org: true, Accounts: []string{"222222222222"}, RoleName: "r"},
		{RoleName: "r"},
	} {
		if _, _, err := Load(context.Background(), bad); err == nil {
			t.Errorf("Load(%+v) accepted bad options", bad)
		}
	}
}

func TestTimeout(t *testing.T) {
	cloud := &fakeCloud{}
	f := cloud.region(baseAccount, "us-east-1")
	f.delay = time.Second
	opts := fakeOptions(t, cloud)
	opts.Timeout = 20 * time.Millisecond
	start := time.Now()
	units, errs, err := Load(context.Background(), opts)
	if time.Since(start) > 900*time.Millisecond {
		t.Errorf("the timeout did not stop the read (%s)", time.Since(start))
	}
	if err == nil || len(units) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Message, "timed out") || errs[0].Call != "ec2:DescribeVpcs" {
		t.Errorf("Load = %d units, %+v, %v", len(units), errs, err)
	}
}

// moto is the moto_server shared by the package's tests: it starts on
// first use and TestMain stops it.
var moto mototest.Server

func TestMain(m *testing.M) {
	code := m.Run()
	moto.Close()
	os.Exit(code)
}

// requireMoto returns the URL of the running moto_server, or skips the
// test (fails it under VPCLINT_REQUIRE_MOTO=1) when moto_server is not
// installed.
func requireMoto(tb testing.TB) string { tb.Helper(); return moto.URL(tb) }

// fakeEnv sets static fake credentials and keeps the user's AWS files out.
func fakeEnv(tb testing.TB) { tb.Helper(); mototest.Env(tb) }

// TestDefaultPolicyIsNoPolicy checks that the policy AWS returns for an
// endpoint created without one reads as no policy (defaulted), as code
// without a policy does, while any policy somebody wrote is kept.
func TestDefaultPolicyIsNoPolicy(t *testing.T) {
	rr := &regionRead{account: baseAccount, region: "us-east-1", partition: "aws", m: model.New("u", model.FormatAWS)}
	for _, c := range []struct {
		doc     string
		dflt    bool
		comment string
	}{
		{`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`, true, "as AWS returns it"},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`, true, "as the documentation writes it"},
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`, false, "another Version: written by someone"},
		{`{"Statement":[{"Sid":"All","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`, false, "a Sid"},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}`, false, "a condition"},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`, false, "one service's actions"},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}`, false, "two statements"},
	} {
		ep := rr.endpoint(&types.VpcEndpoint{VpcEndpointId: aws.String("vpce-1"), VpcEndpointType: types.VpcEndpointTypeInterface,
			ServiceName: aws.String("com.amazonaws.us-east-1.ssm"), PolicyDocument: aws.String(c.doc)})
		gotDefault := ep.Policy == nil && ep.PolicyRaw == nil && slices.Contains(ep.Defaulted, "policy")
		if gotDefault != c.dflt || !c.dflt && ep.Policy == nil {
			t.Errorf("%s: policy %v, defaulted %v; want default %v", c.comment, ep.Policy, ep.Defaulted, c.dflt)
		}
	}
}
