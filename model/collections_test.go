package model

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestCollectionsAreTheModelsLists checks the table of collections
// against Model itself: every slice of resources, by its JSON name, in
// field order, and each entry reading its own field.
func TestCollectionsAreTheModelsLists(t *testing.T) {
	var want []string
	m := New("u", FormatTerraform)
	v := reflect.ValueOf(m).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.Type.Kind() != reflect.Slice || !f.Type.Elem().Implements(reflect.TypeFor[Resource]()) {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		want = append(want, name)
		// Two resources in this list only, out of id order.
		for _, id := range []string{"b", "a"} {
			r := reflect.New(f.Type.Elem().Elem())
			r.Interface().(Resource).GetMeta().ID = name + "/" + id
			v.Field(i).Set(reflect.Append(v.Field(i), r))
		}
	}
	var got []string
	for _, c := range Collections() {
		got = append(got, c.Name)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Collections = %v, want Model's lists %v", got, want)
	}
	if m.Len() != 2*len(want) {
		t.Errorf("Len = %d, want %d", m.Len(), 2*len(want))
	}
	m.SortByID()
	for _, c := range Collections() {
		var ids []string
		for _, r := range c.Append(m, nil) {
			ids = append(ids, r.GetMeta().ID)
		}
		if want := []string{c.Name + "/a", c.Name + "/b"}; c.Len(m) != 2 || !slices.Equal(ids, want) {
			t.Errorf("%s: len %d, sorted ids %v, want %v", c.Name, c.Len(m), ids, want)
		}
	}
	if rs := New("u", FormatTerraform).Resources(); rs != nil {
		t.Errorf("Resources of an empty model = %v, want nil", rs)
	}
}
