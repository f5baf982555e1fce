package model

import (
	"fmt"
	"strings"
)

// Severity of a rule or finding.
type Severity string

// Severities, most severe first.
const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
	SeverityInfo     Severity = "info"
)

// Severities lists every severity, most severe first.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo}

// Rank orders severities: critical 5 ... info 1; 0 for an unknown value.
func (s Severity) Rank() int {
	switch s {
	case SeverityCritical:
		return 5
	case SeverityHigh:
		return 4
	case SeverityMedium:
		return 3
	case SeverityLow:
		return 2
	case SeverityInfo:
		return 1
	}
	return 0
}

// Valid reports whether s is one of the five severities.
func (s Severity) Valid() bool { return s.Rank() > 0 }

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	sev := Severity(strings.ToLower(strings.TrimSpace(s)))
	if !sev.Valid() {
		return "", fmt.Errorf("unknown severity %q (want critical, high, medium, low or info)", s)
	}
	return sev, nil
}

// SecuritySeverity is the SARIF security-severity score of RULES.md.
func (s Severity) SecuritySeverity() string {
	switch s {
	case SeverityCritical:
		return "9.5"
	case SeverityHigh:
		return "8.0"
	case SeverityMedium:
		return "5.5"
	case SeverityLow:
		return "3.0"
	}
	return "1.0"
}

// Location is a region of a file.
type Location struct {
	File        string `json:"file"`
	StartLine   int    `json:"start_line"`
	EndLine     int    `json:"end_line"`
	StartColumn int    `json:"start_column,omitempty"`
	EndColumn   int    `json:"end_column,omitempty"`
}

// FindingResource names the resource a finding is about.
type FindingResource struct {
	Address string `json:"address"`
	ID      string `json:"id,omitempty"`
	Type    string `json:"type"`
	ARN     string `json:"arn,omitempty"`
	// Root is the root of the unit the resource belongs to (Model.Unit):
	// a Terraform root module's directory, a template or plan file, an
	// account/region.
	Root string `json:"root,omitempty"`
	// Ambiguous is set when another unit of the scan has a resource at
	// the same address (two examples each calling module "endpoint"):
	// reports then name the root, and the fingerprint includes it.
	Ambiguous bool `json:"-"`
}

// Label names the resource for people: its address (or id), followed by
// its root when the address alone is ambiguous in the scan.
func (r FindingResource) Label() string {
	name := r.Address
	if name == "" {
		name = r.ID
	}
	if r.Ambiguous && r.Root != "" {
		return name + " (in " + r.Root + ")"
	}
	return name
}

// Finding is one rule result on one resource.
type Finding struct {
	RuleID    string          `json:"rule_id"`
	Severity  Severity        `json:"severity"`
	Title     string          `json:"title"`
	Message   string          `json:"message"`
	Resource  FindingResource `json:"resource"`
	Attribute string          `json:"attribute,omitempty"`
	Location  Location        `json:"location"`
	Source    Source          `json:"source"`
	// Fingerprint identifies the finding across commits: it does not
	// change when unrelated lines move.
	Fingerprint string `json:"fingerprint"`
	// Unit is the model the finding came from.
	Unit string `json:"unit,omitempty"`
	// Suppression is set when an inline suppression or the baseline
	// silenced the finding; it stays in JSON and SARIF output.
	Suppression *AppliedSuppression `json:"suppression,omitempty"`
	// BaselineState says, in a scan compared with a git ref (--compare),
	// whether the finding is new or was there already (BaselineNew,
	// BaselineUnchanged), or, for a finding of the ref that the scan no
	// longer has, that it was fixed (BaselineAbsent). Empty without a
	// comparison, and on suppressed findings.
	BaselineState string `json:"baseline_state,omitempty"`
}

// Baseline states of a finding compared with a git ref: SARIF's
// result.baselineState values.
const (
	BaselineNew       = "new"
	BaselineUnchanged = "unchanged"
	BaselineAbsent    = "absent"
)

// Comparison is how a scan's findings compare with those of the same
// paths at a git ref (--compare).
type Comparison struct {
	// Ref is the ref as the user gave it; Commit the commit whose tree was
	// scanned: the merge base of Ref and HEAD (MergeBase true), as a pull
	// request compares, or Ref itself when they have none in the clone (a
	// shallow checkout of a pull request's merge commit).
	Ref       string `json:"ref"`
	Commit    string `json:"commit"`
	MergeBase bool   `json:"merge_base"`
	// New, Fixed and Unchanged count the unsuppressed findings shown:
	// those of the scan that the ref does not have, those of the ref that
	// the scan no longer has, and those both have.
	New       int `json:"new"`
	Fixed     int `json:"fixed"`
	Unchanged int `json:"unchanged"`
	// NewBySeverity counts the new findings per severity (--fail-on-new).
	NewBySeverity SeverityCounts `json:"new_by_severity"`
	// FixedFindings are the findings of the ref that the scan no longer
	// has, as the ref's scan reported them (BaselineState absent).
	FixedFindings []Finding `json:"fixed_findings"`
	// BaseErrors counts the input problems of the ref's scan: a file that
	// did not parse there makes its findings count as new.
	BaseErrors int `json:"base_errors"`
}

// AppliedSuppression records why a finding is suppressed.
type AppliedSuppression struct {
	Kind          string `json:"kind"` // inSource | external
	Justification string `json:"justification,omitempty"`
	Until         string `json:"until,omitempty"`
}

// LoadError is a problem with an input: a file that fails to parse, a
// value AWS would reject, an unresolved module, a failed API call.
type LoadError struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
	// Level is error (input not fully read), warning (read, but a value
	// is invalid or unknown) or info (a note, e.g. a remote module that
	// is not installed).
	Level string `json:"level,omitempty"`
	// Live AWS context.
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	Call    string `json:"call,omitempty"`
}

// Error levels of LoadError.
const (
	LevelError   = "error"
	LevelWarning = "warning"
	LevelInfo    = "info"
)

func (e LoadError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	if e.Account != "" || e.Region != "" {
		fmt.Fprintf(&b, "%s/%s: ", e.Account, e.Region)
	}
	if e.Call != "" {
		fmt.Fprintf(&b, "%s: ", e.Call)
	}
	b.WriteString(e.Message)
	return b.String()
}
