package evaluator

import (
	"slices"

	"github.com/vpclint/vpclint/model"
)

// A rule's subjects (METADATA custom.subjects) are the collections of the
// model whose resources its findings are about. A unit that has none of
// them cannot give the rule a finding, and the rule is not evaluated on
// it: most units of a repository are small, and every rule evaluated on
// one costs its fixed share even when it finds nothing to look at.

// collectionBits gives each collection of the model (by its JSON name)
// a bit of a subjectMask: its place in model.Collections.
var collectionBits = func() map[string]subjectMask {
	bits := map[string]subjectMask{}
	for i, c := range model.Collections() {
		bits[c.Name] = 1 << i
	}
	return bits
}()

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
	var mask subjectMask
	for i, c := range model.Collections() {
		if c.Len(m) > 0 {
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
	var names []string
	for _, c := range model.Collections() {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	return names
}
