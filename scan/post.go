package scan

import (
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/evaluator/baseline"
	"github.com/vpclint/vpclint/evaluator/suppress"
	"github.com/vpclint/vpclint/model"
)

// Post are the steps between rule evaluation and the reports: inline
// suppressions, --changed-only and the baseline.
type Post struct {
	// Now decides whether a suppression has expired; zero means now.
	Now time.Time
	// NoSuppressionReports turns off the SUP001-SUP003 findings
	// (--no-unused-suppressions).
	NoSuppressionReports bool
	// Changed, when non-nil, keeps only findings located in these files
	// (absolute paths): --changed-only. Findings without a file (live
	// resources) are kept.
	Changed map[string]bool
	// WorkDir resolves findings' relative files for Changed; files outside
	// it are relative to their scan root, one of Roots (loader.ScanRoot of
	// each scanned path).
	WorkDir string
	Roots   []string
	// Baseline hides the findings it records (--baseline).
	Baseline *baseline.File
	// Severities, when non-empty, are the only severities shown
	// (--severity, --minimum-severity); the others are counted in
	// Summary.Hidden. Severities are compared after the config's
	// overrides.
	Severities []model.Severity
}

// SuppressionRules are the catalogue entries of the suppression findings,
// with the engine's selection and severity overrides applied.
func SuppressionRules(eng *evaluator.Engine) []model.RuleInfo {
	var out []model.RuleInfo
	for _, r := range suppress.Rules() {
		if eng != nil && !eng.Selected(r) {
			continue
		}
		if eng != nil {
			if s, ok := eng.SeverityOverride(r.ID); ok {
				r.Severity = s
			}
		}
		out = append(out, r)
	}
	return out
}

// apply runs the post steps on res and recomputes its summary.
func (p *Post) apply(res *Result) {
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	sup := SuppressionRules(res.Engine)
	res.Catalogue = append(res.Catalogue, sup...)
	bySup := map[string]model.RuleInfo{}
	for _, r := range sup {
		bySup[r.ID] = r
	}
	changed := p.resolvedChanged()
	all := suppress.Apply(res.Units, res.Findings, suppress.Options{Now: now, ReportProblems: !p.NoSuppressionReports})
	markAmbiguous(res.Units, all)
	kept := all[:0]
	for _, f := range all {
		if model.AreaOf(f.RuleID) == "SUP" {
			r, ok := bySup[f.RuleID]
			if !ok {
				continue // disabled in the config
			}
			f.Severity = r.Severity
		}
		if changed != nil && f.Location.File != "" && !changed[p.abs(f.Location.File)] {
			continue
		}
		kept = append(kept, f)
	}
	known := 0
	if p.Baseline != nil {
		kept, known = p.Baseline.Filter(kept)
	}
	kept, hidden := p.shown(kept)
	res.Findings = kept
	SortFindings(res.Findings)
	// Only the counts of findings change here; the rest of the summary
	// (files, resources, undecided, empty directories) stays.
	counts := model.Summarize(res.Findings, 0, 0)
	res.Summary.Findings, res.Summary.Suppressed = counts.Findings, counts.Suppressed
	res.Summary.Baselined = known
	res.Summary.Hidden = hidden
}

// shown keeps the findings of the severities to show and counts the
// others (suppressed ones are not counted: they are not shown anyway).
func (p *Post) shown(fs []model.Finding) ([]model.Finding, int) {
	if len(p.Severities) == 0 {
		return fs, 0
	}
	kept := fs[:0]
	hidden := 0
	for _, f := range fs {
		if slices.Contains(p.Severities, f.Severity) {
			kept = append(kept, f)
		} else if f.Suppression == nil {
			hidden++
		}
	}
	return kept, hidden
}

// markAmbiguous flags the findings on an address that several units of the
// scan have (two root modules each calling module "endpoint", two templates
// each with a VPC named VPC): their reports name the root and their
// fingerprints include it. Findings on an address unique in the scan keep
// the fingerprint they always had, so baselines keep matching. Live units
// are keyed by account and region already.
func markAmbiguous(units []*model.Model, fs []model.Finding) {
	owners := map[string]string{} // address -> first unit
	shared := map[string]bool{}
	for _, u := range units {
		if u.Format == model.FormatAWS {
			continue
		}
		for _, r := range u.Resources() {
			a := r.GetMeta().Address
			if a == "" {
				continue
			}
			if first, ok := owners[a]; !ok {
				owners[a] = u.Unit
			} else if first != u.Unit {
				shared[a] = true
			}
		}
	}
	for i := range fs {
		f := &fs[i]
		if f.Source.Format == model.FormatAWS || !shared[f.Resource.Address] || f.Resource.Root == "" {
			continue
		}
		f.Resource.Ambiguous = true
		f.Fingerprint = evaluator.WithRoot(f.Fingerprint, f.Resource.Root)
	}
}

// resolvedChanged is Changed with symlinks resolved on both sides.
func (p *Post) resolvedChanged() map[string]bool {
	if p.Changed == nil {
		return nil
	}
	out := make(map[string]bool, len(p.Changed))
	for f := range p.Changed {
		out[resolveLinks(f)] = true
	}
	return out
}

func (p *Post) abs(file string) string {
	if filepath.IsAbs(file) {
		return resolveLinks(file)
	}
	first := filepath.Join(p.WorkDir, filepath.FromSlash(file))
	if _, err := os.Stat(first); err == nil {
		return resolveLinks(first)
	}
	for _, r := range p.Roots {
		if st, err := os.Stat(r); err == nil && !st.IsDir() {
			r = filepath.Dir(r)
		}
		c := filepath.Join(r, filepath.FromSlash(file))
		if _, err := os.Stat(c); err == nil {
			return resolveLinks(c)
		}
	}
	return resolveLinks(first)
}

// resolveLinks makes paths comparable with git's, which resolves symlinks.
func resolveLinks(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}
