package reporters

import (
	"fmt"
	"strings"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// The elements of a VPC map, as the diagrams (HTML's SVG, Markdown's
// Mermaid, DOT) draw them, each with the findings on its resource.
const (
	kindVPC        = "VPC"
	kindSubnet     = "subnet"
	kindACL        = "network ACL"
	kindGroup      = "security group"
	kindEndpoint   = "endpoint"
	kindRouteTable = "route table"
)

// mapElement is one drawn element: a resource of the map and the active
// findings on it.
type mapElement struct {
	// Key is unique in the report and made by vpclint ("e12"), never from
	// input: it is safe as an SVG id, a Mermaid or DOT node id.
	Key      string
	Kind     string
	Node     model.MapNode
	Findings []int // indexes in Report.Findings
	Worst    model.Severity
}

// Label is how the element is named for people.
func (e *mapElement) Label() string {
	if e.Node.Address != "" {
		return e.Node.Address
	}
	return e.Node.ID
}

// severityClass names the colour of an element: its worst finding's
// severity, "ok" without finding.
func (e *mapElement) severityClass() string {
	if e.Worst == "" {
		return "ok"
	}
	return string(e.Worst)
}

// vpcDiagram is a VPC map with its elements, for one report.
type vpcDiagram struct {
	Map      *model.VPCMap
	Elements []*mapElement
	byID     map[string]*mapElement // kind + "\x00" + model id
}

// element returns the element of a kind with a model id, nil if none.
func (d *vpcDiagram) element(kind, id string) *mapElement {
	return d.byID[kind+"\x00"+id]
}

// Title names the VPC for a heading.
func (d *vpcDiagram) Title() string {
	t := "VPC " + d.Elements[0].Label()
	if len(d.Map.CIDRs) > 0 {
		t += " (" + strings.Join(d.Map.CIDRs, ", ") + ")"
	}
	return t
}

// findingsByResource finds the active findings of a resource: by its unit's
// root and address (or id when it has no address), as findings name it.
type findingsByResource map[string][]int

func newFindingsByResource(fs []model.Finding) findingsByResource {
	x := findingsByResource{}
	for i := range fs {
		f := &fs[i]
		if f.Suppression != nil {
			continue
		}
		if f.Resource.Address != "" {
			k := f.Resource.Root + "\x00a\x00" + f.Resource.Address
			x[k] = append(x[k], i)
		} else if f.Resource.ID != "" {
			k := f.Resource.Root + "\x00i\x00" + f.Resource.ID
			x[k] = append(x[k], i)
		}
	}
	return x
}

func (x findingsByResource) of(root string, n model.MapNode) []int {
	if fs := x[root+"\x00a\x00"+n.Address]; len(fs) > 0 {
		return fs
	}
	return x[root+"\x00i\x00"+n.ID]
}

// diagrams builds the diagram of every VPC map of a report; keys count on
// from the previous diagram's, so they are unique in the report.
func diagrams(r *Report) []*vpcDiagram {
	x := newFindingsByResource(r.Findings)
	var out []*vpcDiagram
	n := 0
	for i := range r.Topology {
		m := &r.Topology[i]
		d := &vpcDiagram{Map: m, byID: map[string]*mapElement{}}
		add := func(kind string, node model.MapNode) {
			k := kind + "\x00" + node.ID
			if d.byID[k] != nil {
				return
			}
			e := &mapElement{Key: fmt.Sprintf("e%d", n), Kind: kind, Node: node, Findings: x.of(m.Root, node)}
			n++
			for _, fi := range e.Findings {
				if s := r.Findings[fi].Severity; s.Rank() > e.Worst.Rank() {
					e.Worst = s
				}
			}
			d.Elements = append(d.Elements, e)
			d.byID[k] = e
		}
		add(kindVPC, m.MapNode)
		for _, s := range m.Subnets {
			add(kindSubnet, s.MapNode)
		}
		for _, a := range m.NACLs {
			add(kindACL, a)
		}
		for _, g := range m.SecurityGroups {
			add(kindGroup, g)
		}
		for _, ep := range m.Endpoints {
			add(kindEndpoint, ep.MapNode)
		}
		for _, t := range m.RouteTables {
			add(kindRouteTable, t.MapNode)
		}
		out = append(out, d)
	}
	return out
}

// endpointCaption is an endpoint's short name in a diagram: its service,
// and its type when that is not an interface endpoint.
func endpointCaption(ep *model.MapEndpoint) string {
	s := ep.Service
	if ep.Type != "" && ep.Type != model.EndpointInterface {
		s += " (" + strings.ToLower(safetext.Line(ep.Type)) + ")" // ToLower would turn invalid UTF-8 into U+FFFD
	}
	return s
}

// azCaption names an AZ column.
func azCaption(az string) string {
	if az == "" {
		return "AZ unknown"
	}
	return az
}
