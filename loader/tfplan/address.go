package tfplan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
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
	}
	return ""
}

// splitAddress splits an address or reference into steps. Terraform
// writes both in HCL's traversal syntax, so HCL parses them: names, then
// keys that are a number or a quoted string (which may hold dots and
// brackets).
func splitAddress(a string) ([]step, error) {
	tr, diags := hclsyntax.ParseTraversalAbs([]byte(a), "", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("address %q: %s", a, diags.Error())
	}
	out := make([]step, 0, len(tr))
	for _, t := range tr {
		switch t := t.(type) {
		case hcl.TraverseRoot:
			out = append(out, step{name: t.Name})
		case hcl.TraverseAttr:
			out = append(out, step{name: t.Name})
		case hcl.TraverseIndex:
			// Terraform allows one key per step in addresses; a
			// reference may index further (ingress[0][1]): keep the
			// first key.
			last := &out[len(out)-1]
			if last.hasKey {
				continue
			}
			switch {
			case t.Key.Type() == cty.String:
				last.key = t.Key.AsString()
			case t.Key.Type() == cty.Number && t.Key.AsBigFloat().IsInt():
				n, _ := t.Key.AsBigFloat().Int64()
				last.key = int(n)
			default:
				return nil, fmt.Errorf("address %q: key %s is neither a string nor a whole number", a, t.Key.GoString())
			}
			last.hasKey = true
		}
	}
	return out, nil
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
