package tfplan

import "github.com/vpclint/vpclint/loader/tfaws"

// view reads a resource's planned values (change.after) together with the
// matching part of change.after_unknown.
type view struct {
	vals map[string]any
	unk  any // the after_unknown subtree: true, a map or a list
}

func newView(vals any, unk any) view {
	m, _ := vals.(map[string]any)
	return view{vals: m, unk: unk}
}

// unkSub returns the after_unknown subtree of key.
func (v view) unkSub(key string) any {
	if b, ok := v.unk.(bool); ok {
		return b
	}
	if m, ok := v.unk.(map[string]any); ok {
		return m[key]
	}
	return nil
}

// anyUnknown reports whether any leaf of an after_unknown subtree is true.
func anyUnknown(u any) bool {
	switch t := u.(type) {
	case bool:
		return t
	case map[string]any:
		for _, x := range t {
			if anyUnknown(x) {
				return true
			}
		}
	case []any:
		for _, x := range t {
			if anyUnknown(x) {
				return true
			}
		}
	}
	return false
}

// raw gives the value of key and its state.
func (v view) raw(key string) (any, tfaws.State) {
	u := v.unkSub(key)
	if u == true { // wholly unknown
		return nil, tfaws.Unknown
	}
	x, ok := v.vals[key]
	if !ok || x == nil {
		if anyUnknown(u) {
			return nil, tfaws.Unknown
		}
		return nil, tfaws.Unset
	}
	return x, tfaws.Known
}

// str reads a known scalar as text (numbers and booleans too).
func (v view) str(key string) (string, bool) {
	x, st := v.raw(key)
	if st != tfaws.Known {
		return "", false
	}
	return scalar(x)
}

// objList reads a list of nested blocks as views. A wholly unknown list is
// Unknown; elements keep their own unknown markers.
func (v view) objList(key string) ([]view, tfaws.State) {
	x, st := v.raw(key)
	if st != tfaws.Known {
		return nil, st
	}
	list, ok := x.([]any)
	if !ok {
		if m, ok := x.(map[string]any); ok {
			return []view{{vals: m, unk: v.unkSub(key)}}, tfaws.Known
		}
		return nil, tfaws.Unset
	}
	us, _ := v.unkSub(key).([]any)
	out := make([]view, 0, len(list))
	for i, e := range list {
		m, _ := e.(map[string]any)
		var u any
		if i < len(us) {
			u = us[i]
		}
		out = append(out, view{vals: m, unk: u})
	}
	// An unknown element beyond the known ones (a set that grows at
	// apply) makes the list incomplete.
	for i := len(list); i < len(us); i++ {
		if anyUnknown(us[i]) {
			return nil, tfaws.Unknown
		}
	}
	return out, tfaws.Known
}
