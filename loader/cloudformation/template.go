package cloudformation

import (
	"fmt"
	"strings"
)

// Transforms whose effect is understood: SAM's serverless resources are
// not read (the EC2 ones beside them are), and Fn::ForEach of the
// language extensions is noted where it is written.
const (
	samTransform       = "AWS::Serverless-2016-10-31"
	languageExtensions = "AWS::LanguageExtensions"
)

// template is a parsed template, before resolution.
type template struct {
	root       *node
	parameters *node
	mappings   *node
	conditions *node
	outputs    *node
	// resources in the order written.
	resources []*resource
	byID      map[string]*resource
	// transforms lists the template's Transform names.
	transforms []string
	// expands is set when the template has Fn::ForEach, whose resources
	// are not read.
	expands bool
	// notes are things the loader does not read, reported as info.
	notes []note
	// index holds the keys of large mappings looked up by name (the
	// sections, a big Mappings table), so that a lookup costs the same
	// however many entries there are.
	index map[*node]map[string]int
}

// lookup returns the value of a mapping's entry, or nil. Small mappings
// are searched; large ones through an index built on first use.
func (t *template) lookup(m *node, key string) *node {
	if m == nil || m.kind != kindMap {
		return nil
	}
	if len(m.keys) <= smallMapping {
		return m.val(key)
	}
	ix, ok := t.index[m]
	if !ok {
		ix = make(map[string]int, len(m.keys))
		for i, k := range m.keys {
			if _, dup := ix[k.value]; !dup {
				ix[k.value] = i
			}
		}
		if t.index == nil {
			t.index = map[*node]map[string]int{}
		}
		t.index[m] = ix
	}
	if i, ok := ix[key]; ok {
		return m.vals[i]
	}
	return nil
}

// note is an info message at a line.
type note struct {
	line int
	msg  string
}

// resource is one entry of the Resources section.
type resource struct {
	logicalID string
	typ       string
	key       key   // the logical id's key (its line starts the resource)
	body      *node // the resource's mapping
	props     *node // Properties, raw; nil when absent
	condition string
	metadata  *node
}

// startLine and endLine bound the resource's text from its logical id to
// its last value (build.endLine adds JSON's closing brackets).
func (r *resource) startLine() int { return r.key.line }
func (r *resource) endLine() int   { return max(r.key.line, r.body.endLine) }

// newTemplate reads the sections of a parsed template.
func newTemplate(root *node) (*template, error) {
	if root == nil || root.kind != kindMap {
		return nil, &parseError{line: lineOf(root), msg: fmt.Sprintf("a template must be a mapping, not %s", root.kindName())}
	}
	t := &template{root: root, byID: map[string]*resource{}}
	t.parameters = root.val("Parameters")
	t.mappings = root.val("Mappings")
	t.conditions = root.val("Conditions")
	t.outputs = root.val("Outputs")
	for _, it := range root.val("Transform").listOrOne() {
		if it.kind == kindScalar {
			t.transforms = append(t.transforms, it.value)
		}
	}
	for _, tr := range t.transforms {
		if tr != samTransform && tr != languageExtensions {
			t.notes = append(t.notes, note{line: lineOf(root.val("Transform")), msg: fmt.Sprintf("Transform %s is not applied; what it would add or change is not read", tr)})
		}
	}
	res, rkey := root.get("Resources")
	if res == nil {
		return nil, &parseError{msg: "the template has no Resources section"}
	}
	if res.kind != kindMap {
		return nil, &parseError{line: rkey.line, msg: "Resources must be a mapping"}
	}
	for i, k := range res.keys {
		body := res.vals[i]
		if strings.HasPrefix(k.value, "Fn::ForEach") {
			t.expands = true
			t.notes = append(t.notes, note{line: k.line, msg: fmt.Sprintf("%s (AWS::LanguageExtensions) is not expanded; the resources it makes are not read", k.value)})
			continue
		}
		if body.kind != kindMap {
			continue
		}
		typ := body.val("Type").str()
		r := &resource{logicalID: k.value, typ: typ, key: k, body: body, metadata: body.val("Metadata")}
		if p := body.val("Properties"); p != nil && p.kind == kindMap {
			r.props = p
		}
		if c := body.val("Condition"); c != nil && c.kind == kindScalar {
			r.condition = c.value
		}
		t.resources = append(t.resources, r)
		t.byID[k.value] = r
	}
	return t, nil
}

func lineOf(n *node) int {
	if n == nil {
		return 0
	}
	return n.line
}

// isListParameterType reports whether a parameter of this type is a list.
func isListParameterType(typ string) bool {
	return typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")
}
