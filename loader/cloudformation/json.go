package cloudformation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/vpclint/vpclint/internal/jsonpos"
)

// JSON templates (what the CDK writes, often the largest) are read with
// jsontext (github.com/go-json-experiment/json, encoding/json/jsontext
// under GOEXPERIMENT=jsonv2): yaml.v3 reads JSON at a fraction of the
// speed, encoding/json's Token boxes every value (four times slower), and
// jsontext hands out tokens without allocating, with the offsets lines
// come from. The reader builds the nodes, and reports the errors, that the
// YAML path would on the same document; a differential test and a fuzz
// target keep the two in step. It leaves to the YAML path, which words
// syntax errors with their line, what it cannot read as YAML would: text
// that is not JSON (a YAML flow mapping also starts with "{"), bytes that
// are not UTF-8, and the line breaks only YAML counts (NEL, LS, PS). An
// escaped surrogate, which yaml.v3 refuses, is read as JSON reads it (a
// lone one is U+FFFD). JSON has no aliases, so the nodes are bounded by
// the file's size (at most loader.MaxFileSize).

// errNotJSON says that the YAML path must read a document.
var errNotJSON = errors.New("not JSON the JSON reader reads as YAML would")

// jsonReader reads one JSON document into nodes.
type jsonReader struct {
	c     *converter
	dec   *jsontext.Decoder
	lines jsonpos.Lines
	// entries holds the values (or items) of the mappings and lists
	// being read, and keys the mappings' keys, innermost last: each is
	// copied into the slab once it is closed, so that reading allocates
	// no slice per value.
	entries []*node
	keys    []key
}

// parseJSON reads content as a JSON template (a mapping). The error is
// errNotJSON when the YAML path must read it, else a *parseError.
func parseJSON(content []byte) (*node, error) {
	data := bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) || bytes.Contains(data, []byte("\u0085")) || bytes.Contains(data, []byte("\u2028")) || bytes.Contains(data, []byte("\u2029")) {
		return nil, errNotJSON
	}
	r := &jsonReader{
		c: &converter{},
		// Duplicate keys are found by the reader, which words them with
		// both lines as the YAML path does. The raw bytes are valid UTF-8
		// (checked above); what AllowInvalidUTF8 lets through is a lone
		// escaped surrogate, read as U+FFFD.
		dec:   jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)),
		lines: jsonpos.NewLines(data),
	}
	tok, err := r.dec.ReadToken()
	if err != nil || tok.Kind() != '{' {
		return nil, errNotJSON
	}
	n, err := r.value(tok, 0)
	if err != nil {
		// The YAML path reports what comes first in the document, syntax
		// errors before the rest: so the reader's errors stand only for
		// valid JSON.
		if !errors.Is(err, errNotJSON) && !jsontext.Value(data).IsValid(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)) {
			return nil, errNotJSON
		}
		return nil, err
	}
	// One document, and nothing after it.
	if _, err := r.dec.ReadToken(); err != io.EOF {
		return nil, errNotJSON
	}
	return n, nil
}

// line is the line of the token just read. No token but a mapping's or a
// list's end spans lines (a JSON string holds no raw line break), so its
// last byte is on its first line.
func (r *jsonReader) line() int {
	return r.lines.At(int(r.dec.InputOffset()) - 1)
}

// value reads the value that starts with tok, at a nesting depth.
func (r *jsonReader) value(tok jsontext.Token, depth int) (*node, error) {
	line := r.line()
	if depth > maxDepth {
		return nil, &parseError{line: line, msg: fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
	}
	n := r.c.newNode()
	n.line, n.endLine = line, line
	switch tok.Kind() {
	case '{', '[':
		if err := r.container(n, depth, tok.Kind() == '{'); err != nil {
			return nil, err
		}
	case '"':
		n.kind, n.typ, n.value = kindScalar, typeString, tok.String()
	case '0':
		// Numbers keep their text, as the YAML path keeps it.
		text := tok.String()
		n.kind, n.typ, n.value = kindScalar, numberType(text), text
	case 't', 'f':
		n.kind, n.typ, n.value = kindScalar, typeBool, tok.String()
	case 'n':
		n.kind, n.value = kindNull, "null"
	default:
		// A closing delimiter where a value belongs: the decoder refuses
		// it before handing it out, so this is not reached.
		return nil, errNotJSON
	}
	n.active = isActive(n)
	return n, nil
}

// container reads the entries of a mapping, or the items of a list, and
// its end into n.
func (r *jsonReader) container(n *node, depth int, mapping bool) error {
	end := jsontext.Kind(']')
	if mapping {
		end = '}'
	}
	base, kbase := len(r.entries), len(r.keys)
	var seen keySet
	for {
		tok, err := r.dec.ReadToken()
		if err != nil {
			return errNotJSON
		}
		if tok.Kind() == end {
			break
		}
		if mapping {
			k := key{value: tok.String(), line: r.line()} // the decoder hands out only strings as keys
			if prev, dup := seen.dup(r.keys[kbase:], k); dup {
				return &parseError{line: k.line, msg: fmt.Sprintf("duplicate key %q at lines %d and %d", k.value, prev, k.line)}
			}
			r.keys = append(r.keys, k)
			n.endLine = max(n.endLine, k.line)
			if tok, err = r.dec.ReadToken(); err != nil {
				return errNotJSON
			}
		}
		v, err := r.value(tok, depth+1)
		if err != nil {
			return err
		}
		r.entries = append(r.entries, v)
		n.endLine = max(n.endLine, v.endLine)
	}
	read := r.entries[base:]
	n.kind, n.vals = kindList, append(r.c.newPtrs(len(read)), read...)
	if mapping {
		n.kind, n.keys = kindMap, append(r.c.newKeys(len(read)), r.keys[kbase:]...)
		clear(r.keys[kbase:])
		r.keys = r.keys[:kbase]
	}
	clear(read)
	r.entries = r.entries[:base]
	return nil
}

// numberType is the type the YAML path gives a JSON number, so that a
// template reads alike in either form: an integer when it has neither
// fraction nor exponent and fits 64 bits (signed or not), else a float,
// and text when not even a float64 holds it (yaml.v3 reads "1e400" so).
func numberType(text string) scalarType {
	if !strings.ContainsAny(text, ".eE") {
		if _, err := strconv.ParseInt(text, 10, 64); err == nil {
			return typeInt
		}
		if _, err := strconv.ParseUint(text, 10, 64); err == nil {
			return typeInt
		}
	}
	if _, err := strconv.ParseFloat(text, 64); err == nil {
		return typeFloat
	}
	return typeString
}
