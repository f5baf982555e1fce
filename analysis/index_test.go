package analysis

import (
	"reflect"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// TestIndex checks each list of the fact index on a model where one
// resource has each rare property and the others do not.
func TestIndex(t *testing.T) {
	m := epModel()
	desc := model.String("described")
	open := ip("tcp", 22, 22, "0.0.0.0/0")
	open.Description = desc
	m.SecurityGroups = append(m.SecurityGroups,
		&model.SecurityGroup{Meta: model.Meta{ID: "web"}, VPCID: "vpc-1", Description: desc,
			Ingress: []*model.SGRule{open}, Egress: []*model.SGRule{ip("-1", 0, 0, "0.0.0.0/0")}},
		&model.SecurityGroup{Meta: model.Meta{ID: "default"}, VPCID: "vpc-1", IsDefault: true, Description: model.String("Managed by Terraform")},
	)
	allow, err := model.ParsePolicy(`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	invalid, err := model.ParsePolicy(`{"Version":"2020-01-01","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	ep := m.VPCEndpoints[0]
	ep.Address, ep.Service, ep.ServiceName, ep.Policy = "aws_vpc_endpoint.a", "ssm", "com.amazonaws.us-east-1.ssm", allow
	ep.PrivateDNSEnabled = model.Bool(true)
	twin := *ep
	twin.Meta = model.Meta{ID: "vpce-2", Address: "aws_vpc_endpoint.b"}
	twin.Policy = invalid
	bare := model.VPCEndpoint{Meta: model.Meta{ID: "vpce-3", Address: "aws_vpc_endpoint.c", Placeholder: true}, VPCID: "vpc-1",
		Type: model.EndpointInterface, SubnetIDs: []string{"app", "ep"}, SecurityGroupIDs: []string{"sg", "web"}}
	m.VPCEndpoints = append(m.VPCEndpoints, &twin, &bare)
	Analyze(m)
	x := m.Facts.Index
	if x == nil {
		t.Fatal("no index")
	}
	for _, tt := range []struct {
		name      string
		got, want any
	}{
		{"internet_ingress", x.InternetIngress, []string{"web"}},
		{"public_ingress", x.PublicIngress, []string{"web"}},
		{"internet_egress", x.InternetEgress, []string{"web"}},
		{"redundant_rules", x.RedundantRules, []string{}},
		{"interface_endpoint_groups", x.InterfaceEndpointGroups, map[string][]string{
			"sg": {"aws_vpc_endpoint.a", "aws_vpc_endpoint.b", "aws_vpc_endpoint.c"}, "web": {"aws_vpc_endpoint.c"}}},
		{"single_az", x.SingleAZ, []string{"vpce", "vpce-2"}},
		{"missing_azs", x.MissingAZs, []string{"vpce", "vpce-2"}},
		{"undescribed_groups", x.UndescribedGroups, []int{0, 2}},
		{"undescribed_rule_groups", x.UndescribedRuleGroups, []int{0, 1}},
		{"default_groups", x.DefaultGroups, []int{2}},
		{"group_positions", x.GroupPositions, map[string]int{"sg": 0, "web": 1, "default": 2}},
		{"invalid_policies", x.InvalidPolicies, []int{1}},
		{"no_policy", x.NoPolicy, []int{2}},
		{"private_dns_duplicates", x.PrivateDNSDuplicates, []int{0, 1}},
		{"other_policy_endpoints", x.OtherPolicyEndpoints, []int{}},
		{"max_endpoint_security_groups", x.MaxEndpointSecurityGroups, 2},
		{"interface_endpoints_per_vpc", x.InterfaceEndpointsPerVPC, map[string]int{"vpc-1": 2}},
		{"max_sg_rule_count", x.MaxSGRuleCount, 1},
	} {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if len(x.EndpointPolicies) != 2 {
		t.Fatalf("endpoint_policies = %+v, want a group per digest", x.EndpointPolicies)
	}
	for _, g := range x.EndpointPolicies {
		if g.Service != "ssm" || len(g.Endpoints) != 1 {
			t.Errorf("policy group %+v, want one ssm endpoint", g)
		}
	}
}
