package reporters

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/model"
)

// JUnit XML as GitLab, Jenkins and most CI systems read it: one test suite
// per rule that ran. A rule that found nothing is one passing test case,
// so a clean scan still reports tests (CI systems reject an empty report);
// a rule that found something has one test case per resource, failed by
// each finding on it (suppressed findings make a skipped case). Input
// errors are errors of a "vpclint/inputs" suite, so a broken file is
// visible too.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failures  []junitResult `xml:"failure"`
	Error     *junitResult  `xml:"error"`
	Skipped   *junitResult  `xml:"skipped"`
}

type junitResult struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, r *Report) error {
	type key struct{ rule, resource string }
	cases := map[key]*junitCase{}
	byRule := map[string][]key{}
	for _, f := range r.Findings {
		k := key{f.RuleID, resourceName(&f)}
		c := cases[k]
		if c == nil {
			c = &junitCase{Name: fmt.Sprintf("%s %s", f.RuleID, k.resource), Classname: "vpclint." + f.RuleID, File: f.Location.File, Line: f.Location.StartLine}
			cases[k] = c
			byRule[f.RuleID] = append(byRule[f.RuleID], k)
		}
		if f.Suppression != nil {
			if c.Skipped == nil && len(c.Failures) == 0 {
				c.Skipped = &junitResult{Message: "suppressed: " + f.Suppression.Justification}
			}
			continue
		}
		c.Skipped = nil
		c.Failures = append(c.Failures, junitResult{
			Message: f.Message,
			Type:    string(f.Severity),
			Text:    junitText(&f),
		})
	}
	// Every rule that ran, and the rules of findings the catalogue lacks.
	titles := map[string]string{}
	for _, ri := range r.Catalogue {
		titles[ri.ID] = ri.Title
	}
	for id := range byRule {
		if _, ok := titles[id]; !ok {
			titles[id] = ""
		}
	}
	ids := make([]string, 0, len(titles))
	for id := range titles {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := junitSuites{Name: r.Tool.Name}
	for _, id := range ids {
		suite := junitSuite{Name: "vpclint/" + id}
		keys := byRule[id]
		if len(keys) == 0 {
			name := id
			if titles[id] != "" {
				name += ": " + titles[id]
			}
			suite.Cases = []junitCase{{Name: name, Classname: "vpclint." + id}}
			suite.Tests = 1
		}
		sort.SliceStable(keys, func(i, j int) bool { return keys[i].resource < keys[j].resource })
		for _, k := range keys {
			c := cases[k]
			suite.Cases = append(suite.Cases, *c)
			suite.Tests++
			switch {
			case len(c.Failures) > 0:
				suite.Failures++
			case c.Skipped != nil:
				suite.Skipped++
			}
		}
		out.Suites = append(out.Suites, suite)
	}
	if len(r.Shards) > 0 {
		out.Suites = append(out.Suites, junitShards(r))
	}
	if len(r.Errors) > 0 {
		s := junitSuite{Name: "vpclint/inputs"}
		for _, e := range r.Errors {
			name := e.File
			if name == "" {
				name = strings.Trim(e.Account+"/"+e.Region+" "+e.Call, "/ ")
			}
			if name == "" {
				name = e.Message
			}
			c := junitCase{Name: name, Classname: "vpclint.inputs", File: e.File, Line: e.Line}
			res := &junitResult{Message: e.Message, Type: e.Level, Text: e.Error()}
			if e.Level == model.LevelInfo || e.Level == model.LevelWarning {
				c.Skipped = res
				s.Skipped++
			} else {
				c.Error = res
				s.Errors++
			}
			s.Cases = append(s.Cases, c)
			s.Tests++
		}
		out.Suites = append(out.Suites, s)
	}
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
	}
	// encoding/xml writes control characters as U+FFFD, and DEL, C1 and
	// bidirectional controls raw: those become character references.
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	buf.WriteString("\n")
	_, err := w.Write(safetext.EscapeXML(buf.Bytes()))
	return err
}

// resourceName names a finding's resource for people: its address, with
// account and region for live resources, and with its root when another
// unit of the scan has the same address.
func resourceName(f *model.Finding) string {
	if f.Source.Account != "" {
		return fmt.Sprintf("%s (%s/%s)", f.Resource.Address, f.Source.Account, f.Source.Region)
	}
	return f.Resource.Label()
}

func junitText(f *model.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s] %s\n", f.RuleID, f.Severity, f.Title)
	if f.Location.File != "" {
		fmt.Fprintf(&b, "%s:%d: ", f.Location.File, f.Location.StartLine)
	}
	b.WriteString(findingMessage(f))
	if f.Resource.ARN != "" {
		fmt.Fprintf(&b, "\n%s", f.Resource.ARN)
	}
	return b.String()
}

// junitShards is a merged report's shards as test cases: a shard merged
// whole passes, an incomplete one fails, a missing or failed one is an
// error, so that a CI dashboard shows the part of the audit that is
// missing.
func junitShards(r *Report) junitSuite {
	s := junitSuite{Name: "vpclint/shards"}
	for _, sh := range r.Shards {
		c := junitCase{Name: fmt.Sprintf("shard %d/%d", sh.Index, len(r.Shards)), Classname: "vpclint.shards", File: sh.File}
		msg := sh.Status
		if sh.Error != "" {
			msg += ": " + sh.Error
		}
		switch sh.Status {
		case ShardMerged:
		case ShardIncomplete:
			c.Failures = append(c.Failures, junitResult{Message: msg, Type: sh.Status, Text: msg})
			s.Failures++
		default:
			c.Error = &junitResult{Message: msg, Type: sh.Status, Text: msg}
			s.Errors++
		}
		s.Cases = append(s.Cases, c)
		s.Tests++
	}
	return s
}
