package reporters

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vpclint/vpclint/internal/safetext"
)

// writeDOT writes the VPC maps as one Graphviz graph, for people who render
// it themselves (dot -Tsvg): a cluster per VPC, in it a cluster per AZ
// with its subnets; edges from each endpoint to the subnets holding its
// network interfaces (or the route tables it sits on) and to its security
// groups, and from each subnet to its network ACL. Nodes are filled by
// their worst finding; their tooltip names the rules.
func writeDOT(w io.Writer, r *Report) error {
	var b strings.Builder
	b.WriteString("digraph vpclint {\n")
	b.WriteString("  graph [rankdir=LR, fontname=\"Helvetica\", compound=true];\n")
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("  edge [color=\"#94a3b8\"];\n")
	for _, d := range diagrams(r) {
		m := d.Map
		vpc := d.Elements[0]
		fmt.Fprintf(&b, "  subgraph cluster_%s {\n", vpc.Key)
		fmt.Fprintf(&b, "    label=%s; tooltip=%s; style=\"rounded\"; color=%s;\n", dotQuote(d.Title()+" in "+m.Root), dotQuote(dotTip(r, vpc)), dotQuote(dotColors[vpc.severityClass()][1]))
		for i, az := range m.AZs {
			fmt.Fprintf(&b, "    subgraph cluster_%s_az%d {\n", vpc.Key, i)
			fmt.Fprintf(&b, "      label=%s; style=\"dashed\"; color=\"#9ca3af\";\n", dotQuote(azCaption(az)))
			for _, s := range m.Subnets {
				if s.AZ == az {
					e := d.element(kindSubnet, s.ID)
					label := []string{e.Label()}
					if s.CIDR != "" {
						label = append(label, s.CIDR)
					}
					dotNode(&b, "      ", r, e, label...)
				}
			}
			b.WriteString("    }\n")
		}
		for _, a := range m.NACLs {
			e := d.element(kindACL, a.ID)
			dotNode(&b, "    ", r, e, "ACL "+e.Label())
		}
		for _, g := range m.SecurityGroups {
			e := d.element(kindGroup, g.ID)
			dotNode(&b, "    ", r, e, "SG "+e.Label())
		}
		for _, t := range m.RouteTables {
			e := d.element(kindRouteTable, t.ID)
			dotNode(&b, "    ", r, e, "route table "+e.Label())
		}
		for i := range m.Endpoints {
			ep := &m.Endpoints[i]
			e := d.element(kindEndpoint, ep.ID)
			dotNode(&b, "    ", r, e, endpointCaption(ep), e.Label())
		}
		b.WriteString("  }\n")
		for _, s := range m.Subnets {
			if s.NACL != "" {
				fmt.Fprintf(&b, "  %s -> %s [label=\"ACL\", style=dotted];\n", d.element(kindSubnet, s.ID).Key, d.element(kindACL, s.NACL).Key)
			}
		}
		for i := range m.Endpoints {
			ep := &m.Endpoints[i]
			e := d.element(kindEndpoint, ep.ID)
			style := ""
			if !ep.SubnetsKnown {
				style = ", style=dashed" // the list may hold more
			}
			for _, s := range ep.Subnets {
				fmt.Fprintf(&b, "  %s -> %s [label=\"ENI\"%s];\n", e.Key, d.element(kindSubnet, s).Key, style)
			}
			for _, t := range ep.RouteTables {
				fmt.Fprintf(&b, "  %s -> %s [label=\"route\"%s];\n", e.Key, d.element(kindRouteTable, t).Key, style)
			}
			for _, g := range ep.SecurityGroups {
				fmt.Fprintf(&b, "  %s -> %s [label=\"SG\"];\n", e.Key, d.element(kindGroup, g).Key)
			}
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dotColors are the fill and line colours of each severity class.
var dotColors = map[string][2]string{
	"ok":       {"#ecfdf5", "#059669"},
	"info":     {"#eff6ff", "#2563eb"},
	"low":      {"#fefce8", "#ca8a04"},
	"medium":   {"#fff7ed", "#ea580c"},
	"high":     {"#fef2f2", "#dc2626"},
	"critical": {"#fecaca", "#7f1d1d"},
}

func dotNode(b *strings.Builder, indent string, r *Report, e *mapElement, label ...string) {
	c := dotColors[e.severityClass()]
	extra := ""
	if e.Node.Placeholder {
		extra = ", style=\"rounded,filled,dashed\""
	}
	fmt.Fprintf(b, "%s%s [label=%s, tooltip=%s, fillcolor=%s, color=%s%s];\n", indent, e.Key,
		dotQuote(label...), dotQuote(dotTip(r, e)), dotQuote(c[0]), dotQuote(c[1]), extra)
}

// dotTip names an element's kind and its findings' rules.
func dotTip(r *Report, e *mapElement) string {
	tip := e.Kind + " " + e.Label()
	if len(e.Findings) == 0 {
		return tip + ": no finding"
	}
	var rules []string
	for _, fi := range e.Findings {
		f := &r.Findings[fi]
		rules = append(rules, f.RuleID+" ("+string(f.Severity)+")")
	}
	return tip + ": " + strings.Join(rules, ", ")
}

// dotQuote writes lines as a DOT quoted string. Each line is made one
// line first (controls from the input written visibly), then every
// backslash is doubled, so that none starts an escape (\N, \G, \l ...),
// and quotes are escaped; lines are joined with \n.
func dotQuote(lines ...string) string {
	lines = slices.Clone(lines)
	for i, l := range lines {
		l = safetext.Line(l)
		l = strings.ReplaceAll(l, `\`, `\\`)
		lines[i] = strings.ReplaceAll(l, `"`, `\"`)
	}
	return `"` + strings.Join(lines, `\n`) + `"`
}
