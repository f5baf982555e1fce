package compare

import "github.com/vpclint/vpclint/model"

// Matcher marks the findings of the work tree against those of the ref
// (it is a scan.Comparer): each unsuppressed finding of the ref absorbs
// one finding of the work tree with its fingerprint, as a baseline entry
// does, so a second finding with the same fingerprint is new.
//
// A suppressed finding of the work tree absorbs one too, without being
// counted: a finding the change suppresses is not fixed. A suppressed
// finding of the ref absorbs nothing: the change that lifts a suppression
// makes a new finding.
type Matcher struct {
	base []model.Finding
	left map[string]int
	cmp  model.Comparison
}

// NewMatcher starts matching against the ref's findings.
func NewMatcher(base []model.Finding) *Matcher {
	m := &Matcher{left: map[string]int{}}
	for _, f := range base {
		if f.Suppression == nil {
			m.base = append(m.base, f)
			m.left[f.Fingerprint]++
		}
	}
	return m
}

// Mark sets the BaselineState of the work tree's findings: new or
// unchanged; suppressed ones get none.
func (m *Matcher) Mark(fs []model.Finding) {
	for i := range fs {
		f := &fs[i]
		if f.Suppression != nil {
			continue
		}
		if m.left[f.Fingerprint] > 0 {
			m.left[f.Fingerprint]--
			f.BaselineState = model.BaselineUnchanged
			m.cmp.Unchanged++
			continue
		}
		f.BaselineState = model.BaselineNew
		m.cmp.New++
		m.cmp.NewBySeverity.Add(f.Severity)
	}
	for i := range fs {
		if f := &fs[i]; f.Suppression != nil && m.left[f.Fingerprint] > 0 {
			m.left[f.Fingerprint]--
		}
	}
}

// Comparison is the outcome once every finding of the work tree is
// marked: the counts, and the ref's findings that nothing absorbed (the
// fixed ones, BaselineState absent, in the ref's order).
func (m *Matcher) Comparison() model.Comparison {
	c := m.cmp
	c.FixedFindings = []model.Finding{}
	// Of several findings with one fingerprint, the last ones are fixed.
	total := map[string]int{}
	for _, f := range m.base {
		total[f.Fingerprint]++
	}
	seen := map[string]int{}
	for _, f := range m.base {
		seen[f.Fingerprint]++
		if absorbed := total[f.Fingerprint] - m.left[f.Fingerprint]; seen[f.Fingerprint] > absorbed {
			f.BaselineState = model.BaselineAbsent
			c.FixedFindings = append(c.FixedFindings, f)
		}
	}
	c.Fixed = len(c.FixedFindings)
	return c
}
