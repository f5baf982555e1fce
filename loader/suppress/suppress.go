// Package suppress reads inline suppression comments, the same in every
// text format:
//
//	# vpclint:ignore SG001,SG004 reason="bastion behind VPN" until=2027-03-31
//	// vpclint:ignore EP001 reason="default policy accepted"
//
// Loaders call ParseComment on the comment lines that stand directly before a
// resource or an attribute, and attach the result to the resource.
package suppress

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/vpclint/vpclint/model"
)

// Marker is the word that starts a suppression comment.
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

// Above reads the suppressions in the comment lines standing directly
// above line start of a file (lines are the file's, 1-based): they cover
// start..end of file. A malformed one is a warning at its line.
func Above(file string, lines []string, start, end int) ([]model.Suppression, []model.LoadError) {
	var out []model.Suppression
	var errs []model.LoadError
	for ln := start - 1; ln >= 1 && ln <= len(lines); ln-- {
		text := strings.TrimSpace(lines[ln-1])
		if !strings.HasPrefix(text, "#") && !strings.HasPrefix(text, "//") && !strings.HasPrefix(text, "/*") {
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
	// nearest last, as written
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
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
