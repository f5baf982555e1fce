package scan

import (
	"context"
	"testing"

	"github.com/vpclint/vpclint/evaluator"
)

// TestTopology: with Options.Topology each unit's VPCs are mapped, under
// the root its findings name, so that reports can colour the map by them;
// without it nothing is built.
func TestTopology(t *testing.T) {
	ctx := context.Background()
	eng, err := evaluator.New(ctx, evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, draw := range []bool{false, true} {
		res, err := Run(ctx, Options{Paths: []string{"../examples/terraform"}, Engine: eng, Topology: draw})
		if err != nil {
			t.Fatal(err)
		}
		if !draw {
			if res.Topology != nil {
				t.Errorf("maps built without Options.Topology: %+v", res.Topology)
			}
			continue
		}
		if len(res.Topology) != 1 {
			t.Fatalf("%d VPC maps, want 1", len(res.Topology))
		}
		m := res.Topology[0]
		if m.Address != "aws_vpc.main" || len(m.Endpoints) != 3 || len(m.AZs) != 2 {
			t.Errorf("map %+v", m)
		}
		matched := 0
		for _, f := range res.Findings {
			for _, ep := range m.Endpoints {
				if f.Resource.Address == ep.Address {
					matched++
					if f.Resource.Root != m.Root {
						t.Errorf("finding %s on %s has root %q, the map %q", f.RuleID, ep.Address, f.Resource.Root, m.Root)
					}
				}
			}
		}
		if matched == 0 {
			t.Error("no finding on an endpoint of the map")
		}
	}
}
