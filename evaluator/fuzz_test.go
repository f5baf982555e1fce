package evaluator

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vpclint/vpclint/analysis"
	"github.com/vpclint/vpclint/model"
)

// FuzzEvaluatePolicy runs the built-in rules (every one, opt-in rules
// included) on an interface endpoint whose policy is arbitrary text, with
// its service name and private DNS setting drawn too: the endpoint policy
// analysis of the EP rules is the evaluator's largest input from the user.
// Parsing, analysis and evaluation must not fail on any policy, and must
// be deterministic (the same findings twice: the rules judge each policy
// digest once); every finding must be on a resource of the model.
func FuzzEvaluatePolicy(f *testing.F) {
	for _, seed := range []struct {
		policy, service string
		dns             bool
	}{
		{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`, "s3", false},
		{`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}`, "s3", true},
		{`{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":["arn:aws:iam::111122223333:root"]},"NotAction":"kms:Decrypt","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:SourceVpc":"vpc-1"}}}]}`, "kms", true},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":["ecr:*","s3:*"],"Resource":"*","Condition":{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":["o-1/*"]},"Bool":{"aws:SecureTransport":"false"}}}}`, "ecr.api", false},
		{`{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}],"Statement2":7}`, "", false},
		{`{"Statement":[1,"x",null,{"Effect":"Maybe"}]}`, "sts", true},
		{`not json`, "s3", false},
	} {
		f.Add(seed.policy, seed.service, seed.dns)
	}
	var (
		once sync.Once
		eng  *Engine
		err  error
	)
	f.Fuzz(func(t *testing.T, policy, service string, dns bool) {
		once.Do(func() { eng, err = allRules() })
		if err != nil {
			t.Fatal(err)
		}
		run := func() []model.Finding {
			m := fuzzPolicyModel(policy, service, dns)
			analysis.Analyze(m)
			fs, err := eng.Evaluate(context.Background(), m)
			if err != nil {
				t.Fatalf("evaluate: %v", err)
			}
			addrs := map[string]bool{}
			for _, r := range m.Resources() {
				addrs[r.GetMeta().Address] = true
			}
			keys := make([]model.Finding, 0, len(fs))
			for _, f := range fs {
				if f.Resource.Address != "" && !addrs[f.Resource.Address] {
					t.Fatalf("%s on %q, not a resource of the model", f.RuleID, f.Resource.Address)
				}
				keys = append(keys, f)
			}
			slices.SortFunc(keys, func(a, b model.Finding) int {
				return strings.Compare(a.RuleID+a.Resource.Address+a.Message, b.RuleID+b.Resource.Address+b.Message)
			})
			return keys
		}
		first, second := run(), run()
		if len(first) != len(second) {
			t.Fatalf("%d findings, then %d", len(first), len(second))
		}
		for i := range first {
			if first[i].RuleID != second[i].RuleID || first[i].Message != second[i].Message {
				t.Fatalf("finding %d: %s %q, then %s %q", i, first[i].RuleID, first[i].Message, second[i].RuleID, second[i].Message)
			}
		}
	})
}

// fuzzPolicyModel is one VPC with one subnet, a group and an interface
// endpoint of the service with the policy text as a loader would set it.
func fuzzPolicyModel(policy, service string, dns bool) *model.Model {
	ep := &model.VPCEndpoint{
		Meta:  model.Meta{ID: "aws_vpc_endpoint.e", Address: "aws_vpc_endpoint.e", Type: "aws_vpc_endpoint"},
		VPCID: "aws_vpc.v", Type: model.EndpointInterface,
		ServiceName: "com.amazonaws.eu-west-1." + service, Service: service,
		SubnetIDs: []string{"aws_subnet.s"}, SecurityGroupIDs: []string{"aws_security_group.g"}, RouteTableIDs: []string{},
		PrivateDNSEnabled: model.Bool(dns),
	}
	if p, err := model.ParsePolicy(policy); err != nil {
		ep.PolicyRaw, ep.PolicyError = &policy, err.Error()
	} else {
		ep.Policy = p
	}
	m := model.New("policy", model.FormatTerraform)
	m.VPCs = []*model.VPC{{Meta: model.Meta{ID: "aws_vpc.v", Address: "aws_vpc.v", Type: "aws_vpc"}, CIDRBlocks: []string{"10.0.0.0/16"}}}
	m.Subnets = []*model.Subnet{{Meta: model.Meta{ID: "aws_subnet.s", Address: "aws_subnet.s", Type: "aws_subnet"}, VPCID: "aws_vpc.v", CIDRBlock: "10.0.1.0/24"}}
	m.SecurityGroups = []*model.SecurityGroup{{Meta: model.Meta{ID: "aws_security_group.g", Address: "aws_security_group.g", Type: "aws_security_group"}, VPCID: "aws_vpc.v"}}
	m.VPCEndpoints = []*model.VPCEndpoint{ep}
	return m
}

// allRules is an engine that runs every built-in rule, opt-in ones too.
func allRules() (*Engine, error) {
	eng, err := New(context.Background(), Options{})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range eng.Catalogue() {
		ids = append(ids, r.ID)
	}
	return New(context.Background(), Options{Select: []Selection{{Enable: ids}}})
}
