package tfplan

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strconv"

	"github.com/vpclint/vpclint/loader/tfaws"
)

// lineIndex maps byte offsets of a text to 1-based line numbers.
type lineIndex struct {
	newlines []int // offsets of '\n'
}

func newLineIndex(b []byte) *lineIndex {
	li := &lineIndex{}
	for off := 0; ; {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			break
		}
		li.newlines = append(li.newlines, off+i)
		off += i + 1
	}
	return li
}

// line gives the 1-based line of a byte offset; never 0.
func (li *lineIndex) line(off int) int {
	if off < 0 {
		return 1
	}
	return sort.SearchInts(li.newlines, off) + 1
}

// errSyntax is returned by the scanner on malformed JSON; the decoder that
// reads the plan reports the precise error.
var errSyntax = errors.New("malformed JSON")

// scanner walks JSON text by bytes, without decoding values, to find where
// things are.
type scanner struct {
	b     []byte
	i     int
	depth int
}

const maxDepth = 512

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

func (s *scanner) expect(c byte) error {
	if s.peek() != c {
		return errSyntax
	}
	s.i++
	return nil
}

// str reads a string and returns it decoded.
func (s *scanner) str() (string, error) {
	if s.peek() != '"' {
		return "", errSyntax
	}
	start := s.i
	s.i++
	escaped := false
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			escaped = true
			s.i += 2
			continue
		case '"':
			s.i++
			raw := s.b[start:s.i]
			if !escaped {
				return string(raw[1 : len(raw)-1]), nil
			}
			var out string
			if err := json.Unmarshal(raw, &out); err != nil {
				return "", errSyntax
			}
			return out, nil
		}
		s.i++
	}
	return "", errSyntax
}

// skip skips one value.
func (s *scanner) skip() error {
	switch c := s.peek(); c {
	case '"':
		_, err := s.skipString()
		return err
	case '{', '[':
		return s.skipComposite()
	case 0:
		return errSyntax
	default:
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return nil
			}
			s.i++
		}
		return nil
	}
}

func (s *scanner) skipString() (int, error) {
	start := s.i
	s.i++
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			s.i += 2
			continue
		case '"':
			s.i++
			return start, nil
		}
		s.i++
	}
	return start, errSyntax
}

// skipComposite skips an object or array by counting brackets outside
// strings.
func (s *scanner) skipComposite() error {
	depth := 0
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '"':
			if _, err := s.skipString(); err != nil {
				return err
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				s.i++
				return nil
			}
		}
		s.i++
	}
	return errSyntax
}

// object calls fn for each key, positioned at the value; fn must consume
// the value.
func (s *scanner) object(fn func(key string) error) error {
	if err := s.expect('{'); err != nil {
		return err
	}
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > maxDepth {
		return errSyntax
	}
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		k, err := s.str()
		if err != nil {
			return err
		}
		if err := s.expect(':'); err != nil {
			return err
		}
		s.ws()
		if err := fn(k); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return errSyntax
		}
	}
}

// array calls fn for each element, positioned at it; fn must consume it.
func (s *scanner) array(fn func(i int) error) error {
	if err := s.expect('['); err != nil {
		return err
	}
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > maxDepth {
		return errSyntax
	}
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for n := 0; ; n++ {
		s.ws()
		if err := fn(n); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return errSyntax
		}
	}
}

// topKeys lists the top-level keys of a JSON object, stopping early once
// stop says so. ok is false when the text does not start an object.
func topKeys(b []byte, stop func(keys map[string]bool) bool) (keys map[string]bool, ok bool) {
	s := &scanner{b: b}
	if s.peek() != '{' {
		return nil, false
	}
	keys = map[string]bool{}
	errStop := errors.New("stop")
	err := s.object(func(k string) error {
		keys[k] = true
		if stop(keys) {
			return errStop
		}
		return s.skip()
	})
	_ = err // a truncated or garbled text still tells its first keys
	return keys, true
}

// modPos is where a state module's resources are in the text.
type modPos struct {
	resources []int
	ends      []int
	children  []*modPos
}

// positions is where the plan's parts are, as byte offsets.
type positions struct {
	changes    []int            // resource_changes[i]
	changeEnds []int            // where resource_changes[i] ends
	afterAttrs []map[string]int // resource_changes[i].change.after paths
	planned    *modPos          // planned_values.root_module
	values     *modPos          // values.root_module (a state)
}

// maxAttrDepth limits how deep attribute paths in change.after are indexed.
const maxAttrDepth = 4

// scanPositions indexes a plan text. It gives up quietly on malformed
// text: what it found so far is still useful.
func scanPositions(b []byte) *positions {
	p := &positions{}
	s := &scanner{b: b}
	_ = s.object(func(k string) error {
		switch k {
		case "resource_changes":
			return s.array(func(int) error {
				p.changes = append(p.changes, s.i)
				p.changeEnds = append(p.changeEnds, s.i)
				attrs := map[string]int{}
				p.afterAttrs = append(p.afterAttrs, attrs)
				n := len(p.changeEnds) - 1
				defer func() { p.changeEnds[n] = max(s.i-1, 0) }()
				if s.peek() != '{' {
					return s.skip()
				}
				typ := ""
				return s.object(func(k string) error {
					if k == "type" && s.peek() == '"' {
						t, err := s.str()
						typ = t
						return err
					}
					// Terraform writes "type" before "change": skip the
					// values of resources the loader does not map.
					if k != "change" || s.peek() != '{' || (typ != "" && !tfaws.Supported(typ)) {
						return s.skip()
					}
					return s.object(func(k string) error {
						if k != "after" {
							return s.skip()
						}
						return s.attrs("", 0, attrs)
					})
				})
			})
		case "planned_values", "values":
			top := k
			if s.peek() != '{' {
				return s.skip()
			}
			return s.object(func(k string) error {
				if k != "root_module" {
					return s.skip()
				}
				m, err := s.module()
				if top == "values" {
					p.values = m
				} else {
					p.planned = m
				}
				return err
			})
		}
		return s.skip()
	})
	return p
}

// module indexes a state module object.
func (s *scanner) module() (*modPos, error) {
	m := &modPos{}
	if s.peek() != '{' {
		return m, s.skip()
	}
	err := s.object(func(k string) error {
		switch k {
		case "resources":
			if s.peek() != '[' {
				return s.skip()
			}
			return s.array(func(int) error {
				m.resources = append(m.resources, s.i)
				err := s.skip()
				m.ends = append(m.ends, max(s.i-1, 0))
				return err
			})
		case "child_modules":
			if s.peek() != '[' {
				return s.skip()
			}
			return s.array(func(int) error {
				c, err := s.module()
				m.children = append(m.children, c)
				return err
			})
		}
		return s.skip()
	})
	return m, err
}

// attrs records the offset of every value under a path, to maxAttrDepth.
func (s *scanner) attrs(prefix string, depth int, out map[string]int) error {
	switch s.peek() {
	case '{':
		if depth >= maxAttrDepth {
			return s.skip()
		}
		return s.object(func(k string) error {
			path := k
			if prefix != "" {
				path = prefix + "." + k
			}
			out[path] = s.i
			return s.attrs(path, depth+1, out)
		})
	case '[':
		if depth >= maxAttrDepth {
			return s.skip()
		}
		return s.array(func(i int) error {
			path := prefix + "[" + strconv.Itoa(i) + "]"
			out[path] = s.i
			return s.attrs(path, depth+1, out)
		})
	}
	return s.skip()
}

// jsonErrorOffset gives the byte offset a JSON decoding error names.
func jsonErrorOffset(err error) (int64, bool) {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return se.Offset, true
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Offset, true
	}
	return 0, false
}
