// Package suppress reads inline suppression comments, the same in every
// text format:
//
//	# vpclint:ignore SG001,SG004 reason="bastion behind VPN" until=2027-03-31
//	// vpclint:ignore EP001 reason="default policy accepted"
//
// and the ignore comments teams already have for tfsec, Trivy and Checkov,
// which apply to the vpclint rules that correspond to the named checks
// (model.RuleInfo.Peers; the suppression's Tool says whose ids it holds):
//
//	#tfsec:ignore:aws-ec2-no-public-ingress-sgr[:exp:2026-01-31]
//	#trivy:ignore:AVD-AWS-0107
//	#checkov:skip=CKV_AWS_24:the bastion is reached through the VPN
//
// Loaders call Above for the comment lines that stand directly before a
// resource or an attribute (they cover it), and Within for the comments
// inside a resource: one after code on a line covers that line, as tfsec
// and Trivy read them, and a Checkov skip anywhere in the resource covers
// the resource, as Checkov reads it.
package suppress

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/vpclint/vpclint/model"
)

// Marker is the word that starts a suppression comment, and the name of
// the live tag that holds one (loader/awslive reads it, loader/inventory
// points at it in a snapshot).
const Marker = "vpclint:ignore"

var idPattern = regexp.MustCompile(`^[A-Za-z]+[0-9]*$`)

// ParseComment parses one comment line (with or without its leading `#`,
// `//` or `/*`). ok is false when the line is not a suppression; err is set
// when it is one but malformed (the caller reports it as a load warning).
func ParseComment(line string) (s model.Suppression, ok bool, err error) {
	text := strings.TrimSpace(line)
	for _, p := range []string{"#", "//", "/*"} {
		if strings.HasPrefix(text, p) {
			text = strings.TrimSpace(strings.TrimPrefix(text, p))
			break
		}
	}
	text = strings.TrimSpace(strings.TrimSuffix(text, "*/"))
	if peer, ok, err := parsePeerIgnore(text); ok || err != nil {
		return peer, ok, err
	}
	if !strings.HasPrefix(text, Marker) {
		return s, false, nil
	}
	rest := strings.TrimSpace(strings.TrimPrefix(text, Marker))
	s.Kind = "comment"
	fields, err := splitFields(rest)
	if err != nil {
		return s, true, err
	}
	for _, f := range fields {
		switch {
		case strings.HasPrefix(f, "reason="):
			s.Reason = strings.TrimPrefix(f, "reason=")
		case strings.HasPrefix(f, "until="):
			s.Until = strings.TrimPrefix(f, "until=")
			if _, perr := time.Parse("2006-01-02", s.Until); perr != nil {
				return s, true, fmt.Errorf("suppression: until=%q is not a date (YYYY-MM-DD)", s.Until)
			}
		default:
			for _, id := range strings.Split(f, ",") {
				id = strings.TrimSpace(id)
				if id == "" {
					continue
				}
				if !idPattern.MatchString(id) {
					return s, true, fmt.Errorf("suppression: %q is not a rule id or area", id)
				}
				s.RuleIDs = append(s.RuleIDs, strings.ToUpper(id))
			}
		}
	}
	if len(s.RuleIDs) == 0 {
		return s, true, fmt.Errorf("suppression names no rule id")
	}
	return s, true, nil
}

// Syntax is a format's comment syntax: what a comment line starts with.
type Syntax int

const (
	// HCL comment lines start with "#", "//" or "/*".
	HCL Syntax = iota
	// YAML comment lines start with "#" (a CloudFormation template's;
	// JSON has none, and a line starting with "#" is not JSON).
	YAML
)

// isComment says whether a line, trimmed, is a comment line in syntax s.
func (s Syntax) isComment(text string) bool {
	if strings.HasPrefix(text, "#") {
		return true
	}
	return s == HCL && (strings.HasPrefix(text, "//") || strings.HasPrefix(text, "/*"))
}

// Above reads the suppressions in the comment lines (of the format's
// syntax) standing directly above line start of a file (lines are the
// file's, 1-based): they cover start..end of file. A malformed
// suppression is a warning at its line. The result is in line order.
func Above(file string, lines []string, start, end int, syntax Syntax) ([]model.Suppression, []model.LoadError) {
	var out []model.Suppression
	var errs []model.LoadError
	for ln := start - 1; ln >= 1 && ln <= len(lines); ln-- {
		text := strings.TrimSpace(lines[ln-1])
		if !syntax.isComment(text) {
			break
		}
		s, ok, err := ParseComment(text)
		switch {
		case err != nil:
			errs = append(errs, model.LoadError{File: file, Line: ln, Message: err.Error(), Level: model.LevelWarning})
		case ok:
			s.File, s.Line, s.StartLine, s.EndLine = file, ln, start, end
			out = append(out, s)
		}
	}
	slices.Reverse(out) // nearest last, as written
	return out, errs
}

// Tools whose inline ignore comments vpclint honours: the keys of
// model.RuleInfo.Peers. tfsec's checks live on in Trivy under the same
// ids, so either tool's comment may name either's ids.
const (
	ToolCheckov = "checkov"
	ToolTfsec   = "tfsec"
	ToolTrivy   = "trivy"
)

// peerIgnore matches a tfsec or Trivy ignore: the tool, the check id, an
// optional expiry (:exp:YYYY-MM-DD) and optional [key:value] conditions.
var peerIgnore = regexp.MustCompile(`(?i)\b(tfsec|trivy):ignore:([A-Za-z0-9_.*-]+)((?::[a-z]+:[^\s:\[\]]+)*)(\[[^\]]*\])?`)

// checkovSkip matches a Checkov skip: the check id and an optional reason.
var checkovSkip = regexp.MustCompile(`\bcheckov:skip=([A-Za-z0-9_]+)(?::(.*))?`)

// mayIgnore reports whether text can hold a tfsec or Trivy ignore: whether
// it holds ":ignore:" in any case. Every line of every resource is looked
// at, and the regular expression, tried at each position of a line, cost
// more than the rest of reading the resources' comments.
func mayIgnore(text string) bool { return holdsIgnoreWord(text, strings.IndexByte) }

// holdsIgnoreWord is mayIgnore's test, on comment text or on a whole
// file's bytes (MayHold).
func holdsIgnoreWord[T ~string | ~[]byte](text T, indexByte func(T, byte) int) bool {
	const word = "ignore:"
	for i := 0; i < len(text); {
		j := indexByte(text[i:], ':')
		if j < 0 {
			return false
		}
		i += j + 1
		if len(text)-i >= len(word) && strings.EqualFold(string(text[i:i+len(word)]), word) {
			return true
		}
	}
	return false
}

// maySkip reports whether text can hold a Checkov skip (the regular
// expression is case-sensitive: so is this).
func maySkip(text string) bool { return strings.Contains(text, checkovWord) }

// checkovWord starts every Checkov skip.
const checkovWord = "checkov:skip="

// parsePeerIgnore reads the tfsec and Trivy ignores of a comment's text:
// one suppression with every check id named (a comment may hold several
// ignores of one tool). A condition vpclint cannot evaluate (Trivy's
// [ws:NAME] workspace, for one) makes the ignore not apply.
func parsePeerIgnore(text string) (s model.Suppression, ok bool, err error) {
	if !mayIgnore(text) {
		return s, false, nil
	}
	ms := peerIgnore.FindAllStringSubmatch(text, -1)
	if len(ms) == 0 {
		return s, false, nil
	}
	s.Kind = "comment"
	for _, m := range ms {
		if s.Tool == "" {
			s.Tool = strings.ToLower(m[1])
		}
		if m[4] != "" {
			continue
		}
		if opts := strings.Split(strings.TrimPrefix(m[3], ":"), ":"); len(opts) >= 2 {
			for i := 0; i+1 < len(opts); i += 2 {
				if strings.EqualFold(opts[i], "exp") {
					if _, perr := time.Parse("2006-01-02", opts[i+1]); perr != nil {
						return s, true, fmt.Errorf("%s:ignore:%s: exp:%s is not a date (YYYY-MM-DD)", m[1], m[2], opts[i+1])
					}
					if s.Until == "" || opts[i+1] < s.Until {
						s.Until = opts[i+1]
					}
				}
			}
		}
		s.RuleIDs = append(s.RuleIDs, m[2])
	}
	if len(s.RuleIDs) == 0 {
		return s, false, nil // only ignores under conditions vpclint cannot evaluate
	}
	return s, true, nil
}

// parseCheckovSkip reads a Checkov skip comment.
func parseCheckovSkip(text string) (model.Suppression, bool) {
	if !maySkip(text) {
		return model.Suppression{}, false
	}
	m := checkovSkip.FindStringSubmatch(text)
	if m == nil {
		return model.Suppression{}, false
	}
	reason := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(m[2]), "*/"), "-->"))
	return model.Suppression{Kind: "comment", Tool: ToolCheckov, RuleIDs: []string{m[1]}, Reason: reason}, true
}

// MayHold reports whether a file's source can hold a suppression of any
// tool: false means that no comment of it is one, so that a loader can
// skip reading the comments of its resources (at 20,000 resources, one
// scan of the file instead of one of every resource's lines). True may
// be wrong; the comments then say.
func MayHold(src []byte) bool {
	return bytes.Contains(src, []byte(Marker)) || bytes.Contains(src, []byte(checkovWord)) ||
		holdsIgnoreWord(src, bytes.IndexByte)
}

// HasMarker reports whether a comment holds a suppression of vpclint or of
// a peer tool (for loaders that look for them among other comments).
func HasMarker(text string) bool {
	return strings.Contains(text, Marker) || (mayIgnore(text) && peerIgnore.MatchString(text)) || (maySkip(text) && checkovSkip.MatchString(text))
}

// commentStart is the index where a comment starts in a line of code
// holding marker, or -1: the last "#" or "//" before the marker. The
// markers are distinctive enough that one inside a string literal is not a
// concern.
func commentStart(line string, at int) int {
	return max(strings.LastIndex(line[:at], "#"), strings.LastIndex(line[:at], "//"))
}

// Within reads the suppressions written inside a block (lines start..end
// of a file, the block's own lines): a tfsec, Trivy or vpclint ignore
// written after code on a line covers that line (the block's whole range
// when it is the block's first line), and a Checkov skip anywhere in the
// block covers the block. Comments on lines of their own that stand before
// an attribute are Above's.
func Within(file string, lines []string, start, end int) ([]model.Suppression, []model.LoadError) {
	var out []model.Suppression
	var errs []model.LoadError
	for ln := max(start, 1); ln <= end && ln <= len(lines); ln++ {
		line := lines[ln-1]
		if sk, ok := parseCheckovSkip(line); ok && commentStart(line, strings.Index(line, checkovWord)) >= 0 {
			sk.File, sk.Line, sk.StartLine, sk.EndLine = file, ln, start, end
			out = append(out, sk)
			continue
		}
		at := strings.Index(line, Marker)
		if mayIgnore(line) {
			if m := peerIgnore.FindStringIndex(line); m != nil && (at < 0 || m[0] < at) {
				at = m[0]
			}
		}
		if at < 0 {
			continue
		}
		c := commentStart(line, at)
		if c < 0 || strings.TrimSpace(line[:c]) == "" {
			continue // no comment, or a comment line of its own: Above reads it
		}
		s, ok, err := ParseComment(line[c:])
		switch {
		case err != nil:
			errs = append(errs, model.LoadError{File: file, Line: ln, Message: err.Error(), Level: model.LevelWarning})
		case ok:
			s.File, s.Line, s.StartLine, s.EndLine = file, ln, ln, ln
			if ln == start {
				s.EndLine = end
			}
			out = append(out, s)
		}
	}
	return out, errs
}

// splitFields splits on spaces, keeping quoted values (reason="a b") whole
// and removing their quotes.
func splitFields(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			inQuote = !inQuote
		case c == '\\' && inQuote && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		case (c == ' ' || c == '\t') && !inQuote:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteByte(c)
		}
	}
	if inQuote {
		return nil, fmt.Errorf("suppression: unterminated quote")
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out, nil
}
