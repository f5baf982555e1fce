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

// TestModelTidy tidies the Meta of every kind of resource a unit holds.
func TestModelTidy(t *testing.T) {
	m := &Model{
		VPCs:    []*VPC{{Meta: Meta{ID: "v", Unknown: []string{"b", "a", "a"}}}},
		Subnets: []*Subnet{{Meta: Meta{ID: "s", Defaulted: []string{}}}},
	}
	m.Tidy()
	if got := m.VPCs[0].Unknown; !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("VPC unknown = %v, want [a b]", got)
	}
	if got := m.Subnets[0].Defaulted; got != nil {
		t.Errorf("subnet defaulted = %#v, want nil", got)
	}
}
