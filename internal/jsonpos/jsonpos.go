// Package jsonpos finds where the parts of a JSON text are, as line
// numbers, for loaders that decode a document with one library and must
// still point users at lines: the plan loader (terraform-json decodes the
// plan), the inventory loader (encoding/json decodes the snapshot) and
// the CloudFormation JSON reader. It walks the text with jsontext, the
// tokenizer of the JSON v2 work (github.com/go-json-experiment/json),
// which hands out tokens without allocating and the byte offset after
// each; Lines turns offsets into lines.
package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"
)

// Lines turns byte offsets of a text into 1-based line numbers. A line
// ends at LF, CR LF or a lone CR, as YAML and editors count them. It holds
// where each line starts; offsets asked in growing order cost one pass
// over the starts (a cursor moves forward), any other a binary search.
type Lines struct {
	starts []int
	cur    int
}

// NewLines indexes the line starts of text.
func NewLines(text []byte) Lines {
	starts := make([]int, 1, bytes.Count(text, []byte("\n"))+1)
	breaks := "\r\n"
	if bytes.IndexByte(text, '\r') < 0 {
		breaks = "\n" // the common case, searched for faster
	}
	for i := 0; i < len(text); {
		j := bytes.IndexAny(text[i:], breaks)
		if j < 0 {
			break
		}
		i += j + 1
		if text[i-1] == '\r' && i < len(text) && text[i] == '\n' {
			i++
		}
		starts = append(starts, i)
	}
	return Lines{starts: starts}
}

// At is the line of the byte at off; an offset before the text is on
// line 1, one past its end on the last line.
func (x *Lines) At(off int) int {
	if off < x.starts[x.cur] {
		x.cur = max(sort.SearchInts(x.starts, off+1)-1, 0)
	}
	for x.cur+1 < len(x.starts) && x.starts[x.cur+1] <= off {
		x.cur++
	}
	return x.cur + 1
}

// ErrorLine is the line of the byte an encoding/json decoding error
// names (a syntax error or a value of the wrong type), or 0 when the
// error names no place.
func ErrorLine(text []byte, err error) int {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return 0
	}
	// The offset counts the bytes read, the culprit among them.
	lines := NewLines(text)
	return lines.At(int(off) - 1)
}

// Walker reads a JSON text value by value and knows the line of each. It
// is lenient where the decoders the loaders use are (duplicate names,
// invalid UTF-8): it only says where things are. Its methods return the
// tokenizer's error on malformed text; what was found before it stands.
type Walker struct {
	dec   *jsontext.Decoder
	text  []byte
	lines *Lines // indexed when a line is first asked for
}

// NewWalker starts a walk at the beginning of text.
func NewWalker(text []byte) *Walker {
	return &Walker{
		// A bytes.Buffer is read in place, not copied.
		dec:  jsontext.NewDecoder(bytes.NewBuffer(text), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)),
		text: text,
	}
}

// at is the line of the byte at off.
func (w *Walker) at(off int) int {
	if w.lines == nil {
		l := NewLines(w.text)
		w.lines = &l
	}
	return w.lines.At(off)
}

// Kind is the kind of the next value ('{', '[', '"', '0', 't', 'f' or
// 'n'), 0 at the end of the text or when it is malformed there.
func (w *Walker) Kind() jsontext.Kind { return w.dec.PeekKind() }

// Line is the line where the next value starts.
func (w *Walker) Line() int {
	i := int(w.dec.InputOffset())
	for i < len(w.text) {
		switch w.text[i] {
		case ' ', '\t', '\r', '\n', ',', ':':
			i++
			continue
		}
		break
	}
	return w.at(i)
}

// EndLine is the line of the last byte read: after a value, the line
// where it ends.
func (w *Walker) EndLine() int { return w.at(int(w.dec.InputOffset()) - 1) }

// Skip reads the next value whole.
func (w *Walker) Skip() error { return w.dec.SkipValue() }

// String reads the next value, which must be a string.
func (w *Walker) String() (string, error) {
	tok, err := w.dec.ReadToken()
	if err != nil {
		return "", err
	}
	if tok.Kind() != '"' {
		return "", errors.New("jsonpos: not a string at line " + strconv.Itoa(w.EndLine()))
	}
	return tok.String(), nil
}

// Object reads the next value, which must be an object, calling member
// for each name with the walk at the name's value; member must read the
// value (a walk that would loop ends with an error instead).
func (w *Walker) Object(member func(name string) error) error {
	if err := w.open('{'); err != nil {
		return err
	}
	for w.dec.PeekKind() != '}' {
		if w.dec.PeekKind() == 0 {
			return w.malformed()
		}
		name, err := w.String()
		if err != nil {
			return err
		}
		at := w.dec.InputOffset()
		if err := member(name); err != nil {
			return err
		}
		if w.dec.InputOffset() == at {
			return errors.New("jsonpos: the value of " + strconv.Quote(name) + " was not read at line " + strconv.Itoa(w.Line()))
		}
	}
	_, err := w.dec.ReadToken()
	return err
}

// Array reads the next value, which must be an array, calling elem for
// each element with the walk at it; elem must read the element.
func (w *Walker) Array(elem func(i int) error) error {
	if err := w.open('['); err != nil {
		return err
	}
	for i := 0; w.dec.PeekKind() != ']'; i++ {
		if w.dec.PeekKind() == 0 {
			return w.malformed()
		}
		at := w.dec.InputOffset()
		if err := elem(i); err != nil {
			return err
		}
		if w.dec.InputOffset() == at {
			return errors.New("jsonpos: an array element was not read at line " + strconv.Itoa(w.Line()))
		}
	}
	_, err := w.dec.ReadToken()
	return err
}

// malformed is the tokenizer's error where the text is malformed.
func (w *Walker) malformed() error {
	_, err := w.dec.ReadToken()
	if err == nil {
		err = errors.New("jsonpos: malformed text at line " + strconv.Itoa(w.EndLine()))
	}
	return err
}

func (w *Walker) open(want jsontext.Kind) error {
	tok, err := w.dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != want {
		return errors.New("jsonpos: want " + want.String() + ", got " + tok.Kind().String() + " at line " + strconv.Itoa(w.EndLine()))
	}
	return nil
}

// Paths reads the next value and records in lines the line where each
// value below it starts, by attribute path: "a.b", "a.list[0].c". prefix
// is the path of the value itself, which is not recorded. Paths longer
// than depth parts are left out (depth < 0: none are).
func (w *Walker) Paths(prefix string, depth int, lines map[string]int) error {
	if depth == 0 {
		return w.Skip()
	}
	switch w.Kind() {
	case '{':
		return w.Object(func(name string) error {
			path := name
			if prefix != "" {
				path = prefix + "." + name
			}
			lines[path] = w.Line()
			return w.Paths(path, depth-1, lines)
		})
	case '[':
		return w.Array(func(i int) error {
			path := prefix + "[" + strconv.Itoa(i) + "]"
			lines[path] = w.Line()
			return w.Paths(path, depth-1, lines)
		})
	}
	return w.Skip()
}
