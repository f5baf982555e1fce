package tfplan

import (
	"errors"

	"github.com/vpclint/vpclint/internal/jsonpos"
	"github.com/vpclint/vpclint/loader/tfaws"
)

// topKeys lists the top-level keys of a JSON object, stopping early once
// stop says so. ok is false when the text does not start an object.
func topKeys(b []byte, stop func(keys map[string]bool) bool) (keys map[string]bool, ok bool) {
	w := jsonpos.NewWalker(b)
	if w.Kind() != '{' {
		return nil, false
	}
	keys = map[string]bool{}
	errStop := errors.New("stop")
	// A truncated or garbled text still tells its first keys.
	_ = w.Object(func(k string) error {
		keys[k] = true
		if stop(keys) {
			return errStop
		}
		return w.Skip()
	})
	return keys, true
}

// span is the lines of one value of the plan: where it starts and ends.
type span struct{ line, end int }

// modPos is where a state module's resources are in the text.
type modPos struct {
	resources []span
	children  []*modPos
}

// resource is where the i-th resource is: line 1 when not found.
func (m *modPos) resource(i int) span {
	if i < len(m.resources) {
		return m.resources[i]
	}
	return span{1, 1}
}

// positions is where the plan's parts are, as lines.
type positions struct {
	changes    []span           // resource_changes[i]
	afterAttrs []map[string]int // resource_changes[i].change.after paths
	planned    *modPos          // planned_values.root_module
	values     *modPos          // values.root_module (a state)
}

// maxAttrDepth limits how deep attribute paths in change.after are indexed.
const maxAttrDepth = 4

// scanPositions indexes a plan text. It gives up quietly on malformed
// text: what it found so far is still useful.
func scanPositions(b []byte) *positions {
	p := &positions{}
	w := jsonpos.NewWalker(b)
	_ = w.Object(func(k string) error {
		switch k {
		case "resource_changes":
			if w.Kind() != '[' {
				return w.Skip()
			}
			return w.Array(func(int) error {
				p.changes = append(p.changes, span{w.Line(), w.Line()})
				attrs := map[string]int{}
				p.afterAttrs = append(p.afterAttrs, attrs)
				n := len(p.changes) - 1
				defer func() { p.changes[n].end = w.EndLine() }()
				if w.Kind() != '{' {
					return w.Skip()
				}
				typ := ""
				return w.Object(func(k string) error {
					if k == "type" && w.Kind() == '"' {
						t, err := w.String()
						typ = t
						return err
					}
					// Terraform writes "type" before "change": skip the
					// values of resources the loader does not map.
					if k != "change" || w.Kind() != '{' || (typ != "" && !tfaws.Supported(typ)) {
						return w.Skip()
					}
					return w.Object(func(k string) error {
						if k != "after" {
							return w.Skip()
						}
						return w.Paths("", maxAttrDepth, attrs)
					})
				})
			})
		case "planned_values", "values":
			top := k
			if w.Kind() != '{' {
				return w.Skip()
			}
			return w.Object(func(k string) error {
				if k != "root_module" {
					return w.Skip()
				}
				m, err := module(w)
				if top == "values" {
					p.values = m
				} else {
					p.planned = m
				}
				return err
			})
		}
		return w.Skip()
	})
	return p
}

// module indexes a state module object.
func module(w *jsonpos.Walker) (*modPos, error) {
	m := &modPos{}
	if w.Kind() != '{' {
		return m, w.Skip()
	}
	err := w.Object(func(k string) error {
		switch {
		case k == "resources" && w.Kind() == '[':
			return w.Array(func(int) error {
				line := w.Line()
				err := w.Skip()
				m.resources = append(m.resources, span{line, w.EndLine()})
				return err
			})
		case k == "child_modules" && w.Kind() == '[':
			return w.Array(func(int) error {
				c, err := module(w)
				m.children = append(m.children, c)
				return err
			})
		}
		return w.Skip()
	})
	return m, err
}
