package cloudformation

import (
	"bytes"

	"go.yaml.in/yaml/v3"
)

// A large YAML template is parsed piece by piece: yaml.v3 builds a tree
// of its own nodes (160 bytes each, and a string per scalar) before the
// converter copies it, and for 20,000 resources that tree was 400 MB held
// at once and marked by every garbage collection while it grew. Pieces of
// a few top-level sections or a few dozen resources are cut only where the
// structure is plain: at lines that start a key of the top-level mapping
// (column 0) or of a large section's mapping (its first key's
// indentation). Anything the cut could change (a piece that does not
// parse or is not a plain block mapping, a merge key, an anchor of
// another piece, a key two pieces share) makes the file parsed whole, so
// the tree and every error are exactly parseYAMLWhole's.
const (
	// chunkedMin is the size from which a template is cut into pieces.
	chunkedMin = 256 << 10
	// chunkSize is the least size of a piece of a section that is cut.
	chunkSize = 64 << 10
)

// piece is a part of a file parsed on its own: the bytes [start, end),
// whose first line is line (counted from 1).
type piece struct {
	start, end, line int
}

// section is a top-level entry of the template: its piece and, when it
// is cut, the key and the pieces of its mapping.
type section struct {
	piece
	key  string
	subs []piece
}

// srcLine is a line of a template as the cutter sees it.
type srcLine struct {
	start, end int // the line's bytes, without its newline
	num        int
	indent     int  // leading spaces
	first      byte // the byte after them; 0 when the line is blank
}

// content says whether a line holds a node (not blank, not a comment).
func (l srcLine) content() bool { return l.first != 0 && l.first != '#' }

// startsEntry says whether a line at a mapping's indentation starts one
// of its keys, not an item of a sequence written at the same
// indentation as its key ("Key:\n- item").
func (l srcLine) startsEntry(content []byte) bool {
	if l.first != '-' {
		return true
	}
	i := l.start + l.indent + 1
	return i < l.end && content[i] != ' ' && content[i] != '\t' && content[i] != '\r'
}

// eachLine calls fn for every line of content[from:to]; line is the
// number of the first. It stops, returning false, when fn does or at a
// tab in a line's indentation, which no cut can be sure of.
func eachLine(content []byte, from, to, line int, fn func(srcLine) bool) bool {
	for start := from; start < to; line++ {
		end := bytes.IndexByte(content[start:to], '\n')
		next := start + end + 1
		if end < 0 {
			end, next = to, to
		} else {
			end += start
		}
		l := srcLine{start: start, end: end, num: line}
		for l.indent < end-start && content[start+l.indent] == ' ' {
			l.indent++
		}
		if i := start + l.indent; i < end && content[i] != '\r' {
			l.first = content[i]
		}
		if l.first == '\t' || !fn(l) {
			return false
		}
		start = next
	}
	return true
}

// cutTemplate finds the top-level sections of a template and cuts those
// larger than size into pieces of about size bytes. ok is false when the
// template's structure is not plain enough to cut.
func cutTemplate(content []byte, size int) (secs []section, ok bool) {
	if bytes.HasPrefix(content, []byte("\xef\xbb\xbf")) {
		return nil, false
	}
	started := false
	ok = eachLine(content, 0, len(content), 1, func(l srcLine) bool {
		if !l.content() {
			return true
		}
		text := content[l.start+l.indent : l.end]
		if l.indent == 0 && (bytes.HasPrefix(text, []byte("---")) || bytes.HasPrefix(text, []byte("...")) || text[0] == '%') {
			// A document marker or a directive: only "---" before the
			// first section, which starts the one document.
			if started || len(secs) > 0 || string(bytes.TrimRight(text, " \r")) != "---" {
				return false
			}
			started = true
			return true
		}
		if l.indent > 0 || !l.startsEntry(content) {
			// Inside a section; before the first, a node that is not
			// one of the top-level mapping's keys.
			return len(secs) > 0
		}
		if n := len(secs); n > 0 {
			secs[n-1].end = l.start
		}
		secs = append(secs, section{piece: piece{start: l.start, end: len(content), line: l.num}})
		return true
	})
	if !ok || len(secs) == 0 {
		return nil, false
	}
	for i := range secs {
		if secs[i].end-secs[i].start > size {
			secs[i].cut(content, size)
		}
	}
	return secs, true
}

// cut cuts a section written "Key:" and then a block mapping into pieces
// at the lines that start its keys; it leaves any other section whole.
func (s *section) cut(content []byte, size int) {
	eol := bytes.IndexByte(content[s.start:s.end], '\n')
	if eol < 0 {
		return
	}
	key, ok := plainKeyLine(content[s.start : s.start+eol])
	if !ok {
		return
	}
	indent := -1
	var subs []piece
	ok = eachLine(content, s.start+eol+1, s.end, s.line+1, func(l srcLine) bool {
		if !l.content() {
			return true
		}
		switch {
		case indent < 0:
			indent = l.indent
			if indent == 0 || !l.startsEntry(content) {
				return false
			}
			subs = append(subs, piece{start: l.start, end: s.end, line: l.num})
		case l.indent < indent:
			return false
		case l.indent == indent && l.startsEntry(content):
			if last := &subs[len(subs)-1]; l.start-last.start >= size {
				last.end = l.start
				subs = append(subs, piece{start: l.start, end: s.end, line: l.num})
			}
		}
		return true
	})
	if ok && len(subs) > 0 {
		s.key, s.subs = key, subs
	}
}

// plainKeyLine reads a line "Key:" (a plain key of letters and digits,
// then nothing but blanks or a comment), the only key line a section is
// cut under.
func plainKeyLine(line []byte) (string, bool) {
	i := 0
	for i < len(line) && (line[i] >= 'A' && line[i] <= 'Z' || line[i] >= 'a' && line[i] <= 'z' || line[i] >= '0' && line[i] <= '9') {
		i++
	}
	if i == 0 || i == len(line) || line[i] != ':' {
		return "", false
	}
	rest := bytes.TrimLeft(line[i+1:], " ")
	if len(rest) > 0 && rest[0] != '#' && string(rest) != "\r" {
		return "", false
	}
	if len(rest) > 0 && rest[0] == '#' && len(line[i+1:]) == len(rest) {
		// "Key:#x" is not a comment.
		return "", false
	}
	return string(line[:i]), true
}

// parseYAMLChunked parses a template piece by piece. ok is false when it
// cannot be, or when any piece fails: the caller parses it whole.
func parseYAMLChunked(content []byte, size int) (*node, bool) {
	secs, ok := cutTemplate(content, size)
	if !ok {
		return nil, false
	}
	c := &converter{budget: minNodeBudget + nodeBudgetPerByte*len(content)}
	left := c.budget
	root := &mergedMap{}
	for _, s := range secs {
		if s.subs == nil {
			m, ok := c.piece(content, s.piece, 0, &left)
			if !ok || !root.add(m) {
				return nil, false
			}
			continue
		}
		val := &mergedMap{}
		for _, p := range s.subs {
			m, ok := c.piece(content, p, 1, &left)
			if !ok || !val.add(m) {
				return nil, false
			}
		}
		val.n.active = isActive(val.n)
		entry := &node{kind: kindMap, line: s.line, endLine: s.line, keys: []key{{value: s.key, line: s.line}}, vals: []*node{val.n}}
		if !root.add(entry) {
			return nil, false
		}
		root.n.endLine = max(root.n.endLine, val.n.endLine)
	}
	root.n.active = isActive(root.n)
	return root.n, true
}

// piece parses and converts one piece, a block mapping at depth depth of
// the template, paying its nodes from left.
func (c *converter) piece(content []byte, p piece, depth int, left *int) (*node, bool) {
	var doc yaml.Node
	if yaml.Unmarshal(content[p.start:p.end], &doc) != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, false
	}
	y := doc.Content[0]
	if y.Kind != yaml.MappingNode || y.Tag != "!!map" || y.Anchor != "" || y.Style&yaml.FlowStyle != 0 {
		return nil, false
	}
	for i := 0; i < len(y.Content); i += 2 {
		if y.Content[i].Tag == "!!merge" {
			return nil, false
		}
	}
	anchors := map[*yaml.Node]int{}
	size, _ := expandedSize(&doc, anchors, *left, 0)
	if *left -= size; *left < 0 {
		return nil, false
	}
	c.release, c.off, c.at = len(anchors) == 0, p.line-1, 0
	n, err := c.mapping(y, depth, nil)
	return n, err == nil
}

// mergedMap is a mapping assembled from the mappings of pieces.
type mergedMap struct {
	n    *node
	seen keySet
}

// add appends m's entries; false when a key is already there (the whole
// file reports it).
func (mm *mergedMap) add(m *node) bool {
	if mm.n == nil {
		mm.n = &node{kind: kindMap, line: m.line, endLine: m.line}
	}
	for i, k := range m.keys {
		if _, dup := mm.seen.dup(mm.n.keys, k); dup {
			return false
		}
		mm.n.keys = append(mm.n.keys, k)
		mm.n.vals = append(mm.n.vals, m.vals[i])
	}
	mm.n.endLine = max(mm.n.endLine, m.endLine)
	return true
}
