package model

import "sort"

// Unit statuses: how much of a live unit was read.
const (
	UnitComplete = "complete" // every list read
	UnitPartial  = "partial"  // some lists not read
	UnitFailed   = "failed"   // nothing read (Inventory.Error says why)
)

// UnitStatus says how much of a live unit (an account×region, read now or
// from a snapshot) was read: reports list it, so that a clean report of
// an incomplete audit does not look like a clean audit, and merged shard
// reports can account for every unit.
type UnitStatus struct {
	Unit      string `json:"unit"`
	Account   string `json:"account,omitempty"`
	Region    string `json:"region,omitempty"`
	Resources int    `json:"resources"`
	// Status is UnitComplete, UnitPartial or UnitFailed.
	Status string `json:"status"`
	// ListsNotRead are the lists not read completely, sorted.
	ListsNotRead []string `json:"lists_not_read,omitempty"`
	// Error is why nothing could be read (UnitFailed).
	Error string `json:"error,omitempty"`
}

// LiveStatus returns the status of a unit whose lists were read from an
// API (Inventory.Lists recorded), and false for code, whose model holds
// what the code writes (its Lists, when set, say which kinds the code may
// hold more of).
func LiveStatus(m *Model) (UnitStatus, bool) {
	if m.Format != FormatAWS || m.Inventory.Lists == nil && m.Inventory.Error == "" {
		return UnitStatus{}, false
	}
	st := UnitStatus{Unit: m.Unit, Account: m.Context.Account, Region: m.Context.Region, Resources: m.Len(),
		Status: UnitComplete, Error: m.Inventory.Error}
	for l, ok := range m.Inventory.Lists {
		if !ok {
			st.ListsNotRead = append(st.ListsNotRead, l)
		}
	}
	sort.Strings(st.ListsNotRead)
	switch {
	case m.Inventory.Error != "":
		st.Status = UnitFailed
	case len(st.ListsNotRead) > 0:
		st.Status = UnitPartial
	}
	return st, true
}
