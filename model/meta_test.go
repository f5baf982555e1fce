package model

import (
	"reflect"
	"testing"
)

func TestMetaTidy(t *testing.T) {
	tests := []struct {
		name string
		in   Meta
		want Meta
	}{
		{"empty lists become nil", Meta{Unknown: []string{}, Defaulted: []string{}, AttributeLines: map[string]int{}}, Meta{}},
		{"sorted without repeats", Meta{Unknown: []string{"b", "a", "b"}, Defaulted: []string{"x", "x"}, AttributeLines: map[string]int{"a": 3}},
			Meta{Unknown: []string{"a", "b"}, Defaulted: []string{"x"}, AttributeLines: map[string]int{"a": 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.in
			m.Tidy()
			if !reflect.DeepEqual(m, tt.want) {
				t.Errorf("Tidy() = %+v, want %+v", m, tt.want)
			}
		})
	}
}
