package evaluator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpclint/vpclint/model"
)

// converter turns Go values into Rego terms as encoding/json would encode
// them. It compiles one encoder per type on first use, so a value costs
// its fields and no reflection on its type. Terms are shared where the
// value is the same: strings (ids, types and names recur throughout a
// model) and values of flat types (interned by their key). Rego values
// are immutable during evaluation, so sharing changes nothing but memory:
// on a large model, allocation and garbage collection are most of the
// cost. A converter is not safe for concurrent use.
type converter struct {
	encoders map[reflect.Type]encoder
	keyers   map[reflect.Type]keyer
	// flat caches isFlat.
	flat    map[reflect.Type]bool
	strings map[string]*ast.Term
	buf     []byte
}

// encoder converts a value of one type.
type encoder func(v reflect.Value) (*ast.Term, error)

// keyer appends the key of a value of a flat type: two values have the
// same key exactly when they convert to the same Rego value.
type keyer func(b []byte, v reflect.Value) []byte

func newConverter() *converter {
	return &converter{
		encoders: map[reflect.Type]encoder{},
		keyers:   map[reflect.Type]keyer{},
		flat:     map[reflect.Type]bool{},
		strings:  map[string]*ast.Term{},
	}
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	zeroer        = reflect.TypeFor[interface{ IsZero() bool }]()
	jsonNumber    = reflect.TypeFor[json.Number]()
)

// term converts one value.
func (c *converter) term(v reflect.Value) (*ast.Term, error) {
	if !v.IsValid() {
		return ast.NullTerm(), nil
	}
	return c.encoderFor(v.Type())(v)
}

// encoderFor returns the type's encoder, compiling it once. A recursive
// type reaches itself through the indirection set up before compiling.
func (c *converter) encoderFor(t reflect.Type) encoder {
	if e, ok := c.encoders[t]; ok {
		return e
	}
	var compiled encoder
	c.encoders[t] = func(v reflect.Value) (*ast.Term, error) { return compiled(v) }
	compiled = c.compile(t)
	c.encoders[t] = compiled
	return compiled
}

func (c *converter) compile(t reflect.Type) encoder {
	if t.Kind() == reflect.Interface {
		return func(v reflect.Value) (*ast.Term, error) {
			if v.IsNil() {
				return ast.NullTerm(), nil
			}
			return c.term(v.Elem())
		}
	}
	if t.Implements(jsonMarshaler) {
		return func(v reflect.Value) (*ast.Term, error) {
			if t.Kind() == reflect.Pointer && v.IsNil() {
				return ast.NullTerm(), nil
			}
			return viaJSON(v)
		}
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := c.encoderFor(t.Elem())
		return func(v reflect.Value) (*ast.Term, error) {
			if v.IsNil() {
				return ast.NullTerm(), nil
			}
			return elem(v.Elem())
		}
	case reflect.String:
		if t == jsonNumber {
			return func(v reflect.Value) (*ast.Term, error) { return ast.NumberTerm(json.Number(v.String())), nil }
		}
		return func(v reflect.Value) (*ast.Term, error) { return c.stringTerm(v.String()), nil }
	case reflect.Bool:
		return func(v reflect.Value) (*ast.Term, error) { return ast.BooleanTerm(v.Bool()), nil }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v reflect.Value) (*ast.Term, error) { return ast.IntNumberTerm(int(v.Int())), nil }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return func(v reflect.Value) (*ast.Term, error) {
			return ast.NumberTerm(json.Number(strconv.FormatUint(v.Uint(), 10))), nil
		}
	case reflect.Float32, reflect.Float64:
		return viaJSON
	case reflect.Slice, reflect.Array:
		elem := c.encoderFor(t.Elem())
		return func(v reflect.Value) (*ast.Term, error) {
			if v.Kind() == reflect.Slice && v.IsNil() {
				return ast.NullTerm(), nil
			}
			terms := make([]*ast.Term, v.Len())
			for i := range terms {
				e, err := elem(v.Index(i))
				if err != nil {
					return nil, err
				}
				terms[i] = e
			}
			return ast.ArrayTerm(terms...), nil
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return viaJSON
		}
		elem := c.encoderFor(t.Elem())
		return func(v reflect.Value) (*ast.Term, error) {
			if v.IsNil() {
				return ast.NullTerm(), nil
			}
			obj := ast.NewObjectWithCapacity(v.Len())
			it := v.MapRange()
			for it.Next() {
				e, err := elem(it.Value())
				if err != nil {
					return nil, err
				}
				obj.Insert(c.stringTerm(it.Key().String()), e)
			}
			return ast.NewTerm(obj), nil
		}
	case reflect.Struct:
		if c.isFlat(t) {
			return c.internedStruct(t)
		}
		if t == policyType {
			return c.internedPolicy(c.structEncoder(t))
		}
		return c.structEncoder(t)
	}
	return func(reflect.Value) (*ast.Term, error) { return nil, fmt.Errorf("cannot convert a %s", t) }
}

// stringTerm is the shared term of a string.
func (c *converter) stringTerm(s string) *ast.Term {
	if x, ok := c.strings[s]; ok {
		return x
	}
	x := ast.StringTerm(s)
	c.strings[s] = x
	return x
}

// internStats decide whether interning a flat type pays: after
// internTrial values, a type whose values rarely repeat (a Source, whose
// lines differ) is converted directly, without building its key.
const (
	internTrial   = 1024
	internMinHits = internTrial / 8
)

// internedStruct converts each distinct value of a flat struct type once:
// PortSets, rule contributions and whole group facts recur thousands of
// times on a large model.
func (c *converter) internedStruct(t reflect.Type) encoder {
	convert := c.structEncoder(t)
	key := c.keyerFor(t)
	table := map[string]*ast.Term{}
	lookups, hits := 0, 0
	return func(v reflect.Value) (*ast.Term, error) {
		if lookups >= internTrial && hits < internMinHits {
			return convert(v)
		}
		lookups++
		c.buf = key(c.buf[:0], v)
		if x, ok := table[string(c.buf)]; ok {
			hits++
			return x, nil
		}
		k := string(c.buf)
		x, err := convert(v)
		if err != nil {
			return nil, err
		}
		table[k] = x
		return x, nil
	}
}

// policyType is interned by digest (internedPolicy), the field at
// policyDigest.
var (
	policyType      = reflect.TypeFor[model.Policy]()
	policyDigest, _ = policyType.FieldByName("Digest")
)

// internedPolicy converts each distinct endpoint policy once: its digest
// is a hash of its JSON form, so equal digests convert to equal values
// (the EP rules rely on the same), and a module that puts one policy on
// every endpoint repeats a large value many times.
func (c *converter) internedPolicy(convert encoder) encoder {
	table := map[string]*ast.Term{}
	return func(v reflect.Value) (*ast.Term, error) {
		digest := v.FieldByIndex(policyDigest.Index).String()
		if digest == "" {
			return convert(v)
		}
		if x, ok := table[digest]; ok {
			return x, nil
		}
		x, err := convert(v)
		if err != nil {
			return nil, err
		}
		table[digest] = x
		return x, nil
	}
}

// compiledField is a struct field with its encoder.
type compiledField struct {
	fieldInfo
	enc encoder
}

// structEncoder converts a struct to an object of its JSON fields.
func (c *converter) structEncoder(t reflect.Type) encoder {
	infos := structFields(t)
	fields := make([]compiledField, len(infos))
	for i, f := range infos {
		fields[i] = compiledField{f, c.encoderFor(t.FieldByIndex(f.index).Type)}
	}
	return func(v reflect.Value) (*ast.Term, error) {
		pairs := make([][2]*ast.Term, 0, len(fields))
		for i := range fields {
			f := &fields[i]
			var fv reflect.Value
			if len(f.index) == 1 {
				fv = v.Field(f.index[0])
			} else {
				var ok bool
				if fv, ok = fieldByIndex(v, f.index); !ok {
					continue
				}
			}
			if f.omitted(fv) {
				continue
			}
			e, err := f.enc(fv)
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, [2]*ast.Term{f.name, e})
		}
		return ast.ObjectTerm(pairs...), nil
	}
}

// isFlat reports whether a struct type's JSON fields are only booleans,
// integers, strings, flat structs and slices of and pointers to those: a
// value of it converts the same wherever it is, so equal values can share
// one Rego value, and its keyer encodes it exactly.
func (c *converter) isFlat(t reflect.Type) bool {
	if f, ok := c.flat[t]; ok {
		return f
	}
	c.flat[t] = false // a recursive type is not flat
	var ok func(t reflect.Type) bool
	ok = func(t reflect.Type) bool {
		if t.Implements(jsonMarshaler) || t.Implements(zeroer) || t == jsonNumber {
			return false
		}
		switch t.Kind() {
		case reflect.Bool, reflect.String,
			reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return true
		case reflect.Slice, reflect.Pointer:
			return ok(t.Elem())
		case reflect.Struct:
			return c.isFlat(t)
		}
		return false
	}
	flat := !t.Implements(jsonMarshaler) && !t.Implements(zeroer)
	for _, f := range structFields(t) {
		if !flat {
			break
		}
		if len(f.index) > 1 {
			flat = false // embedded structs: keep it simple
			break
		}
		flat = ok(t.Field(f.index[0]).Type)
	}
	c.flat[t] = flat
	return flat
}

// keyerFor returns the keyer of a type of a flat struct's fields.
func (c *converter) keyerFor(t reflect.Type) keyer {
	if k, ok := c.keyers[t]; ok {
		return k
	}
	var compiled keyer
	c.keyers[t] = func(b []byte, v reflect.Value) []byte { return compiled(b, v) }
	compiled = c.compileKeyer(t)
	c.keyers[t] = compiled
	return compiled
}

func (c *converter) compileKeyer(t reflect.Type) keyer {
	switch t.Kind() {
	case reflect.Bool:
		return func(b []byte, v reflect.Value) []byte {
			if v.Bool() {
				return append(b, 't')
			}
			return append(b, 'f')
		}
	case reflect.String:
		return func(b []byte, v reflect.Value) []byte {
			s := v.String()
			b = strconv.AppendInt(b, int64(len(s)), 10)
			b = append(b, ':')
			return append(b, s...)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(b []byte, v reflect.Value) []byte { return append(strconv.AppendInt(b, v.Int(), 10), ';') }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return func(b []byte, v reflect.Value) []byte { return append(strconv.AppendUint(b, v.Uint(), 10), ';') }
	case reflect.Slice:
		elem := c.keyerFor(t.Elem())
		return func(b []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return append(b, 'n')
			}
			b = append(b, '[')
			for i := 0; i < v.Len(); i++ {
				b = elem(b, v.Index(i))
			}
			return append(b, ']')
		}
	case reflect.Pointer:
		elem := c.keyerFor(t.Elem())
		return func(b []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return append(b, 'n')
			}
			return elem(append(b, '*'), v.Elem())
		}
	case reflect.Struct:
		infos := structFields(t)
		type keyedField struct {
			index int
			key   keyer
		}
		fields := make([]keyedField, len(infos))
		for i, f := range infos {
			fields[i] = keyedField{f.index[0], c.keyerFor(t.Field(f.index[0]).Type)}
		}
		return func(b []byte, v reflect.Value) []byte {
			b = append(b, '{')
			for _, f := range fields {
				b = f.key(b, v.Field(f.index))
			}
			return append(b, '}')
		}
	}
	panic("keyer: " + t.String() + " is not flat")
}

func viaJSON(v reflect.Value) (*ast.Term, error) {
	b, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, err
	}
	x, err := ast.ValueFromReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(x), nil
}

// fieldInfo is a struct field as encoding/json sees it.
type fieldInfo struct {
	name      *ast.Term
	index     []int
	omitEmpty bool
	omitZero  bool
	// zeroer: the field's type has an IsZero method, which omitzero calls.
	zeroer bool
}

// omitted reports whether omitempty or omitzero leaves the field out.
func (f *fieldInfo) omitted(v reflect.Value) bool {
	if f.omitEmpty && isEmpty(v) {
		return true
	}
	if !f.omitZero {
		return false
	}
	if f.zeroer {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return v.Interface().(interface{ IsZero() bool }).IsZero()
	}
	return v.IsZero()
}

// fieldByIndex follows an embedded-field path; it reports false when an
// embedded pointer on the way is nil (encoding/json skips those fields).
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}

// structFields lists a struct type's JSON fields in order, embedded
// structs without a tag inlined, as encoding/json does: of fields with the
// same name, the shallowest wins (VPCEndpoint.Type hides Meta.Type), then
// a tagged one; a tie hides them all.
func structFields(t reflect.Type) []fieldInfo {
	type cand struct {
		fieldInfo
		tagged bool
	}
	var all []cand
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			index := append(append([]int{}, prefix...), i)
			if sf.Anonymous && name == "" {
				ft := sf.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft, index)
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			all = append(all, cand{fieldInfo{
				name:      ast.StringTerm(name),
				index:     index,
				omitEmpty: hasOpt(opts, "omitempty"),
				omitZero:  hasOpt(opts, "omitzero"),
				zeroer:    sf.Type.Implements(zeroer),
			}, tag != ""})
		}
	}
	walk(t, nil)
	var out []fieldInfo
	for i, f := range all {
		dominant, tie := true, false
		for j, g := range all {
			if i == j || !f.name.Equal(g.name) {
				continue
			}
			switch {
			case len(g.index) < len(f.index), len(g.index) == len(f.index) && g.tagged && !f.tagged:
				dominant = false
			case len(g.index) == len(f.index) && g.tagged == f.tagged:
				tie = true
			}
		}
		if dominant && !tie {
			out = append(out, f.fieldInfo)
		}
	}
	return out
}

func hasOpt(opts, name string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == name {
			return true
		}
	}
	return false
}
