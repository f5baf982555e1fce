package model

import (
	"fmt"
	"sort"
	"strings"
)

// RuleInfo describes one rule of the catalogue, as read from its METADATA
// block. Reporters and documentation use it; the ids are a public contract.
type RuleInfo struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Severity    Severity `json:"severity"`
	Remediation string   `json:"remediation"`
	// References are links to AWS documentation and other sources.
	References []string `json:"references,omitempty"`
	// Frameworks maps a compliance framework (securityhub, cis_aws ...)
	// to the control ids the rule helps with.
	Frameworks map[string][]string `json:"frameworks,omitempty"`
	Tags       []string            `json:"tags,omitempty"`
	// Area is the id's prefix: SG, NACL, EP, AZ, DNS, SVC, GW, GOV.
	Area string `json:"area"`
	// Package is the Rego package that implements the rule.
	Package string `json:"package"`
	// Examples are fixed snippets keyed by front end ("terraform",
	// "cloudformation").
	Examples map[string]string `json:"examples,omitempty"`
	// Peers maps another tool (checkov, trivy, tfsec) to the ids of its
	// checks that this rule corresponds to (METADATA custom.peers): their
	// inline ignore comments are honoured for this rule, and SARIF and the
	// docs name them.
	Peers map[string][]string `json:"peers,omitempty"`
	// Custom is true for a user rule loaded with --rules.
	Custom bool `json:"custom,omitempty"`
	// Subjects are the model collections (their JSON names: vpc_endpoints,
	// security_groups ...) that hold the resources the rule's findings
	// are about (METADATA custom.subjects): the rule is not evaluated on
	// a unit where all of them are empty. None: it runs on every unit.
	Subjects []string `json:"subjects,omitempty"`
	// OptIn is true for a rule that is off by default (METADATA
	// custom.default: false, or the tag hygiene): it runs only when
	// enabled by id, area or tag.
	OptIn bool `json:"opt_in,omitempty"`
}

// Selector specificities (MatchRule): a rule id is more specific than an
// area, an area than a tag.
const (
	SelectorNone = iota
	SelectorTag
	SelectorArea
	SelectorID
)

// MatchRule tells how a selector names a rule: by its id (SG009), its
// area (SG), or one of its tags (hygiene), case-insensitively; the most
// specific way wins, SelectorNone when it does not name it. An area is
// letters only and names the ids that are the area followed by digits
// (SG names SG001, not SGX001).
func MatchRule(sel string, r RuleInfo) int {
	switch {
	case strings.EqualFold(sel, r.ID):
		return SelectorID
	case isArea(sel, r.ID):
		return SelectorArea
	}
	for _, t := range r.Tags {
		if strings.EqualFold(sel, t) {
			return SelectorTag
		}
	}
	return SelectorNone
}

func isArea(sel, id string) bool {
	if sel == "" || strings.IndexFunc(sel, func(r rune) bool { return r >= '0' && r <= '9' }) >= 0 {
		return false
	}
	if len(id) <= len(sel) || !strings.EqualFold(id[:len(sel)], sel) {
		return false
	}
	return strings.Trim(id[len(sel):], "0123456789") == ""
}

// AreaOf returns the area prefix of a rule id: the leading letters
// ("NACL" for "NACL003").
func AreaOf(id string) string {
	i := 0
	for i < len(id) && (id[i] >= 'A' && id[i] <= 'Z' || id[i] >= 'a' && id[i] <= 'z') {
		i++
	}
	return strings.ToUpper(id[:i])
}

// exampleLanguages gives the code-fence language of an example key.
var exampleLanguages = map[string]string{
	"terraform":      "hcl",
	"cloudformation": "yaml",
	"aws":            "sh",
	"cli":            "sh",
}

// exampleTitles gives a heading for an example key.
var exampleTitles = map[string]string{
	"terraform":      "Terraform",
	"cloudformation": "CloudFormation",
	"aws":            "AWS CLI",
	"cli":            "AWS CLI",
}

// HelpMarkdown renders the rule's documentation: what it checks, why it
// matters, how to fix it (with examples), references and frameworks. It
// is the body of docs/rules/<ID>.md, `vpclint explain` and SARIF
// help.markdown.
func (r RuleInfo) HelpMarkdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: %s\n\n", r.ID, r.Title)
	fmt.Fprintf(&b, "Severity: **%s**", r.Severity)
	if r.Area != "" {
		fmt.Fprintf(&b, " · Area: %s", r.Area)
	}
	if r.Custom {
		b.WriteString(" · custom rule")
	}
	if r.OptIn {
		fmt.Fprintf(&b, " · **off by default**: run it with `--enable %s` or `rules: enable: [%s]` in `.vpclint.yaml`", r.ID, r.ID)
	}
	b.WriteString("\n\n## What and why\n\n")
	b.WriteString(strings.TrimSpace(r.Description))
	b.WriteString("\n\n## How to fix\n\n")
	b.WriteString(strings.TrimSpace(r.Remediation))
	b.WriteString("\n")
	for _, k := range exampleOrder(r.Examples) {
		title := exampleTitles[k]
		if title == "" {
			title = k
		}
		fmt.Fprintf(&b, "\n### %s\n\n```%s\n%s\n```\n", title, exampleLanguages[k], strings.TrimRight(r.Examples[k], "\n"))
	}
	if len(r.References) > 0 {
		b.WriteString("\n## References\n\n")
		for _, ref := range r.References {
			fmt.Fprintf(&b, "- %s\n", ref)
		}
	}
	if len(r.Frameworks) > 0 {
		b.WriteString("\n## Frameworks\n\n")
		for _, k := range sortedKeys(r.Frameworks) {
			fmt.Fprintf(&b, "- %s: %s\n", frameworkName(k), strings.Join(r.Frameworks[k], ", "))
		}
	}
	if len(r.Peers) > 0 {
		b.WriteString("\n## The same check in other tools\n\n")
		b.WriteString("Their inline ignore comments apply to this rule (see docs/migrating.md):\n\n")
		for _, k := range sortedKeys(r.Peers) {
			ids := make([]string, len(r.Peers[k]))
			for i, id := range r.Peers[k] {
				ids[i] = "`" + id + "`"
			}
			fmt.Fprintf(&b, "- %s: %s\n", peerName(k), strings.Join(ids, ", "))
		}
	}
	return b.String()
}

// peerName is how a peer tool is written in the docs, with the form of
// its ignore comment.
func peerName(k string) string {
	switch k {
	case "checkov":
		return "Checkov (`#checkov:skip=ID:reason`)"
	case "trivy":
		return "Trivy (`#trivy:ignore:ID`)"
	case "tfsec":
		return "tfsec (`#tfsec:ignore:ID`)"
	}
	return k
}

// HelpText is HelpMarkdown's plain-text short form: description and fix.
func (r RuleInfo) HelpText() string {
	s := strings.TrimSpace(r.Description) + "\n\nHow to fix: " + strings.TrimSpace(r.Remediation)
	if len(r.References) > 0 {
		s += "\n\nReferences: " + strings.Join(r.References, " ")
	}
	return s
}

// exampleOrder lists example keys: Terraform, CloudFormation, then the
// others alphabetically.
func exampleOrder(ex map[string]string) []string {
	var out []string
	for _, k := range []string{"terraform", "cloudformation"} {
		if _, ok := ex[k]; ok {
			out = append(out, k)
		}
	}
	for _, k := range sortedKeys(ex) {
		if k != "terraform" && k != "cloudformation" {
			out = append(out, k)
		}
	}
	return out
}

func frameworkName(k string) string {
	switch k {
	case "securityhub":
		return "AWS Security Hub"
	case "cis_aws":
		return "CIS AWS Foundations Benchmark"
	case "nist_800_53":
		return "NIST SP 800-53"
	case "pci_dss":
		return "PCI DSS"
	}
	return k
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
