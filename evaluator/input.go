package evaluator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpclint/vpclint/model"
)

// InputValue converts a model to the Rego input value, once per model. It
// walks the Go values directly, following encoding/json's rules (field
// names from json tags, omitempty, omitzero, embedded structs inlined), so
// the result equals the model's JSON form without encoding and decoding
// it: on a large model that is most of an evaluation's cost.
//
// The model's top-level collections and the facts' maps are converted in
// parallel, each by its own converter: they are independent, and on a large
// model each is a sizeable share of the work.
func InputValue(m *model.Model) (ast.Value, error) {
	if m == nil {
		return ast.Null{}, nil
	}
	v, err := parallelObject(reflect.ValueOf(m).Elem(), 1)
	if err != nil {
		return nil, fmt.Errorf("convert model %s: %w", m.Unit, err)
	}
	return v, nil
}

func newConverter() *converter {
	return &converter{
		fields:    map[reflect.Type][]fieldInfo{},
		flat:      map[reflect.Type]bool{},
		marshaler: map[reflect.Type]bool{},
		interned:  map[reflect.Type]map[string]*ast.Term{},
		strings:   map[string]*ast.Term{},
	}
}

// parallelObject converts a struct as converter.object does, each field in
// its own goroutine; a field that is a non-nil pointer to a struct is
// itself split by field while depth > 0. The result is the same value:
// equal flat values are interned per converter, which changes only sharing.
func parallelObject(v reflect.Value, depth int) (ast.Value, error) {
	c := newConverter()
	if v.Type().Implements(jsonMarshaler) || reflect.PointerTo(v.Type()).Implements(jsonMarshaler) || c.isFlat(v.Type()) {
		t, err := c.term(v)
		if err != nil {
			return nil, err
		}
		return t.Value, nil
	}
	fields := c.structFields(v.Type())
	terms := make([]*ast.Term, len(fields))
	errs := make([]error, len(fields))
	var wg sync.WaitGroup
	for i, f := range fields {
		fv, ok := fieldByIndex(v, f.index)
		if !ok || f.omitEmpty && isEmpty(fv) || f.omitZero && isZero(fv) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if depth > 0 && fv.Kind() == reflect.Pointer && !fv.IsNil() && fv.Elem().Kind() == reflect.Struct && !fv.Type().Implements(jsonMarshaler) {
				e, err := parallelObject(fv.Elem(), depth-1)
				terms[i], errs[i] = ast.NewTerm(e), err
				return
			}
			terms[i], errs[i] = newConverter().term(fv)
		}()
	}
	wg.Wait()
	pairs := make([][2]*ast.Term, 0, len(fields))
	for i, f := range fields {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if terms[i] != nil {
			pairs = append(pairs, [2]*ast.Term{f.name, terms[i]})
		}
	}
	return ast.NewObject(pairs...), nil
}

// inputValueJSON is the reference conversion through JSON, kept for the
// test that checks InputValue against it.
func inputValueJSON(m *model.Model) (ast.Value, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode model %s: %w", m.Unit, err)
	}
	return ast.ValueFromReader(bytes.NewReader(b))
}

type fieldInfo struct {
	name      *ast.Term
	index     []int
	omitEmpty bool
	omitZero  bool
}

// converter turns Go values into Rego terms. Terms are shared where the
// value is the same: strings (ids, types and names recur throughout a
// model) and values of flat types (interned by appendKey). Rego values are
// immutable during evaluation, so sharing changes nothing but memory: on a
// large model, allocation and garbage collection are most of the cost.
type converter struct {
	fields map[reflect.Type][]fieldInfo
	// flat caches isFlat and marshaler whether a type implements
	// json.Marshaler; interned holds the converted values of flat types
	// by appendKey, and strings the string terms.
	flat      map[reflect.Type]bool
	marshaler map[reflect.Type]bool
	interned  map[reflect.Type]map[string]*ast.Term
	strings   map[string]*ast.Term
	buf       []byte
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	zeroer        = reflect.TypeFor[interface{ IsZero() bool }]()
)

// term converts one value. JSON null, booleans and numbers are small;
// strings and flat values are shared (see converter).
func (c *converter) term(v reflect.Value) (*ast.Term, error) {
	if !v.IsValid() {
		return ast.NullTerm(), nil
	}
	t := v.Type()
	m, ok := c.marshaler[t]
	if !ok {
		m = t.Implements(jsonMarshaler)
		c.marshaler[t] = m
	}
	if m && (t.Kind() != reflect.Pointer || !v.IsNil()) {
		return c.viaJSON(v)
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.NullTerm(), nil
		}
		return c.term(v.Elem())
	case reflect.String:
		if t == reflect.TypeFor[json.Number]() {
			return ast.NumberTerm(json.Number(v.String())), nil
		}
		s := v.String()
		if x, ok := c.strings[s]; ok {
			return x, nil
		}
		x := ast.StringTerm(s)
		c.strings[s] = x
		return x, nil
	case reflect.Bool:
		return ast.BooleanTerm(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.IntNumberTerm(int(v.Int())), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ast.NumberTerm(json.Number(strconv.FormatUint(v.Uint(), 10))), nil
	case reflect.Float32, reflect.Float64:
		return c.viaJSON(v)
	case reflect.Slice:
		if v.IsNil() {
			return ast.NullTerm(), nil
		}
		fallthrough
	case reflect.Array:
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			e, err := c.term(v.Index(i))
			if err != nil {
				return nil, err
			}
			terms[i] = e
		}
		return ast.ArrayTerm(terms...), nil
	case reflect.Map:
		if v.IsNil() {
			return ast.NullTerm(), nil
		}
		if t.Key().Kind() != reflect.String {
			return c.viaJSON(v)
		}
		obj := ast.NewObjectWithCapacity(v.Len())
		it := v.MapRange()
		for it.Next() {
			k, err := c.term(it.Key())
			if err != nil {
				return nil, err
			}
			e, err := c.term(it.Value())
			if err != nil {
				return nil, err
			}
			obj.Insert(k, e)
		}
		return ast.NewTerm(obj), nil
	case reflect.Struct:
		if !c.isFlat(t) {
			return c.object(v)
		}
		// A flat value (PortSet, PortRange, Verdict ...) recurs thousands
		// of times in the facts: convert each distinct one once.
		c.buf = c.appendKey(c.buf[:0], v)
		if x, ok := c.interned[t][string(c.buf)]; ok {
			return x, nil
		}
		key := string(c.buf)
		x, err := c.object(v)
		if err != nil {
			return nil, err
		}
		if c.interned[t] == nil {
			c.interned[t] = map[string]*ast.Term{}
		}
		c.interned[t][key] = x
		return x, nil
	}
	return nil, fmt.Errorf("cannot convert a %s", t)
}

// object converts a struct to an object of its JSON fields.
func (c *converter) object(v reflect.Value) (*ast.Term, error) {
	fields := c.structFields(v.Type())
	pairs := make([][2]*ast.Term, 0, len(fields))
	for _, f := range fields {
		fv, ok := fieldByIndex(v, f.index)
		if !ok {
			continue
		}
		if f.omitEmpty && isEmpty(fv) || f.omitZero && isZero(fv) {
			continue
		}
		e, err := c.term(fv)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, [2]*ast.Term{f.name, e})
	}
	return ast.ObjectTerm(pairs...), nil
}

// isFlat reports whether a struct type's JSON fields are only booleans,
// integers, strings, flat structs and slices of those: a value of it
// converts the same wherever it is, so equal values can share one Rego
// value, and appendKey encodes it exactly.
func (c *converter) isFlat(t reflect.Type) bool {
	if f, ok := c.flat[t]; ok {
		return f
	}
	c.flat[t] = false // a recursive type is not flat
	var ok func(t reflect.Type) bool
	ok = func(t reflect.Type) bool {
		if t.Implements(jsonMarshaler) || t.Implements(zeroer) || t == reflect.TypeFor[json.Number]() {
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
	for _, f := range c.structFields(t) {
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

// appendKey encodes a value of a flat type so that two values have the
// same key exactly when they convert to the same Rego value.
func (c *converter) appendKey(b []byte, v reflect.Value) []byte {
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return append(b, 't')
		}
		return append(b, 'f')
	case reflect.String:
		b = strconv.AppendInt(b, int64(v.Len()), 10)
		b = append(b, ':')
		return append(b, v.String()...)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return append(strconv.AppendInt(b, v.Int(), 10), ';')
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return append(strconv.AppendUint(b, v.Uint(), 10), ';')
	case reflect.Slice:
		if v.IsNil() {
			return append(b, 'n')
		}
		b = append(b, '[')
		for i := 0; i < v.Len(); i++ {
			b = c.appendKey(b, v.Index(i))
		}
		return append(b, ']')
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, 'n')
		}
		return c.appendKey(append(b, '*'), v.Elem())
	case reflect.Struct:
		b = append(b, '{')
		for _, f := range c.structFields(v.Type()) {
			b = c.appendKey(b, v.Field(f.index[0]))
		}
		return append(b, '}')
	}
	panic("appendKey: " + v.Type().String() + " is not flat")
}

func (c *converter) viaJSON(v reflect.Value) (*ast.Term, error) {
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

func isZero(v reflect.Value) bool {
	if v.Type().Implements(zeroer) {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return true
		}
		return v.Interface().(interface{ IsZero() bool }).IsZero()
	}
	return v.IsZero()
}

// structFields lists a struct type's JSON fields in order, embedded
// structs without a tag inlined, as encoding/json does: of fields with the
// same name, the shallowest wins (VPCEndpoint.Type hides Meta.Type), then
// a tagged one; a tie hides them all.
func (c *converter) structFields(t reflect.Type) []fieldInfo {
	if fs, ok := c.fields[t]; ok {
		return fs
	}
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
	c.fields[t] = out
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
