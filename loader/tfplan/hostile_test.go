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
	hostilescan.RunScans(t, "../../testdata/hostile/tfplan", nil, map[string]string{
		"main.tf": `resource "aws_vpc" "` + hostiletest.OutsideSecret + `" { cidr_block = "` + hostiletest.OutsideSecret + `" }` + "\n",
	})
}
