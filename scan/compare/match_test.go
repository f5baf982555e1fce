package compare

import (
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// finding is a finding of fingerprint fp; a "!" suffix suppresses it.
func finding(fp string) model.Finding {
	f := model.Finding{Fingerprint: strings.TrimSuffix(fp, "!"), Severity: model.SeverityHigh, Message: fp}
	if strings.HasSuffix(fp, "!") {
		f.Suppression = &model.AppliedSuppression{Kind: "inSource"}
	}
	return f
}

func findings(fps string) []model.Finding {
	var out []model.Finding
	for _, fp := range strings.Fields(fps) {
		out = append(out, finding(fp))
	}
	return out
}

func TestMatcher(t *testing.T) {
	for _, tt := range []struct {
		name, base string
		// head is given to Mark in units, separated by "|".
		head string
		// marks are the head's states in order ("-" for none);
		// fixed the fingerprints found fixed.
		marks, fixed string
	}{
		{"same", "a b", "a b", "unchanged unchanged", ""},
		{"one new one fixed", "a b", "b c", "unchanged new", "a"},
		{"a second finding of one fingerprint is new", "a", "a a", "unchanged new", ""},
		{"one of two with one fingerprint fixed", "a a", "a", "unchanged", "a"},
		{"across units", "a b", "b | a", "unchanged unchanged", ""},
		{"suppressed by the change: neither new nor fixed", "a", "a!", "-", ""},
		{"suppression lifted: new", "a!", "a", "new", ""},
		{"suppressed at the ref and fixed: not counted", "a! b", "", "", "b"},
		{"empty ref", "", "a", "new", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMatcher(findings(tt.base))
			var marks []string
			for _, unit := range strings.Split(tt.head, "|") {
				fs := findings(unit)
				m.Mark(fs)
				for _, f := range fs {
					st := f.BaselineState
					if st == "" {
						st = "-"
					}
					marks = append(marks, st)
				}
			}
			if got := strings.Join(marks, " "); got != tt.marks {
				t.Errorf("marks %q, want %q", got, tt.marks)
			}
			c := m.Comparison()
			var fixed []string
			for _, f := range c.FixedFindings {
				if f.BaselineState != model.BaselineAbsent {
					t.Errorf("fixed %s has state %q", f.Fingerprint, f.BaselineState)
				}
				fixed = append(fixed, f.Fingerprint)
			}
			if got := strings.Join(fixed, " "); got != tt.fixed || c.Fixed != len(fixed) {
				t.Errorf("fixed %q (%d), want %q", got, c.Fixed, tt.fixed)
			}
			if c.New != strings.Count(tt.marks, "new") || c.Unchanged != strings.Count(tt.marks, "unchanged") ||
				c.NewBySeverity.High != c.New {
				t.Errorf("counts %+v, marks %q", c, tt.marks)
			}
		})
	}
}
