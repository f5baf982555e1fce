package cloudformation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits that keep a hostile template from exhausting memory or time.
const (
	// maxDepth bounds the nesting of mappings and sequences.
	maxDepth = 200
	// minNodeBudget is the least number of nodes a template may expand to
	// (aliases included); larger files get nodeBudgetPerByte more per byte.
	minNodeBudget     = 100_000
	nodeBudgetPerByte = 2
)

// kind is the kind of a template value.
type kind uint8

const (
	kindNull kind = iota
	kindScalar
	kindMap
	kindList
	// kindUnknown is a value the resolver could not decide. It only
	// appears after resolution.
	kindUnknown
)

// node is a template value with its position. Parsing produces nodes of
// every kind but kindUnknown; resolution produces new nodes whose line is
// the line of the expression that produced them. Templates are parsed into
// millions of nodes, so the rare parts live behind sym.
type node struct {
	kind kind
	// typ is a scalar's YAML type (a string, a number, a boolean).
	typ scalarType
	// resRef marks a resource's id from Ref or GetAtt: fine as a
	// reference, meaningless as a CIDR or a port.
	resRef bool
	// active marks a parsed value that holds an intrinsic function or a
	// dynamic reference: resolution copies only those, and hands the
	// others (most of a template) on as they are.
	active bool
	// line is where the value starts; endLine where it ends.
	line, endLine int
	// value is a scalar's text.
	value string
	// keys and vals are a mapping's entries, in order; vals alone are
	// a sequence's elements (one slice for both keeps a node, of which a
	// template has millions, small).
	keys []key
	vals []*node
	sym  *symbolic
}

// key is a mapping's key: its text and line. A template has as many keys
// as values; kept apart from nodes, they cost a third of one.
type key struct {
	value string
	line  int
}

// scalarType is the YAML type of a scalar, as far as CloudFormation cares.
type scalarType uint8

const (
	typeString scalarType = iota
	typeInt
	typeFloat
	typeBool
)

// symbolic is what resolution knows about a value it could not decide,
// or about an availability zone.
type symbolic struct {
	// pattern is a readable form of an unknown string ("com.amazonaws.
	// ${AWS::Region}.s3"), empty when nothing of it is known.
	pattern string
	// azRef is the symbolic identity of an availability zone picked with
	// Fn::Select from Fn::GetAZs ("GetAZs[0]").
	azRef string
	// azList names an unknown list of distinct availability zones: the
	// result of Fn::GetAZs without a region ("GetAZs") or a
	// List<AWS::EC2::AvailabilityZone::Name> parameter without a value.
	// Fn::Select picks a symbolic zone from it.
	azList string
	// imported is set on the value of an Fn::ImportValue: the glob of the
	// export names it may stand for.
	imported string
	// alts are the values an Fn::If whose condition cannot be decided may
	// give (nil for AWS::NoValue is left out).
	alts []*node
}

// pattern is an unknown value's readable form ("" when none).
func (n *node) pattern() string {
	if n == nil || n.sym == nil {
		return ""
	}
	return n.sym.pattern
}

// info is what is known of a value symbolically (zero when nothing).
func (n *node) info() symbolic {
	if n == nil || n.sym == nil {
		return symbolic{}
	}
	return *n.sym
}

// symbols returns n's symbolic part, adding one if it has none.
func (n *node) symbols() *symbolic {
	if n.sym == nil {
		n.sym = &symbolic{}
	}
	return n.sym
}

// get returns the value and key of a mapping entry, or nils.
func (n *node) get(name string) (*node, *key) {
	if n == nil || n.kind != kindMap {
		return nil, nil
	}
	for i := range n.keys {
		if n.keys[i].value == name {
			return n.vals[i], &n.keys[i]
		}
	}
	return nil, nil
}

// val returns a mapping entry's value, or nil.
func (n *node) val(name string) *node {
	v, _ := n.get(name)
	return v
}

// str is a scalar's text; "" for anything else.
func (n *node) str() string {
	if n == nil || n.kind != kindScalar {
		return ""
	}
	return n.value
}

// listOrOne is a list's items, or the value itself as a list of one: a
// single value where a list is expected says what was meant.
func (n *node) listOrOne() []*node {
	if n == nil {
		return nil
	}
	if n.kind == kindList {
		return n.vals
	}
	return []*node{n}
}

// kindName names a value's kind for messages.
func (n *node) kindName() string {
	if n == nil {
		return "nothing"
	}
	return [...]string{kindNull: "null", kindScalar: "a scalar", kindMap: "a mapping", kindList: "a list", kindUnknown: "an unknown value"}[n.kind]
}

// parseError is a template that cannot be read, at a line.
type parseError struct {
	line int
	msg  string
}

func (e *parseError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("line %d: %s", e.line, e.msg)
	}
	return e.msg
}

// converter turns a yaml.v3 node tree into nodes, expanding aliases and
// merge keys within a node budget.
type converter struct {
	budget int
	// nodes and ptrs are slabs the copy is cut from: a template is
	// millions of small values that live and die together, and one
	// allocation per value was most of the time spent copying.
	nodes []node
	ptrs  []*node
	keys  []key
	// release is set when the document has no anchors: each YAML node is
	// dropped once copied, so that the memory of the parser's tree is
	// reused for the copy instead of both being held at once.
	release bool
	// at, when set, is the line every node gets: an alias's copy of its
	// anchor stands where the alias is written.
	at int
	// off is added to every yaml line: the line before the piece of the
	// file being converted (parse_chunks.go), 0 for a whole file.
	off int
}

// slab sizes: large enough to amortize, small enough not to waste much on
// a small template.
const (
	nodeSlab = 512
	ptrSlab  = 2048
)

// newNode returns a zero node from the slab.
func (c *converter) newNode() *node {
	if len(c.nodes) == 0 {
		c.nodes = make([]node, nodeSlab)
	}
	n := &c.nodes[0]
	c.nodes = c.nodes[1:]
	return n
}

// fromSlab returns an empty slice of capacity n cut from a slab, which is
// refilled with size elements when it runs short (appending past n
// reallocates, as a merge key may).
func fromSlab[T any](slab *[]T, n, size int) []T {
	if n > ptrSlab/4 {
		return make([]T, 0, n)
	}
	if len(*slab) < n {
		*slab = make([]T, size)
	}
	out := (*slab)[:0:n]
	*slab = (*slab)[n:]
	return out
}

func (c *converter) newPtrs(n int) []*node { return fromSlab(&c.ptrs, n, ptrSlab) }

func (c *converter) newKeys(n int) []key { return fromSlab(&c.keys, n, ptrSlab/2) }

// line gives a yaml node's line, or the line of the alias being expanded.
func (c *converter) line(y *yaml.Node) int {
	if c.at > 0 {
		return c.at
	}
	return y.Line + c.off
}

// parseTemplate parses YAML or JSON text into a node tree: JSON through
// the JSON reader (json.go) when it can, else through yaml.v3. Only the
// first YAML document is read.
func parseTemplate(content []byte) (*node, error) {
	if t := bytes.TrimSpace(bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))); len(t) > 0 && t[0] == '{' {
		if n, err := parseJSON(content); !errors.Is(err, errNotJSON) {
			return n, err
		}
	}
	return parseYAML(content)
}

// parseYAML parses YAML (or JSON the JSON reader left to it): a large
// template piece by piece when it can be (parse_chunks.go), else whole.
func parseYAML(content []byte) (*node, error) {
	if len(content) >= chunkedMin {
		if n, ok := parseYAMLChunked(content, chunkSize); ok {
			return n, nil
		}
	}
	return parseYAMLWhole(content)
}

// parseYAMLWhole parses a YAML document in one piece.
func parseYAMLWhole(content []byte) (*node, error) {
	var doc yaml.Node
	err := yaml.NewDecoder(bytes.NewReader(content)).Decode(&doc)
	if err != nil && !errors.Is(err, io.EOF) {
		// JSON allows "\/", YAML does not: read it as "/" and retry.
		if fixed, ok := unescapeJSONSlashes(content); ok {
			doc = yaml.Node{}
			if yaml.NewDecoder(bytes.NewReader(fixed)).Decode(&doc) == nil {
				err = nil
			}
		}
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &parseError{msg: "the file is empty"}
		}
		return nil, &parseError{line: yamlErrorLine(err), msg: cleanYAMLError(err)}
	}
	c := &converter{budget: minNodeBudget + nodeBudgetPerByte*len(content)}
	// Measure the expanded size first: an alias bomb is refused before
	// anything is copied.
	anchors := map[*yaml.Node]int{}
	if size, line := expandedSize(&doc, anchors, c.budget, 0); size > c.budget {
		return nil, &parseError{line: line, msg: fmt.Sprintf("the template expands to more than %d values (a YAML alias bomb?)", c.budget)}
	}
	c.release = len(anchors) == 0
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil, &parseError{msg: "the file is empty"}
		}
		root = root.Content[0]
	}
	return c.convert(root, 0, nil)
}

// yamlErrorLine digs the line out of a yaml.v3 error ("yaml: line 3: ...").
func yamlErrorLine(err error) int {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	_, rest, ok := strings.Cut(msg, "line ")
	n, err := strconv.Atoi(rest[:len(rest)-len(strings.TrimLeft(rest, "0123456789"))])
	if !ok || err != nil || n > 1<<30 {
		return 0
	}
	return n
}

// cleanYAMLError drops yaml.v3's "yaml: line N:" prefix (the line is
// reported apart).
func cleanYAMLError(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 && strings.Trim(rest[:i], "0123456789") == "" {
			msg = rest[i+2:]
		}
	}
	return msg
}

// unescapeJSONSlashes replaces the JSON escape \/ with / inside strings
// of a JSON document, keeping every line where it is. ok is false when the
// content is not JSON or has no such escape.
func unescapeJSONSlashes(content []byte) ([]byte, bool) {
	t := bytes.TrimSpace(content)
	if len(t) == 0 || t[0] != '{' || !bytes.Contains(content, []byte(`\/`)) {
		return nil, false
	}
	out := make([]byte, 0, len(content))
	inString := false
	for i := 0; i < len(content); i++ {
		c := content[i]
		switch {
		case inString && c == '\\' && i+1 < len(content):
			if content[i+1] == '/' {
				out = append(out, '/')
			} else {
				out = append(out, c, content[i+1])
			}
			i++
			continue
		case c == '"':
			inString = !inString
		}
		out = append(out, c)
	}
	return out, true
}

// expandedSize counts the nodes y expands to, aliases included, stopping
// once the count passes limit; line is where it passed. memo holds the
// size of anchored nodes already measured (-1 while one is being
// measured, so a recursive alias counts as too big).
func expandedSize(y *yaml.Node, memo map[*yaml.Node]int, limit, depth int) (int, int) {
	if y == nil {
		return 0, 0
	}
	// Only anchored nodes can be reached twice, so only they are memoized.
	anchored := y.Anchor != ""
	if anchored {
		if n, ok := memo[y]; ok {
			if n < 0 {
				return limit + 1, y.Line
			}
			return n, 0
		}
		memo[y] = -1
	}
	if depth > maxDepth {
		// convert reports the depth itself.
		return 1, 0
	}
	total := 1
	if y.Kind == yaml.AliasNode {
		n, line := expandedSize(y.Alias, memo, limit, depth+1)
		if line != 0 {
			return n, line
		}
		total += n
	}
	for _, ch := range y.Content {
		n, line := expandedSize(ch, memo, limit, depth+1)
		total += n
		if line != 0 || total > limit {
			if line == 0 {
				line = ch.Line
			}
			return limit + 1, line
		}
	}
	if anchored {
		memo[y] = total
	}
	return total, 0
}

// convert copies one yaml node. active holds the aliases being expanded,
// so that a recursive alias is refused.
func (c *converter) convert(y *yaml.Node, depth int, active []*yaml.Node) (*node, error) {
	if depth > maxDepth {
		return nil, &parseError{line: y.Line, msg: fmt.Sprintf("nesting deeper than %d levels", maxDepth)}
	}
	c.budget--
	if c.budget < 0 {
		return nil, &parseError{line: y.Line, msg: "the template expands to too many values (a YAML alias bomb?)"}
	}
	switch y.Kind {
	case yaml.AliasNode:
		if y.Alias == nil {
			return nil, &parseError{line: y.Line, msg: "alias to nothing"}
		}
		if slices.Contains(active, y.Alias) {
			return nil, &parseError{line: y.Line, msg: fmt.Sprintf("alias *%s refers to itself", y.Value)}
		}
		saved := c.at
		if c.at == 0 {
			c.at = y.Line + c.off
		}
		n, err := c.convert(y.Alias, depth+1, append(active, y.Alias))
		c.at = saved
		return n, err
	}
	var n *node
	var err error
	switch y.Kind {
	case yaml.ScalarNode:
		n = c.scalar(y)
	case yaml.SequenceNode:
		n, err = c.sequence(y, depth, active)
	case yaml.MappingNode:
		n, err = c.mapping(y, depth, active)
	default:
		return nil, &parseError{line: y.Line, msg: "unsupported YAML node"}
	}
	if err != nil {
		return nil, err
	}
	n = c.wrapShortForm(y, n)
	n.active = isActive(n)
	return n, nil
}

// isActive says whether a value whose parts are converted holds an
// intrinsic function or a dynamic reference.
func isActive(n *node) bool {
	switch n.kind {
	case kindScalar:
		return isDynamicReference(n.value)
	case kindList:
		for _, it := range n.vals {
			if it.active {
				return true
			}
		}
	case kindMap:
		if _, _, ok := intrinsicName(n); ok {
			return true
		}
		for _, v := range n.vals {
			if v.active {
				return true
			}
		}
	}
	return false
}

func (c *converter) scalar(y *yaml.Node) *node {
	line := c.line(y)
	n := c.newNode()
	n.kind, n.value, n.line, n.endLine = kindScalar, y.Value, line, line
	if !strings.HasPrefix(y.Tag, "!") || strings.HasPrefix(y.Tag, "!!") {
		// The operand of a short form is text; others have their type.
		switch y.ShortTag() {
		case "!!null":
			n.kind = kindNull
		case "!!int":
			n.typ = typeInt
		case "!!float":
			n.typ = typeFloat
		case "!!bool":
			n.typ = typeBool
		}
	}
	if y.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && c.at == 0 {
		n.endLine = line + strings.Count(strings.TrimRight(y.Value, "\n"), "\n") + 1
	}
	return n
}

func (c *converter) sequence(y *yaml.Node, depth int, active []*yaml.Node) (*node, error) {
	n := c.newNode()
	n.kind, n.line, n.endLine, n.vals = kindList, c.line(y), c.line(y), c.newPtrs(len(y.Content))
	for i, it := range y.Content {
		v, err := c.convert(it, depth+1, active)
		if err != nil {
			return nil, err
		}
		if c.release {
			y.Content[i] = nil
		}
		n.vals = append(n.vals, v)
		n.endLine = max(n.endLine, v.endLine)
	}
	return n, nil
}

func (c *converter) mapping(y *yaml.Node, depth int, active []*yaml.Node) (*node, error) {
	n := c.newNode()
	n.kind, n.line, n.endLine = kindMap, c.line(y), c.line(y)
	n.keys, n.vals = c.newKeys(len(y.Content)/2), c.newPtrs(len(y.Content)/2)
	var seen keySet
	var merged []*node // mappings from merge keys, applied after
	for i := 0; i+1 < len(y.Content); i += 2 {
		ky, vy := y.Content[i], y.Content[i+1]
		if ky.Kind == yaml.ScalarNode && ky.Tag == "!!merge" {
			v, err := c.convert(vy, depth+1, active)
			if err != nil {
				return nil, err
			}
			for _, it := range v.listOrOne() {
				if it.kind != kindMap {
					return nil, &parseError{line: ky.Line, msg: "a merge key needs a mapping or a list of mappings"}
				}
				merged = append(merged, it)
			}
			continue
		}
		if ky.Kind != yaml.ScalarNode {
			k := ky
			if k.Kind == yaml.AliasNode && k.Alias != nil && k.Alias.Kind == yaml.ScalarNode {
				k = k.Alias
			} else {
				return nil, &parseError{line: ky.Line, msg: "a mapping key must be a scalar"}
			}
			ky = &yaml.Node{Kind: yaml.ScalarNode, Value: k.Value, Tag: k.Tag, Line: ky.Line, Column: ky.Column}
		}
		k := key{value: ky.Value, line: c.line(ky)}
		if prev, dup := seen.dup(n.keys, k); dup {
			return nil, &parseError{line: k.line, msg: fmt.Sprintf("duplicate key %q at lines %d and %d", k.value, prev, k.line)}
		}
		c.budget--
		v, err := c.convert(vy, depth+1, active)
		if err != nil {
			return nil, err
		}
		if c.release {
			y.Content[i], y.Content[i+1] = nil, nil
		}
		n.keys = append(n.keys, k)
		n.vals = append(n.vals, v)
		n.endLine = max(n.endLine, v.endLine, k.line)
	}
	// A key written or merged earlier wins.
	for _, m := range merged {
		for i, k := range m.keys {
			if _, dup := seen.dup(n.keys, k); dup {
				continue
			}
			n.keys = append(n.keys, k)
			n.vals = append(n.vals, m.vals[i])
		}
	}
	return n, nil
}

// smallMapping is the size up to which a mapping is searched key by key.
const smallMapping = 8

// keySet finds the duplicate keys of a mapping being read: by looking
// back in a small one, through an index once it is large.
type keySet struct{ index map[string]int }

// dup returns the line of a key named as k among keys (the mapping's so
// far); when there is none, k is taken as read.
func (s *keySet) dup(keys []key, k key) (int, bool) {
	if s.index == nil && len(keys) > smallMapping {
		s.index = make(map[string]int, 2*len(keys))
		for _, k := range keys {
			s.index[k.value] = k.line
		}
	}
	if s.index == nil {
		i := slices.IndexFunc(keys, func(p key) bool { return p.value == k.value })
		if i < 0 {
			return 0, false
		}
		return keys[i].line, true
	}
	if line, ok := s.index[k.value]; ok {
		return line, true
	}
	s.index[k.value] = k.line
	return 0, false
}

// wrapShortForm turns `!Ref X` into {Ref: X} and `!Sub x` into
// {"Fn::Sub": x}, keeping the line.
func (c *converter) wrapShortForm(y *yaml.Node, n *node) *node {
	tag := y.Tag
	if !strings.HasPrefix(tag, "!") || strings.HasPrefix(tag, "!!") || len(tag) < 2 {
		return n
	}
	name := tag[1:]
	if name != "Ref" && name != "Condition" {
		name = "Fn::" + name
	}
	m := c.newNode()
	m.kind, m.line, m.endLine = kindMap, n.line, n.endLine
	m.keys, m.vals = append(c.newKeys(1), key{value: name, line: n.line}), append(c.newPtrs(1), n)
	return m
}

// relocate copies n with every line set to line: a value computed from
// elsewhere (a parameter's default, a mapping's entry) stands where it is
// used. Each copied node is paid from left; ok is false (and the copy
// unusable) when left runs out.
func relocate(n *node, line int, left *int) (out *node, ok bool) {
	if n == nil {
		return nil, true
	}
	if *left--; *left < 0 {
		return nil, false
	}
	c := *n
	c.line, c.endLine = line, line
	if n.keys != nil {
		// Each key is paid for as a value is.
		if *left -= len(n.keys); *left < 0 {
			return nil, false
		}
		c.keys = make([]key, len(n.keys))
		for i, k := range n.keys {
			c.keys[i] = key{value: k.value, line: line}
		}
	}
	if n.vals != nil {
		c.vals = make([]*node, len(n.vals))
		for i, it := range n.vals {
			if c.vals[i], ok = relocate(it, line, left); !ok {
				return nil, false
			}
		}
	}
	return &c, true
}
