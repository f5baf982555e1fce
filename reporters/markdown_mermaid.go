package reporters

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// The Markdown report draws, per VPC with endpoints, a Mermaid flowchart
// (GitHub renders Mermaid in comments and job summaries). It stays small:
// endpoints are grouped by the AZs they cover (a group for gateway
// endpoints, one for unknown coverage), and an endpoint with findings is
// marked with its worst severity and rules.
const (
	mdMaxVPCMaps       = 10
	mdMaxGroupEndpoint = 12
)

// mermaidSection is the Markdown of the VPC diagrams, "" when no VPC has
// an endpoint.
func mermaidSection(r *Report) string {
	var withEndpoints []*vpcDiagram
	for _, d := range diagrams(r) {
		if len(d.Map.Endpoints) > 0 {
			withEndpoints = append(withEndpoints, d)
		}
	}
	if len(withEndpoints) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("### Endpoints by VPC\n\n")
	for i, d := range withEndpoints {
		if i == mdMaxVPCMaps {
			fmt.Fprintf(&b, "%s more not drawn; see the HTML report (`--format html`).\n\n", count(len(withEndpoints)-i, "VPC"))
			break
		}
		fmt.Fprintf(&b, "%s in %s\n\n", mdText(d.Title()), mdCode(d.Map.Root))
		b.WriteString("```mermaid\n")
		b.WriteString(mermaidVPC(r, d))
		b.WriteString("```\n\n")
	}
	return b.String()
}

// mermaidVPC is the flowchart of one VPC.
func mermaidVPC(r *Report, d *vpcDiagram) string {
	type group struct {
		title string
		eps   []*model.MapEndpoint
	}
	groups := map[string]*group{}
	var keys []string
	for i := range d.Map.Endpoints {
		ep := &d.Map.Endpoints[i]
		var k, title string
		switch {
		case ep.Type == model.EndpointGateway:
			k, title = "2", "gateway endpoints (route tables)"
		case !ep.AZsKnown || len(ep.AZs) == 0:
			k, title = "3", "AZs unknown"
		default:
			azs := append([]string{}, ep.AZs...)
			sort.Strings(azs)
			k, title = "1"+strings.Join(azs, "\x00"), "in "+strings.Join(azs, ", ")
			if len(ep.MissingAZs) > 0 {
				title += "; not in " + strings.Join(ep.MissingAZs, ", ")
			}
		}
		g := groups[k]
		if g == nil {
			g = &group{title: title}
			groups[k] = g
			keys = append(keys, k)
		}
		g.eps = append(g.eps, ep)
	}
	sort.Strings(keys)
	vpc := d.Elements[0]
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	fmt.Fprintf(&b, "  %s[%s]\n", vpc.Key, mermaidLabel(mermaidMarked(r, vpc, d.Title())))
	used := map[string]bool{"ok": true}
	if vpc.Worst != "" {
		used[string(vpc.Worst)] = true
	}
	for gi, k := range keys {
		g := groups[k]
		gid := fmt.Sprintf("%s_g%d", vpc.Key, gi)
		fmt.Fprintf(&b, "  subgraph %s[%s]\n", gid, mermaidLabel(g.title))
		for i, ep := range g.eps {
			if i == mdMaxGroupEndpoint {
				fmt.Fprintf(&b, "    %s_more[%s]\n", gid, mermaidLabel(fmt.Sprintf("%d more", len(g.eps)-i)))
				break
			}
			e := d.element(kindEndpoint, ep.ID)
			fmt.Fprintf(&b, "    %s[%s]:::%s\n", e.Key, mermaidLabel(mermaidMarked(r, e, endpointCaption(ep))), e.severityClass())
			used[e.severityClass()] = true
		}
		b.WriteString("  end\n")
		fmt.Fprintf(&b, "  %s --- %s\n", vpc.Key, gid)
	}
	fmt.Fprintf(&b, "  class %s %s\n", vpc.Key, vpc.severityClass())
	for _, cls := range []string{"critical", "high", "medium", "low", "info", "ok"} {
		if used[cls] {
			c := dotColors[cls]
			fmt.Fprintf(&b, "  classDef %s fill:%s,stroke:%s\n", cls, c[0], c[1])
		}
	}
	return b.String()
}

// mermaidMarked adds an element's problems to its caption: its worst
// severity and its rules.
func mermaidMarked(r *Report, e *mapElement, caption string) string {
	if len(e.Findings) == 0 {
		return caption
	}
	var rules []string
	seen := map[string]bool{}
	for _, fi := range e.Findings {
		if id := r.Findings[fi].RuleID; !seen[id] {
			seen[id] = true
			rules = append(rules, id)
		}
	}
	return fmt.Sprintf("%s ⚠ %s: %s", caption, e.Worst, strings.Join(rules, ", "))
}

// mermaidLabel quotes a label for Mermaid. Only letters, digits, spaces
// and a few punctuation marks stand as themselves; every other character
// is a numeric entity (#35; for "#"), which Mermaid shows as the
// character: no quote ends the label, no bracket or arrow is syntax, no
// tag is HTML, no backtick closes the code fence, and controls from the
// input are first written visibly.
func mermaidLabel(s string) string {
	s = safetext.Line(s)
	const maxLen = 80
	if utf8.RuneCountInString(s) > maxLen {
		s = string([]rune(s)[:maxLen-1]) + "…"
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.ContainsRune(" .,:/+-_*=()", c):
			b.WriteRune(c)
		default:
			fmt.Fprintf(&b, "#%d;", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
