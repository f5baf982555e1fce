package reporters

import (
	"bufio"
	"io"

	"github.com/vpclint/vpclint/model"
)

// GitLab's Code Quality report (a subset of the Code Climate format): an
// array of issues that GitLab shows in merge requests.

type cqIssue struct {
	Description string     `json:"description"`
	CheckName   string     `json:"check_name"`
	Fingerprint string     `json:"fingerprint"`
	Severity    string     `json:"severity"`
	Location    cqLocation `json:"location"`
}

type cqLocation struct {
	Path  string  `json:"path"`
	Lines cqLines `json:"lines"`
}

type cqLines struct {
	Begin int `json:"begin"`
}

func cqSeverity(s model.Severity) string {
	switch s {
	case model.SeverityCritical:
		return "blocker"
	case model.SeverityHigh:
		return "critical"
	case model.SeverityMedium:
		return "major"
	case model.SeverityLow:
		return "minor"
	}
	return "info"
}

// writeCodeQuality writes the issues one at a time (see writeJSONItems),
// as encodeJSON would the whole array.
func writeCodeQuality(w io.Writer, r *Report) error {
	var shown []*model.Finding
	for i := range r.Findings {
		if r.Findings[i].Suppression == nil {
			shown = append(shown, &r.Findings[i])
		}
	}
	bw := bufio.NewWriter(w)
	bw.WriteByte('[')
	err := writeJSONItems(bw, 1, true, len(shown), func(i int) any {
		f := shown[i]
		path, line := f.Location.File, f.Location.StartLine
		if path == "" {
			// GitLab needs a path: anchor as SARIF does.
			path, line = r.Anchor, 1
		}
		if line < 1 {
			line = 1
		}
		return cqIssue{
			Description: f.RuleID + ": " + findingMessage(f),
			CheckName:   f.RuleID,
			Fingerprint: f.Fingerprint,
			Severity:    cqSeverity(f.Severity),
			Location:    cqLocation{Path: path, Lines: cqLines{Begin: line}},
		}
	})
	if err != nil {
		return err
	}
	bw.WriteString("]\n")
	return bw.Flush()
}
