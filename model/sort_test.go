package model

import (
	"slices"
	"testing"
)

// TestSortByID: every resource list is ordered by id, resources with the
// same id kept in the order they came.
func TestSortByID(t *testing.T) {
	m := New("u", FormatAWS)
	for _, id := range []string{"vpc-b", "vpc-a", "vpc-c"} {
		m.VPCs = append(m.VPCs, &VPC{Meta: Meta{ID: id}})
	}
	m.FlowLogs = []*FlowLog{{Meta: Meta{ID: "fl-2", Address: "first"}}, {Meta: Meta{ID: "fl-1"}}, {Meta: Meta{ID: "fl-2", Address: "second"}}}
	m.HostedZones = []*HostedZone{{Meta: Meta{ID: "Z2"}}, {Meta: Meta{ID: "Z1"}}}
	m.SortByID()
	var got []string
	for _, r := range m.Resources() {
		got = append(got, r.GetMeta().ID+r.GetMeta().Address)
	}
	want := []string{"vpc-a", "vpc-b", "vpc-c", "fl-1", "fl-2first", "fl-2second", "Z1", "Z2"}
	if !slices.Equal(got, want) {
		t.Errorf("SortByID gave %v, want %v", got, want)
	}
}
