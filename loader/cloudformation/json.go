package cloudformation

import (
	"bytes"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// JSON templates (what the CDK writes, often the largest) are read by a
// parser of their own: the YAML parser reads JSON too, at a tenth of the
// speed. It builds the same nodes the YAML path would (lines, types,
// order), and leaves anything it is not sure to read as YAML would (a
// duplicate key, a byte YAML counts as a line break, a surrogate escape,
// a syntax error, deep nesting) to the YAML path, which also words the
// errors. A differential fuzz test keeps the two in step.

// jsonParser reads one JSON document into nodes.
type jsonParser struct {
	c    *converter
	data []byte
	pos  int
	line int
}

// parseJSON reads content as JSON; ok is false when the YAML path must
// read it instead.
func parseJSON(content []byte) (n *node, ok bool) {
	data := bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	// YAML counts CR, NEL, LS and PS as line breaks, where JSON may hold
	// them; such files go the YAML way, so lines agree.
	if bytes.Contains(data, []byte("\xc2\x85")) || bytes.Contains(data, []byte("\xe2\x80\xa8")) || bytes.Contains(data, []byte("\xe2\x80\xa9")) {
		return nil, false
	}
	if i := bytes.IndexByte(data, '\r'); i >= 0 {
		return nil, false
	}
	p := &jsonParser{c: &converter{}, data: data, line: 1}
	p.space()
	if p.pos >= len(p.data) || p.data[p.pos] != '{' {
		return nil, false
	}
	n, ok = p.value(0)
	if !ok {
		return nil, false
	}
	p.space()
	if p.pos != len(p.data) {
		return nil, false
	}
	return n, true
}

// space skips white space, counting lines.
func (p *jsonParser) space() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case '\n':
			p.line++
		case ' ', '\t':
		default:
			return
		}
		p.pos++
	}
}

func (p *jsonParser) value(depth int) (*node, bool) {
	if depth > maxDepth {
		return nil, false
	}
	p.space()
	if p.pos >= len(p.data) {
		return nil, false
	}
	var n *node
	var ok bool
	switch b := p.data[p.pos]; {
	case b == '{':
		n, ok = p.object(depth)
	case b == '[':
		n, ok = p.array(depth)
	case b == '"':
		line := p.line
		var s string
		if s, ok = p.str(); ok {
			n = p.scalar(s, typeString, line)
		}
	default:
		n, ok = p.literal()
	}
	if !ok {
		return nil, false
	}
	n.active = isActive(n)
	return n, true
}

func (p *jsonParser) scalar(s string, typ scalarType, line int) *node {
	n := p.c.newNode()
	n.kind, n.typ, n.value, n.line, n.endLine = kindScalar, typ, s, line, line
	return n
}

func (p *jsonParser) object(depth int) (*node, bool) {
	n := p.c.newNode()
	n.kind, n.line, n.endLine = kindMap, p.line, p.line
	p.pos++ // {
	var keys, vals []*node
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		n.keys, n.vals = p.c.newPtrs(0), p.c.newPtrs(0)
		return n, true
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, false
		}
		line := p.line
		s, ok := p.str()
		if !ok {
			return nil, false
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, false
		}
		p.pos++
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		keys = append(keys, p.scalar(s, typeString, line))
		vals = append(vals, v)
		n.endLine = max(n.endLine, v.endLine, line)
		p.space()
		if p.pos >= len(p.data) {
			return nil, false
		}
		if p.data[p.pos] == '}' {
			p.pos++
			break
		}
		if p.data[p.pos] != ',' {
			return nil, false
		}
		p.pos++
	}
	// Duplicate keys are the YAML path's to report.
	var seen map[string]int
	if len(keys) > smallMapping {
		seen = make(map[string]int, len(keys))
	}
	n.keys, n.vals = p.c.newPtrs(len(keys)), p.c.newPtrs(len(vals))
	for i, k := range keys {
		if _, dup := n.lookupKey(seen, k.value); dup {
			return nil, false
		}
		if seen != nil {
			seen[k.value] = k.line
		}
		n.keys = append(n.keys, k)
		n.vals = append(n.vals, vals[i])
	}
	return n, true
}

func (p *jsonParser) array(depth int) (*node, bool) {
	n := p.c.newNode()
	n.kind, n.line, n.endLine = kindList, p.line, p.line
	p.pos++ // [
	var items []*node
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		n.items = p.c.newPtrs(0)
		return n, true
	}
	for {
		v, ok := p.value(depth + 1)
		if !ok {
			return nil, false
		}
		items = append(items, v)
		n.endLine = max(n.endLine, v.endLine)
		p.space()
		if p.pos >= len(p.data) {
			return nil, false
		}
		if p.data[p.pos] == ']' {
			p.pos++
			break
		}
		if p.data[p.pos] != ',' {
			return nil, false
		}
		p.pos++
	}
	n.items = append(p.c.newPtrs(len(items)), items...)
	return n, true
}

// str reads a string, unescaping it. Control characters, bytes that are
// not UTF-8 and escaped surrogates are left to the YAML path.
func (p *jsonParser) str() (string, bool) {
	p.pos++ // "
	start := p.pos
	for p.pos < len(p.data) {
		b := p.data[p.pos]
		switch {
		case b == '"':
			s := p.data[start:p.pos]
			p.pos++
			if !utf8.Valid(s) {
				return "", false
			}
			return string(s), true
		case b == '\\':
			return p.escapedStr(start)
		case b < 0x20:
			return "", false
		}
		p.pos++
	}
	return "", false
}

// escapedStr reads the rest of a string that has escapes.
func (p *jsonParser) escapedStr(start int) (string, bool) {
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		b := p.data[p.pos]
		switch {
		case b == '"':
			p.pos++
			if !utf8.Valid(buf) {
				return "", false
			}
			return string(buf), true
		case b < 0x20:
			return "", false
		case b != '\\':
			buf = append(buf, b)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.data) {
			return "", false
		}
		e := p.data[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			if p.pos+4 > len(p.data) {
				return "", false
			}
			r, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 16)
			if err != nil || utf16.IsSurrogate(rune(r)) {
				return "", false
			}
			buf = utf8.AppendRune(buf, rune(r))
			p.pos += 4
		default:
			return "", false
		}
	}
	return "", false
}

// literal reads a number, true, false or null.
func (p *jsonParser) literal() (*node, bool) {
	line := p.line
	for _, w := range []struct {
		text string
		typ  scalarType
	}{{"true", typeBool}, {"false", typeBool}} {
		if bytes.HasPrefix(p.data[p.pos:], []byte(w.text)) {
			p.pos += len(w.text)
			return p.scalar(w.text, w.typ, line), p.endOfLiteral()
		}
	}
	if bytes.HasPrefix(p.data[p.pos:], []byte("null")) {
		p.pos += 4
		n := p.c.newNode()
		n.kind, n.value, n.line, n.endLine = kindNull, "null", line, line
		return n, p.endOfLiteral()
	}
	start := p.pos
	if p.pos < len(p.data) && p.data[p.pos] == '-' {
		p.pos++
	}
	digits := p.digits()
	if digits == 0 || (p.data[start] == '0' || p.data[start] == '-' && p.data[start+1] == '0') && digits > 1 {
		return nil, false
	}
	typ := typeInt
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if p.digits() == 0 {
			return nil, false
		}
		typ = typeFloat
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if p.digits() == 0 {
			return nil, false
		}
		typ = typeFloat
	}
	text := string(p.data[start:p.pos])
	if typ == typeInt && !fitsInt(text) {
		// As YAML reads it: an integer past 64 bits is a float.
		typ = typeFloat
	}
	return p.scalar(text, typ, line), p.endOfLiteral()
}

// fitsInt reports whether an integer's text fits 64 bits, signed or not.
func fitsInt(s string) bool {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return true
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

func (p *jsonParser) digits() int {
	n := 0
	for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
		p.pos++
		n++
	}
	return n
}

// endOfLiteral checks that a literal ends where JSON says it does.
func (p *jsonParser) endOfLiteral() bool {
	if p.pos >= len(p.data) {
		return true
	}
	switch p.data[p.pos] {
	case ' ', '\t', '\n', ',', '}', ']':
		return true
	}
	return false
}
