package reporters

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// The Markdown of a compared report (--compare): a reviewer of a pull
// request reads first what the change makes worse or better, so the title
// says "N new, M fixed", the new findings come first in the table, marked,
// and the fixed ones follow the table.

// mdNewMark marks a new finding's row.
const mdNewMark = "🆕 "

// mdComparisonTitle is the icon and title of a compared report: the icon
// judges the new findings only, since the others were there before.
func mdComparisonTitle(c *model.Comparison, total int) (icon, title string) {
	icon = "✅"
	if c.New > 0 {
		icon = "⚠️"
	}
	if c.NewBySeverity.Critical+c.NewBySeverity.High > 0 {
		icon = "❌"
	}
	return icon, fmt.Sprintf("%d new, %d fixed (%s in all)", c.New, c.Fixed, count(total, "finding"))
}

// mdComparisonLine says what the findings were compared with.
func mdComparisonLine(c *model.Comparison) string {
	at := "at " + mdCode(shortCommit(c.Commit))
	if c.MergeBase {
		at = "at its merge base " + mdCode(shortCommit(c.Commit))
	}
	what := mdCode(c.Ref) + " " + at
	if strings.HasPrefix(c.Commit, c.Ref) {
		what = mdCode(shortCommit(c.Commit)) // a commit id given as the ref
	}
	line := fmt.Sprintf("Compared with %s: %d new, %d fixed, %d unchanged.", what, c.New, c.Fixed, c.Unchanged)
	if c.BaseErrors > 0 {
		line += fmt.Sprintf(" %s at the ref: the findings of what did not load there count as new.", count(c.BaseErrors, "input problem"))
	}
	return line + "\n\n"
}

// mdNewFirst moves the new findings ahead of the others, each group in
// the order it had.
func mdNewFirst(fs []model.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		return fs[i].BaselineState == model.BaselineNew && fs[j].BaselineState != model.BaselineNew
	})
}

// mdChange is the mark of a finding's row: new ones only.
func mdChange(f *model.Finding) string {
	if f.BaselineState == model.BaselineNew {
		return mdNewMark
	}
	return ""
}

// mdFixed lists the findings the change fixed, folded. Their locations
// are in the ref's files, which LinkBase does not point at: shown, not
// linked.
func mdFixed(b *strings.Builder, c *model.Comparison, urls func(string) string) {
	if c == nil || len(c.FixedFindings) == 0 {
		return
	}
	fmt.Fprintf(b, "<details><summary>%s</summary>\n\n", count(len(c.FixedFindings), "fixed finding"))
	b.WriteString("| severity | rule | resource | location at the ref | message |\n")
	b.WriteString("| --- | --- | --- | --- | --- |\n")
	shown := c.FixedFindings
	if len(shown) > mdTopFindings {
		shown = shown[:mdTopFindings]
	}
	for _, f := range shown {
		where := "—"
		if f.Location.File != "" {
			where = mdText(fmt.Sprintf("%s:%d", f.Location.File, f.Location.StartLine))
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n",
			mdText(string(f.Severity)), ruleLink(urls, f.RuleID), mdCode(resourceName(&f)), where, mdText(f.Message))
	}
	if len(c.FixedFindings) > len(shown) {
		fmt.Fprintf(b, "\n%s more not shown; see the full report.\n", count(len(c.FixedFindings)-len(shown), "fixed finding"))
	}
	b.WriteString("\n</details>\n\n")
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}
