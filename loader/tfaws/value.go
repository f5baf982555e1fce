// Package tfaws is the AWS provider as vpclint knows it, written once for
// both Terraform front ends: how each resource type of hashicorp/aws maps
// to the model, the provider's defaults (a new group has no egress, an
// endpoint is a Gateway endpoint with private DNS off, a VPC has DNS
// hostnames off ...), and how separate rule and association resources fold
// into the resource they complete.
//
// A front end hands each resource instance to a Builder as a Resource
// whose attributes are read through the Body interface: loader/terraform
// implements it over evaluated HCL, loader/tfplan over a plan's planned
// values (after, after_unknown, configuration and the .tf source). Every
// attribute is in one of three states (Known, Unknown, Unset) with the
// line it is written on, and references come resolved to the id of the
// resource they name, or to the candidates they may name.
package tfaws

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// State says what is known of an attribute.
type State uint8

const (
	// Unset: not written (or null); the provider's default applies.
	Unset State = iota
	// Known: the value is decided before apply.
	Known
	// Unknown: written, but decided only at apply (a variable without a
	// value, a computed attribute of another resource ...).
	Unknown
)

// Value is one attribute as a front end read it.
type Value struct {
	State State
	// V is the known value, in the shape encoding/json decodes into:
	// string, bool, json.Number, []any, map[string]any.
	V any
	// Line is the line of the attribute; 0 when there is none.
	Line int
	// Elems are the lines of a list's elements written one per line.
	Elems []int
	// Symbol names an unknown value that is still comparable: two equal
	// symbols are the same value (a subnet's zone written as
	// data.aws_availability_zones.x.names[0]).
	Symbol string
}

// ElemLine is the line of the i-th element, else the attribute's.
func (v Value) ElemLine(i int) int {
	if i < len(v.Elems) && v.Elems[i] > 0 {
		return v.Elems[i]
	}
	return v.Line
}

// Ref is an attribute naming one resource (vpc_id, security_group_id).
type Ref struct {
	State State
	// ID is the id of the resource named when Known.
	ID string
	// Candidates are, when Unknown, the ids the reference may resolve to
	// (both branches of a conditional, every instance of a resource
	// indexed by an unknown key): nil when it may name any resource of
	// its kind in the unit, empty when it names none the scan defines.
	Candidates []string
	// Name is the text of an unresolved reference ("var.endpoint_id"),
	// the name of the placeholder that stands for what it names.
	Name string
	Line int
}

// Body reads the attributes and nested blocks of a resource, or of one
// of its nested blocks.
type Body interface {
	// Attr reads an attribute.
	Attr(name string) Value
	// Ref reads an attribute that names one resource by its id.
	Ref(name string) Ref
	// Refs reads a list of ids (subnet_ids); Known when every element
	// resolves to a resource or is a known id.
	Refs(name string) Value
	// Blocks reads nested blocks (or a list of objects in an attribute);
	// known is false when they cannot be decided (a dynamic block over an
	// unknown collection).
	Blocks(name string) (blocks []Body, known bool)
	// Line is the first line of the body; 0 when there is none.
	Line() int
	// Pattern gives the known parts of an unknown string attribute, each
	// unknown part written as "*" ("com.amazonaws.*.kms"); ok is false
	// when no part is known.
	Pattern(name string) (pattern string, ok bool)
}

// String gives a known scalar as text (numbers and booleans as Terraform
// converts them); ok is false for anything else.
func (v Value) String() (string, bool) {
	if v.State != Known {
		return "", false
	}
	return scalarText(v.V)
}

func scalarText(x any) (string, bool) {
	switch t := x.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case int:
		return strconv.Itoa(t), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

// Bool reads a known boolean ("true" and "false" too).
func (v Value) Bool() (bool, error) {
	s, ok := v.String()
	if !ok {
		return false, fmt.Errorf("%v is not a boolean", v.V)
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, fmt.Errorf("%q is not a boolean", s)
	}
	return b, nil
}

// Int reads a known whole number (numeric strings too).
func (v Value) Int() (int, error) {
	s, ok := v.String()
	if !ok {
		return 0, fmt.Errorf("%v is not a number", v.V)
	}
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= math.MinInt32 && n <= math.MaxInt32 {
		return n, nil
	}
	if f, _, err := big.ParseFloat(s, 10, 64, big.ToNearestEven); err == nil && f.IsInt() {
		if n, acc := f.Int64(); acc == big.Exact && n >= math.MinInt32 && n <= math.MaxInt32 {
			return int(n), nil
		}
	}
	return 0, fmt.Errorf("%q is not a whole number", s)
}

// Strings reads a known list (or set) of scalars; a single scalar reads
// as a list of one, null elements are skipped.
func (v Value) Strings() ([]string, bool) {
	if v.State != Known {
		return nil, false
	}
	if s, ok := scalarText(v.V); ok {
		return []string{s}, true
	}
	list, ok := v.V.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		if e == nil {
			continue
		}
		s, ok := scalarText(e)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// StringMap reads a known map of strings (tags); other values are skipped.
func (v Value) StringMap() map[string]string {
	m, ok := v.V.(map[string]any)
	if v.State != Known || !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		if s, ok := scalarText(x); ok {
			out[k] = s
		}
	}
	return out
}

// GoValue gives a wholly known cty value in encoding/json's shapes
// (numbers as json.Number), as a plan's values are: the HCL front end's
// evaluated attributes and the plan front end's source literals compare
// and read alike.
func GoValue(v cty.Value) any {
	if v.IsNull() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Number:
		bf := v.AsBigFloat()
		if i, acc := bf.Int64(); acc == big.Exact {
			return json.Number(strconv.FormatInt(i, 10))
		}
		return json.Number(bf.Text('f', -1))
	case t == cty.Bool:
		return v.True()
	case t.IsObjectType() || t.IsMapType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out[k.AsString()] = GoValue(e)
		}
		return out
	case v.CanIterateElements():
		out := make([]any, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, GoValue(e))
		}
		return out
	}
	return nil
}
