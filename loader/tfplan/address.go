package tfplan

import (
	"fmt"
	"strconv"
	"strings"
)

// step is one dot-separated element of a Terraform address or reference,
// with its optional instance key: `module`, `web["a"]`, `id`.
type step struct {
	name   string
	key    any // int or string when hasKey
	hasKey bool
}

func (s step) String() string {
	if !s.hasKey {
		return s.name
	}
	return s.name + keyString(s.key)
}

// keyString renders an instance key as Terraform writes it: [0] or ["k"].
func keyString(k any) string {
	switch v := k.(type) {
	case int:
		return "[" + strconv.Itoa(v) + "]"
	case string:
		return "[" + strconv.Quote(v) + "]"
	case float64:
		return "[" + strconv.Itoa(int(v)) + "]"
	}
	return ""
}

// splitAddress splits an address or reference into steps. Keys are a
// number or a quoted string that may hold dots and brackets.
func splitAddress(a string) ([]step, error) {
	var out []step
	i := 0
	for i < len(a) {
		j := i
		for j < len(a) && a[j] != '.' && a[j] != '[' {
			j++
		}
		st := step{name: a[i:j]}
		i = j
		for i < len(a) && a[i] == '[' {
			// Terraform allows one key per step in addresses; a
			// reference may index further (ingress[0][1]) — keep the
			// first key and skip the rest.
			k, n, err := readKey(a[i:])
			if err != nil {
				return nil, fmt.Errorf("address %q: %w", a, err)
			}
			if !st.hasKey {
				st.key, st.hasKey = k, true
			}
			i += n
		}
		out = append(out, st)
		if i < len(a) {
			if a[i] != '.' {
				return nil, fmt.Errorf("address %q: unexpected %q at %d", a, a[i], i)
			}
			i++
			if i == len(a) {
				return nil, fmt.Errorf("address %q ends with a dot", a)
			}
		}
	}
	return out, nil
}

// readKey reads `[0]`, `["k"]` or `[*]` at the start of s and returns the
// key and the bytes consumed.
func readKey(s string) (any, int, error) {
	if len(s) < 3 || s[0] != '[' {
		return nil, 0, fmt.Errorf("bad index %q", s)
	}
	if s[1] == '"' {
		j := 2
		for j < len(s) && s[j] != '"' {
			if s[j] == '\\' {
				j++
			}
			j++
		}
		if j+1 >= len(s) || s[j+1] != ']' {
			return nil, 0, fmt.Errorf("unterminated key in %q", s)
		}
		k, err := strconv.Unquote(s[1 : j+1])
		if err != nil {
			k = s[2:j]
		}
		return k, j + 2, nil
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return nil, 0, fmt.Errorf("unterminated index in %q", s)
	}
	inner := s[1:end]
	if n, err := strconv.Atoi(inner); err == nil {
		return n, end + 1, nil
	}
	return inner, end + 1, nil // [*] or an expression: kept as text
}

// resAddr is a parsed resource instance address.
type resAddr struct {
	module  string // module instance address: module.a["k"].module.b
	modPath string // module path without keys: module.a.module.b
	mode    string // managed or data
	typ     string
	name    string
	key     any
	hasKey  bool
}

// parseResourceAddress reads module.a["k"].aws_x.y[0] (or data.aws_x.y).
func parseResourceAddress(a string) (resAddr, error) {
	steps, err := splitAddress(a)
	if err != nil {
		return resAddr{}, err
	}
	var r resAddr
	var mod, path []string
	i := 0
	for i+1 < len(steps) && steps[i].name == "module" && !steps[i].hasKey {
		mod = append(mod, "module", steps[i+1].String())
		path = append(path, "module", steps[i+1].name)
		i += 2
	}
	r.module = strings.Join(mod, ".")
	r.modPath = strings.Join(path, ".")
	r.mode = "managed"
	if i < len(steps) && steps[i].name == "data" && !steps[i].hasKey {
		r.mode = "data"
		i++
	}
	if len(steps)-i != 2 {
		return resAddr{}, fmt.Errorf("%q is not a resource address", a)
	}
	r.typ = steps[i].name
	r.name = steps[i+1].name
	r.key, r.hasKey = steps[i+1].key, steps[i+1].hasKey
	return r, nil
}

// joinModule joins a module instance address and a relative address.
func joinModule(module, rel string) string {
	if module == "" {
		return rel
	}
	if rel == "" {
		return module
	}
	return module + "." + rel
}

// modulePathOf strips instance keys from a module instance address.
func modulePathOf(module string) string {
	if module == "" {
		return ""
	}
	steps, err := splitAddress(module)
	if err != nil {
		return module
	}
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = s.name
	}
	return strings.Join(parts, ".")
}
