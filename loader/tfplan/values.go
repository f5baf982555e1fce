package tfplan

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// state of a value read from a plan.
type state int

const (
	stNull    state = iota // absent or null: not set
	stKnown                // a known value
	stUnknown              // known only after apply
)

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

// unknownAt reports whether after_unknown marks key wholly unknown.
func (v view) unknownAt(key string) bool {
	if b, ok := v.unk.(bool); ok {
		return b
	}
	m, ok := v.unk.(map[string]any)
	if !ok {
		return false
	}
	b, _ := m[key].(bool)
	return b
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
func (v view) raw(key string) (any, state) {
	if v.unknownAt(key) {
		return nil, stUnknown
	}
	x, ok := v.vals[key]
	if !ok || x == nil {
		if anyUnknown(v.unkSub(key)) {
			return nil, stUnknown
		}
		return nil, stNull
	}
	return x, stKnown
}

// str reads a string (numbers and booleans are rendered as text).
func (v view) str(key string) (string, state) {
	x, st := v.raw(key)
	if st != stKnown {
		return "", st
	}
	switch t := x.(type) {
	case string:
		return t, stKnown
	case json.Number:
		return t.String(), stKnown
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), stKnown
	case bool:
		return strconv.FormatBool(t), stKnown
	}
	return "", stNull
}

// boolean reads a bool ("true"/"false" strings too).
func (v view) boolean(key string) (bool, state, error) {
	x, st := v.raw(key)
	if st != stKnown {
		return false, st, nil
	}
	switch t := x.(type) {
	case bool:
		return t, stKnown, nil
	case string:
		b, err := strconv.ParseBool(t)
		if err != nil {
			return false, stNull, fmt.Errorf("%s: %q is not a boolean", key, t)
		}
		return b, stKnown, nil
	}
	return false, stNull, fmt.Errorf("%s: %v is not a boolean", key, x)
}

// integer reads a whole number (numeric strings too).
func (v view) integer(key string) (int, state, error) {
	x, st := v.raw(key)
	if st != stKnown {
		return 0, st, nil
	}
	n, err := toInt(x)
	if err != nil {
		return 0, stNull, fmt.Errorf("%s: %w", key, err)
	}
	return n, stKnown, nil
}

func toInt(x any) (int, error) {
	switch t := x.(type) {
	case json.Number:
		if n, err := t.Int64(); err == nil && n >= math.MinInt32 && n <= math.MaxInt32 {
			return int(n), nil
		}
		f, err := t.Float64()
		if err == nil && f == math.Trunc(f) && f >= math.MinInt32 && f <= math.MaxInt32 {
			return int(f), nil
		}
		return 0, fmt.Errorf("%s is not a whole number", t)
	case float64:
		if t == math.Trunc(t) && t >= math.MinInt32 && t <= math.MaxInt32 {
			return int(t), nil
		}
		return 0, fmt.Errorf("%v is not a whole number", t)
	case string:
		n, err := strconv.Atoi(t)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", t)
		}
		return n, nil
	}
	return 0, fmt.Errorf("%v is not a number", x)
}

// strList reads a list or set of strings. A list with an unknown element
// is unknown as a whole; a single string reads as a one-element list.
func (v view) strList(key string) ([]string, state) {
	x, st := v.raw(key)
	if st != stKnown {
		return nil, st
	}
	if anyUnknown(v.unkSub(key)) {
		return nil, stUnknown
	}
	switch t := x.(type) {
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			switch s := e.(type) {
			case string:
				out = append(out, s)
			case json.Number:
				out = append(out, s.String())
			case nil:
			default:
				out = append(out, fmt.Sprint(s))
			}
		}
		return out, stKnown
	case string:
		return []string{t}, stKnown
	}
	return nil, stNull
}

// objList reads a list of nested blocks as views. A wholly unknown list is
// stUnknown; elements keep their own unknown markers.
func (v view) objList(key string) ([]view, state) {
	x, st := v.raw(key)
	if st != stKnown {
		return nil, st
	}
	list, ok := x.([]any)
	if !ok {
		if m, ok := x.(map[string]any); ok {
			return []view{{vals: m, unk: v.unkSub(key)}}, stKnown
		}
		return nil, stNull
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
			return nil, stUnknown
		}
	}
	return out, stKnown
}

// strMap reads a map of strings (tags).
func (v view) strMap(key string) map[string]string {
	x, st := v.raw(key)
	if st != stKnown {
		return nil
	}
	m, ok := x.(map[string]any)
	if !ok || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if s, ok := m[k].(string); ok {
			out[k] = s
		}
	}
	return out
}
