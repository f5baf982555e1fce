package reporters

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
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

// junitCaseOf is a test case of findings: failed by the unsuppressed
// findings on one resource, skipped when all of them are suppressed. Its
// XML is made when it is written.
type junitCaseOf struct {
	first      *model.Finding
	failures   []*model.Finding
	suppressed *model.Finding
}

func (c *junitCaseOf) xml() junitCase {
	f := c.first
	out := junitCase{Name: fmt.Sprintf("%s %s", f.RuleID, resourceName(f)), Classname: "vpclint." + f.RuleID, File: f.Location.File, Line: f.Location.StartLine}
	for _, f := range c.failures {
		out.Failures = append(out.Failures, junitResult{Message: f.Message, Type: string(f.Severity), Text: junitText(f)})
	}
	if len(c.failures) == 0 && c.suppressed != nil {
		out.Skipped = &junitResult{Message: "suppressed: " + c.suppressed.Suppression.Justification}
	}
	return out
}

// junitSuiteOf is a suite whose cases are those given, or the cases of
// findings, made as they are written.
type junitSuiteOf struct {
	junitSuite
	findings []*junitCaseOf
}

func writeJUnit(w io.Writer, r *Report) error {
	type key struct{ rule, resource string }
	cases := map[key]*junitCaseOf{}
	byRule := map[string][]key{}
	for i := range r.Findings {
		f := &r.Findings[i]
		k := key{f.RuleID, resourceName(f)}
		c := cases[k]
		if c == nil {
			c = &junitCaseOf{first: f}
			cases[k] = c
			byRule[f.RuleID] = append(byRule[f.RuleID], k)
		}
		if f.Suppression != nil {
			if c.suppressed == nil {
				c.suppressed = f
			}
			continue
		}
		c.failures = append(c.failures, f)
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
	var suites []junitSuiteOf
	for _, id := range ids {
		suite := junitSuiteOf{junitSuite: junitSuite{Name: "vpclint/" + id}}
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
			suite.findings = append(suite.findings, c)
			suite.Tests++
			switch {
			case len(c.failures) > 0:
				suite.Failures++
			case c.suppressed != nil:
				suite.Skipped++
			}
		}
		suites = append(suites, suite)
	}
	if len(r.Shards) > 0 {
		suites = append(suites, junitSuiteOf{junitSuite: junitShards(r)})
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
		suites = append(suites, junitSuiteOf{junitSuite: s})
	}
	for _, s := range suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
	}
	return writeJUnitXML(w, &out, suites)
}

// writeJUnitXML writes the document a case at a time, with the bytes of
// encoding it whole (one encoder keeps the indentation), so that the
// cases of tens of thousands of findings are never all made, nor their
// XML held. encoding/xml writes control characters as U+FFFD, and DEL, C1
// and bidirectional controls raw: those become character references.
func writeJUnitXML(w io.Writer, out *junitSuites, suites []junitSuiteOf) error {
	bw := bufio.NewWriter(w)
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	// flush moves what the encoder wrote, escaped, to bw.
	flush := func() error {
		if err := enc.Flush(); err != nil {
			return err
		}
		bw.Write(safetext.EscapeXML(buf.Bytes()))
		buf.Reset()
		return nil
	}
	attrs := func(name string, tests, failures, errors, skipped int) []xml.Attr {
		return []xml.Attr{
			{Name: xml.Name{Local: "name"}, Value: name},
			{Name: xml.Name{Local: "tests"}, Value: strconv.Itoa(tests)},
			{Name: xml.Name{Local: "failures"}, Value: strconv.Itoa(failures)},
			{Name: xml.Name{Local: "errors"}, Value: strconv.Itoa(errors)},
			{Name: xml.Name{Local: "skipped"}, Value: strconv.Itoa(skipped)},
		}
	}
	bw.WriteString(xml.Header)
	root := xml.StartElement{Name: xml.Name{Local: "testsuites"}, Attr: attrs(out.Name, out.Tests, out.Failures, out.Errors, out.Skipped)}
	if err := enc.EncodeToken(root); err != nil {
		return err
	}
	for _, s := range suites {
		start := xml.StartElement{Name: xml.Name{Local: "testsuite"}, Attr: attrs(s.Name, s.Tests, s.Failures, s.Errors, s.Skipped)}
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		caseStart := xml.StartElement{Name: xml.Name{Local: "testcase"}}
		for i := range s.Cases {
			if err := enc.EncodeElement(&s.Cases[i], caseStart); err != nil {
				return err
			}
		}
		for _, c := range s.findings {
			x := c.xml()
			if err := enc.EncodeElement(&x, caseStart); err != nil {
				return err
			}
			if err := flush(); err != nil {
				return err
			}
		}
		if err := enc.EncodeToken(start.End()); err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	bw.WriteString("\n")
	return bw.Flush()
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
