package analysis

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/vpclint/vpclint/model"
)

func TestTopology(t *testing.T) {
	meta := func(id string, unknown ...string) model.Meta {
		return model.Meta{ID: id, Address: "addr." + id, Unknown: unknown}
	}
	subnet := func(id, vpc, az, acl string, unknown ...string) *model.Subnet {
		return &model.Subnet{Meta: meta(id, unknown...), VPCID: vpc, AvailabilityZone: az, CIDRBlock: "10.0.0.0/24", NetworkACLID: acl}
	}
	yes := true
	tests := []struct {
		name  string
		model model.Model
		check func(t *testing.T, maps []model.VPCMap)
	}{
		{
			name: "AZ columns sorted, unknown AZ last; ACL explicit, default, AWS default, unknown",
			model: model.Model{
				VPCs: []*model.VPC{{Meta: meta("vpc"), CIDRBlocks: []string{"10.0.0.0/16"}}, {Meta: meta("bare")}},
				Subnets: []*model.Subnet{
					subnet("b", "vpc", "eu-west-1b", "acl"),
					subnet("a", "vpc", "eu-west-1a", ""),
					subnet("x", "vpc", "", "", "network_acl_id"),
					subnet("c", "bare", "eu-west-1c", ""),
				},
				NetworkACLs: []*model.NetworkACL{
					{Meta: meta("acl"), VPCID: "vpc"},
					{Meta: meta("dflt"), VPCID: "vpc", IsDefault: true},
				},
			},
			check: func(t *testing.T, maps []model.VPCMap) {
				if len(maps) != 2 {
					t.Fatalf("%d maps, want 2", len(maps))
				}
				v := maps[0]
				if !reflect.DeepEqual(v.AZs, []string{"eu-west-1a", "eu-west-1b", ""}) {
					t.Errorf("AZs %q", v.AZs)
				}
				acl := map[string]string{}
				for _, s := range v.Subnets {
					acl[s.ID] = s.NACL + "/" + map[bool]string{true: "known", false: "unknown"}[s.NACLKnown]
				}
				want := map[string]string{"a": "dflt/known", "b": "acl/known", "x": "/unknown"}
				if !reflect.DeepEqual(acl, want) {
					t.Errorf("ACLs %v, want %v", acl, want)
				}
				if len(v.NACLs) != 2 || v.NACLs[0].Address != "addr.acl" || v.NACLs[1].Address != "addr.dflt" {
					t.Errorf("NACLs %+v", v.NACLs)
				}
				if !v.InScan || v.CIDRs[0] != "10.0.0.0/16" {
					t.Errorf("VPC %+v", v)
				}
				// No default ACL in the scan: AWS's, which allows all.
				if s := maps[1].Subnets[0]; s.NACL != "" || !s.NACLKnown {
					t.Errorf("bare VPC subnet %+v", s)
				}
			},
		},
		{
			name: "endpoints: groups in effect, subnets not in the scan, gateway route tables, VPC not in the scan",
			model: model.Model{
				Subnets: []*model.Subnet{subnet("a", "vpc-x", "eu-west-1a", "")},
				SecurityGroups: []*model.SecurityGroup{
					{Meta: meta("sg"), VPCID: "vpc-x"},
				},
				RouteTables: []*model.RouteTable{{Meta: meta("rt"), VPCID: "vpc-x", SubnetIDs: []string{"a"}}},
				VPCEndpoints: []*model.VPCEndpoint{
					{Meta: meta("ssm"), VPCID: "vpc-x", Type: model.EndpointInterface, Service: "ssm", ServiceName: "com.amazonaws.eu-west-1.ssm",
						SubnetIDs: []string{"a", "var.subnet"}, SecurityGroupIDs: []string{"sg"}, PrivateDNSEnabled: &yes},
					{Meta: meta("kms", "subnet_ids"), VPCID: "vpc-x", Type: model.EndpointInterface, ServiceNamePattern: "com.amazonaws.*.kms",
						SubnetIDs: []string{"a"}},
					{Meta: meta("s3"), VPCID: "vpc-x", Type: model.EndpointGateway, Service: "s3", RouteTableIDs: []string{"rt", "rt-var"}},
				},
			},
			check: func(t *testing.T, maps []model.VPCMap) {
				if len(maps) != 1 {
					t.Fatalf("%d maps, want 1", len(maps))
				}
				v := maps[0]
				if v.InScan || !v.Placeholder || v.Address != "vpc-x" {
					t.Errorf("VPC %+v: want a placeholder not in the scan", v.MapNode)
				}
				if len(v.Subnets) != 2 || v.Subnets[1].ID != "var.subnet" || !v.Subnets[1].Placeholder || v.Subnets[1].AZ != "" {
					t.Errorf("subnets %+v: want the endpoint's unseen subnet as a placeholder of unknown AZ", v.Subnets)
				}
				if !reflect.DeepEqual(v.AZs, []string{"eu-west-1a", ""}) {
					t.Errorf("AZs %q", v.AZs)
				}
				eps := map[string]model.MapEndpoint{}
				for _, ep := range v.Endpoints {
					eps[ep.ID] = ep
				}
				if ep := eps["kms"]; ep.Service != "com.amazonaws.*.kms" || ep.SubnetsKnown ||
					!reflect.DeepEqual(ep.SecurityGroups, []string{"vpc-x.default_security_group"}) {
					t.Errorf("kms %+v: want the pattern, an open subnet list and the VPC's default group", ep)
				}
				if ep := eps["ssm"]; !ep.SubnetsKnown || ep.PrivateDNS == nil || !*ep.PrivateDNS || ep.AZsKnown {
					t.Errorf("ssm %+v: a subnet of unknown AZ leaves its AZs unknown", ep)
				}
				if ep := eps["s3"]; !reflect.DeepEqual(ep.RouteTables, []string{"rt", "rt-var"}) || len(ep.Subnets) != 0 {
					t.Errorf("s3 %+v", ep)
				}
				var groups []string
				for _, g := range v.SecurityGroups {
					groups = append(groups, g.Address)
				}
				if !reflect.DeepEqual(groups, []string{"addr.sg", "vpc-x.default_security_group"}) {
					t.Errorf("groups %q", groups)
				}
				if len(v.RouteTables) != 2 || v.RouteTables[0].Address != "addr.rt" || !reflect.DeepEqual(v.RouteTables[0].Subnets, []string{"a"}) ||
					!v.RouteTables[1].Placeholder {
					t.Errorf("route tables %+v", v.RouteTables)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.model
			Analyze(&m)
			maps := Topology(&m)
			tt.check(t, maps)
			if _, err := json.Marshal(maps); err != nil {
				t.Fatal(err)
			}
			// The same model maps the same way.
			if again := Topology(&m); !reflect.DeepEqual(again, maps) {
				t.Error("Topology is not deterministic")
			}
		})
	}
}
