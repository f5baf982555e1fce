package reporters

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// TestRuleLinks: a built-in rule links to its page in every format that
// links rules; a user rule (--rules), which has no page, is shown without
// a link rather than with a broken one.
func TestRuleLinks(t *testing.T) {
	r := hostileReport("")
	user := r.Findings[0]
	user.RuleID, user.Fingerprint = "ACME001", "fp2"
	r.Findings = append(r.Findings, user)
	r.Catalogue = append(r.Catalogue, model.RuleInfo{ID: "ACME001", Title: "T", Description: "D", Severity: model.SeverityCritical,
		Remediation: "R", Area: "ACME", Package: "q", Custom: true})
	r.Summary = model.Summarize(r.Findings, 1, 1)
	page := "https://github.com/vpclint/vpclint/blob/main/docs/rules/"
	for _, tt := range []struct{ format, builtin, user string }{
		{"markdown", "[SG001](" + page + "SG001.md)", "ACME001"},
		{"html", `href="` + page + `SG001.md"`, "ACME001"},
		{"sarif", `"helpUri": "` + page + `SG001.md"`, `"id": "ACME001"`},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, tt.format, r); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.Contains(out, tt.builtin) || !strings.Contains(out, tt.user) {
			t.Errorf("%s: want %q and %q", tt.format, tt.builtin, tt.user)
		}
		if strings.Contains(out, page+"ACME001") {
			t.Errorf("%s links the user rule to a page that does not exist", tt.format)
		}
	}
}
