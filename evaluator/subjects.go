package evaluator

import (
	"reflect"
	"slices"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// A rule's subjects (METADATA custom.subjects) are the collections of the
// model whose resources its findings are about. A unit that has none of
// them cannot give the rule a finding, and the rule is not evaluated on
// it: most units of a repository are small, and every rule evaluated on
// one costs its fixed share even when it finds nothing to look at.

// collectionBits gives each collection of the model (a slice of
// model.Model, by its JSON name) a bit of a subjectMask.
var collectionBits = func() map[string]subjectMask {
	bits := map[string]subjectMask{}
	for i, f := range collectionFields {
		bits[f.name] = 1 << i
	}
	return bits
}()

// collectionFields are model.Model's slice fields with their JSON names.
var collectionFields = func() []collectionField {
	var out []collectionField
	t := reflect.TypeFor[model.Model]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Type.Kind() != reflect.Slice || name == "" || name == "-" {
			continue
		}
		out = append(out, collectionField{name: name, index: i})
	}
	return out
}()

type collectionField struct {
	name  string
	index int // in model.Model
}

// subjectMask is a set of collections, one bit each; 0 for a rule means
// "every unit".
type subjectMask uint64

// maskOf is the set of the named collections.
func maskOf(names []string) subjectMask {
	var m subjectMask
	for _, n := range names {
		m |= collectionBits[n]
	}
	return m
}

// unitMask is the set of the unit's collections that are not empty.
func unitMask(m *model.Model) subjectMask {
	v := reflect.ValueOf(m).Elem()
	var mask subjectMask
	for i, f := range collectionFields {
		if v.Field(f.index).Len() > 0 {
			mask |= 1 << i
		}
	}
	return mask
}

// applies says whether a rule with these subjects can report on a unit
// with these collections.
func (rule subjectMask) applies(unit subjectMask) bool {
	return rule == 0 || rule&unit != 0
}

// collectionNames are the names a rule may give as subjects, sorted.
func collectionNames() []string {
	names := make([]string, 0, len(collectionFields))
	for _, f := range collectionFields {
		names = append(names, f.name)
	}
	slices.Sort(names)
	return names
}
