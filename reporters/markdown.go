package reporters

import (
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// mdTopFindings is how many findings the Markdown table shows: a
// pull-request comment or job summary must stay readable.
const mdTopFindings = 50

// writeMarkdown writes a summary for a pull-request comment or
// $GITHUB_STEP_SUMMARY: counts by severity, then the most severe findings
// with links to file:line.
func writeMarkdown(w io.Writer, r *Report) error {
	urls := r.ruleURLs()
	var b strings.Builder
	active := make([]model.Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		if f.Suppression == nil {
			active = append(active, f)
		}
	}
	total := len(active)
	icon := "✅"
	if total > 0 {
		icon = "⚠️"
	}
	trouble, _ := shardTrouble(r)
	if r.Summary.Findings.Critical+r.Summary.Findings.High > 0 || len(trouble) > 0 {
		icon = "❌"
	}
	title := count(total, "finding")
	if r.Comparison != nil {
		icon, title = mdComparisonTitle(r.Comparison, total)
	}
	fmt.Fprintf(&b, "## %s vpclint: %s\n\n", icon, title)
	if r.Comparison != nil {
		b.WriteString(mdComparisonLine(r.Comparison))
	}
	b.WriteString("| critical | high | medium | low | info | suppressed | baselined |\n")
	b.WriteString("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	c := r.Summary.Findings
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d |\n\n", c.Critical, c.High, c.Medium, c.Low, c.Info, r.Summary.Suppressed, r.Summary.Baselined)
	fmt.Fprintf(&b, "Scanned %s and %s.\n\n", count(r.Summary.Files, "file"), count(r.Summary.Resources, "resource"))
	if line := auditCoverage(r); line != "" {
		b.WriteString(mdText(line) + ".\n\n")
	}
	if line := shardsLine(r); line != "" {
		mark := ""
		if len(trouble) > 0 {
			mark = "⚠️ **Part of the audit is missing:** "
		}
		b.WriteString(mark + mdText(line) + ".\n\n")
	}
	if line := undecidedLine(r); line != "" {
		b.WriteString(strings.Replace(line, "--show-unknown", "`--show-unknown`", 1) + ".\n\n")
	}

	if total > 0 {
		sort.SliceStable(active, func(i, j int) bool {
			return active[i].Severity.Rank() > active[j].Severity.Rank()
		})
		mdNewFirst(active)
		shown := active
		if len(shown) > mdTopFindings {
			shown = shown[:mdTopFindings]
		}
		b.WriteString("| severity | rule | resource | location | message |\n")
		b.WriteString("| --- | --- | --- | --- | --- |\n")
		for _, f := range shown {
			msg := f.Message
			if f.Resource.Ambiguous && f.Resource.Root != "" {
				msg += " (in " + f.Resource.Root + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n",
				mdChange(&f)+mdText(string(f.Severity)), ruleLink(urls, f.RuleID), mdCode(resourceName(&f)), mdLocation(&f, r.LinkBase), mdText(msg))
		}
		if len(active) > len(shown) {
			fmt.Fprintf(&b, "\n%s more not shown; see the full report.\n", count(len(active)-len(shown), "finding"))
		}
		b.WriteString("\n")
	}
	mdFixed(&b, r.Comparison, urls)
	b.WriteString(mermaidSection(r))
	if len(r.Errors) > 0 {
		fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n", count(len(r.Errors), "input problem"))
		for _, e := range r.Errors {
			fmt.Fprintf(&b, "- %s\n", mdText(e.Error()))
		}
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// count says "1 finding", "3 findings".
func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ruleLink links a rule id to its documentation.
// It is the id alone for a user rule, which has no page.
func ruleLink(urls func(string) string, id string) string {
	if u := urls(id); u != "" {
		return "[" + mdText(id) + "](" + u + ")"
	}
	return mdText(id)
}

// mdLocation links to file:line: relative to the repository, or under
// base when it is set.
func mdLocation(f *model.Finding, base string) string {
	if f.Location.File == "" {
		if f.Resource.ARN != "" {
			return mdCode(f.Resource.ARN)
		}
		return "—"
	}
	text := fmt.Sprintf("%s:%d", f.Location.File, f.Location.StartLine)
	// A link target is percent-encoded: no space, parenthesis or angle
	// bracket of a file name can end it early.
	u := (&url.URL{Path: f.Location.File}).EscapedPath()
	u = strings.NewReplacer("(", "%28", ")", "%29", "<", "%3C", ">", "%3E", " ", "%20").Replace(u)
	return fmt.Sprintf("[%s](%s%s#L%d)", mdText(text), base, u, f.Location.StartLine)
}

// mdEscaper escapes what Markdown and the HTML GitHub allows in it would
// interpret in text from the scanned input: HTML (a tag, an entity), links
// and images (brackets), emphasis and code, headings and table cells.
var mdEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "|", `\|`, "[", `\[`, "]", `\]`, "`", "\\`",
	"*", `\*`, "_", `\_`, "~", `\~`, "#", `\#`, "!", `\!`,
)

// mdText makes text from the input safe as Markdown on one line (a table
// cell, a list item): control and bidirectional characters escaped
// visibly, Markdown and HTML escaped, so it reads as written and can
// neither add a link nor break out of its cell.
func mdText(s string) string {
	return mdEscaper.Replace(safetext.Line(s))
}

// mdCode shows text as a code span: backslashes do not escape inside one,
// so the fence is longer than any run of backticks in the text, and the
// pipes of a table cell are written as an HTML entity GitHub renders in
// code.
func mdCode(s string) string {
	s = strings.ReplaceAll(safetext.Line(s), "|", "&#124;")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + s + pad + fence
}
