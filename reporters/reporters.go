// Package reporters writes a scan's findings in the formats vpclint offers:
// text for people, JSON for scripts, SARIF for GitHub code scanning (and
// more, one file per format). Reporters know only the model: findings,
// input errors, the rule catalogue and the summary.
package reporters

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// Tool names the program that produced a report.
type Tool struct {
	Name           string
	Version        string
	InformationURI string
}

// Report is everything a reporter may show.
type Report struct {
	Tool      Tool
	Findings  []model.Finding
	Errors    []model.LoadError
	Catalogue []model.RuleInfo
	Summary   model.Summary
	// WorkDir is the directory findings' files are relative to (the
	// current directory); empty means ".". Files outside it are relative
	// to their scan root, one of Roots.
	WorkDir string
	Roots   []string
	// RepoDir is the repository root (the git work tree) holding WorkDir,
	// absolute; SARIF URIs are relative to it, as GitHub resolves them.
	// Empty: they are relative to WorkDir.
	RepoDir string
	// Anchor is the repository file that SARIF results without a file
	// (live AWS, unknown resources) point at, line 1.
	Anchor string
	// CodeScanned is true when files were scanned: the SARIF code run
	// is written even when it has no result, so fixed alerts close.
	CodeScanned bool
	// Accounts are the live AWS accounts read: each gets its SARIF run,
	// even without result.
	Accounts []string
	// LinkBase, when set, makes Markdown links absolute: it is prefixed to
	// a finding's file ("https://github.com/o/r/blob/<sha>/"). In GitHub
	// Actions it comes from GITHUB_SERVER_URL, GITHUB_REPOSITORY and
	// GITHUB_SHA, since relative links do not resolve in a job summary.
	LinkBase string
	// Config is the config file the scan used, as shown to users; ""
	// when none.
	Config string
	// ShowUnknown says the notes list the resources with undecided values
	// (--show-unknown), so the summary does not point at the flag.
	ShowUnknown bool
	// Units says how much of each live account×region was read (JSON
	// "units", JSON Lines unit records).
	Units []model.UnitStatus
	// Shard is the shard of a sharded audit the report is of; Shards, in a
	// merged report, what became of each shard.
	Shard  *Shard
	Shards []ShardStatus
	// Comparison, with --compare, is how the findings compare with those
	// of a git ref: each finding's BaselineState says new or unchanged,
	// and its FixedFindings are the ref's findings that are gone.
	Comparison *model.Comparison
	// Finished is set by ReadReport: false for a JSON Lines report whose
	// run did not finish.
	Finished bool
	// Topology maps each scanned VPC's private connectivity, for the
	// diagrams of the HTML, Markdown and DOT reports.
	Topology []model.VPCMap
	// Color enables ANSI colours in text output.
	Color bool
	// ReadFile reads a finding's file for the source excerpt; nil reads
	// it from WorkDir.
	ReadFile func(path string) ([]byte, error)
}

// projectURL is vpclint's home, where the rule pages are.
const projectURL = "https://github.com/vpclint/vpclint"

// DefaultTool is vpclint itself.
func DefaultTool(version string) Tool {
	return Tool{Name: "vpclint", Version: version, InformationURI: projectURL}
}

// ruleURL is the documentation page of a built-in rule (docs/rules, which
// has a page for every id, SUP001-SUP003 included).
func ruleURL(id string) string {
	return projectURL + "/blob/main/docs/rules/" + url.PathEscape(id) + ".md"
}

// ruleURLs gives the documentation page of each rule of the report: a
// built-in rule's, "" for a user rule (--rules), which has none.
func (r *Report) ruleURLs() func(id string) string {
	custom := map[string]bool{}
	for _, ri := range r.Catalogue {
		if ri.Custom {
			custom[ri.ID] = true
		}
	}
	return func(id string) string {
		if custom[id] {
			return ""
		}
		return ruleURL(id)
	}
}

// Formats lists the output formats, in the order help shows them.
func Formats() []string {
	return []string{"text", "json", "jsonl", "sarif", "junit", "markdown", "codequality", "html", "dot"}
}

// Write writes r to w in the named format. Writes are buffered here,
// once for every format: a template (HTML) or a writer of many small
// pieces would otherwise make a system call for each piece on a file.
func Write(out io.Writer, format string, r *Report) error {
	w := bufio.NewWriterSize(out, 64<<10)
	var err error
	switch strings.ToLower(format) {
	case "text":
		err = writeText(w, r)
	case "json":
		err = writeJSON(w, r)
	case "jsonl":
		err = writeJSONL(w, r)
	case "sarif":
		err = writeSARIF(w, r)
	case "junit":
		err = writeJUnit(w, r)
	case "markdown":
		err = writeMarkdown(w, r)
	case "codequality":
		err = writeCodeQuality(w, r)
	case "html":
		err = writeHTML(w, r)
	case "dot":
		err = writeDOT(w, r)
	default:
		return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats(), ", "))
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return nil
}

// Valid reports whether format names a reporter.
func Valid(format string) bool {
	for _, f := range Formats() {
		if strings.EqualFold(f, format) {
			return true
		}
	}
	return false
}

// encodeJSON writes v as indented JSON in which the characters that could
// act on a terminal or reorder a display (DEL, C1 and bidirectional
// controls, which encoding/json writes raw) are \u escapes: `cat
// report.json` is as safe as the text report, and the document decodes to
// the same values. escapeHTML escapes <, > and & as well.
func encodeJSON(w io.Writer, v any, escapeHTML bool) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(escapeHTML)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(safetext.EscapeJSON(buf.Bytes()))
	return err
}

// readFile reads a file named in a finding.
func (r *Report) readFile(p string) ([]byte, error) {
	if r.ReadFile != nil {
		return r.ReadFile(p)
	}
	if filepath.IsAbs(p) {
		return os.ReadFile(p)
	}
	first := filepath.Join(r.WorkDir, filepath.FromSlash(p))
	b, err := os.ReadFile(first)
	if err == nil || len(r.Roots) == 0 {
		return b, err
	}
	for _, root := range r.Roots {
		if b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(p))); err == nil {
			return b, nil
		}
	}
	return nil, err
}

// isLive reports whether a finding is about a live resource: read from an
// account, or from a saved inventory snapshot (which has a file, but whose
// findings belong to the account's code-scanning category).
func isLive(f *model.Finding) bool {
	return f.Source.Format == model.FormatAWS && (f.Location.File == "" || f.Source.Account != "")
}
