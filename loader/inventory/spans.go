package inventory

import (
	"github.com/vpclint/vpclint/internal/jsonpos"
	"github.com/vpclint/vpclint/model"
)

// The spans of a snapshot: where each resource starts and ends, and the
// line of each of its attribute paths ("ingress[0].cidr_blocks[1]"),
// found by walking the snapshot's tokens with jsonpos.

// span is where one resource sits in the snapshot.
type span struct {
	start, end int
	attrs      map[string]int
}

// scan walks a snapshot and returns, per unit and resource list, the line
// span of each resource and the line of each of its attribute paths.
func scan(content []byte) ([]map[string][]span, error) {
	w := jsonpos.NewWalker(content)
	var out []map[string][]span
	err := w.Object(func(key string) error {
		if key != "units" || w.Kind() == 'n' {
			return w.Skip()
		}
		return w.Array(func(int) error {
			unit := map[string][]span{}
			out = append(out, unit)
			if w.Kind() == 'n' { // a null unit, which Read skips
				return w.Skip()
			}
			return walkUnit(w, unit)
		})
	})
	return out, err
}

// unitSpans walks the text of one unit, lines counted from its first.
func unitSpans(content []byte) (map[string][]span, error) {
	unit := map[string][]span{}
	return unit, walkUnit(jsonpos.NewWalker(content), unit)
}

// walkUnit walks a unit's object, recording the span of each resource.
func walkUnit(w *jsonpos.Walker, unit map[string][]span) error {
	lists := collections(&model.Model{})
	return w.Object(func(coll string) error {
		if _, ok := lists[coll]; !ok || w.Kind() == 'n' { // null: no resources
			return w.Skip()
		}
		return w.Array(func(int) error {
			start := w.Line()
			attrs := map[string]int{}
			if err := w.Paths("", -1, attrs); err != nil {
				return err
			}
			unit[coll] = append(unit[coll], span{start: start, end: w.EndLine(), attrs: attrs})
			return nil
		})
	})
}
