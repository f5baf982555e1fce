package reporters

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	sarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/vpclint/vpclint/model"
)

// SARIF output made for GitHub code scanning (notes/integration.md §1),
// built with go-sarif's SARIF 2.1.0 object model: every rule of the
// catalogue in tool.driver.rules with help and security-severity; every
// result with exactly one physical location whose uri is relative to the
// repository root; our own fingerprints; one run per category (code, and
// each live AWS account) so uploads never collide.
//
// go-sarif's types mirror the schema, and its fields without omitempty
// must be set through its constructors (New*), which fill them with the
// schema's defaults: an empty array, -1 for "no index", enabled: true. A
// struct literal would write null arrays and "enabled": false.

const (
	// GitHub limits (integration.md §1.4).
	maxRuns        = 20
	maxResults     = 25000
	maxTags        = 10 // GitHub keeps 10 of at most 20
	maxDescription = 1024
	// CodeCategory is the automation id of the code-scanning run.
	CodeCategory = "vpclint/iac/"
)

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

func sarifRules(cat []model.RuleInfo, tool Tool) []*sarif.ReportingDescriptor {
	rules := make([]*sarif.ReportingDescriptor, 0, len(cat))
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
		props := sarif.NewPropertyBag().WithTags(tags).
			Add("security-severity", ri.Severity.SecuritySeverity()).
			Add("precision", "high")
		for tool, ids := range ri.Peers {
			props.Add("peers/"+tool, ids)
		}
		r := sarif.NewReportingDescriptor().
			WithID(ri.ID).
			WithName(ruleName(ri)).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(truncate(ri.Title, maxDescription))).
			WithFullDescription(sarif.NewMultiformatMessageString().WithText(truncate(ri.Description, maxDescription))).
			WithHelp(sarif.NewMultiformatMessageString().WithText(ri.HelpText()).WithMarkdown(ri.HelpMarkdown())).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(ri.Severity))).
			WithProperties(props)
		if !ri.Custom && tool.InformationURI != "" {
			r.WithHelpURI(ruleURL(ri.ID))
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

// repoPaths turns files as findings show them into paths relative to
// the repository root (RepoDir), which GitHub resolves SARIF URIs against,
// so `cd infra && vpclint scan .` reports infra/main.tf. A finding's file
// is relative to the current directory when it lies below it, else to its
// scan root (package pathshow): a path that exists below WorkDir is the
// first kind; any other (a module outside the current directory, shown
// from the repository root) is kept as it is. Each file is looked up on
// disk once per report, however many findings it has.
type repoPaths struct {
	workDir string
	// root is RepoDir with its links resolved; "" when there is none
	// (or it cannot be resolved), which keeps every file as it is.
	root string
	seen map[string]string
}

func newRepoPaths(r *Report) *repoPaths {
	p := &repoPaths{workDir: r.WorkDir, seen: map[string]string{}}
	if r.RepoDir != "" && r.WorkDir != "" {
		p.root, _ = filepath.EvalSymlinks(r.RepoDir)
	}
	return p
}

func (p *repoPaths) path(file string) string {
	if p.root == "" || file == "" || filepath.IsAbs(file) {
		return file
	}
	rel, ok := p.seen[file]
	if !ok {
		rel = p.lookup(file)
		p.seen[file] = rel
	}
	return rel
}

func (p *repoPaths) lookup(file string) string {
	abs := filepath.Join(p.workDir, filepath.FromSlash(file))
	if _, err := os.Stat(abs); err != nil {
		return file
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	rel, err := filepath.Rel(p.root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return file
	}
	return filepath.ToSlash(rel)
}

// writeSARIF writes the log with its results streamed: the log is encoded
// with every run's results empty, then each run's results are built,
// encoded and written one at a time where its empty list stands. The
// bytes are those of encoding the whole log, which is never built: tens
// of thousands of results would be held as go-sarif objects, then
// encoded, indented and escaped whole.
func writeSARIF(w io.Writer, r *Report) error {
	log, err := buildSARIF(r)
	if err != nil {
		return err
	}
	var head bytes.Buffer
	if err := encodeJSON(&head, log.report, false); err != nil {
		return err
	}
	// A run's fields are at depth 3 of the log (runs[i].results), its
	// results at depth 4.
	counts := make([]int, len(log.results))
	for run, results := range log.results {
		counts[run] = len(results)
	}
	return writeSpliced(w, head.Bytes(), "\n      \"results\": []", 4, false, counts, func(run, i int) any {
		f := log.results[run][i]
		return sarifResultOf(r, f, log.ruleIndex[f.RuleID], log.paths)
	})
}

// sarifLog is a SARIF log whose runs' results are still to be written:
// results[i] are the findings that become run i's results, in order.
type sarifLog struct {
	report    *sarif.Report
	results   [][]*model.Finding
	ruleIndex map[string]int
	paths     *repoPaths
}

func buildSARIF(r *Report) (*sarifLog, error) {
	rules := sarifRules(r.Catalogue, r.Tool)
	index := make(map[string]int, len(rules))
	for i, ru := range rules {
		index[*ru.ID] = i
	}
	// The findings a comparison found fixed are results too, with
	// baselineState absent, in the code run.
	var fixed []model.Finding
	if r.Comparison != nil {
		fixed = r.Comparison.FixedFindings
	}
	// Findings of a rule missing from the catalogue still need a rule.
	for _, fs := range [][]model.Finding{r.Findings, fixed} {
		for i := range fs {
			f := &fs[i]
			if _, ok := index[f.RuleID]; !ok {
				ri := model.RuleInfo{ID: f.RuleID, Title: f.Title, Description: f.Title, Severity: f.Severity, Remediation: "-", Area: model.AreaOf(f.RuleID), Custom: true}
				index[f.RuleID] = len(rules)
				rules = append(rules, sarifRules([]model.RuleInfo{ri}, r.Tool)...)
			}
		}
	}

	paths := newRepoPaths(r)
	var code []*model.Finding
	live := map[string][]*model.Finding{}
	for i := range r.Findings {
		f := &r.Findings[i]
		if isLive(f) {
			acct := f.Source.Account
			if acct == "" {
				acct = "unknown"
			}
			live[acct] = append(live[acct], f)
			continue
		}
		code = append(code, f)
	}
	for i := range fixed {
		code = append(code, &fixed[i])
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

	log := &sarifLog{report: sarif.NewReport(), ruleIndex: index, paths: paths}
	addRun := func(category string, results []*model.Finding, inv *sarif.Invocation) {
		results, dropped := limitResults(results)
		driver := sarif.NewToolComponent().WithName(r.Tool.Name).WithRules(rules)
		if r.Tool.InformationURI != "" {
			driver.WithInformationURI(r.Tool.InformationURI)
		}
		if r.Tool.Version != "" {
			driver.WithVersion(r.Tool.Version)
		}
		run := sarif.NewRun().WithTool(sarif.NewTool().WithDriver(driver))
		run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(category))
		// GitHub requires an array; writeSARIF writes the results in it.
		run.WithResults([]*sarif.Result{})
		run.WithInvocations([]*sarif.Invocation{inv})
		props := sarif.NewPropertyBag()
		if dropped > 0 {
			props.Add("vpclint/droppedResults", dropped)
		}
		if c := r.Comparison; c != nil && category == CodeCategory {
			// What baselineState is relative to.
			props.Add("vpclint/compareRef", c.Ref).Add("vpclint/compareCommit", c.Commit)
		}
		if len(props.Properties) > 0 {
			run.WithProperties(props)
		}
		log.report.AddRun(run)
		log.results = append(log.results, results)
	}
	if len(code) > 0 || r.CodeScanned || len(names) == 0 {
		addRun(CodeCategory, code, invocation(r, paths, false))
	}
	for _, a := range names {
		addRun("vpclint/aws/"+a+"/", live[a], invocation(r, paths, true, a))
	}
	if len(log.report.Runs) > maxRuns {
		return nil, fmt.Errorf("%d SARIF runs (one per account) exceed GitHub's limit of %d: scan fewer accounts per report", len(log.report.Runs), maxRuns)
	}
	return log, nil
}

// limitResults keeps the findings of at most maxResults results, the most
// severe first, and the fixed ones (baselineState absent) after every
// present one.
func limitResults(fs []*model.Finding) ([]*model.Finding, int) {
	if len(fs) <= maxResults {
		return fs, 0
	}
	key := func(f *model.Finding) int {
		rank := 2 // note
		switch sarifLevel(f.Severity) {
		case "error":
			rank = 0
		case "warning":
			rank = 1
		}
		if f.BaselineState == model.BaselineAbsent {
			rank += 10
		}
		return rank
	}
	sort.SliceStable(fs, func(i, j int) bool { return key(fs[i]) < key(fs[j]) })
	return fs[:maxResults], len(fs) - maxResults
}

// location is a physical location in a repository file, with its logical
// locations when given.
func location(uri string, region *sarif.Region, logical ...*sarif.LogicalLocation) *sarif.Location {
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewArtifactLocation().WithURI(uri))
	if region != nil {
		pl.WithRegion(region)
	}
	loc := sarif.NewLocation().WithPhysicalLocation(pl)
	if len(logical) > 0 {
		loc.WithLogicalLocations(logical)
	}
	return loc
}

// invocation lists the input errors of the run's kind as notifications.
func invocation(r *Report, paths *repoPaths, live bool, account ...string) *sarif.Invocation {
	inv := sarif.NewInvocation().WithExecutionSuccessful(true)
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
		n := sarif.NewNotification().WithLevel(level).WithMessage(sarif.NewMessage().WithText(e.Error()))
		if e.File != "" {
			var region *sarif.Region
			if e.Line > 0 {
				region = sarif.NewRegion().WithStartLine(e.Line)
			}
			n.WithLocations([]*sarif.Location{location(URIReference(paths.path(e.File)), region)})
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	return inv
}

func logicalLocation(name, fqn string) *sarif.LogicalLocation {
	return sarif.NewLogicalLocation().WithName(name).WithFullyQualifiedName(fqn).WithKind("resource")
}

func sarifResultOf(r *Report, f *model.Finding, ruleIndex int, paths *repoPaths) *sarif.Result {
	msg := f.Message
	file, start, end := f.Location.File, f.Location.StartLine, f.Location.EndLine
	props := sarif.NewPropertyBag().Add("resource", f.Resource.Address).Add("resourceType", f.Resource.Type).Add("severity", string(f.Severity))
	if f.Attribute != "" {
		props.Add("attribute", f.Attribute)
	}
	fqn := f.Resource.Address
	if f.Resource.Root != "" {
		props.Add("root", f.Resource.Root)
		if f.Resource.Ambiguous {
			// Two roots of the scan have this address: say which.
			fqn = f.Resource.Root + "/" + f.Resource.Address
			msg += " (in " + f.Resource.Root + ")"
		}
	}
	logical := logicalLocation(f.Resource.Address, fqn)
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
			props.Add("account", f.Source.Account).Add("region", f.Source.Region)
		}
		if id != "" && !strings.Contains(msg, id) {
			msg = msg + " (" + where + ")"
		} else if f.Source.Account != "" && !strings.Contains(msg, f.Source.Account) {
			msg = msg + " (account " + f.Source.Account + ", region " + f.Source.Region + ")"
		}
		if f.Resource.ARN != "" {
			props.Add("arn", f.Resource.ARN)
		}
		fq := id
		if f.Source.Account != "" {
			fq = f.Source.Account + "/" + f.Source.Region + "/" + id
		}
		logical = logicalLocation(id, fq)
	}
	if start < 1 {
		start = 1
	}
	if end < start {
		end = start
	}
	region := sarif.NewRegion().WithStartLine(start).WithEndLine(end)
	if f.Location.File != "" && f.Location.StartColumn > 0 {
		region.WithStartColumn(f.Location.StartColumn)
		if f.Location.EndColumn > 0 {
			region.WithEndColumn(f.Location.EndColumn)
		}
	}
	if strings.TrimSpace(msg) == "" {
		msg = f.Title
	}
	res := sarif.NewResult().
		WithRuleID(f.RuleID).
		WithRuleIndex(ruleIndex).
		WithLevel(sarifLevel(f.Severity)).
		WithMessage(sarif.NewMessage().WithText(msg)).
		WithLocations([]*sarif.Location{location(URIReference(paths.path(file)), region, logical)}).
		WithPartialFingerprints(map[string]string{"primaryLocationLineHash": f.Fingerprint}).
		WithProperties(props)
	if f.BaselineState != "" {
		res.WithBaselineState(f.BaselineState)
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
		res.WithSuppressions([]*sarif.Suppression{sarif.NewSuppression().WithKind(kind).WithStatus("accepted").WithJustification(just)})
	}
	return res
}
