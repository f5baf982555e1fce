package tfaws

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestGoValue: a constant reads in the shapes of a plan's JSON, so the
// HCL front end's values and the plan front end's source literals
// compare with planned values alike.
func TestGoValue(t *testing.T) {
	tests := []struct {
		in   cty.Value
		want any
	}{
		{cty.NumberIntVal(443), json.Number("443")},
		{cty.NumberFloatVal(1.5), json.Number("1.5")},
		{cty.StringVal("tcp"), "tcp"},
		{cty.False, false},
		{cty.NullVal(cty.String), nil},
		{cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NumberIntVal(1)}), []any{"a", json.Number("1")}},
		{cty.SetVal([]cty.Value{cty.StringVal("b"), cty.StringVal("a")}), []any{"a", "b"}},
		{cty.ObjectVal(map[string]cty.Value{"from_port": cty.NumberIntVal(22), "x": cty.NullVal(cty.Bool)}), map[string]any{"from_port": json.Number("22"), "x": nil}},
	}
	for _, tc := range tests {
		if got := GoValue(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("GoValue(%#v) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}
