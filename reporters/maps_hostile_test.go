package reporters

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// hostileMapReport has hostile text in every name a VPC map shows: the
// unit's root, VPC, subnet, AZ, CIDR, ACL, group, endpoint, service and
// route table, and a critical finding on the endpoint.
func hostileMapReport(text string) *Report {
	root := "stacks/" + text
	subnet := model.MapSubnet{MapNode: model.MapNode{ID: "sn-" + text, Address: "Subnet" + text}, AZ: "az" + text, CIDR: text,
		NACL: "acl-" + text, NACLKnown: true}
	ep := model.MapEndpoint{MapNode: model.MapNode{ID: "ep-" + text, Address: "Endpoint" + text}, Type: model.EndpointInterface,
		Service: "svc" + text, Subnets: []string{subnet.ID}, SecurityGroups: []string{"sg-" + text}, AZs: []string{subnet.AZ},
		MissingAZs: []string{"other" + text}, AZsKnown: true, SubnetsKnown: true}
	gw := model.MapEndpoint{MapNode: model.MapNode{ID: "gw-" + text, Address: "Gateway" + text}, Type: model.EndpointGateway,
		Service: "s3" + text, RouteTables: []string{"rt-" + text}, SubnetsKnown: true}
	m := model.VPCMap{Root: root, MapNode: model.MapNode{ID: "vpc-" + text, Address: "VPC" + text}, InScan: true, CIDRs: []string{text},
		AZs: []string{subnet.AZ}, Subnets: []model.MapSubnet{subnet}, Endpoints: []model.MapEndpoint{ep, gw},
		SecurityGroups: []model.MapNode{{ID: "sg-" + text, Address: "Group" + text}},
		NACLs:          []model.MapNode{{ID: "acl-" + text, Address: "Acl" + text}},
		RouteTables:    []model.MapRouteTable{{MapNode: model.MapNode{ID: "rt-" + text, Address: "Table" + text}}}}
	r := hostileReport(text)
	r.Findings[0].Resource = model.FindingResource{Address: ep.Address, ID: ep.ID, Root: root}
	r.Topology = []model.VPCMap{m}
	return r
}

// mapHostile adds to hostile what the diagram languages would read: a
// quote ending a DOT or Mermaid string and an edge after it, DOT's \N and
// \G escapes, Mermaid's keyword and arrow.
var mapHostile = append(append([]string{}, hostile...), `a" -> "b`, `x"]; e0 --> e1["y`, `back\slash \N \G`, "end", "-->")

// mapElements is the number of elements of hostileMapReport's map.
const mapElements = 7

// TestHostileMapHTML: no name from the input adds an element, an
// attribute, a script or a URL to the HTML report or its SVG; each shows
// as the text it is.
func TestHostileMapHTML(t *testing.T) {
	for _, h := range mapHostile {
		var buf bytes.Buffer
		if err := Write(&buf, "html", hostileMapReport(h)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !isClean(strings.ReplaceAll(out, "\t", "")) {
			t.Errorf("%q: raw control or bidi characters in the HTML report", h)
		}
		doc, err := html.Parse(strings.NewReader(out))
		if err != nil {
			t.Fatalf("%q: %v", h, err)
		}
		var scripts, elements int
		var texts strings.Builder
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			switch n.Type {
			case html.ElementNode:
				switch n.Data {
				case "script":
					scripts++
				case "img", "b", "a":
					if n.Data != "a" || !strings.HasPrefix(attr(n, "href"), docLink) {
						t.Errorf("%q: a <%s> element from the input", h, n.Data)
					}
				}
				for _, a := range n.Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") {
						t.Errorf("%q: an event handler attribute %s=%q", h, a.Key, a.Val)
					}
					if a.Key == "data-el" {
						elements++
					}
				}
			case html.TextNode:
				texts.WriteString(n.Data)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		if scripts != 1 {
			t.Errorf("%q: %d scripts, want 1", h, scripts)
		}
		// Each element is drawn once (the endpoint once per subnet).
		if elements != mapElements {
			t.Errorf("%q: %d drawn elements, want %d", h, elements, mapElements)
		}
		shown := safetext.Line(h)
		for _, name := range []string{"Subnet", "Acl ", "Group", "svc", "Table", "s3"} {
			want := name + shown
			if name == "Acl " {
				want = "ACL Acl" + shown
			}
			if !strings.Contains(texts.String(), fit(want, 200)) && !strings.Contains(texts.String(), fit(want, (svgColW-16)/svgCharW)) &&
				!strings.Contains(texts.String(), fit(want, (svgColW-24)/svgCharW)) {
				t.Errorf("%q: %q is not shown as text", h, want)
			}
		}
		svg := svgElement.FindString(out)
		dec := xml.NewDecoder(strings.NewReader(svg))
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%q: the SVG is not well-formed XML: %v\n%s", h, err, svg)
			}
			if se, ok := tok.(xml.StartElement); ok && (se.Name.Local == "img" || se.Name.Local == "b" || se.Name.Local == "script") {
				t.Errorf("%q: <%s> in the SVG", h, se.Name.Local)
			}
		}
		// The finding on the endpoint colours it.
		if !strings.Contains(svg, `class="el critical chip"`) {
			t.Errorf("%q: the endpoint is not coloured by its critical finding", h)
		}
	}
}

var svgElement = regexp.MustCompile(`(?s)<svg .*?</svg>`)

const docLink = "https://github.com/vpclint/vpclint/blob/main/docs/"

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// mermaidLine is every line the Mermaid diagram may have: ids are
// vpclint's, labels quoted with only safe characters and entities.
var mermaidLine = regexp.MustCompile(`^(flowchart LR|  e\d+\["[A-Za-z0-9 .,:/+\-_*=()#;]*"\]|  subgraph e\d+_g\d+\["[A-Za-z0-9 .,:/+\-_*=()#;]*"\]|` +
	`    e\d+\["[A-Za-z0-9 .,:/+\-_*=()#;]*"\]:::[a-z]+|  end|  e\d+ --- e\d+_g\d+|  class e\d+ [a-z]+|  classDef [a-z]+ fill:#[0-9a-f]{6},stroke:#[0-9a-f]{6})$`)

// TestHostileMermaid: names from the input cannot end a label, add a node
// or an edge, close the code fence, or reach the Markdown around it.
func TestHostileMermaid(t *testing.T) {
	for _, h := range mapHostile {
		var buf bytes.Buffer
		if err := Write(&buf, "markdown", hostileMapReport(h)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !isClean(out) {
			t.Errorf("%q: raw control or bidi characters:\n%q", h, out)
		}
		start := strings.Index(out, "```mermaid\n")
		if start < 0 {
			t.Fatalf("%q: no Mermaid diagram:\n%s", h, out)
		}
		body := out[start+len("```mermaid\n"):]
		end := strings.Index(body, "```")
		body = body[:end]
		nodes := 0
		for _, l := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
			if !mermaidLine.MatchString(l) {
				t.Errorf("%q: unexpected Mermaid line %q", h, l)
			}
			if strings.Contains(l, "[\"") && !strings.Contains(l, "subgraph") {
				nodes++
			}
		}
		// The VPC and its two endpoints.
		if nodes != 3 {
			t.Errorf("%q: %d nodes, want 3:\n%s", h, nodes, body)
		}
		if !strings.Contains(body, ":::critical") {
			t.Errorf("%q: the endpoint's critical finding is not marked:\n%s", h, body)
		}
	}
}

// mermaidLabel decodes back to the text it was given (made one line).
func TestMermaidLabelRoundTrip(t *testing.T) {
	entity := regexp.MustCompile(`#(\d+);`)
	for _, h := range append(hostile, "plain name", "a#b;c", `"quoted"`, "end", "<br>") {
		got := mermaidLabel(h)
		decoded := entity.ReplaceAllStringFunc(strings.Trim(got, `"`), func(m string) string {
			var r rune
			for _, c := range m[1 : len(m)-1] {
				r = r*10 + c - '0'
			}
			return string(r)
		})
		if want := safetext.Line(h); decoded != want {
			t.Errorf("mermaidLabel(%q) = %s decodes to %q, want %q", h, got, decoded, want)
		}
	}
}

// dotToken is one token of the DOT vpclint writes: an id, a quoted string
// (with \" and \\ escapes), an edge operator or punctuation.
var dotToken = regexp.MustCompile(`^(?:\s+|[A-Za-z0-9_]+|"(?:[^"\\]|\\.)*"|->|[{}\[\];=,])`)

// TestHostileDOT: every name from the input stays inside its quoted
// string; the graph tokenizes, and each label decodes to its text.
func TestHostileDOT(t *testing.T) {
	for _, h := range mapHostile {
		var buf bytes.Buffer
		if err := Write(&buf, "dot", hostileMapReport(h)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !isClean(out) {
			t.Errorf("%q: raw control or bidi characters:\n%q", h, out)
		}
		var strs []string
		for rest := out; rest != ""; {
			m := dotToken.FindString(rest)
			if m == "" {
				t.Fatalf("%q: DOT does not tokenize at %q", h, rest[:min(len(rest), 40)])
			}
			if strings.HasPrefix(m, `"`) {
				strs = append(strs, dotUnquote(m))
			}
			rest = rest[len(m):]
		}
		for _, want := range []string{"Subnet", "ACL Acl", "SG Group", "route table Table", "svc", "Endpoint"} {
			found := false
			for _, s := range strs {
				for _, line := range strings.Split(s, "\n") {
					if line == want+safetext.Line(h) {
						found = true
					}
				}
			}
			if !found {
				t.Errorf("%q: no label line %q", h, want+safetext.Line(h))
			}
		}
		// One node per element but the VPC, which is a cluster.
		if got := len(dotNodeLine.FindAllString(out, -1)); got != mapElements-1 {
			t.Errorf("%q: %d nodes, want %d:\n%s", h, got, mapElements-1, out)
		}
	}
}

var dotNodeLine = regexp.MustCompile(`(?m)^\s+e\d+ \[label=`)

// dotUnquote decodes a DOT quoted string as Graphviz reads a label:
// \" is a quote, \\ a backslash, \n a line break.
func dotUnquote(q string) string {
	var b strings.Builder
	s := q[1 : len(q)-1]
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
