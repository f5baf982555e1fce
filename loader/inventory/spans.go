package inventory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// The spans of a snapshot: where each resource starts and ends, and the
// line of each of its attribute paths ("ingress[0].cidr_blocks[1]"),
// found by walking the snapshot's tokens with encoding/json's Decoder,
// whose InputOffset says where each token ends.

// span is where one resource sits in the snapshot.
type span struct {
	start, end int
	attrs      map[string]int
}

// scan walks a snapshot and returns, per unit and resource list, the line
// span of each resource and the line of each of its attribute paths.
func scan(content []byte) ([]map[string][]span, error) {
	w := newWalker(content)
	var out []map[string][]span
	err := w.object(func(key string) error {
		if key != "units" || w.null() {
			return w.skip()
		}
		return w.array(func(int) error {
			unit := map[string][]span{}
			out = append(out, unit)
			if w.null() { // a null unit, which Read skips
				return w.skip()
			}
			return w.unit(unit)
		})
	})
	return out, err
}

// unitSpans walks the text of one unit, lines counted from its first.
func unitSpans(content []byte) (map[string][]span, error) {
	unit := map[string][]span{}
	return unit, newWalker(content).unit(unit)
}

// walker reads JSON tokens and knows the line where each value starts.
type walker struct {
	dec     *json.Decoder
	content []byte
	// line is the line of byte off: offsets only grow during a walk, so
	// lines are counted as it goes.
	off, line int
}

func newWalker(content []byte) *walker {
	dec := json.NewDecoder(bytes.NewReader(content))
	dec.UseNumber()
	return &walker{dec: dec, content: content, line: 1}
}

// lineOf is the line of byte offset off, at or after every offset asked
// before.
func (w *walker) lineOf(off int) int {
	off = min(off, len(w.content))
	if off > w.off {
		w.line += bytes.Count(w.content[w.off:off], []byte{'\n'})
		w.off = off
	}
	return w.line
}

// valueStart is the byte offset of the next value: the decoder's offset
// moved past white space, commas and colons.
func (w *walker) valueStart() int {
	i := int(w.dec.InputOffset())
	for i < len(w.content) {
		switch w.content[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
			continue
		}
		break
	}
	return i
}

// null reports whether the next value is null.
func (w *walker) null() bool {
	return bytes.HasPrefix(w.content[w.valueStart():], []byte("null"))
}

func (w *walker) delim(want json.Delim) error {
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("offset %d: want %q, got %v", w.dec.InputOffset(), want, tok)
	}
	return nil
}

// object reads an object, calling member for each key with the decoder
// positioned at the key's value.
func (w *walker) object(member func(key string) error) error {
	if err := w.delim('{'); err != nil {
		return err
	}
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("offset %d: object key is not a string", w.dec.InputOffset())
		}
		if err := member(key); err != nil {
			return err
		}
	}
	return w.delim('}')
}

// array reads an array, calling elem for each element.
func (w *walker) array(elem func(i int) error) error {
	if err := w.delim('['); err != nil {
		return err
	}
	for i := 0; w.dec.More(); i++ {
		if err := elem(i); err != nil {
			return err
		}
	}
	return w.delim(']')
}

// skip reads the next value whole.
func (w *walker) skip() error {
	var raw json.RawMessage
	return w.dec.Decode(&raw)
}

// unit walks a unit's object, recording the span of each resource.
func (w *walker) unit(unit map[string][]span) error {
	return w.object(func(coll string) error {
		if !isCollection(coll) || w.null() { // null: no resources
			return w.skip()
		}
		return w.array(func(int) error {
			start := w.lineOf(w.valueStart())
			attrs := map[string]int{}
			if err := w.value("", attrs); err != nil {
				return err
			}
			// The value ends on the line of its last byte.
			end := w.lineOf(int(w.dec.InputOffset()) - 1)
			unit[coll] = append(unit[coll], span{start: start, end: end, attrs: attrs})
			return nil
		})
	})
}

// value reads any value, recording the line where each attribute path's
// value starts (path "" is not recorded).
func (w *walker) value(path string, attrs map[string]int) error {
	start := w.valueStart()
	if start >= len(w.content) {
		return io.ErrUnexpectedEOF
	}
	if path != "" {
		attrs[path] = w.lineOf(start)
	}
	switch w.content[start] {
	case '{':
		return w.object(func(key string) error {
			p := key
			if path != "" {
				p = path + "." + key
			}
			return w.value(p, attrs)
		})
	case '[':
		return w.array(func(i int) error {
			return w.value(path+"["+strconv.Itoa(i)+"]", attrs)
		})
	}
	return w.skip()
}
