package analysis

import (
	"slices"
	"testing"

	"github.com/vpclint/vpclint/model"
)

func TestACLInternetReachable(t *testing.T) {
	igw := func(dest string) *model.Route {
		return &model.Route{DestinationCIDRBlock: dest, Target: "aws_internet_gateway.main", TargetType: "gateway_id", TargetResourceType: "aws_internet_gateway"}
	}
	route := func(dest, target, typ string) *model.Route {
		return &model.Route{DestinationCIDRBlock: dest, Target: target, TargetType: typ}
	}
	table := func(id string, subnets []string, routes ...*model.Route) *model.RouteTable {
		return &model.RouteTable{Meta: model.Meta{ID: id}, VPCID: "vpc", SubnetIDs: subnets, Routes: append([]*model.Route{}, routes...)}
	}
	subnet := func(id string) *model.Subnet {
		return &model.Subnet{Meta: model.Meta{ID: id}, VPCID: "vpc", CIDRBlock: "10.0.0.0/24"}
	}
	acl := &model.NetworkACL{Meta: model.Meta{ID: "acl"}, VPCID: "vpc", SubnetIDs: []string{"a"}, Entries: []*model.NACLEntry{}}
	yesV, noV := true, false
	tests := []struct {
		name    string
		tables  []*model.RouteTable
		subnets []*model.Subnet
		acl     *model.NetworkACL
		vpcs    []*model.VPC
		lists   map[string]bool
		want    *bool
		via     []string
	}{
		{name: "public subnet: default route to the internet gateway", tables: []*model.RouteTable{table("rt", []string{"a"}, igw("0.0.0.0/0"))}, want: &yesV, via: []string{"a"}},
		{name: "IPv6 default route to the internet gateway", tables: []*model.RouteTable{table("rt", []string{"a"},
			&model.Route{DestinationIPv6CIDRBlock: "::/0", Target: "igw-0abc", TargetType: "gateway_id"})}, want: &yesV, via: []string{"a"}},
		{name: "CloudFormation logical id typed by the loader", tables: []*model.RouteTable{table("rt", []string{"a"},
			&model.Route{DestinationCIDRBlock: "0.0.0.0/0", Target: "IGW", TargetType: "gateway_id", TargetResourceType: "AWS::EC2::InternetGateway"})}, want: &yesV},
		{name: "CloudFormation virtual private gateway", tables: []*model.RouteTable{table("rt", []string{"a"},
			&model.Route{DestinationCIDRBlock: "0.0.0.0/0", Target: "VGW", TargetType: "gateway_id", TargetResourceType: "AWS::EC2::VPNGateway"})}, want: &noV},
		{name: "private subnet: default route to a NAT gateway", tables: []*model.RouteTable{table("rt", []string{"a"}, route("0.0.0.0/0", "aws_nat_gateway.a", "nat_gateway_id"))}, want: &noV},
		{name: "transit subnet: default route to a transit gateway", tables: []*model.RouteTable{table("rt", []string{"a"}, route("0.0.0.0/0", "tgw-1", "transit_gateway_id"))}, want: &noV},
		{name: "egress-only internet gateway carries no inbound connection", tables: []*model.RouteTable{table("rt", []string{"a"},
			&model.Route{DestinationIPv6CIDRBlock: "::/0", Target: "eigw-1", TargetType: "egress_only_gateway_id"})}, want: &noV},
		{name: "internet gateway for private destinations only", tables: []*model.RouteTable{table("rt", []string{"a"}, igw("10.0.0.0/8"))}, want: &noV},
		{name: "virtual private gateway typed by the loader", tables: []*model.RouteTable{table("rt", []string{"a"},
			&model.Route{DestinationCIDRBlock: "0.0.0.0/0", Target: "aws_vpn_gateway.vpn", TargetType: "gateway_id", TargetResourceType: "aws_vpn_gateway"})}, want: &noV},
		{name: "gateway id from an unresolved reference", tables: []*model.RouteTable{table("rt", []string{"a"}, route("0.0.0.0/0", "var.gateway_id", "gateway_id"))}},
		{name: "firewall endpoint as default route may carry internet traffic", tables: []*model.RouteTable{table("rt", []string{"a"}, route("0.0.0.0/0", "vpce-1", "vpc_endpoint_id"))}},
		{name: "gateway endpoint prefix list route is not the internet", tables: []*model.RouteTable{table("rt", []string{"a"},
			&model.Route{DestinationPrefixListID: "pl-1", Target: "vpce-1", TargetType: "vpc_endpoint_id"})}, want: &noV},
		{name: "unknown route target", tables: []*model.RouteTable{{Meta: model.Meta{ID: "rt", Unknown: []string{"routes[0].target"}}, VPCID: "vpc",
			SubnetIDs: []string{"a"}, Routes: []*model.Route{{DestinationCIDRBlock: "0.0.0.0/0"}}}}},
		{name: "unknown routes", tables: []*model.RouteTable{{Meta: model.Meta{ID: "rt", Unknown: []string{"routes"}}, VPCID: "vpc", SubnetIDs: []string{"a"}}}},
		{name: "routes that may hold more, none to the internet", tables: []*model.RouteTable{{Meta: model.Meta{ID: "rt", Unknown: []string{"routes"}}, VPCID: "vpc",
			SubnetIDs: []string{"a"}, Routes: []*model.Route{route("0.0.0.0/0", "aws_nat_gateway.a", "nat_gateway_id")}}}},
		{name: "routes that may hold more, one to the internet", tables: []*model.RouteTable{{Meta: model.Meta{ID: "rt", Unknown: []string{"routes"}}, VPCID: "vpc",
			SubnetIDs: []string{"a"}, Routes: []*model.Route{igw("0.0.0.0/0")}}}, want: &yesV},
		{name: "no association: the VPC's main table", tables: []*model.RouteTable{{Meta: model.Meta{ID: "main"}, VPCID: "vpc", IsMain: true, SubnetIDs: []string{},
			Routes: []*model.Route{igw("0.0.0.0/0")}}}, want: &yesV},
		{name: "no association and no main table: AWS's, local only", vpcs: []*model.VPC{{Meta: model.Meta{ID: "vpc"}}}, want: &noV},
		{name: "no association and the VPC not in the scan"},
		{name: "subnet association unknown", subnets: []*model.Subnet{{Meta: model.Meta{ID: "a", Unknown: []string{"route_table_id"}}, VPCID: "vpc"}},
			vpcs: []*model.VPC{{Meta: model.Meta{ID: "vpc"}}}},
		{name: "a table's associations unknown", tables: []*model.RouteTable{{Meta: model.Meta{ID: "rt", Unknown: []string{"subnet_ids"}}, VPCID: "vpc", Routes: []*model.Route{}}},
			vpcs: []*model.VPC{{Meta: model.Meta{ID: "vpc"}}}},
		{name: "associated table not in the scan", subnets: []*model.Subnet{{Meta: model.Meta{ID: "a"}, VPCID: "vpc", RouteTableID: "rtb-elsewhere"}}},
		{name: "ACL without subnets", acl: &model.NetworkACL{Meta: model.Meta{ID: "acl"}, VPCID: "vpc", SubnetIDs: []string{}, Entries: []*model.NACLEntry{}}, want: &noV},
		{name: "ACL associations unknown", acl: &model.NetworkACL{Meta: model.Meta{ID: "acl", Unknown: []string{"subnet_ids"}}, VPCID: "vpc", Entries: []*model.NACLEntry{}},
			tables: []*model.RouteTable{table("rt", []string{"a"}, route("0.0.0.0/0", "aws_nat_gateway.a", "nat_gateway_id"))}},
		{name: "default ACL: subnets without their own association", acl: &model.NetworkACL{Meta: model.Meta{ID: "acl"}, VPCID: "vpc", IsDefault: true, Entries: []*model.NACLEntry{}},
			tables: []*model.RouteTable{table("rt", []string{"a"}, igw("0.0.0.0/0"))}, want: &yesV, via: []string{"a"}},
		{name: "live lists of route tables not read", lists: map[string]bool{"subnets": true, "route_tables": false},
			tables: []*model.RouteTable{table("rt", []string{"a"}, igw("0.0.0.0/0"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := model.New("test", model.FormatTerraform)
			m.VPCs = tt.vpcs
			m.Subnets = tt.subnets
			if m.Subnets == nil {
				m.Subnets = []*model.Subnet{subnet("a")}
			}
			m.RouteTables = tt.tables
			a := tt.acl
			if a == nil {
				a = acl
			}
			m.NetworkACLs = []*model.NetworkACL{a}
			m.Inventory.Lists = tt.lists
			Analyze(m)
			f := m.Facts.NetworkACLs["acl"]
			got := f.InternetReachable
			if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Errorf("internet_reachable = %v, want %v", show(got), show(tt.want))
			}
			if tt.via != nil && !slices.Equal(f.InternetReachableSubnets, tt.via) {
				t.Errorf("via = %v, want %v", f.InternetReachableSubnets, tt.via)
			}
		})
	}
}

func show(b *bool) string {
	if b == nil {
		return "unknown"
	}
	if *b {
		return "true"
	}
	return "false"
}
