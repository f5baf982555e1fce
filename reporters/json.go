package reporters

import (
	"io"

	"github.com/vpclint/vpclint/model"
)

// jsonReport is the documented JSON output (DESIGN.md "Outputs"): its
// field names are a contract for scripts.
type jsonReport struct {
	Version  string        `json:"version"`
	Tool     jsonTool      `json:"tool"`
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
	Summary  model.Summary `json:"summary"`
	// Config is the config file in use, null when none.
	Config *string `json:"config"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonFinding struct {
	RuleID      string                    `json:"rule_id"`
	Severity    model.Severity            `json:"severity"`
	Title       string                    `json:"title"`
	Message     string                    `json:"message"`
	Resource    jsonResource              `json:"resource"`
	Attribute   string                    `json:"attribute,omitempty"`
	Location    jsonLocation              `json:"location"`
	Source      model.Source              `json:"source"`
	Fingerprint string                    `json:"fingerprint"`
	Suppression *model.AppliedSuppression `json:"suppression,omitempty"`
}

type jsonResource struct {
	Address string `json:"address"`
	ID      string `json:"id"`
	Type    string `json:"type"`
	ARN     string `json:"arn,omitempty"`
	// Root is the root of the unit: module directory, template or plan
	// file, account/region.
	Root string `json:"root,omitempty"`
}

type jsonLocation struct {
	File      string `json:"file"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
	Level   string `json:"level,omitempty"`
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	Call    string `json:"call,omitempty"`
}

func writeJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		Version:  "1",
		Tool:     jsonTool{Name: r.Tool.Name, Version: r.Tool.Version},
		Findings: make([]jsonFinding, 0, len(r.Findings)),
		Errors:   make([]jsonError, 0, len(r.Errors)),
		Summary:  r.Summary,
	}
	if r.Config != "" {
		out.Config = &r.Config
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, jsonFinding{
			RuleID: f.RuleID, Severity: f.Severity, Title: f.Title, Message: f.Message,
			Resource:    jsonResource{Address: f.Resource.Address, ID: f.Resource.ID, Type: f.Resource.Type, ARN: f.Resource.ARN, Root: f.Resource.Root},
			Attribute:   f.Attribute,
			Location:    jsonLocation{File: f.Location.File, StartLine: f.Location.StartLine, EndLine: f.Location.EndLine},
			Source:      f.Source,
			Fingerprint: f.Fingerprint,
			Suppression: f.Suppression,
		})
	}
	for _, e := range r.Errors {
		out.Errors = append(out.Errors, jsonError{File: e.File, Line: e.Line, Message: e.Message, Level: e.Level, Account: e.Account, Region: e.Region, Call: e.Call})
	}
	return encodeJSON(w, out, false)
}
