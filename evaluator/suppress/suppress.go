// Package suppress applies the suppressions written next to resources
// (comments, CloudFormation Metadata, live tags) to findings. A suppressed
// finding is kept and marked, so JSON and SARIF still show it as dismissed
// rather than gone; suppressions that lack a reason, have expired or match
// nothing are reported as findings of their own.
package suppress

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vpclint/vpclint/evaluator/config"
	"github.com/vpclint/vpclint/model"
)

// Ids of the suppression findings.
const (
	NoReasonID = "SUP001"
	ExpiredID  = "SUP002"
	UnusedID   = "SUP003"
)

// Rules describes the suppression findings for the catalogue.
func Rules() []model.RuleInfo {
	return []model.RuleInfo{
		{
			ID: NoReasonID, Area: "SUP", Severity: model.SeverityLow,
			Title:       "Suppression without a reason",
			Description: "A vpclint:ignore suppression does not say why the risk is accepted. It still silences the finding, but reviewers and auditors cannot tell whether the exception is deliberate.",
			Remediation: `Add reason="..." to the comment (and until=YYYY-MM-DD if the exception is temporary), a reason key to the CloudFormation Metadata entry, or a vpclint:ignore-reason tag on the live resource.`,
			References:  []string{"https://github.com/vpclint/vpclint/blob/main/docs/ci.md#suppressions"},
			Tags:        []string{"maintainability"},
		},
		{
			ID: ExpiredID, Area: "SUP", Severity: model.SeverityMedium,
			Title:       "Suppression has expired",
			Description: "A vpclint:ignore suppression is past its until= date, so it no longer silences anything: the findings it covered are reported again.",
			Remediation: "Fix the finding, or renew the exception with a new until= date and an up-to-date reason.",
			References:  []string{"https://github.com/vpclint/vpclint/blob/main/docs/ci.md#suppressions"},
			Tags:        []string{"maintainability"},
		},
		{
			ID: UnusedID, Area: "SUP", Severity: model.SeverityLow,
			Title:       "Suppression matches no finding",
			Description: "A vpclint:ignore suppression silences nothing: the risk it excused is gone, or the id or placement is wrong. Stale suppressions hide future findings on the same resource.",
			Remediation: "Remove the suppression, or correct its rule id or move it to the line before the resource or attribute it is meant for.",
			References:  []string{"https://github.com/vpclint/vpclint/blob/main/docs/ci.md#suppressions"},
			Tags:        []string{"maintainability"},
		},
	}
}

// Options tune Apply.
type Options struct {
	// Now decides expiry (only its date counts).
	Now time.Time
	// ReportProblems adds SUP001-SUP003 findings.
	ReportProblems bool
	// Peers maps a peer tool's check id to the vpclint rules that
	// correspond to it (PeerIndex of the catalogue): the ignore comments of
	// tfsec, Trivy and Checkov apply to those rules.
	Peers map[string][]string
}

// PeerIndex maps each peer check id of the rules' METADATA (custom.peers)
// to the ids of the rules that name it, keyed by peerKey.
func PeerIndex(rules []model.RuleInfo) map[string][]string {
	idx := map[string][]string{}
	for _, r := range rules {
		for tool, ids := range r.Peers {
			for _, id := range ids {
				k := peerKey(tool, id)
				if !slices.Contains(idx[k], r.ID) {
					idx[k] = append(idx[k], r.ID)
				}
			}
		}
	}
	return idx
}

// PeerRules are the vpclint rules of a PeerIndex that correspond to a
// check id of any peer tool.
func PeerRules(idx map[string][]string, id string) []string {
	var out []string
	for _, tool := range []string{"checkov", "trivy"} {
		for _, r := range idx[peerKey(tool, id)] {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	sort.Strings(out)
	return out
}

// peerKey normalizes a peer check id: tfsec's checks live on in Trivy
// under the same ids, so they share a namespace; Trivy's ids are written
// AVD-AWS-0107 and AWS-0107 alike; case does not matter.
func peerKey(tool, id string) string {
	family := strings.ToLower(tool)
	if family == "tfsec" {
		family = "trivy"
	}
	id = strings.ToLower(strings.TrimSpace(id))
	id = strings.TrimPrefix(id, "avd-")
	return family + ":" + id
}

type entry struct {
	s       model.Suppression
	meta    *model.Meta
	unit    string
	used    bool
	expired bool
	// rules are the vpclint rules a peer tool's ignore stands for.
	rules []string
}

// Apply marks the findings that a suppression covers and returns them with
// the suppression findings appended.
func Apply(units []*model.Model, findings []model.Finding, opts Options) []model.Finding {
	today := opts.Now.UTC().Format("2006-01-02")
	byUnit := map[string][]*entry{}
	var all []*entry
	for _, u := range units {
		for _, r := range u.Resources() {
			meta := r.GetMeta()
			for _, s := range meta.Suppressions {
				e := &entry{s: s, meta: meta, unit: u.Unit, expired: s.Until != "" && s.Until < today}
				if s.Tool != "" {
					for _, id := range s.RuleIDs {
						for _, r := range opts.Peers[peerKey(s.Tool, id)] {
							if !slices.Contains(e.rules, r) {
								e.rules = append(e.rules, r)
							}
						}
					}
				}
				byUnit[u.Unit] = append(byUnit[u.Unit], e)
				all = append(all, e)
			}
		}
	}
	out := make([]model.Finding, 0, len(findings))
	for _, f := range findings {
		for _, e := range byUnit[f.Unit] {
			if !covers(e, &f) {
				continue
			}
			if e.expired {
				e.used = true // it would match: the problem is its date
				continue
			}
			e.used = true
			if f.Suppression == nil {
				f.Suppression = &model.AppliedSuppression{Kind: "inSource", Justification: justification(e.s), Until: e.s.Until}
			}
		}
		out = append(out, f)
	}
	if !opts.ReportProblems {
		return out
	}
	infos := map[string]model.RuleInfo{}
	for _, r := range Rules() {
		infos[r.ID] = r
	}
	for _, e := range all {
		if e.s.Tool != "" {
			// Another tool's ignore is written for that tool: it may
			// name checks vpclint does not have, and has no reason
			// field (tfsec, Trivy). Only its date is vpclint's business
			// when it stands for vpclint rules.
			if e.expired && len(e.rules) > 0 {
				out = append(out, problem(infos[ExpiredID], e, fmt.Sprintf("%s ignore of %s (vpclint's %s) expired on %s; its findings are reported again", e.s.Tool, strings.Join(e.s.RuleIDs, ", "), strings.Join(e.rules, ", "), e.s.Until)))
			}
			continue
		}
		switch {
		case e.expired:
			out = append(out, problem(infos[ExpiredID], e, fmt.Sprintf("suppression of %s expired on %s; its findings are reported again", strings.Join(e.s.RuleIDs, ", "), e.s.Until)))
		case !e.used:
			out = append(out, problem(infos[UnusedID], e, fmt.Sprintf("suppression of %s on %s matches no finding", strings.Join(e.s.RuleIDs, ", "), e.meta.Address)))
		}
		if strings.TrimSpace(e.s.Reason) == "" {
			out = append(out, problem(infos[NoReasonID], e, fmt.Sprintf("suppression of %s on %s gives no reason", strings.Join(e.s.RuleIDs, ", "), e.meta.Address)))
		}
	}
	return out
}

func justification(s model.Suppression) string {
	if s.Tool != "" {
		var j string
		switch s.Tool {
		case "checkov":
			j = "checkov:skip=" + strings.Join(s.RuleIDs, ",")
		default:
			j = s.Tool + ":ignore:" + strings.Join(s.RuleIDs, ",")
		}
		if s.Reason != "" {
			j += ": " + s.Reason
		}
		return j
	}
	if s.Reason == "" {
		return "suppressed without a reason"
	}
	return s.Reason
}

// covers reports whether suppression e applies to finding f.
func covers(e *entry, f *model.Finding) bool {
	if e.s.Tool != "" {
		if !slices.Contains(e.rules, f.RuleID) {
			return false
		}
	} else if !idMatches(e.s.RuleIDs, f.RuleID) {
		return false
	}
	// A comment covers the lines of the block or attribute it precedes,
	// which may be a separate rule resource folded into the group.
	if e.s.File != "" && e.s.StartLine > 0 && f.Location.File != "" {
		return f.Location.File == e.s.File && f.Location.StartLine >= e.s.StartLine && f.Location.StartLine <= e.s.EndLine
	}
	if f.Resource.Address != e.meta.Address {
		return false
	}
	if e.s.Attribute != "" {
		return f.Attribute == e.s.Attribute || strings.HasPrefix(f.Attribute, e.s.Attribute+".") || strings.HasPrefix(f.Attribute, e.s.Attribute+"[")
	}
	return true
}

func idMatches(sels []string, id string) bool {
	for _, s := range sels {
		if config.MatchSelector(s, id) {
			return true
		}
	}
	return false
}

func problem(info model.RuleInfo, e *entry, msg string) model.Finding {
	loc := model.Location{File: e.s.File, StartLine: e.s.Line, EndLine: e.s.Line}
	if loc.File == "" {
		loc = model.Location{File: e.meta.Source.File, StartLine: e.meta.Source.StartLine, EndLine: e.meta.Source.StartLine}
	}
	ids := append([]string(nil), e.s.RuleIDs...)
	sort.Strings(ids)
	sum := sha256.Sum256([]byte(strings.Join([]string{info.ID, e.meta.Type, e.meta.Address, e.s.Attribute, strings.Join(ids, ",")}, "|")))
	return model.Finding{
		RuleID:      info.ID,
		Severity:    info.Severity,
		Title:       info.Title,
		Message:     msg,
		Resource:    model.FindingResource{Address: e.meta.Address, ID: e.meta.ID, Type: e.meta.Type, ARN: e.meta.ARN, Root: e.unit},
		Attribute:   e.s.Attribute,
		Location:    loc,
		Source:      e.meta.Source,
		Fingerprint: hex.EncodeToString(sum[:16]),
		Unit:        e.unit,
	}
}
