package evaluator

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpclint/vpclint/model"
)

// codec is the compiled conversion of Go types to Rego terms, as
// encoding/json would encode them: one encoder per type, compiled once, so
// a value costs its fields and no reflection on its type. It holds no
// values, so every converter of an engine shares it (a scan of many small
// units would otherwise compile the model's types for each). Safe for
// concurrent use.
type codec struct {
	mu       sync.Mutex
	fieldsOf map[reflect.Type][]fieldInfo
	encoders map[reflect.Type]encoder
	flatOps  map[reflect.Type]flatOps
	flat     map[reflect.Type]bool // isFlat
	slots    int                   // intern tables handed out
}

// converter turns Go values into Rego terms with a codec. Terms are
// shared where the value is the same: strings (ids, types and names recur
// throughout a model), values of flat types (interned by their key) and
// policies (by digest). Rego values are immutable during evaluation, so
// sharing changes nothing but memory: on a large model, allocation and
// garbage collection are most of the cost. A converter is not safe for
// concurrent use.
type converter struct {
	codec   *codec
	tables  []internTable // by slot
	strings map[string]*ast.Term
	// hash hashes flat values for their intern table (one, reset for
	// each value: a Hash of its own would be an allocation per value).
	hash maphash.Hash
	// pairs is a stack of the key/value pairs of the objects being built
	// (NewObject copies them): one buffer instead of a slice per object.
	pairs [][2]*ast.Term
	// terms and elems are slabs that terms and array elements are cut
	// from: one allocation for many where a large model has millions of
	// small ones (numbers, arrays), and fewer objects for the collector
	// to trace.
	terms []ast.Term
	elems []*ast.Term
}

// slabSize is the number of terms or element pointers a slab holds.
const slabSize = 512

// newTerm is a term of v cut from the converter's slab.
func (c *converter) newTerm(v ast.Value) *ast.Term {
	if len(c.terms) == 0 {
		c.terms = make([]ast.Term, slabSize)
	}
	t := &c.terms[0]
	t.Value = v
	c.terms = c.terms[1:]
	return t
}

// elemSlice is a slice of n element pointers cut from the converter's
// slab, its capacity n: an Array's Append copies it instead of writing
// over the next array's elements.
func (c *converter) elemSlice(n int) []*ast.Term {
	if n > slabSize/4 {
		return make([]*ast.Term, n)
	}
	if len(c.elems) < n {
		c.elems = make([]*ast.Term, slabSize)
	}
	s := c.elems[:n:n]
	c.elems = c.elems[n:]
	return s
}

// intTerm is the term of an integer: the interned one of a small integer
// (OPA keeps -1 to 512), else one cut from the slab.
func (c *converter) intTerm(i int) *ast.Term {
	if ast.HasInternedIntNumberTerm(i) {
		return ast.IntNumberTerm(i)
	}
	return c.newTerm(ast.Number(strconv.Itoa(i)))
}

// internTable holds the converted values of one interned type, by key
// (policies: their digest) or by hash (flat structs), and how often a
// value was found.
type internTable struct {
	terms         map[string]*ast.Term
	values        map[uint64][]internedValue
	lookups, hits int
}

// internedValue is a flat value (a copy of it: a map's values are read
// into a reused variable) and its term.
type internedValue struct {
	v    reflect.Value
	term *ast.Term
}

// encoder converts a value of one type.
type encoder func(c *converter, v reflect.Value) (*ast.Term, error)

// flatOps hash and compare values of a flat type by their JSON fields:
// two values are equal exactly when they convert to the same Rego value.
type flatOps struct {
	hash  func(h *maphash.Hash, v reflect.Value)
	equal func(a, b reflect.Value) bool
}

func newCodec() *codec {
	return &codec{
		fieldsOf: map[reflect.Type][]fieldInfo{},
		encoders: map[reflect.Type]encoder{},
		flatOps:  map[reflect.Type]flatOps{},
		flat:     map[reflect.Type]bool{},
	}
}

// fields is structFields, once per type.
func (k *codec) fields(t reflect.Type) []fieldInfo {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.fieldsLocked(t)
}

func (k *codec) fieldsLocked(t reflect.Type) []fieldInfo {
	if fs, ok := k.fieldsOf[t]; ok {
		return fs
	}
	fs := structFields(t)
	k.fieldsOf[t] = fs
	return fs
}

// flatType is isFlat with k.mu taken.
func (k *codec) flatType(t reflect.Type) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.isFlat(t)
}

func (k *codec) newConverter() *converter {
	c := &converter{codec: k, strings: map[string]*ast.Term{}}
	c.hash.SetSeed(maphash.MakeSeed())
	return c
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	zeroer        = reflect.TypeFor[interface{ IsZero() bool }]()
	jsonNumber    = reflect.TypeFor[json.Number]()
)

// term converts one value.
func (c *converter) term(v reflect.Value) (*ast.Term, error) {
	if !v.IsValid() {
		return ast.InternedNullTerm, nil
	}
	return c.codec.encoder(v.Type())(c, v)
}

// table is the converter's intern table of a slot.
func (c *converter) table(slot int) *internTable {
	if slot >= len(c.tables) {
		c.tables = append(c.tables, make([]internTable, slot+1-len(c.tables))...)
	}
	t := &c.tables[slot]
	if t.terms == nil {
		t.terms = map[string]*ast.Term{}
		t.values = map[uint64][]internedValue{}
	}
	return t
}

// encoder returns the type's encoder, compiling it once.
func (k *codec) encoder(t reflect.Type) encoder {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.encoderFor(t)
}

// encoderFor is encoder with k.mu held. A recursive type reaches itself
// through the indirection set up before compiling.
func (k *codec) encoderFor(t reflect.Type) encoder {
	if e, ok := k.encoders[t]; ok {
		return e
	}
	var compiled encoder
	k.encoders[t] = func(c *converter, v reflect.Value) (*ast.Term, error) { return compiled(c, v) }
	compiled = k.compile(t)
	k.encoders[t] = compiled
	return compiled
}

func (k *codec) compile(t reflect.Type) encoder {
	if t.Kind() == reflect.Interface {
		return func(c *converter, v reflect.Value) (*ast.Term, error) {
			if v.IsNil() {
				return ast.InternedNullTerm, nil
			}
			return c.term(v.Elem())
		}
	}
	if t.Implements(jsonMarshaler) {
		return func(_ *converter, v reflect.Value) (*ast.Term, error) {
			if t.Kind() == reflect.Pointer && v.IsNil() {
				return ast.InternedNullTerm, nil
			}
			return viaJSON(v)
		}
	}
	switch t.Kind() {
	case reflect.Pointer:
		elem := k.encoderFor(t.Elem())
		return func(c *converter, v reflect.Value) (*ast.Term, error) {
			if v.IsNil() {
				return ast.InternedNullTerm, nil
			}
			return elem(c, v.Elem())
		}
	case reflect.String:
		if t == jsonNumber {
			return func(_ *converter, v reflect.Value) (*ast.Term, error) {
				return ast.NumberTerm(json.Number(v.String())), nil
			}
		}
		return func(c *converter, v reflect.Value) (*ast.Term, error) { return c.stringTerm(v.String()), nil }
	case reflect.Bool:
		return func(_ *converter, v reflect.Value) (*ast.Term, error) { return ast.InternedTerm(v.Bool()), nil }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(c *converter, v reflect.Value) (*ast.Term, error) { return c.intTerm(int(v.Int())), nil }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return func(_ *converter, v reflect.Value) (*ast.Term, error) {
			return ast.NumberTerm(json.Number(strconv.FormatUint(v.Uint(), 10))), nil
		}
	case reflect.Float32, reflect.Float64:
		return func(_ *converter, v reflect.Value) (*ast.Term, error) { return viaJSON(v) }
	case reflect.Slice, reflect.Array:
		elem := k.encoderFor(t.Elem())
		return func(c *converter, v reflect.Value) (*ast.Term, error) {
			if v.Kind() == reflect.Slice && v.IsNil() {
				return ast.InternedNullTerm, nil
			}
			if v.Len() == 0 {
				// Empty lists are common (no IPv6 blocks, no missing
				// AZ): all share OPA's empty array.
				return ast.InternedEmptyArray, nil
			}
			terms := c.elemSlice(v.Len())
			for i := range terms {
				e, err := elem(c, v.Index(i))
				if err != nil {
					return nil, err
				}
				terms[i] = e
			}
			return c.newTerm(ast.NewArray(terms...)), nil
		}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return func(_ *converter, v reflect.Value) (*ast.Term, error) { return viaJSON(v) }
		}
		elem := k.encoderFor(t.Elem())
		return func(c *converter, v reflect.Value) (*ast.Term, error) {
			if v.IsNil() {
				return ast.InternedNullTerm, nil
			}
			if v.Len() == 0 {
				return ast.InternedEmptyObject, nil
			}
			// Keys and values are read into two variables, not copied
			// out of the map one allocation each (MapRange's Key and
			// Value), and the pairs go to NewObject at once, which
			// allocates their elements in one block.
			key := reflect.New(t.Key()).Elem()
			val := reflect.New(t.Elem()).Elem()
			start := len(c.pairs)
			defer func() { c.pairs = c.pairs[:start] }()
			it := v.MapRange()
			for it.Next() {
				key.SetIterKey(it)
				val.SetIterValue(it)
				e, err := elem(c, val)
				if err != nil {
					return nil, err
				}
				c.pairs = append(c.pairs, [2]*ast.Term{c.stringTerm(key.String()), e})
			}
			return c.newTerm(ast.NewObject(c.pairs[start:]...)), nil
		}
	case reflect.Struct:
		if k.isFlat(t) {
			return k.internedStruct(t)
		}
		if t == policyType {
			return k.internedPolicy(k.structEncoder(t))
		}
		return k.structEncoder(t)
	}
	return func(*converter, reflect.Value) (*ast.Term, error) { return nil, fmt.Errorf("cannot convert a %s", t) }
}

// stringTerm is the shared term of a string.
func (c *converter) stringTerm(s string) *ast.Term {
	if x, ok := c.strings[s]; ok {
		return x
	}
	x := c.newTerm(ast.String(s))
	c.strings[s] = x
	return x
}

// A flat type is interned for a trial of internTrial values; one whose
// values rarely repeat (a Source, whose lines differ) is then converted
// directly, without hashing it.
const (
	internTrial   = 1024
	internMinHits = internTrial / 8
)

// internedStruct converts each distinct value of a flat struct type once:
// PortSets, rule contributions and whole group facts recur thousands of
// times on a large model.
func (k *codec) internedStruct(t reflect.Type) encoder {
	convert := k.structEncoder(t)
	ops := k.flatOpsFor(t)
	slot := k.slots
	k.slots++
	return func(c *converter, v reflect.Value) (*ast.Term, error) {
		tab := c.table(slot)
		if tab.lookups >= internTrial && tab.hits < internMinHits {
			return convert(c, v)
		}
		tab.lookups++
		// Hashed and compared field by field, in place: no key is built,
		// copied or kept (a whole endpoint's facts would make one of a
		// kilobyte).
		c.hash.Reset()
		ops.hash(&c.hash, v)
		sum := c.hash.Sum64()
		for _, x := range tab.values[sum] {
			if ops.equal(x.v, v) {
				tab.hits++
				return x.term, nil
			}
		}
		x, err := convert(c, v)
		if err != nil {
			return nil, err
		}
		kept := reflect.New(t).Elem()
		kept.Set(v)
		tab.values[sum] = append(tab.values[sum], internedValue{kept, x})
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
func (k *codec) internedPolicy(convert encoder) encoder {
	slot := k.slots
	k.slots++
	return func(c *converter, v reflect.Value) (*ast.Term, error) {
		digest := v.FieldByIndex(policyDigest.Index).String()
		if digest == "" {
			return convert(c, v)
		}
		tab := c.table(slot)
		if x, ok := tab.terms[digest]; ok {
			return x, nil
		}
		x, err := convert(c, v)
		if err != nil {
			return nil, err
		}
		tab.terms[digest] = x
		return x, nil
	}
}

// compiledField is a struct field with its encoder.
type compiledField struct {
	fieldInfo
	enc encoder
}

// structEncoder converts a struct to an object of its JSON fields.
func (k *codec) structEncoder(t reflect.Type) encoder {
	infos := k.fieldsLocked(t)
	fields := make([]compiledField, len(infos))
	for i, f := range infos {
		fields[i] = compiledField{f, k.encoderFor(t.FieldByIndex(f.index).Type)}
	}
	return func(c *converter, v reflect.Value) (*ast.Term, error) {
		// The fields' own objects push and pop above start.
		start := len(c.pairs)
		defer func() { c.pairs = c.pairs[:start] }()
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
			e, err := f.enc(c, fv)
			if err != nil {
				return nil, err
			}
			c.pairs = append(c.pairs, [2]*ast.Term{f.name, e})
		}
		return c.newTerm(ast.NewObject(c.pairs[start:]...)), nil
	}
}

// isFlat reports whether a struct type's JSON fields are only booleans,
// integers, strings, flat structs and slices of and pointers to those: a
// value of it converts the same wherever it is, so equal values can share
// one Rego value, and its flatOps compare it exactly.
func (k *codec) isFlat(t reflect.Type) bool {
	if f, ok := k.flat[t]; ok {
		return f
	}
	k.flat[t] = false // a recursive type is not flat
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
			return k.isFlat(t)
		}
		return false
	}
	flat := !t.Implements(jsonMarshaler) && !t.Implements(zeroer)
	for _, f := range k.fieldsLocked(t) {
		if !flat {
			break
		}
		if len(f.index) > 1 {
			flat = false // embedded structs: keep it simple
			break
		}
		flat = ok(t.Field(f.index[0]).Type)
	}
	k.flat[t] = flat
	return flat
}

// flatOpsFor returns the flatOps of a type of a flat struct's fields.
func (k *codec) flatOpsFor(t reflect.Type) flatOps {
	if ops, ok := k.flatOps[t]; ok {
		return ops
	}
	// A recursive type reaches itself through this indirection.
	var compiled flatOps
	k.flatOps[t] = flatOps{
		hash:  func(h *maphash.Hash, v reflect.Value) { compiled.hash(h, v) },
		equal: func(a, b reflect.Value) bool { return compiled.equal(a, b) },
	}
	compiled = k.compileFlatOps(t)
	k.flatOps[t] = compiled
	return compiled
}

func (k *codec) compileFlatOps(t reflect.Type) flatOps {
	switch t.Kind() {
	case reflect.Bool:
		return flatOps{
			hash: func(h *maphash.Hash, v reflect.Value) {
				if v.Bool() {
					h.WriteByte(1)
				} else {
					h.WriteByte(0)
				}
			},
			equal: func(a, b reflect.Value) bool { return a.Bool() == b.Bool() },
		}
	case reflect.String:
		return flatOps{
			hash: func(h *maphash.Hash, v reflect.Value) {
				s := v.String()
				writeUint(h, uint64(len(s)))
				h.WriteString(s)
			},
			equal: func(a, b reflect.Value) bool { return a.String() == b.String() },
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return flatOps{
			hash:  func(h *maphash.Hash, v reflect.Value) { writeUint(h, uint64(v.Int())) },
			equal: func(a, b reflect.Value) bool { return a.Int() == b.Int() },
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return flatOps{
			hash:  func(h *maphash.Hash, v reflect.Value) { writeUint(h, v.Uint()) },
			equal: func(a, b reflect.Value) bool { return a.Uint() == b.Uint() },
		}
	case reflect.Slice:
		elem := k.flatOpsFor(t.Elem())
		return flatOps{
			hash: func(h *maphash.Hash, v reflect.Value) {
				if v.IsNil() {
					h.WriteByte('n') // null, where an empty list is []
					return
				}
				writeUint(h, uint64(v.Len()))
				for i := 0; i < v.Len(); i++ {
					elem.hash(h, v.Index(i))
				}
			},
			equal: func(a, b reflect.Value) bool {
				if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
					return false
				}
				for i := 0; i < a.Len(); i++ {
					if !elem.equal(a.Index(i), b.Index(i)) {
						return false
					}
				}
				return true
			},
		}
	case reflect.Pointer:
		elem := k.flatOpsFor(t.Elem())
		return flatOps{
			hash: func(h *maphash.Hash, v reflect.Value) {
				if v.IsNil() {
					h.WriteByte('n')
					return
				}
				h.WriteByte('*')
				elem.hash(h, v.Elem())
			},
			equal: func(a, b reflect.Value) bool {
				if a.IsNil() || b.IsNil() {
					return a.IsNil() == b.IsNil()
				}
				return a.Pointer() == b.Pointer() || elem.equal(a.Elem(), b.Elem())
			},
		}
	case reflect.Struct:
		infos := k.fieldsLocked(t)
		type opsField struct {
			index int
			ops   flatOps
		}
		fields := make([]opsField, len(infos))
		for i, f := range infos {
			fields[i] = opsField{f.index[0], k.flatOpsFor(t.Field(f.index[0]).Type)}
		}
		return flatOps{
			hash: func(h *maphash.Hash, v reflect.Value) {
				for _, f := range fields {
					f.ops.hash(h, v.Field(f.index))
				}
			},
			equal: func(a, b reflect.Value) bool {
				for _, f := range fields {
					if !f.ops.equal(a.Field(f.index), b.Field(f.index)) {
						return false
					}
				}
				return true
			},
		}
	}
	panic("flatOps: " + t.String() + " is not flat")
}

// writeUint writes x to h in 8 bytes.
func writeUint(h *maphash.Hash, x uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], x)
	h.Write(b[:])
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
