package main

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var update = flag.Bool("update", false, "rewrite the golden files (maps of examples/, the README screenshot)")

// examplesReports scans examples/ once per call and returns the reports
// that draw the VPC maps, by format.
func examplesReports(t *testing.T) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	out := map[string][]byte{}
	args := []string{"scan", "--quiet"}
	for _, f := range []string{"html", "markdown", "dot"} {
		args = append(args, "--output", f+"="+filepath.Join(dir, f))
	}
	code, _, stderr := vpclint(t, append(args, filepath.Join(repoRoot, "examples"))...)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"html", "markdown", "dot"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		out[f] = b
	}
	return out
}

// goldenFile compares got with testdata/maps/name (-update rewrites it).
func goldenFile(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", "maps", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/vpclint -run TestMapsOfExamples -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file (go test ./cmd/vpclint -run TestMapsOfExamples -update rewrites it):\n%s", name, got)
	}
}

var (
	svgElement   = regexp.MustCompile(`(?s)<svg .*?</svg>\n`)
	mermaidBlock = regexp.MustCompile("(?s)```mermaid\n.*?```\n")
)

// TestMapsOfExamples: the HTML report, its SVG diagrams, the Markdown's
// Mermaid and the DOT graph of examples/ match their golden files; the
// HTML parses, loads nothing from elsewhere and draws every VPC.
func TestMapsOfExamples(t *testing.T) {
	r := examplesReports(t)
	goldenFile(t, "examples.html", r["html"])
	goldenFile(t, "examples.dot", r["dot"])
	svgs := svgElement.FindAll(r["html"], -1)
	// examples/ has two VPCs: the Terraform one and the CloudFormation
	// service's, named by a parameter.
	if len(svgs) != 2 {
		t.Fatalf("%d SVG diagrams in the HTML report of examples/, want 2 (one per VPC)", len(svgs))
	}
	goldenFile(t, "examples.svg", bytes.Join(svgs, nil))
	mermaid := mermaidBlock.FindAll(r["markdown"], -1)
	if len(mermaid) != 1 {
		t.Fatalf("%d Mermaid diagrams in the Markdown report, want 1:\n%s", len(mermaid), r["markdown"])
	}
	goldenFile(t, "examples.mmd", mermaid[0])
	// README shows that diagram, indented in its list item.
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var indented strings.Builder
	for _, l := range strings.SplitAfter(string(mermaid[0]), "\n") {
		if l != "" {
			indented.WriteString("  " + l)
		}
	}
	if !strings.Contains(string(readme), indented.String()) {
		t.Errorf("README.md does not show the Mermaid diagram of examples/; put this in it:\n%s", indented.String())
	}

	// Each SVG is a document of its own: well-formed XML.
	for _, svg := range svgs {
		dec := xml.NewDecoder(bytes.NewReader(svg))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("SVG is not well-formed: %v", err)
			}
		}
	}
	checkSelfContained(t, r["html"])
	// Every endpoint of examples/ is drawn, coloured by its worst finding.
	for _, want := range []string{`class="el high chip"`, `class="el medium chip"`, `ENI ecr.api`, `s3 (gateway)`, `aws_security_group.endpoints`} {
		if !bytes.Contains(bytes.Join(svgs, nil), []byte(want)) {
			t.Errorf("the diagram has no %s", want)
		}
	}
}

// docLink is the only place the HTML report links to: vpclint's documentation.
const docLink = "https://github.com/vpclint/vpclint/blob/main/docs/"

// checkSelfContained parses an HTML report and fails on anything that
// would load from elsewhere: an external URL in src or href other than a
// documentation link, a stylesheet link, a script with src, a CSS url().
func checkSelfContained(t *testing.T, page []byte) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("HTML does not parse: %v", err)
	}
	var scripts, csp int
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch strings.ToLower(a.Key) {
				case "src", "href", "xlink:href", "action", "formaction", "poster", "srcset":
					if !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, docLink) {
						t.Errorf("<%s %s=%q>: a URL that is not a documentation link", n.Data, a.Key, a.Val)
					}
				case "style":
					if strings.Contains(a.Val, "url(") {
						t.Errorf("<%s style=%q> loads a URL", n.Data, a.Val)
					}
				case "content":
					if strings.Contains(a.Val, "default-src 'none'") {
						csp++
					}
				}
			}
			switch n.Data {
			case "script":
				scripts++
			case "link", "iframe", "object", "embed", "img", "base":
				t.Errorf("<%s> in a self-contained report", n.Data)
			case "style":
				if n.FirstChild != nil && strings.Contains(n.FirstChild.Data, "url(") {
					t.Errorf("a stylesheet loads a URL")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if scripts != 1 {
		t.Errorf("%d scripts, want the one inline script", scripts)
	}
	if csp != 1 {
		t.Error("no Content-Security-Policy forbidding loads")
	}
}
