// Package srcscan checks source text, byte by byte and without recursion,
// for what would make a parser or an evaluator fail without a report:
// nesting so deep that a recursive-descent parser overflows the Go stack
// (a stack overflow is fatal and cannot be recovered), and number
// literals so large that writing them as decimal text takes minutes and
// gigabytes. A file refused here is reported by the caller, naming the
// line, and the rest of the scan goes on.
//
// The scanners understand just enough of each syntax to count nesting
// right: strings, escapes, comments, heredocs and template sequences in
// HCL; strings in JSON, whose content Terraform parses as a template.
// They count every construct that makes the HCL parser recurse: brackets
// and braces, quoted and heredoc templates, interpolations and template
// directives (if, for), conditional operators in one expression, and runs
// of unary operators.
package srcscan

import (
	"encoding/json"
	"fmt"
)

// MaxDepth is the default bound on nesting; real configurations stay
// far below it (a dozen levels is already deep).
const MaxDepth = 256

// MaxExponent bounds the decimal exponent of a number literal, and
// MaxDigits its digits: 1e999999999 is a dozen bytes of source but a
// billion digits once converted to a string.
const (
	MaxExponent = 4000
	MaxDigits   = 4000
)

// MaxTokens bounds the tokens of one file. The HCL parser keeps every
// token, and the tree it builds, in memory at once: a few hundred bytes
// per byte of dense source (an 8 MB list of numbers took 2 GB). A
// million tokens is several megabytes of ordinary HCL, beyond any
// hand-written file.
const MaxTokens = 1_000_000

// Error is a source refused: the line where the bound was crossed, and why.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func tokensError(line int) *Error {
	return &Error{Line: line, Msg: fmt.Sprintf("more than %d tokens; not parsed", MaxTokens)}
}

func depthError(line, max int) *Error {
	return &Error{Line: line, Msg: fmt.Sprintf("nested deeper than %d levels; not parsed", max)}
}

// frame kinds
const (
	frameParen   = '('
	frameBracket = '['
	frameBrace   = '{'
	frameInterp  = 'i' // ${ ... } or %{ ... }: an expression inside a template
	frameQuoted  = 'q' // "..." template
	frameHeredoc = 'h' // <<EOT ... EOT template
	frameBare    = 'b' // a whole template file, or a JSON string's content
)

type frame struct {
	kind   byte
	marker string // heredoc end marker
	// extra is what the frame adds to the depth besides itself:
	// conditional operators of the current expression (each one a
	// level of parser recursion) and open template directives.
	cond, dirs int
}

type scanner struct {
	src    []byte
	i      int
	line   int
	max    int
	tokens int
	stack  []frame
	extra  int // sum of cond and dirs over the stack, plus base
	err    *Error
	// cutSize, when not 0, asks HCLCuts' question; cuts are the answer
	// so far, and doubt says the source holds something the scanner
	// does not follow the parser through.
	cutSize int
	cuts    []Cut
	doubt   bool
}

// HCL scans a native-syntax HCL file (.tf, .tfvars).
func HCL(src []byte, max int) error {
	_, err := HCLCuts(src, max, 0)
	return err
}

// Cut is where a piece of an HCL file may start, at a line's start.
type Cut struct {
	Offset, Line int
}

// HCLCuts is HCL that also returns where src may be cut into pieces of
// at least size bytes (none when size is 0) that each hold whole
// top-level items: after a newline at the file level, outside brackets,
// strings, heredocs and comments. There are none when the source holds
// something the scan does not follow as the parser would (a closing
// bracket that closes nothing open, a string or comment without its
// end).
func HCLCuts(src []byte, max, size int) ([]Cut, error) {
	// The file level is a frame of its own (kind 0) that only holds the
	// conditionals of top-level expressions; it is not a level.
	s := &scanner{src: src, line: 1, max: max, stack: []frame{{}}, extra: -1, cutSize: size}
	s.run()
	if s.doubt || len(s.stack) != 1 || s.err != nil {
		s.cuts = nil
	}
	return s.cuts, s.result()
}

// Template scans a template file (templatefile's) as HCL parses it: text
// with ${...} interpolations and %{...} directives.
func Template(src []byte, max int) error {
	return templateAt(src, max, 1, 0)
}

func templateAt(src []byte, max, line, base int) error {
	s := &scanner{src: src, line: line, max: max, extra: base}
	s.push(frame{kind: frameBare})
	s.run()
	return s.result()
}

func (s *scanner) result() error {
	if s.err != nil {
		return s.err
	}
	return nil
}

// lastCut is the offset of the last cut, 0 before the first.
func (s *scanner) lastCut() int {
	if len(s.cuts) == 0 {
		return 0
	}
	return s.cuts[len(s.cuts)-1].Offset
}

func (s *scanner) depth() int { return len(s.stack) + s.extra }

func (s *scanner) push(f frame) {
	s.stack = append(s.stack, f)
	if s.depth() > s.max && s.err == nil {
		s.err = depthError(s.line, s.max)
	}
}

func (s *scanner) pop() {
	if len(s.stack) == 0 {
		return
	}
	f := s.stack[len(s.stack)-1]
	s.extra -= f.cond + f.dirs
	s.stack = s.stack[:len(s.stack)-1]
}

func (s *scanner) top() *frame {
	if len(s.stack) == 0 {
		return nil
	}
	return &s.stack[len(s.stack)-1]
}

// addCond counts a conditional operator in the current expression.
func (s *scanner) addCond() {
	f := s.top()
	if f == nil {
		return
	}
	f.cond++
	s.extra++
	if s.depth() > s.max && s.err == nil {
		s.err = depthError(s.line, s.max)
	}
}

func (s *scanner) resetCond() {
	if f := s.top(); f != nil && f.cond > 0 {
		s.extra -= f.cond
		f.cond = 0
	}
}

func (s *scanner) peekAt(k int) byte {
	if s.i+k < len(s.src) {
		return s.src[s.i+k]
	}
	return 0
}

func (s *scanner) run() {
	for s.i < len(s.src) && s.err == nil {
		if s.tokens > MaxTokens {
			s.err = tokensError(s.line)
			return
		}
		f := s.top()
		if f != nil && (f.kind == frameQuoted || f.kind == frameHeredoc || f.kind == frameBare) {
			s.template(f)
			continue
		}
		s.expr(f)
	}
}

// expr advances over one token of expression or body syntax.
func (s *scanner) expr(f *frame) {
	c := s.src[s.i]
	switch {
	case c == '\n':
		s.line++
		s.i++
		// A newline ends an expression at the file level, in a block
		// body or object constructor, but not inside () or [].
		if f == nil || f.kind == 0 || f.kind == frameBrace || f.kind == frameInterp {
			s.resetCond()
		}
		if s.cutSize > 0 && len(s.stack) == 1 && s.i-s.lastCut() >= s.cutSize && len(s.src)-s.i >= s.cutSize {
			s.cuts = append(s.cuts, Cut{Offset: s.i, Line: s.line})
		}
	case c == '#' || (c == '/' && s.peekAt(1) == '/'):
		for s.i < len(s.src) && s.src[s.i] != '\n' {
			s.i++
		}
	case c == '/' && s.peekAt(1) == '*':
		s.i += 2
		for s.i < len(s.src) && !(s.src[s.i] == '*' && s.peekAt(1) == '/') {
			if s.src[s.i] == '\n' {
				s.line++
			}
			s.i++
		}
		s.doubt = s.doubt || s.i >= len(s.src)
		s.i += 2
	case c == ' ' || c == '\t' || c == '\r':
		s.i++
	case c == '"':
		s.tokens++
		s.i++
		s.push(frame{kind: frameQuoted})
	case c == '<' && s.peekAt(1) == '<':
		s.heredocStart()
	case c == '(' || c == '[' || c == '{':
		s.tokens++
		s.i++
		s.push(frame{kind: c})
	case c == ')' || c == ']' || c == '}':
		s.tokens++
		s.i++
		// Only a matching closer pops: ignoring the others can only
		// overcount, which real files never come near the bound with.
		if f != nil && (f.kind == frameParen && c == ')' || f.kind == frameBracket && c == ']' ||
			(f.kind == frameBrace || f.kind == frameInterp) && c == '}') {
			s.pop()
		} else {
			s.doubt = true
		}
	case c == '?':
		s.tokens++
		s.i++
		s.addCond()
	case c == ',':
		s.tokens++
		s.i++
		s.resetCond()
	case c == '!' || c == '-':
		s.tokens++
		s.unaryRun()
	case c >= '0' && c <= '9':
		s.tokens++
		s.number()
	case isIdentStart(c):
		s.tokens++
		for s.i < len(s.src) && isIdentPart(s.src[s.i]) {
			s.i++
		}
	default:
		s.tokens++
		s.i++
	}
}

// unaryRun checks a run of ! and - operators (the parser recurses once
// per operator) and moves past it.
func (s *scanner) unaryRun() {
	n := 0
	j := s.i
	for j < len(s.src) {
		switch s.src[j] {
		case '!', '-':
			if s.src[j] == '!' && j+1 < len(s.src) && s.src[j+1] == '=' {
				break // "!=" is not unary
			}
			n++
			j++
			continue
		case ' ', '\t', '\r':
			j++
			continue
		}
		break
	}
	if s.depth()+n > s.max && s.err == nil {
		s.err = depthError(s.line, s.max)
	}
	if j == s.i {
		j++
	}
	s.i = j
}

// number checks a numeric literal's digits and exponent.
func (s *scanner) number() {
	digits := 0
	for s.i < len(s.src) && (isDigit(s.src[s.i]) || s.src[s.i] == '.') {
		if s.src[s.i] != '.' {
			digits++
		}
		s.i++
	}
	if digits > MaxDigits && s.err == nil {
		s.err = &Error{Line: s.line, Msg: fmt.Sprintf("number literal of more than %d digits; not parsed", MaxDigits)}
		return
	}
	if s.i < len(s.src) && (s.src[s.i] == 'e' || s.src[s.i] == 'E') {
		j := s.i + 1
		if j < len(s.src) && (s.src[j] == '+' || s.src[j] == '-') {
			j++
		}
		exp, n := 0, 0
		for j < len(s.src) && isDigit(s.src[j]) {
			if exp <= MaxExponent {
				exp = exp*10 + int(s.src[j]-'0')
			}
			j++
			n++
		}
		if n > 0 {
			s.i = j
			if exp > MaxExponent && s.err == nil {
				s.err = &Error{Line: s.line, Msg: fmt.Sprintf("number literal with an exponent beyond %d; not parsed", MaxExponent)}
			}
		}
	}
}

// heredocStart recognizes <<EOT and <<-EOT followed by a newline.
func (s *scanner) heredocStart() {
	j := s.i + 2
	if j < len(s.src) && s.src[j] == '-' {
		j++
	}
	start := j
	for j < len(s.src) && isIdentPart(s.src[j]) {
		j++
	}
	if j == start || !isIdentStart(s.src[start]) {
		s.i += 2
		return
	}
	marker := string(s.src[start:j])
	for j < len(s.src) && s.src[j] == '\r' {
		j++
	}
	if j >= len(s.src) || s.src[j] != '\n' {
		s.i += 2
		return
	}
	s.i = j + 1
	s.line++
	s.push(frame{kind: frameHeredoc, marker: marker})
}

// template advances over template text: the content of a quoted string,
// a heredoc, a template file or a JSON string.
func (s *scanner) template(f *frame) {
	c := s.src[s.i]
	if f.kind == frameHeredoc && (s.i == 0 || s.src[s.i-1] == '\n') && s.heredocEnd(f.marker) {
		s.pop()
		return
	}
	switch {
	case c == '\n':
		s.line++
		s.i++
		if f.kind == frameQuoted {
			s.pop() // a quoted string cannot span lines: the parser stops here too
			s.doubt = true
		}
	case c == '\\' && f.kind == frameQuoted:
		s.i += 2
	case c == '"' && f.kind == frameQuoted:
		s.i++
		s.pop()
	case (c == '$' || c == '%') && s.peekAt(1) == c && s.peekAt(2) == '{':
		s.i += 3 // $${ and %%{ are literal
	case c == '$' && s.peekAt(1) == '{':
		s.tokens += 2 // the literal before it, and the sequence
		s.i += 2
		s.push(frame{kind: frameInterp})
	case c == '%' && s.peekAt(1) == '{':
		s.tokens += 2
		s.i += 2
		switch s.directiveKeyword() {
		case "if", "for":
			f.dirs++
			s.extra++
		case "endif", "endfor":
			if f.dirs > 0 {
				f.dirs--
				s.extra--
			}
		}
		s.push(frame{kind: frameInterp})
	default:
		s.i++
	}
}

// heredocEnd reports whether the line at s.i closes the heredoc, and
// then moves past the marker.
func (s *scanner) heredocEnd(marker string) bool {
	j := s.i
	for j < len(s.src) && (s.src[j] == ' ' || s.src[j] == '\t') {
		j++
	}
	if j+len(marker) > len(s.src) || string(s.src[j:j+len(marker)]) != marker {
		return false
	}
	k := j + len(marker)
	for k < len(s.src) && (s.src[k] == ' ' || s.src[k] == '\t' || s.src[k] == '\r') {
		k++
	}
	if k < len(s.src) && s.src[k] != '\n' {
		return false
	}
	s.i = k
	return true
}

// directiveKeyword reads the keyword after %{ (and an optional ~).
func (s *scanner) directiveKeyword() string {
	j := s.i
	if j < len(s.src) && s.src[j] == '~' {
		j++
	}
	for j < len(s.src) && (s.src[j] == ' ' || s.src[j] == '\t') {
		j++
	}
	start := j
	for j < len(s.src) && isIdentPart(s.src[j]) {
		j++
	}
	return string(s.src[start:j])
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || (c|0x20) >= 'a' && (c|0x20) <= 'z' || c >= 0x80 }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) || c == '-' }

// JSON scans a JSON document. With templates set, the content of every
// string that holds a template sequence is scanned as an HCL template
// too, at the depth of the string, as Terraform reads .tf.json strings.
// maxTokens bounds the document's tokens when it is not 0 (HCL's JSON
// parser keeps them all; a plan decoded by encoding/json needs no such
// bound, and real ones have millions).
func JSON(src []byte, max, maxTokens int, templates bool) error {
	depth, line, tokens := 0, 1, 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c == '\n':
			line++
		case c == ' ' || c == '\t' || c == '\r':
			continue
		default:
			if tokens++; maxTokens > 0 && tokens > maxTokens {
				return tokensError(line)
			}
		}
		switch c := src[i]; {
		case c == '[' || c == '{':
			depth++
			if depth > max {
				return depthError(line, max)
			}
		case c == ']' || c == '}':
			if depth > 0 {
				depth--
			}
		case c == '"':
			start := i
			hasTemplate := false
			for i++; i < len(src) && src[i] != '"'; i++ {
				switch src[i] {
				case '\\':
					i++
				case '{':
					if src[i-1] == '$' || src[i-1] == '%' {
						hasTemplate = true
					}
				case '\n':
					line++
				}
			}
			if templates && hasTemplate && i < len(src) {
				var text string
				if json.Unmarshal(src[start:i+1], &text) == nil {
					if err := templateAt([]byte(text), max, line, depth); err != nil {
						return err
					}
				}
			}
		case c == '-' || isDigit(c):
			j := i
			if c == '-' {
				j++
			}
			s := &scanner{src: src[j:], line: line, max: max}
			s.number()
			if s.err != nil {
				return s.err
			}
			i = j + s.i - 1
		}
	}
	return nil
}
