package tfaws

import (
	"fmt"
	"strconv"

	"github.com/vpclint/vpclint/model"
)

// reader reads a body's attributes into model fields under prefix,
// recording the line of each value at its model path and listing the
// unknown ones. Validation happens here once: a value AWS would reject
// is a warning at its line, and unknown.
type reader struct {
	b      *Builder
	r      *Resource
	meta   *model.Meta
	body   Body
	prefix string
}

func (b *Builder) reader(r *Resource, meta *model.Meta, body Body, prefix string) *reader {
	if meta.AttributeLines == nil {
		meta.AttributeLines = map[string]int{}
	}
	return &reader{b: b, r: r, meta: meta, body: body, prefix: prefix}
}

func (f *reader) path(p string) string { return f.prefix + p }

func (f *reader) unknown(p string) { f.meta.Unknown = append(f.meta.Unknown, f.path(p)) }

func (f *reader) defaulted(p string) { f.meta.Defaulted = append(f.meta.Defaulted, f.path(p)) }

func (f *reader) line(p string, n int) {
	if n > 0 {
		path := f.path(p)
		if _, ok := f.meta.AttributeLines[path]; !ok {
			f.meta.AttributeLines[path] = n
		}
	}
}

// lineOf is the recorded line of the first of paths that has one, else
// the body's.
func (f *reader) lineOf(paths ...string) int {
	for _, p := range paths {
		if l := f.meta.AttributeLines[f.path(p)]; l > 0 {
			return l
		}
	}
	return f.body.Line()
}

func (f *reader) warn(p, format string, args ...any) {
	f.b.warn(f.r, f.lineOf(p), format, args...)
}

// attr reads an attribute and records its line at p (when p is set).
func (f *reader) attr(name, p string) Value {
	v := f.body.Attr(name)
	if p != "" && v.State != Unset {
		f.line(p, v.Line)
	}
	return v
}

// scalar reads an attribute with parse; Unknown, or a value parse
// refuses (then a warning), is listed.
func scalar[T any](f *reader, name, p string, parse func(Value) (T, error)) (T, State) {
	var zero T
	v := f.attr(name, p)
	switch v.State {
	case Unset:
		return zero, Unset
	case Known:
		x, err := parse(v)
		if err == nil {
			return x, Known
		}
		f.warn(p, "%s: %v; its value is unknown", name, err)
	}
	f.unknown(p)
	return zero, Unknown
}

func ptr[T any](x T, st State) (*T, State) {
	if st != Known {
		return nil, st
	}
	return &x, st
}

// str reads a string (numbers and booleans as text).
func (f *reader) str(name, p string) (string, State) {
	return scalar(f, name, p, func(v Value) (string, error) {
		if s, ok := v.String(); ok {
			return s, nil
		}
		return "", fmt.Errorf("%v is not a string", v.V)
	})
}

// boolean reads a bool.
func (f *reader) boolean(name, p string) (*bool, State) { return ptr(scalar(f, name, p, Value.Bool)) }

// boolDefault reads a bool that the provider defaults when unset.
func (f *reader) boolDefault(name, p string, def bool) *bool {
	x, st := f.boolean(name, p)
	if st == Unset {
		f.defaulted(p)
		return model.Bool(def)
	}
	return x
}

// integer reads a whole number.
func (f *reader) integer(name, p string) (*int, State) { return ptr(scalar(f, name, p, Value.Int)) }

// blocks reads the nested blocks name with read, the i-th at
// path[first+i]; known is false when they cannot be decided.
func blocks[T any](f *reader, name, path string, first int, read func(*reader) T) (out []T, known bool) {
	bs, known := f.body.Blocks(name)
	if !known {
		return nil, false
	}
	out = make([]T, 0, len(bs))
	for i, blk := range bs {
		p := path + "[" + strconv.Itoa(first+i) + "]"
		f.meta.AttributeLines[p] = blk.Line()
		out = append(out, read(f.b.reader(f.r, f.meta, blk, p+".")))
	}
	return out, true
}

// listOf reads a list value into p, recording its element lines: Unset
// is a known empty list, Unknown is nil and listed.
func (f *reader) listOf(v Value, name, p string) []string {
	if v.State == Unset {
		return []string{}
	}
	f.line(p, v.Line)
	if l, ok := v.Strings(); ok {
		for i := range l {
			f.line(p+"["+strconv.Itoa(i)+"]", v.ElemLine(i))
		}
		return l
	}
	if v.State == Known {
		f.warn(p, "%s: %v is not a list of strings; its value is unknown", name, v.V)
	}
	f.unknown(p)
	return nil
}

// list reads a list of strings.
func (f *reader) list(name, p string) []string { return f.listOf(f.body.Attr(name), name, p) }

// refs reads a list of ids.
func (f *reader) refs(name, p string) []string { return f.listOf(f.body.Refs(name), name, p) }

// single reads one optional string as a list of zero or one element at p
// (aws_vpc_security_group_ingress_rule's cidr_ipv4 is cidr_blocks[0]).
func (f *reader) single(name, p string) []string {
	v := f.body.Attr(name)
	if v.State == Known {
		if s, ok := v.String(); ok && s == "" {
			return []string{}
		}
	}
	return f.listOf(v, name, p)
}

// refList reads an optional reference to one resource as a list of
// zero or one id at p (aws_vpc_security_group_ingress_rule's
// referenced_security_group_id is security_group_ids[0]); Unknown is nil
// and listed.
func (f *reader) refList(name, p string) []string {
	switch id, st := f.ref(name, p); {
	case st == Known && id != "":
		f.line(p+"[0]", f.meta.AttributeLines[f.path(p)])
		return []string{id}
	case st == Unknown:
		return nil
	}
	return []string{}
}

// ref reads a reference to one resource; Unknown is listed.
func (f *reader) ref(name, p string) (string, State) {
	r := f.body.Ref(name)
	if r.State != Unset {
		f.line(p, r.Line)
	}
	if id, ok := r.Resolved(); ok {
		return id, Known
	}
	if r.State == Unknown {
		f.unknown(p)
	}
	return "", r.State
}

// Resolved gives the id a reference names when it names one resource:
// its known id, or the one candidate of an expression such as a
// conditional whose branches name the same resource.
func (r Ref) Resolved() (string, bool) {
	switch {
	case r.State == Known:
		return r.ID, true
	case r.State == Unknown && len(r.Candidates) == 1:
		return r.Candidates[0], true
	}
	return "", false
}

// cidrs canonicalizes CIDRs; one that does not parse (or is of the other
// family) makes the list unknown.
func (f *reader) cidrs(l []string, name, p string, v6 bool) []string {
	if l == nil {
		return nil
	}
	out := make([]string, 0, len(l))
	for i, c := range l {
		cc, is6, err := model.CanonicalCIDR(c)
		if err != nil || is6 != v6 {
			fam := "IPv4"
			if v6 {
				fam = "IPv6"
			}
			f.b.warn(f.r, f.lineOf(fmt.Sprintf("%s[%d]", p, i), p), "%s: %q is not a valid %s CIDR block; its value is unknown", name, c, fam)
			f.unknown(p)
			return nil
		}
		out = append(out, cc)
	}
	return out
}

// cidr reads one CIDR attribute ("" when unset, empty or unknown).
func (f *reader) cidr(name, p string, v6 bool) string {
	s, st := f.str(name, p)
	if st != Known || s == "" {
		return ""
	}
	if l := f.cidrs([]string{s}, name, p, v6); len(l) == 1 {
		return l[0]
	}
	return ""
}

// protocol reads and normalizes a protocol.
func (f *reader) protocol(name, p string) string {
	s, st := f.str(name, p)
	if st != Known {
		return ""
	}
	n, err := model.NormalizeProtocol(s)
	if err != nil {
		f.warn(p, "%s: %v; its value is unknown", name, err)
		f.unknown(p)
		return ""
	}
	return n
}

// port reads a port (or ICMP type or code): -1 to 65535.
func (f *reader) port(name string) *int {
	n, _ := f.integer(name, name)
	if n != nil && (*n < -1 || *n > 65535) {
		f.warn(name, "%s %d is outside -1-65535; AWS rejects it, so its value is unknown", name, *n)
		f.unknown(name)
		return nil
	}
	return n
}

// ports reads from_port and to_port; a reversed tcp or udp range makes
// both unknown.
func (f *reader) ports(protocol string) (from, to *int) {
	from, to = f.port("from_port"), f.port("to_port")
	if (protocol == model.ProtoTCP || protocol == model.ProtoUDP) && from != nil && to != nil && *from > *to {
		f.warn("from_port", "port range %d-%d is reversed; AWS rejects it, so its value is unknown", *from, *to)
		f.unknown("from_port")
		f.unknown("to_port")
		return nil, nil
	}
	return from, to
}
