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
	// Compare, when set, is given the findings shown, unit by unit in
	// the units' order, to mark them new or unchanged against the scan
	// of a git ref (--compare, package scan/compare).
	Compare Comparer
}

// Comparer marks findings against another scan's: it sets each one's
// BaselineState. It is called from one goroutine at a time.
type Comparer interface {
	Mark(fs []model.Finding)
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

// postRun is the post steps of one scan, applied unit by unit: the
// suppressions and --changed-only need only the unit (unit, run by the
// evaluation workers), the baseline is matched in the units' order
// (ordered), so that the result does not depend on which unit finished
// first.
type postRun struct {
	p        *Post
	now      time.Time
	bySup    map[string]model.RuleInfo
	changed  map[string]bool
	baseline *baseline.Matcher
	// peers maps the peer tools' check ids to the rules of the catalogue.
	peers map[string][]string
	// owners finds the addresses several code units of the scan have.
	owners addressOwners
}

// start adds the suppression findings to the catalogue and prepares the
// steps.
func (p *Post) start(res *Result) *postRun {
	pr := &postRun{p: p, now: p.Now, bySup: map[string]model.RuleInfo{}, changed: p.resolvedChanged(), owners: newAddressOwners()}
	if pr.now.IsZero() {
		pr.now = time.Now()
	}
	sup := SuppressionRules(res.Engine)
	res.Catalogue = append(res.Catalogue, sup...)
	for _, r := range sup {
		pr.bySup[r.ID] = r
	}
	pr.peers = suppress.PeerIndex(res.Catalogue)
	if p.Baseline != nil {
		pr.baseline = p.Baseline.Matcher()
	}
	return pr
}

// unit applies the unit's suppressions to its findings, adds the
// suppression findings and keeps those --changed-only asks for.
func (pr *postRun) unit(u *model.Model, fs []model.Finding) []model.Finding {
	all := suppress.Apply([]*model.Model{u}, fs, suppress.Options{Now: pr.now, ReportProblems: !pr.p.NoSuppressionReports, Peers: pr.peers})
	kept := all[:0]
	for _, f := range all {
		if model.AreaOf(f.RuleID) == "SUP" {
			r, ok := pr.bySup[f.RuleID]
			if !ok {
				continue // disabled in the config
			}
			f.Severity = r.Severity
		}
		if pr.changed != nil && f.Location.File != "" && !pr.changed[pr.p.abs(f.Location.File)] {
			continue
		}
		kept = append(kept, f)
	}
	return kept
}

// ordered marks the findings on addresses other units share, hides what
// the baseline records and the severities not shown, and marks what is
// left against the compared scan; it is called in the units' order, once
// every unit whose addresses count is known (see pipeline).
func (pr *postRun) ordered(fs []model.Finding) (kept []model.Finding, baselined, hidden int) {
	markAmbiguous(pr.owners.shared, fs)
	kept = fs
	if pr.baseline != nil {
		kept, baselined = pr.baseline.Filter(kept)
	}
	kept, hidden = pr.p.shown(kept)
	if pr.p.Compare != nil {
		pr.p.Compare.Mark(kept)
	}
	return kept, baselined, hidden
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

// addressOwners finds the addresses that several code units of the scan
// have (two root modules each calling module "endpoint", two templates
// each with a VPC named VPC), from each unit's resources as it is
// checked, so that no unit is kept for it. Live units are keyed by
// account and region already.
type addressOwners struct {
	first  map[string]string // address -> the first unit seen with it
	shared map[string]bool
}

func newAddressOwners() addressOwners {
	return addressOwners{first: map[string]string{}, shared: map[string]bool{}}
}

// add counts the addresses of u.
func (o addressOwners) add(u *model.Model) {
	if u.Format == model.FormatAWS {
		return
	}
	for _, r := range u.Resources() {
		a := r.GetMeta().Address
		if a == "" || o.shared[a] {
			continue
		}
		if first, ok := o.first[a]; !ok {
			o.first[a] = u.Unit
		} else if first != u.Unit {
			o.shared[a] = true
			delete(o.first, a)
		}
	}
}

// markAmbiguous flags the findings on a shared address: their reports
// name the root and their fingerprints include it. Findings on an address
// unique in the scan keep the fingerprint they always had, so baselines
// keep matching.
func markAmbiguous(shared map[string]bool, fs []model.Finding) {
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
