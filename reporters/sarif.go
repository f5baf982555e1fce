package reporters

import (
	"fmt"
	"io"
	"net/url"
	"path"
	"sort"
	"strings"
	"unicode"

	"github.com/vpclint/vpclint/model"
)

// SARIF output made for GitHub code scanning (notes/integration.md §1):
// every rule of the catalogue in tool.driver.rules with help and
// security-severity; every result with exactly one physical location whose
// uri is relative to the repository root; our own fingerprints; one run
// per category (code, and each live AWS account) so uploads never collide.

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// GitHub limits (integration.md §1.4).
	maxRuns        = 20
	maxResults     = 25000
	maxTags        = 10 // GitHub keeps 10 of at most 20
	maxDescription = 1024
	// CodeCategory is the automation id of the code-scanning run.
	CodeCategory = "vpclint/iac/"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	AutomationDetails *sarifAutomation  `json:"automationDetails,omitempty"`
	Invocations       []sarifInvocation `json:"invocations,omitempty"`
	Results           []sarifResult     `json:"results"`
	Properties        map[string]any    `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name,omitempty"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	HelpURI              string          `json:"helpUri,omitempty"`
	Help                 sarifHelp       `json:"help"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifRuleProps  `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
	Precision        string   `json:"precision"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          map[string]any     `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical        `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocator `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifLogicalLocator struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status,omitempty"`
	Justification string `json:"justification,omitempty"`
}

// sarifLevel maps a severity to a SARIF level: error for critical and
// high, warning for medium, note for low and info.
func sarifLevel(s model.Severity) string {
	switch s {
	case model.SeverityCritical, model.SeverityHigh:
		return "error"
	case model.SeverityMedium:
		return "warning"
	}
	return "note"
}

// URIReference turns a finding's file (relative to the repository root)
// into a SARIF uri-reference: forward slashes, each segment
// percent-encoded. It is always relative, never a file:// URI: paths are
// made relative before they reach a report (package pathshow), and an
// absolute one that slipped through loses its root and volume rather than
// name a directory of the machine.
func URIReference(file string) string {
	p := strings.ReplaceAll(file, "\\", "/")
	if len(p) > 2 && p[1] == ':' && p[2] == '/' && (p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z') { // C:/...
		p = p[2:]
	}
	p = strings.TrimLeft(path.Clean("/"+p), "/")
	if p == "" {
		p = "."
	}
	u := url.URL{Path: p}
	s := u.EscapedPath()
	// A relative reference whose first segment has a colon would read as
	// a scheme.
	if first, _, _ := strings.Cut(s, "/"); strings.Contains(first, ":") {
		s = "./" + s
	}
	return s
}

// ruleName makes a SARIF rule name from a package: sg_admin_ports ->
// SgAdminPorts.
func ruleName(ri model.RuleInfo) string {
	pkg := ri.Package[strings.LastIndex(ri.Package, ".")+1:]
	var b strings.Builder
	for _, part := range strings.FieldsFunc(pkg, func(r rune) bool { return r == '_' || r == '-' }) {
		rs := []rune(part)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	if b.Len() == 0 {
		return ri.ID
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	for len(string(r)) > n-1 {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

func sarifRules(cat []model.RuleInfo, tool Tool) []sarifRule {
	rules := make([]sarifRule, 0, len(cat))
	for _, ri := range cat {
		tags := []string{"security", "aws", "vpc"}
		if ri.Area != "" {
			tags = append(tags, strings.ToLower(ri.Area))
		}
		for _, t := range ri.Tags {
			if len(tags) < maxTags && !contains(tags, t) {
				tags = append(tags, t)
			}
		}
		r := sarifRule{
			ID:                   ri.ID,
			Name:                 ruleName(ri),
			ShortDescription:     sarifText{truncate(ri.Title, maxDescription)},
			FullDescription:      sarifText{truncate(ri.Description, maxDescription)},
			Help:                 sarifHelp{Text: ri.HelpText(), Markdown: ri.HelpMarkdown()},
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(ri.Severity)},
			Properties:           sarifRuleProps{Tags: tags, SecuritySeverity: ri.Severity.SecuritySeverity(), Precision: "high"},
		}
		if !ri.Custom && tool.InformationURI != "" {
			r.HelpURI = tool.InformationURI + "/blob/main/docs/rules/" + ri.ID + ".md"
		}
		rules = append(rules, r)
	}
	return rules
}

func contains(l []string, s string) bool {
	for _, e := range l {
		if e == s {
			return true
		}
	}
	return false
}

// anchor is the file a result without a file points at.
func (r *Report) anchor() string {
	if r.Anchor != "" {
		return r.Anchor
	}
	for _, f := range r.Findings {
		if f.Location.File != "" {
			return f.Location.File
		}
	}
	return "README.md"
}

func writeSARIF(w io.Writer, r *Report) error {
	log, err := buildSARIF(r)
	if err != nil {
		return err
	}
	return encodeJSON(w, log, false)
}

func buildSARIF(r *Report) (*sarifLog, error) {
	rules := sarifRules(r.Catalogue, r.Tool)
	index := make(map[string]int, len(rules))
	for i, ru := range rules {
		index[ru.ID] = i
	}
	// Findings of a rule missing from the catalogue still need a rule.
	for _, f := range r.Findings {
		if _, ok := index[f.RuleID]; !ok {
			ri := model.RuleInfo{ID: f.RuleID, Title: f.Title, Description: f.Title, Severity: f.Severity, Remediation: "-", Area: model.AreaOf(f.RuleID), Custom: true}
			index[f.RuleID] = len(rules)
			rules = append(rules, sarifRules([]model.RuleInfo{ri}, r.Tool)...)
		}
	}

	code := []sarifResult{}
	live := map[string][]sarifResult{}
	for i := range r.Findings {
		f := &r.Findings[i]
		res := sarifResultOf(r, f, index[f.RuleID])
		if isLive(f) {
			acct := f.Source.Account
			if acct == "" {
				acct = "unknown"
			}
			live[acct] = append(live[acct], res)
			continue
		}
		code = append(code, res)
	}
	accounts := map[string]bool{}
	for _, a := range r.Accounts {
		accounts[a] = true
	}
	for a := range live {
		accounts[a] = true
	}
	names := make([]string, 0, len(accounts))
	for a := range accounts {
		names = append(names, a)
	}
	sort.Strings(names)

	newRun := func(category string, results []sarifResult) sarifRun {
		if results == nil {
			results = []sarifResult{} // GitHub requires an array
		}
		results, dropped := limitResults(results)
		run := sarifRun{
			Tool:              sarifTool{Driver: sarifDriver{Name: r.Tool.Name, Version: r.Tool.Version, InformationURI: r.Tool.InformationURI, Rules: rules}},
			AutomationDetails: &sarifAutomation{ID: category},
			Results:           results,
		}
		if dropped > 0 {
			run.Properties = map[string]any{"vpclint/droppedResults": dropped}
		}
		return run
	}
	log := &sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{}}
	if len(code) > 0 || r.CodeScanned || len(names) == 0 {
		run := newRun(CodeCategory, code)
		run.Invocations = []sarifInvocation{invocation(r, false)}
		log.Runs = append(log.Runs, run)
	}
	for _, a := range names {
		run := newRun("vpclint/aws/"+a+"/", live[a])
		run.Invocations = []sarifInvocation{invocation(r, true, a)}
		log.Runs = append(log.Runs, run)
	}
	if len(log.Runs) > maxRuns {
		return nil, fmt.Errorf("%d SARIF runs (one per account) exceed GitHub's limit of %d: scan fewer accounts per report", len(log.Runs), maxRuns)
	}
	return log, nil
}

// limitResults keeps at most maxResults results, the most severe first.
func limitResults(rs []sarifResult) ([]sarifResult, int) {
	if len(rs) <= maxResults {
		return rs, 0
	}
	rank := map[string]int{"error": 0, "warning": 1, "note": 2, "none": 3}
	sort.SliceStable(rs, func(i, j int) bool { return rank[rs[i].Level] < rank[rs[j].Level] })
	return rs[:maxResults], len(rs) - maxResults
}

// invocation lists the input errors of the run's kind as notifications.
func invocation(r *Report, live bool, account ...string) sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, e := range r.Errors {
		isLiveErr := e.File == "" && (e.Account != "" || e.Region != "")
		if isLiveErr != live || live && len(account) > 0 && e.Account != account[0] {
			continue
		}
		level := e.Level
		switch level {
		case model.LevelWarning:
		case model.LevelInfo:
			level = "note"
		default:
			level = "error"
		}
		n := sarifNotification{Level: level, Message: sarifText{e.Error()}}
		if e.File != "" {
			loc := sarifLocation{PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifact{URI: URIReference(e.File)}}}
			if e.Line > 0 {
				loc.PhysicalLocation.Region = &sarifRegion{StartLine: e.Line}
			}
			n.Locations = []sarifLocation{loc}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	return inv
}

func sarifResultOf(r *Report, f *model.Finding, ruleIndex int) sarifResult {
	msg := f.Message
	file, start, end := f.Location.File, f.Location.StartLine, f.Location.EndLine
	props := map[string]any{"resource": f.Resource.Address, "resourceType": f.Resource.Type, "severity": string(f.Severity)}
	if f.Attribute != "" {
		props["attribute"] = f.Attribute
	}
	fqn := f.Resource.Address
	if f.Resource.Root != "" {
		props["root"] = f.Resource.Root
		if f.Resource.Ambiguous {
			// Two roots of the scan have this address: say which.
			fqn = f.Resource.Root + "/" + f.Resource.Address
			msg += " (in " + f.Resource.Root + ")"
		}
	}
	logical := []sarifLogicalLocator{{Name: f.Resource.Address, FullyQualifiedName: fqn, Kind: "resource"}}
	if file == "" || isLive(f) {
		// A live resource, or a name no resource answers to. Without a
		// file GitHub still needs a physical location, so anchor at a
		// repository file, line 1; either way say in the message what
		// the finding is on.
		if file == "" {
			file, start, end = r.anchor(), 1, 1
		}
		id := f.Resource.ARN
		if id == "" {
			id = f.Resource.ID
		}
		if id == "" {
			id = f.Resource.Address
		}
		where := id
		if f.Source.Account != "" || f.Source.Region != "" {
			where = fmt.Sprintf("%s in account %s, region %s", id, f.Source.Account, f.Source.Region)
			props["account"], props["region"] = f.Source.Account, f.Source.Region
		}
		if id != "" && !strings.Contains(msg, id) {
			msg = msg + " (" + where + ")"
		} else if f.Source.Account != "" && !strings.Contains(msg, f.Source.Account) {
			msg = msg + " (account " + f.Source.Account + ", region " + f.Source.Region + ")"
		}
		if f.Resource.ARN != "" {
			props["arn"] = f.Resource.ARN
		}
		fq := id
		if f.Source.Account != "" {
			fq = f.Source.Account + "/" + f.Source.Region + "/" + id
		}
		logical = []sarifLogicalLocator{{Name: id, FullyQualifiedName: fq, Kind: "resource"}}
	}
	if start < 1 {
		start = 1
	}
	if end < start {
		end = start
	}
	region := &sarifRegion{StartLine: start, EndLine: end}
	if f.Location.File != "" && f.Location.StartColumn > 0 {
		region.StartColumn = f.Location.StartColumn
		if f.Location.EndColumn > 0 {
			region.EndColumn = f.Location.EndColumn
		}
	}
	if strings.TrimSpace(msg) == "" {
		msg = f.Title
	}
	res := sarifResult{
		RuleID:    f.RuleID,
		RuleIndex: ruleIndex,
		Level:     sarifLevel(f.Severity),
		Message:   sarifText{msg},
		Locations: []sarifLocation{{
			PhysicalLocation: &sarifPhysical{ArtifactLocation: sarifArtifact{URI: URIReference(file)}, Region: region},
			LogicalLocations: logical,
		}},
		PartialFingerprints: map[string]string{"primaryLocationLineHash": f.Fingerprint},
		Properties:          props,
	}
	if s := f.Suppression; s != nil {
		kind := s.Kind
		if kind != "external" {
			kind = "inSource"
		}
		just := s.Justification
		if s.Until != "" {
			just = strings.TrimSpace(just + " (until " + s.Until + ")")
		}
		res.Suppressions = []sarifSuppression{{Kind: kind, Status: "accepted", Justification: just}}
	}
	return res
}
