package awstest_test

import (
	"context"
	"testing"

	"github.com/vpclint/vpclint/loader/awslive"
	"github.com/vpclint/vpclint/loader/awslive/awstest"
	"github.com/vpclint/vpclint/loader/awslive/mototest"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/scan"
)

// TestSyntheticOrg: the synthetic organization reads as its comments say
// (4 VPCs, the groups and endpoints asked for, paged) and has the findings
// it was made to have, in every account×region.
func TestSyntheticOrg(t *testing.T) {
	mototest.Env(t)
	org := &awstest.Org{Accounts: 3, Groups: 120, Endpoints: 10}
	var units []*model.Model
	_, err := awslive.Stream(context.Background(), awslive.Options{Org: true, RoleName: "audit", Regions: []string{"r-1", "r-2"}, Clients: org.Clients()},
		func(u awslive.Unit) error {
			if len(u.Errors) > 0 {
				t.Errorf("%s: %v", u.Name(), u.Errors)
			}
			units = append(units, u.Model)
			return nil
		})
	if err != nil || len(units) != 6 {
		t.Fatalf("Stream: %v, %d units", err, len(units))
	}
	for _, u := range units {
		if len(u.VPCs) != 4 || len(u.Subnets) != 16 || len(u.SecurityGroups) != 120 || len(u.VPCEndpoints) != 10 || !u.Inventory.Complete {
			t.Errorf("%s: %d VPCs, %d subnets, %d groups, %d endpoints, complete %v", u.Unit, len(u.VPCs), len(u.Subnets), len(u.SecurityGroups), len(u.VPCEndpoints), u.Inventory.Complete)
		}
	}
	res, err := scan.Run(context.Background(), scan.Options{Units: units})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]map[string]int{}
	for _, f := range res.Findings {
		if count[f.RuleID] == nil {
			count[f.RuleID] = map[string]int{}
		}
		count[f.RuleID][f.Source.Account+"/"+f.Source.Region]++
	}
	// SSH from the internet on groups 49 and 99; one VPC without a flow
	// log.
	for rule, want := range map[string]int{"SG001": 2, "GOV001": 1} {
		if len(count[rule]) != 6 {
			t.Errorf("%s in %d account×regions, want 6", rule, len(count[rule]))
		}
		for unit, n := range count[rule] {
			if n != want {
				t.Errorf("%s: %d %s, want %d", unit, n, rule, want)
			}
		}
	}
	if org.Calls() == 0 {
		t.Error("no call counted")
	}
}
