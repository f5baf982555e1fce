package cloudformation

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// build turns one template (and its nested stacks) into a model.
type build struct {
	m    *model.Model
	errs []model.LoadError
	// set is the load call's templates; stacks counts the nested stacks
	// read.
	set    *set
	stacks int
	// stack is the stack being read; nested stacks swap it while they
	// load.
	stack
	// folds are rule, entry and association resources, attached once
	// every stack's groups, ACLs and services exist.
	folds []fold
	// resolvers of loaded nested stacks, by the stack resource's id.
	nested map[string]*resolver

	vpcs     map[string]*model.VPC
	subnets  map[string]*model.Subnet
	groups   map[string]*model.SecurityGroup
	acls     map[string]*model.NetworkACL
	services map[string]*model.EndpointService
	tables   map[string]*model.RouteTable
	// inlineEgress marks groups whose egress was written inline, so they
	// get no implicit allow-all rule.
	inlineEgress map[*model.SecurityGroup]bool
	// aclAssocUnknown marks ACLs with an association to an unknown subnet.
	aclAssocUnknown map[*model.NetworkACL]bool
	region, account string
	// exp bounds the values resolution builds for the whole unit.
	exp *expansion
}

// stack is one template being read: the root or a nested stack.
type stack struct {
	// file is the path shown in findings; src the template.
	file string
	src  *file
	// module is the parent stack path of a nested stack ("Net").
	module string
	// prefix is prepended to logical ids ("Net/").
	prefix string
	t      *template
	r      *resolver
	// depth of nesting and the templates being read (cycle check).
	depth  int
	active []*file
}

// fold is a resource to attach to another, in its stack. uncertain marks
// one whose Condition cannot be decided: it may exist or not.
type fold struct {
	st        stack
	res       *resource
	uncertain bool
}

func newBuild(unit string, s *set) *build {
	b := &build{
		set:             s,
		region:          s.opts.Region,
		account:         s.opts.Account,
		m:               model.New(unit, model.FormatCloudFormation),
		vpcs:            map[string]*model.VPC{},
		subnets:         map[string]*model.Subnet{},
		groups:          map[string]*model.SecurityGroup{},
		acls:            map[string]*model.NetworkACL{},
		services:        map[string]*model.EndpointService{},
		tables:          map[string]*model.RouteTable{},
		inlineEgress:    map[*model.SecurityGroup]bool{},
		aclAssocUnknown: map[*model.NetworkACL]bool{},
		nested:          map[string]*resolver{},
		exp:             &expansion{left: minExpansion},
	}
	b.m.Context = model.Context{Region: s.opts.Region, Account: s.opts.Account}
	if s.opts.Region != "" {
		b.m.Context.Partition = loader.PartitionOf(s.opts.Region).Name
	}
	return b
}

// complete folds the rule, entry and association resources of every
// stack into their targets and adds what AWS adds unasked.
func (b *build) complete() {
	b.foldAll()
	b.implicitRules()
	b.checkDuplicateRuleNumbers()
	b.finishACLs()
	// The templates are not needed any more: only the model and the
	// resources exports may name are.
	b.nested, b.folds, b.stack = nil, nil, stack{}
}

// addError records a load problem at a line of the current file.
func (b *build) addError(level string, line int, format string, args ...any) {
	b.errs = append(b.errs, model.LoadError{File: b.file, Line: line, Message: fmt.Sprintf(format, args...), Level: level})
}

// source is where a resource of the current stack is written.
func (b *build) source(res *resource) model.Source {
	return model.Source{Format: model.FormatCloudFormation, File: b.file, StartLine: res.startLine(), EndLine: b.endLine(res), Module: b.module}
}

// endLine is the last line of a resource. In flow style (JSON) the
// closing brackets after its last value belong to it too.
func (b *build) endLine(res *resource) int {
	end := res.endLine()
	if !b.src.flow {
		return end
	}
	lines := b.src.lines
	open := 0
	for l := res.startLine(); l <= end && l <= len(lines); l++ {
		open += b.src.balance(l)
	}
	for l := end + 1; open > 0 && l <= len(lines); l++ {
		t := strings.TrimSpace(lines[l-1])
		if strings.Trim(t, "}], \t") != "" {
			break
		}
		open += b.src.balance(l)
		end = l
	}
	return end
}

// balance is bracketBalance of line l (from 1), counted once per file: in
// minified JSON every resource shares one long line.
func (f *file) balance(l int) int {
	if f.balances == nil {
		f.balances = make([]int, len(f.lines))
		for i, line := range f.lines {
			f.balances[i] = bracketBalance(line)
		}
	}
	return f.balances[l-1]
}

// bracketBalance counts opening minus closing brackets of a line outside
// string literals.
func bracketBalance(line string) int {
	n, inString := 0, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			n++
		case c == '}' || c == ']':
			n--
		}
	}
	return n
}

// stubMeta is the shared part of a resource that a part (a rule, an
// entry, permissions) names but the template does not define: the VPC's
// default group or ACL, whose id is the VPC's with suffix, written where
// the VPC is; else a placeholder written where the part is. vpcID is the
// VPC of a default one.
func (b *build) stubMeta(id, typ, suffix string, res *resource) (meta model.Meta, vpcID string) {
	meta = model.Meta{ID: id, Address: id, Type: typ, AttributeLines: map[string]int{}}
	if v, ok := strings.CutSuffix(id, suffix); ok && suffix != "" && b.vpcs[v] != nil {
		meta.Source = b.vpcs[v].Source
		return meta, v
	}
	meta.Placeholder, meta.Source = true, b.source(res)
	return meta, ""
}

// meta is a resource's shared part.
func (b *build) meta(res *resource) model.Meta {
	return model.Meta{
		ID:             b.prefix + res.logicalID,
		Address:        b.prefix + res.logicalID,
		Type:           res.typ,
		Source:         b.source(res),
		AttributeLines: map[string]int{},
	}
}

// span is a property's extent, for property-level suppressions.
type span struct {
	path       string
	start, end int
}

// rb reads the resolved properties of one resource into a Meta. For a
// rule folded into its group, meta is the group's and base the rule's
// path ("ingress[3]").
type rb struct {
	b     *build
	res   *resource
	meta  *model.Meta
	props *node
	base  string
	spans []span
}

func (b *build) reader(res *resource, meta *model.Meta, base string) *rb {
	return &rb{b: b, res: res, meta: meta, props: b.props(res), base: base}
}

// props are a resource's resolved Properties; an empty mapping (at the
// resource's line) when there are none or they are not a mapping.
func (b *build) props(res *resource) *node {
	props := b.r.resolve(res.props)
	if props == nil || props.kind != kindMap {
		props = &node{kind: kindMap, line: res.key.line}
	}
	return props
}

func (x *rb) path(p string) string {
	switch {
	case x.base == "":
		return p
	case p == "":
		return x.base
	}
	return x.base + "." + p
}

// at records the line of a path.
func (x *rb) at(p string, v *node) { x.lineAt(x.path(p), v) }

// lineAt records the line of a full path (x.path's).
func (x *rb) lineAt(full string, v *node) {
	if v != nil && v.line > 0 {
		x.meta.AttributeLines[full] = v.line
	}
}

func (x *rb) unknown(p string) { x.meta.Unknown = append(x.meta.Unknown, x.path(p)) }

func (x *rb) defaulted(p string) { x.meta.Defaulted = append(x.meta.Defaulted, x.path(p)) }

// warn reports a value AWS would reject; the value becomes unknown.
func (x *rb) warn(p string, v *node, format string, args ...any) {
	x.b.addError(model.LevelWarning, lineOf(v), "%s: %s", x.res.logicalID, fmt.Sprintf(format, args...))
	x.unknown(p)
}

// prop returns a resolved property, recording its span and line under
// the model path p (when p is not empty).
func (x *rb) prop(m *node, name, p string) *node {
	v, k := m.get(name)
	if v == nil {
		return nil
	}
	if p != "" {
		full := x.path(p)
		x.lineAt(full, v)
		x.spans = append(x.spans, span{path: full, start: k.line, end: max(k.line, v.endLine)})
	}
	return v
}

// str reads a scalar property. ok is false when it is absent or unknown
// (then p is listed as unknown).
func (x *rb) str(m *node, name, p string) (string, bool) {
	return x.scalarOf(x.prop(m, name, p), p)
}

func (x *rb) scalarOf(v *node, p string) (string, bool) {
	switch {
	case v == nil || v.kind == kindNull:
		return "", false
	case v.kind == kindScalar:
		return v.value, true
	case v.kind == kindUnknown:
		x.unknown(p)
		return "", false
	}
	x.warn(p, v, "%s is %s, not a single value", p, v.kindName())
	return "", false
}

// boolean reads a boolean property; def applies when it is absent (and
// is recorded as defaulted), nil def leaves it absent.
func (x *rb) boolean(m *node, name, p string, def *bool) *bool {
	v := x.prop(m, name, p)
	if v == nil || v.kind == kindNull {
		if def != nil {
			x.defaulted(p)
			return model.Bool(*def)
		}
		return nil
	}
	s, ok := x.scalarOf(v, p)
	if !ok {
		return nil
	}
	if t := truth(v); t != triUnknown {
		return model.Bool(t == triTrue)
	}
	x.warn(p, v, "%s: %q is not true or false", p, s)
	return nil
}

// integer reads an integer value.
func (x *rb) integer(v *node, p string) (*int, bool) {
	s, ok := x.scalarOf(v, p)
	if !ok {
		return nil, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		x.warn(p, v, "%s: %q is not an integer", p, s)
		return nil, false
	}
	return &n, true
}

// strList reads a list of strings. present is false when the property is
// absent; the list is nil when it (or any element) is unknown.
func (x *rb) strList(m *node, name, p string) (list []string, present bool) {
	v := x.prop(m, name, p)
	if v == nil || v.kind == kindNull {
		return nil, false
	}
	switch v.kind {
	case kindUnknown:
		x.unknown(p)
		return nil, true
	case kindMap:
		x.warn(p, v, "%s is a mapping, not a list", p)
		return nil, true
	}
	// A single value where a list is expected: CloudFormation rejects
	// it, but it is clear what was meant.
	items := v.listOrOne()
	out := make([]string, 0, len(items))
	for i, it := range items {
		if it.kind != kindScalar {
			if it.kind != kindUnknown {
				x.b.addError(model.LevelWarning, it.line, "%s: %s[%d] is %s, not a single value", x.res.logicalID, p, i, it.kindName())
			}
			x.unknown(p)
			return nil, true
		}
		x.at(fmt.Sprintf("%s[%d]", p, i), it)
		out = append(out, it.value)
	}
	return out, true
}

// tags reads Tags: a list of {Key, Value} or a map.
func (x *rb) tags() {
	v := x.prop(x.props, "Tags", "tags")
	if v == nil {
		return
	}
	out := map[string]string{}
	add := func(name string, val *node) {
		if val == nil || val.kind != kindScalar {
			x.unknown("tags." + name)
			return
		}
		out[name] = val.value
		x.at("tags."+name, val)
	}
	switch v.kind {
	case kindList:
		for _, it := range v.vals {
			if k := it.val("Key"); k != nil && k.kind == kindScalar {
				add(k.value, it.val("Value"))
			} else {
				x.unknown("tags")
			}
		}
	case kindMap:
		for i, k := range v.keys {
			add(k.value, v.vals[i])
		}
	default:
		x.unknown("tags")
	}
	if len(out) > 0 {
		x.meta.Tags = out
	}
}

// cidr canonicalizes a CIDR value; v6 says which family is wanted.
func (x *rb) cidr(v *node, p string, v6 bool) (string, bool) {
	if v != nil && v.resRef {
		// The id of a CIDR block association, not a block.
		x.unknown(p)
		return "", false
	}
	s, ok := x.scalarOf(v, p)
	if !ok {
		return "", false
	}
	c, is6, err := model.CanonicalCIDR(s)
	if err != nil {
		x.warn(p, v, "%v", err)
		return "", false
	}
	if is6 != v6 {
		fam := "IPv4"
		if v6 {
			fam = "IPv6"
		}
		x.warn(p, v, "%q is not an %s CIDR block", s, fam)
		return "", false
	}
	return c, true
}

// foldedAt records the line of a part folded into another resource, and
// its file when that resource is written in another (a nested stack).
func (b *build) foldedAt(meta *model.Meta, base string, line int) {
	if line > 0 {
		meta.AttributeLines[base] = line
	}
	if meta.Source.File == b.file {
		return
	}
	if meta.AttributeFiles == nil {
		meta.AttributeFiles = map[string]string{}
	}
	meta.AttributeFiles[base] = b.file
}
