package terraform

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/model"
)

// fieldReader reads a body's attributes into model fields, recording the
// line of each value under its model path (prefix + path) and listing the
// unknown ones.
type fieldReader struct {
	b      *builder
	meta   *model.Meta
	body   *evalBody
	prefix string
	file   *srcFile
}

func (f *fieldReader) path(p string) string { return f.prefix + p }

func (f *fieldReader) unknown(p string) {
	f.meta.Unknown = append(f.meta.Unknown, f.path(p))
}

func (f *fieldReader) line(p string, n int) {
	if n > 0 {
		f.meta.AttributeLines[f.path(p)] = n
	}
}

func (f *fieldReader) warn(line int, format string, args ...any) {
	f.b.u.addErrOnce(model.LoadError{File: f.file.rel, Line: line, Level: model.LevelWarning, Message: fmt.Sprintf(format, args...)})
}

// attr returns the attribute when it is set to a non-null value (known or
// not).
func (f *fieldReader) attr(name string) *evalAttr {
	a, ok := f.body.attrs[name]
	if !ok {
		return nil
	}
	if a.val.IsKnown() && a.val.IsNull() {
		return nil
	}
	return a
}

// str reads a string; present is false when unset or unknown (then listed).
func (f *fieldReader) str(name, p string) (string, bool) {
	a := f.attr(name)
	if a == nil {
		return "", false
	}
	f.line(p, a.line())
	s, ok := stringValue(a.val)
	if !ok {
		f.unknown(p)
		return "", false
	}
	return s, true
}

func (f *fieldReader) boolean(name, p string) (*bool, bool) {
	a := f.attr(name)
	if a == nil {
		return nil, false
	}
	f.line(p, a.line())
	s, ok := stringValue(a.val)
	if !ok {
		f.unknown(p)
		return nil, true
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		f.warn(a.line(), "%s: %q is not a boolean; its value is unknown", name, s)
		f.unknown(p)
		return nil, true
	}
	return &b, true
}

func (f *fieldReader) integer(name, p string) (*int, bool) {
	a := f.attr(name)
	if a == nil {
		return nil, false
	}
	f.line(p, a.line())
	s, ok := stringValue(a.val)
	if !ok {
		f.unknown(p)
		return nil, true
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		f.warn(a.line(), "%s: %q is not a whole number; its value is unknown", name, s)
		f.unknown(p)
		return nil, true
	}
	return &n, true
}

// list reads a list of strings. known is false when unknown (listed); an
// unset attribute is a known empty list.
func (f *fieldReader) list(name, p string) ([]string, bool) {
	a := f.attr(name)
	if a == nil {
		return []string{}, true
	}
	f.line(p, a.line())
	l, ok := stringListValue(a.val)
	if !ok {
		f.unknown(p)
		return nil, false
	}
	for i := range l {
		f.line(fmt.Sprintf("%s[%d]", p, i), a.elemLine(i))
	}
	return l, true
}

// single reads one string into a list of zero or one element at path p
// (p[0] gets the line).
func (f *fieldReader) single(name, p string) ([]string, bool) {
	a := f.attr(name)
	if a == nil {
		return []string{}, true
	}
	f.line(p, a.line())
	f.line(p+"[0]", a.line())
	s, ok := stringValue(a.val)
	if !ok {
		f.unknown(p)
		return nil, false
	}
	return []string{s}, true
}

// cidrs canonicalizes CIDRs; one that does not parse makes the list
// unknown, with a warning.
func (f *fieldReader) cidrs(l []string, name, p string, wantV6 bool) []string {
	if l == nil {
		return nil
	}
	out := make([]string, 0, len(l))
	for i, c := range l {
		cc, v6, err := model.CanonicalCIDR(c)
		if err != nil || v6 != wantV6 {
			line := f.meta.AttributeLines[fmt.Sprintf("%s[%d]", f.path(p), i)]
			if line == 0 {
				line = f.meta.AttributeLines[f.path(p)]
			}
			fam := "IPv4"
			if wantV6 {
				fam = "IPv6"
			}
			f.warn(line, "%s: %q is not a valid %s CIDR block; its value is unknown", name, c, fam)
			f.unknown(p)
			return nil
		}
		out = append(out, cc)
	}
	return out
}

// protocol reads and normalizes a protocol.
func (f *fieldReader) protocol(name, p string) string {
	s, ok := f.str(name, p)
	if !ok {
		return ""
	}
	n, err := model.NormalizeProtocol(s)
	if err != nil {
		f.warn(f.meta.AttributeLines[f.path(p)], "%s: %v; its value is unknown", name, err)
		f.unknown(p)
		return ""
	}
	return n
}

// tags reads a map of strings.
func (f *fieldReader) tags(name string) (map[string]string, bool) {
	a := f.attr(name)
	if a == nil {
		return nil, true
	}
	f.line(name, a.line())
	v := a.val
	if !v.IsWhollyKnown() {
		f.unknown(name)
		return nil, false
	}
	return stringMapValue(v), true
}

func stringMapValue(v cty.Value) map[string]string {
	if !v.IsWhollyKnown() || v.IsNull() || !(v.Type().IsMapType() || v.Type().IsObjectType()) {
		return nil
	}
	out := map[string]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if s, ok := stringValue(e); ok {
			out[k.AsString()] = s
		}
	}
	return out
}

// port reads a port (or ICMP type/code): -1 to 65535, else a warning and
// unknown.
func (f *fieldReader) port(name string) *int {
	p, _ := f.integer(name, name)
	if p != nil && (*p < -1 || *p > 65535) {
		f.warn(f.meta.AttributeLines[f.path(name)], "%s %d is outside -1-65535; AWS rejects it, so its value is unknown", name, *p)
		f.unknown(name)
		return nil
	}
	return p
}
