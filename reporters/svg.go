package reporters

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// The SVG diagram of a VPC is a grid: one column per AZ holding its
// subnets, each subnet with the ACL in effect and a chip per interface
// endpoint network interface in it; below, the security groups on those
// interfaces (linked to them), then the route tables with their gateway
// endpoints. Text is monospace, so widths are computed from the number of
// characters; longer names are cut with an ellipsis, whole in the tooltip.
const (
	svgPad      = 16
	svgColW     = 250
	svgCharW    = 7 // 11px monospace, rounded up
	svgChipH    = 22
	svgChipGap  = 4
	svgLineH    = 16
	svgMinWidth = 520
)

// svgStyle colours elements by their worst finding; it is inside each SVG
// so that the file is whole on its own.
const svgStyle = `text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#1f2937}
.title{font-size:13px;font-weight:bold}.label-bg{fill:#f9fafb}.muted{fill:#6b7280}
.el{cursor:pointer}.el rect{stroke-width:1.5}.el:focus{outline:none}.el:focus rect,.el.selected rect{stroke-width:3}
.frame>rect{fill:#f9fafb}.subnet>rect{fill:#ffffff}
.ok rect{stroke:#059669}.ok.chip rect{fill:#ecfdf5}
.info rect{stroke:#2563eb}.info.chip rect,.info.subnet rect{fill:#eff6ff}
.low rect{stroke:#ca8a04}.low.chip rect,.low.subnet rect{fill:#fefce8}
.medium rect{stroke:#ea580c}.medium.chip rect,.medium.subnet rect{fill:#fff7ed}
.high rect{stroke:#dc2626}.high.chip rect,.high.subnet rect{fill:#fef2f2}
.critical rect{stroke:#7f1d1d;stroke-width:2.5}.critical.chip rect,.critical.subnet rect{fill:#fecaca}
.none rect{stroke:#9ca3af;stroke-dasharray:4 3;fill:#ffffff}.missing rect,.placeholder rect{stroke-dasharray:4 3}
.link{stroke:#94a3b8;stroke-width:1}`

// svgCanvas collects the shapes of a diagram: links are drawn first, so
// that elements lie on top of them.
type svgCanvas struct {
	links, shapes strings.Builder
}

// svgText escapes text from the input for SVG (XML): controls and
// bidirectional characters written visibly, markup characters as
// entities.
func svgText(s string) string { return html.EscapeString(safetext.Line(s)) }

// fit cuts s to at most n characters, ending with an ellipsis when cut.
func fit(s string, n int) string {
	s = safetext.Line(s)
	if n < 2 {
		n = 2
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// box draws an element: a rectangle with a line of text, in a group that
// names the element (data-el) for the page's script, with a tooltip.
func (c *svgCanvas) box(e *mapElement, extraClass string, x, y, w, h int, caption, tip string) {
	class := "el " + e.severityClass()
	if extraClass != "" {
		class += " " + extraClass
	}
	if e.Node.Placeholder {
		class += " placeholder" // known only by reference: dashed
	}
	fmt.Fprintf(&c.shapes, `<g class="%s" data-el="%s" tabindex="0" role="button">`, class, e.Key)
	fmt.Fprintf(&c.shapes, `<title>%s</title>`, svgText(tip+findingsNote(e)))
	fmt.Fprintf(&c.shapes, `<rect x="%d" y="%d" width="%d" height="%d" rx="4"/>`, x, y, w, h)
	if caption != "" {
		fmt.Fprintf(&c.shapes, `<text x="%d" y="%d">%s</text>`, x+8, y+15, svgText(fit(caption, (w-16)/svgCharW)))
	}
	c.shapes.WriteString("</g>\n")
}

// note draws a dashed box that is not a resource of the scan.
func (c *svgCanvas) note(x, y, w, h int, caption, tip string) {
	fmt.Fprintf(&c.shapes, `<g class="none"><title>%s</title><rect x="%d" y="%d" width="%d" height="%d" rx="4"/><text class="muted" x="%d" y="%d">%s</text></g>`+"\n",
		svgText(tip), x, y, w, h, x+8, y+15, svgText(fit(caption, (w-16)/svgCharW)))
}

func (c *svgCanvas) text(x, y int, class, s string, maxChars int) {
	if class == "title" {
		// Links pass under a heading, not through it.
		n := utf8.RuneCountInString(fit(s, maxChars))
		fmt.Fprintf(&c.shapes, `<rect class="label-bg" x="%d" y="%d" width="%d" height="18"/>`+"\n", x-2, y-13, n*(svgCharW+1)+4)
	}
	fmt.Fprintf(&c.shapes, `<text class="%s" x="%d" y="%d">%s</text>`+"\n", class, x, y, svgText(fit(s, maxChars)))
}

func (c *svgCanvas) link(x1, y1, x2, y2 int) {
	fmt.Fprintf(&c.links, `<line class="link" x1="%d" y1="%d" x2="%d" y2="%d"/>`+"\n", x1, y1, x2, y2)
}

// findingsNote ends a tooltip with the element's finding count.
func findingsNote(e *mapElement) string {
	if len(e.Findings) == 0 {
		return ": no finding"
	}
	return fmt.Sprintf(": %s, worst %s", count(len(e.Findings), "finding"), e.Worst)
}

// point is where a link ends.
type point struct{ x, y int }

// vpcSVG draws one VPC's diagram as a standalone SVG document.
func vpcSVG(d *vpcDiagram) string {
	m := d.Map
	c := &svgCanvas{}
	left := svgPad * 2
	y := svgPad + 24
	vpcEl := d.Elements[0]
	title := d.Title()
	if !m.InScan {
		title += " — not in the scan"
	}

	// AZ columns with their subnets.
	eniAt := map[string][]point{} // endpoint id -> its chips' right-hand middles
	bySubnet := map[string][]*model.MapEndpoint{}
	for i := range m.Endpoints {
		ep := &m.Endpoints[i]
		for _, s := range ep.Subnets {
			bySubnet[s] = append(bySubnet[s], ep)
		}
	}
	colTop := y + 20
	bottom := colTop
	for col, az := range m.AZs {
		x := left + col*(svgColW+svgPad)
		c.text(x, colTop+12, "title", azCaption(az), svgColW/svgCharW)
		sy := colTop + 24
		for si := range m.Subnets {
			s := &m.Subnets[si]
			if s.AZ != az {
				continue
			}
			eps := bySubnet[s.ID]
			h := 8 + svgLineH*2 + (svgChipH+svgChipGap)*(1+len(eps)) + 6
			se := d.element(kindSubnet, s.ID)
			tip := fmt.Sprintf("subnet %s, %s", se.Label(), azCaption(s.AZ))
			if s.CIDR != "" {
				tip += ", " + s.CIDR
			}
			c.box(se, "subnet", x, sy, svgColW, h, se.Label(), tip)
			cidr := s.CIDR
			if cidr == "" {
				cidr = "CIDR unknown"
			}
			c.text(x+8, sy+8+svgLineH*2-2, "muted", cidr, (svgColW-16)/svgCharW)
			cy := sy + 8 + svgLineH*2 + 4
			cw := svgColW - 16
			switch {
			case s.NACL != "":
				a := d.element(kindACL, s.NACL)
				c.box(a, "chip", x+8, cy, cw, svgChipH, "ACL "+a.Label(), "network ACL "+a.Label()+" on "+se.Label())
			case s.NACLKnown:
				c.note(x+8, cy, cw, svgChipH, "ACL: AWS default (allows all)", "the VPC's default network ACL is not in the scan; AWS's default allows all traffic")
			default:
				c.note(x+8, cy, cw, svgChipH, "ACL unknown", "which network ACL this subnet uses cannot be decided from the scan")
			}
			for _, ep := range eps {
				cy += svgChipH + svgChipGap
				e := d.element(kindEndpoint, ep.ID)
				caption := "ENI " + endpointCaption(ep)
				tip := fmt.Sprintf("network interface of endpoint %s (%s) in %s", e.Label(), ep.Service, se.Label())
				if !ep.SubnetsKnown {
					caption += " +?"
					tip += "; its subnet list may hold subnets the scan cannot see"
				}
				c.box(e, "chip", x+16, cy, cw-8, svgChipH, caption, tip)
				eniAt[ep.ID] = append(eniAt[ep.ID], point{x + 16 + (cw-8)/2, cy + svgChipH})
			}
			sy += h + 12
		}
		// An AZ of the VPC that an interface endpoint does not serve:
		// its clients there cross an AZ (or fail when it goes down).
		for i := range m.Endpoints {
			ep := &m.Endpoints[i]
			if az == "" || !slices.Contains(ep.MissingAZs, az) {
				continue
			}
			e := d.element(kindEndpoint, ep.ID)
			c.box(e, "chip missing", x, sy, svgColW, svgChipH, "no ENI of "+endpointCaption(ep),
				fmt.Sprintf("endpoint %s (%s) has no network interface in %s", e.Label(), ep.Service, az))
			sy += svgChipH + svgChipGap*2
		}
		bottom = max(bottom, sy)
	}
	width := max(svgMinWidth, left+len(m.AZs)*(svgColW+svgPad)+svgPad)
	if len(m.AZs) == 0 {
		c.text(left, colTop+12, "muted", "No subnet of this VPC is in the scan.", (width-left)/svgCharW)
		bottom = colTop + 24
	}
	y = bottom + 8

	// Interface endpoints the scan places in no subnet.
	var floating []*model.MapEndpoint
	for i := range m.Endpoints {
		ep := &m.Endpoints[i]
		if ep.Type != model.EndpointGateway && len(ep.Subnets) == 0 {
			floating = append(floating, ep)
		}
	}
	if len(floating) > 0 {
		c.text(left, y+12, "title", "Endpoints in no known subnet", (width-left)/svgCharW)
		y += 20
		x := left
		for _, ep := range floating {
			e := d.element(kindEndpoint, ep.ID)
			caption := endpointCaption(ep)
			w := chipWidth(caption)
			if x+w > width-svgPad && x > left {
				x, y = left, y+svgChipH+svgChipGap*2
			}
			tip := fmt.Sprintf("endpoint %s (%s): the scan sees none of its subnets", e.Label(), ep.Service)
			c.box(e, "chip", x, y, w, svgChipH, caption, tip)
			eniAt[ep.ID] = append(eniAt[ep.ID], point{x + w/2, y + svgChipH})
			x += w + svgChipGap*2
		}
		y += svgChipH + svgPad
	}

	// Security groups on the network interfaces, linked to them.
	if len(m.SecurityGroups) > 0 {
		c.text(left, y+12, "title", "Security groups on the endpoints' network interfaces", (width-left)/svgCharW)
		y += 40 // room for the links to arrive
		x := left
		groupAt := map[string]point{}
		for _, g := range m.SecurityGroups {
			e := d.element(kindGroup, g.ID)
			w := chipWidth(e.Label())
			if x+w > width-svgPad && x > left {
				x, y = left, y+svgChipH+svgChipGap*2
			}
			tip := "security group " + e.Label()
			if g.Placeholder {
				tip += " (not in the scan)"
			}
			c.box(e, "chip", x, y, w, svgChipH, e.Label(), tip)
			groupAt[g.ID] = point{x + w/2, y}
			x += w + svgChipGap*2
		}
		for _, ep := range m.Endpoints {
			for _, g := range ep.SecurityGroups {
				to, ok := groupAt[g]
				if !ok {
					continue
				}
				for _, from := range eniAt[ep.ID] {
					c.link(from.x, from.y, to.x, to.y)
				}
			}
		}
		y += svgChipH + svgPad
	}

	// Route tables with their gateway endpoints.
	if len(m.RouteTables) > 0 || hasGateway(m) {
		c.text(left, y+12, "title", "Gateway endpoints on route tables", (width-left)/svgCharW)
		y += 20
		x := left
		rowH := 0
		place := func(h int) {
			if x+svgColW > width-svgPad && x > left {
				x, y = left, y+rowH+svgPad
				rowH = 0
			}
			rowH = max(rowH, h)
		}
		for _, t := range m.RouteTables {
			var eps []*model.MapEndpoint
			for i := range m.Endpoints {
				if ep := &m.Endpoints[i]; ep.Type == model.EndpointGateway && slices.Contains(ep.RouteTables, t.ID) {
					eps = append(eps, ep)
				}
			}
			h := 8 + svgLineH + (svgChipH+svgChipGap)*len(eps) + 6
			place(h)
			e := d.element(kindRouteTable, t.ID)
			tip := "route table " + e.Label()
			if len(t.Subnets) > 0 {
				tip += ", associated with " + strings.Join(t.Subnets, ", ")
			}
			c.box(e, "subnet", x, y, svgColW, h, e.Label(), tip)
			cy := y + 8 + svgLineH - 2
			for _, ep := range eps {
				ee := d.element(kindEndpoint, ep.ID)
				caption := endpointCaption(ep)
				tip := fmt.Sprintf("gateway endpoint %s (%s) on %s", ee.Label(), ep.Service, e.Label())
				if !ep.SubnetsKnown {
					caption += " +?"
					tip += "; its route table list may hold tables the scan cannot see"
				}
				c.box(ee, "chip", x+8, cy, svgColW-16, svgChipH, caption, tip)
				cy += svgChipH + svgChipGap
			}
			x += svgColW + svgPad
		}
		for i := range m.Endpoints {
			ep := &m.Endpoints[i]
			if ep.Type != model.EndpointGateway || len(ep.RouteTables) > 0 {
				continue
			}
			place(svgChipH)
			e := d.element(kindEndpoint, ep.ID)
			c.box(e, "chip", x, y, svgColW, svgChipH, endpointCaption(ep)+": no known route table",
				fmt.Sprintf("gateway endpoint %s (%s): the scan sees none of its route tables", e.Label(), ep.Service))
			x += svgColW + svgPad
		}
		y += rowH + svgPad
	}

	height := y + svgPad
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="vpc-map" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`+"\n",
		width, height, width, height, svgText("Diagram of "+title))
	fmt.Fprintf(&b, "<style>%s</style>\n", svgStyle)
	// The VPC frame, its title on it.
	frameClass := vpcEl.severityClass()
	if vpcEl.Node.Placeholder {
		frameClass += " placeholder"
	}
	fmt.Fprintf(&b, `<g class="el frame %s" data-el="%s" tabindex="0" role="button"><title>%s</title><rect x="%d" y="%d" width="%d" height="%d" rx="8"/></g>`+"\n",
		frameClass, vpcEl.Key, svgText(title+findingsNote(vpcEl)), svgPad/2, svgPad/2, width-svgPad, height-svgPad)
	fmt.Fprintf(&b, `<text class="title" x="%d" y="%d">%s</text>`+"\n", left, svgPad+14, svgText(fit(title, (width-left-svgPad)/svgCharW)))
	b.WriteString(c.links.String())
	b.WriteString(c.shapes.String())
	b.WriteString("</svg>\n")
	return b.String()
}

// chipWidth is the width of a chip showing s, within a column's width.
func chipWidth(s string) int {
	return min(svgColW, 16+svgCharW*utf8.RuneCountInString(safetext.Line(s)))
}

func hasGateway(m *model.VPCMap) bool {
	for _, ep := range m.Endpoints {
		if ep.Type == model.EndpointGateway {
			return true
		}
	}
	return false
}
