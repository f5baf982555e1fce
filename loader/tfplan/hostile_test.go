package tfplan_test

import (
	"testing"

	"github.com/vpclint/vpclint/internal/hostilescan"
	"github.com/vpclint/vpclint/internal/hostiletest"
)

// TestHostile runs the JSON part of the hostile suite (plans and saved
// inventories, whose text comes from the plan's configuration or from
// the accounts read): the cases of testdata/hostile/tfplan, with a
// secret planted outside the scan root where a module call points.
func TestHostile(t *testing.T) {
	outside := map[string]string{
		"main.tf": `resource "aws_vpc" "` + hostiletest.OutsideSecret + `" { cidr_block = "` + hostiletest.OutsideSecret + `" }` + "\n",
	}
	for _, c := range hostilescan.Cases(t, "../../testdata/hostile/tfplan", nil) {
		t.Run(c.Name, func(t *testing.T) {
			for _, p := range hostilescan.Problems(t, c, outside) {
				t.Error(p)
			}
		})
	}
}
