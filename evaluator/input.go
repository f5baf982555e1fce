package evaluator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpclint/vpclint/model"
)

// InputValue converts a model to the Rego input value, once per model. It
// walks the Go values directly, following encoding/json's rules (field
// names from json tags, omitempty, omitzero, embedded structs inlined), so
// the result equals the model's JSON form without encoding and decoding
// it: on a large model that is most of an evaluation's cost. (An Engine
// converts with the codec it compiled once; this compiles its own.)
func InputValue(m *model.Model) (ast.Value, error) {
	return newCodec().inputValue(m)
}

// parallelFrom is the number of resources from which a model's top-level
// collections and the facts' maps are converted in parallel, each by its
// own converter: on a large model each is a sizeable share of the work,
// on a small one the goroutines cost more than they save.
const parallelFrom = 2000

func (k *codec) inputValue(m *model.Model) (ast.Value, error) {
	if m == nil {
		return ast.Null{}, nil
	}
	v := reflect.ValueOf(m).Elem()
	var (
		x   ast.Value
		err error
	)
	if len(m.SecurityGroups)+len(m.VPCEndpoints)+len(m.NetworkACLs)+len(m.Subnets) >= parallelFrom {
		x, err = k.parallelObject(v, 1)
	} else {
		var t *ast.Term
		t, err = k.newConverter().term(v)
		if t != nil {
			x = t.Value
		}
	}
	if err != nil {
		return nil, fmt.Errorf("convert model %s: %w", m.Unit, err)
	}
	return x, nil
}

// parallelObject converts a struct as its encoder does, each field in
// its own goroutine; a field that is a non-nil pointer to a struct is
// itself split by field while depth > 0. The result is the same value:
// equal values are interned per converter, which changes only sharing.
func (k *codec) parallelObject(v reflect.Value, depth int) (ast.Value, error) {
	t := v.Type()
	if t.Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(jsonMarshaler) || k.flatType(t) {
		x, err := k.newConverter().term(v)
		if err != nil {
			return nil, err
		}
		return x.Value, nil
	}
	fields := k.fields(t)
	terms := make([]*ast.Term, len(fields))
	errs := make([]error, len(fields))
	var wg sync.WaitGroup
	for i, f := range fields {
		fv, ok := fieldByIndex(v, f.index)
		if !ok || f.omitted(fv) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if depth > 0 && fv.Kind() == reflect.Pointer && !fv.IsNil() && fv.Elem().Kind() == reflect.Struct && !fv.Type().Implements(jsonMarshaler) {
				e, err := k.parallelObject(fv.Elem(), depth-1)
				terms[i], errs[i] = ast.NewTerm(e), err
				return
			}
			terms[i], errs[i] = k.newConverter().term(fv)
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
