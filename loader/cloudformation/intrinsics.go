package cloudformation

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/apparentlymart/go-cidr/cidr"
	"github.com/vpclint/vpclint/loader"
)

// maxResolveDepth bounds the resolver's recursion (conditions that use
// conditions, GetAtt of a property that is itself a GetAtt ...).
const maxResolveDepth = 64

// A template's references can copy values many times over (ten thousand
// Refs to a parameter whose default is a long list): the values that
// resolution builds are bounded by minExpansion plus expansionPerByte for
// each byte of the templates read, as parsing bounds YAML aliases.
const (
	minExpansion     = 1_000_000
	expansionPerByte = 1
)

// expansion is the number of values resolution may still build, shared
// by a template and its nested stacks.
type expansion struct {
	left int
	// exhausted is set once the budget ran out (reported once).
	exhausted bool
}

// tri is a three-valued truth.
type tri uint8

const (
	triUnknown tri = iota
	triFalse
	triTrue
)

// resolver evaluates intrinsic functions against one template.
type resolver struct {
	t       *template
	region  string
	account string
	// prefix is prepended to logical ids to make resource ids ("Net/"
	// inside the nested stack Net).
	prefix string
	// overrides are parameter values given by the user or the parent
	// stack; an unknown node means the value is not known.
	overrides map[string]*node
	params    map[string]*node
	conds     map[string]tri
	// props memoizes other resources' properties read through GetAtt,
	// so that chains of references cost linear time.
	props map[string]*node
	busy  map[string]bool
	depth int
	// condStack are the conditions being evaluated (to find cycles);
	// condWhy says why an undecided condition is undecided, cause why the
	// last one was; cycles are those reported.
	condStack []string
	condWhy   map[string]string
	cause     string
	cycles    map[string]bool
	// exp bounds the values resolution builds.
	exp *expansion
	// warn reports a value AWS would reject.
	warn func(line int, format string, args ...any)
	// output resolves GetAtt Stack.Outputs.Name of a nested stack.
	output func(stack *resource, name string, line int) *node
}

func newResolver(t *template) *resolver {
	return &resolver{
		t:         t,
		overrides: map[string]*node{},
		params:    map[string]*node{},
		conds:     map[string]tri{},
		props:     map[string]*node{},
		busy:      map[string]bool{},
		condWhy:   map[string]string{},
		cycles:    map[string]bool{},
		exp:       &expansion{left: minExpansion},
		warn:      func(int, string, ...any) {},
	}
}

// relocate copies a value to where it is used (see relocate), within the
// expansion budget; past it, the value is unknown.
func (r *resolver) relocate(n *node, line int) *node {
	out, ok := relocate(n, line, &r.exp.left)
	if !ok {
		return r.exhausted(line)
	}
	return out
}

// spend pays for one value built by resolution; false when the budget is
// gone.
func (r *resolver) spend() bool {
	r.exp.left--
	return r.exp.left >= 0
}

// exhausted reports, once, that the budget ran out, and gives an unknown.
func (r *resolver) exhausted(line int) *node {
	r.exp.left = -1
	if !r.exp.exhausted {
		r.exp.exhausted = true
		r.warn(line, "references expand the template to too many values (more than the input's size allows); the rest is unknown")
	}
	return unknown(line, "")
}

// unknown is an undecided value at a line, with an optional readable form.
func unknown(line int, pattern string) *node {
	n := &node{kind: kindUnknown, line: line, endLine: line}
	if pattern != "" {
		n.sym = &symbolic{pattern: pattern}
	}
	return n
}

func scalar(line int, s string) *node {
	return &node{kind: kindScalar, value: s, line: line, endLine: line}
}

// resourceID is a reference to a resource by its id.
func resourceID(line int, id string) *node {
	n := scalar(line, id)
	n.resRef = true
	return n
}

// dynamicReference matches {{resolve:ssm:...}} and the like, resolved by
// CloudFormation at deploy time.
func isDynamicReference(s string) bool { return strings.Contains(s, "{{resolve:") }

func boolNode(line int, b bool) *node {
	n := scalar(line, strconv.FormatBool(b))
	n.typ = typeBool
	return n
}

// intrinsicName returns the function a single-key mapping calls, if any.
func intrinsicName(n *node) (string, *node, bool) {
	if n == nil || n.kind != kindMap || len(n.keys) != 1 {
		return "", nil, false
	}
	k := n.keys[0].value
	if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
		return k, n.vals[0], true
	}
	return "", nil, false
}

// resolve evaluates every intrinsic function in n. It returns nil when the
// value is AWS::NoValue (the property is removed). Unresolvable parts are
// kindUnknown nodes.
func (r *resolver) resolve(n *node) *node {
	if n == nil || !n.active {
		// Nothing to evaluate (a literal part of the template, or a
		// value already resolved).
		return n
	}
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxResolveDepth {
		return unknown(n.line, "")
	}
	switch n.kind {
	case kindList:
		if !r.spend() {
			return r.exhausted(n.line)
		}
		out := &node{kind: kindList, line: n.line, endLine: n.endLine, vals: make([]*node, 0, len(n.vals))}
		for _, it := range n.vals {
			if v := r.resolve(it); v != nil {
				out.vals = append(out.vals, v)
			}
		}
		return out
	case kindMap:
		if name, arg, ok := intrinsicName(n); ok && name != "Condition" {
			v := r.call(name, arg, n.line)
			if v != nil && v.line == 0 {
				v.line, v.endLine = n.line, n.endLine
			}
			return v
		}
		if !r.spend() {
			return r.exhausted(n.line)
		}
		out := &node{kind: kindMap, line: n.line, endLine: n.endLine, keys: make([]key, 0, len(n.keys)), vals: make([]*node, 0, len(n.vals))}
		for i, k := range n.keys {
			if v := r.resolve(n.vals[i]); v != nil {
				out.keys = append(out.keys, k)
				out.vals = append(out.vals, v)
			}
		}
		return out
	case kindScalar:
		if isDynamicReference(n.value) {
			return unknown(n.line, n.value)
		}
	}
	return n
}

// call evaluates one intrinsic function.
func (r *resolver) call(name string, arg *node, line int) *node {
	switch name {
	case "Ref":
		return r.ref(r.resolve(arg), line)
	case "Fn::GetAtt":
		return r.getAtt(arg, line)
	case "Fn::Sub":
		return r.sub(arg, line)
	case "Fn::Join":
		return r.join(arg, line)
	case "Fn::Split":
		return r.split(arg, line)
	case "Fn::Select":
		return r.selectFn(arg, line)
	case "Fn::FindInMap":
		return r.findInMap(arg, line)
	case "Fn::GetAZs":
		return r.getAZs(arg, line)
	case "Fn::Cidr":
		return r.cidrFn(arg, line)
	case "Fn::If":
		return r.ifFn(arg, line)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		switch r.evalCondition(&node{kind: kindMap, keys: []key{{value: name, line: line}}, vals: []*node{arg}, line: line}) {
		case triTrue:
			return boolNode(line, true)
		case triFalse:
			return boolNode(line, false)
		}
		return unknown(line, "")
	case "Fn::Base64":
		v := r.resolve(arg)
		if !isScalar(v) {
			return unknown(line, "")
		}
		return scalar(line, base64.StdEncoding.EncodeToString([]byte(v.value)))
	case "Fn::ImportValue":
		// Another stack's export: unknown here, but the scan's exports
		// it may stand for are found later (links).
		v := r.resolve(arg)
		u := unknown(line, "")
		if isScalar(v) {
			u = unknown(line, "${ImportValue:"+v.value+"}")
		}
		u.symbols().imported = globOf(v)
		return u
	case "Fn::ToJsonString":
		v := r.resolve(arg)
		if v == nil || hasUnknown(v) {
			return unknown(line, "")
		}
		b, err := json.Marshal(toGo(v))
		if err != nil {
			return unknown(line, "")
		}
		return scalar(line, string(b))
	case "Fn::Length":
		v := r.resolve(arg)
		if v == nil || v.kind != kindList {
			return unknown(line, "")
		}
		n := scalar(line, strconv.Itoa(len(v.vals)))
		n.typ = typeInt
		return n
	}
	// Fn::Transform, Fn::GetStackOutput and anything unknown.
	return unknown(line, "")
}

// checkNames reports whether names that match nothing are errors: not in
// a template whose transforms (SAM, Fn::ForEach) add parameters and
// resources vpclint does not expand.
func (r *resolver) checkNames() bool { return len(r.t.transforms) == 0 && !r.t.expands }

// ref resolves Ref: a parameter, a pseudo parameter or a resource. A name
// that is none of them is reported (as cfn-lint's E1020) and unknown.
func (r *resolver) ref(arg *node, line int) *node {
	if !isScalar(arg) {
		return unknown(line, "")
	}
	name := arg.value
	if strings.HasPrefix(name, "AWS::") {
		if !pseudoParameters[name] && r.checkNames() {
			r.warn(line, "Ref %s: there is no such pseudo parameter", name)
		}
		return r.pseudo(name, line)
	}
	if r.t.lookup(r.t.parameters, name) != nil {
		return r.relocate(r.param(name), line)
	}
	if res, ok := r.t.byID[name]; ok {
		if r.resourceCondition(res) != triTrue {
			// It does not exist, or may not.
			return unknown(line, "${"+name+"}")
		}
		return resourceID(line, r.prefix+name)
	}
	if r.checkNames() {
		r.warn(line, "Ref %s: no parameter or resource is named %s", name, name)
	}
	return unknown(line, "${"+name+"}")
}

// pseudoParameters are the names Ref accepts under AWS::.
var pseudoParameters = map[string]bool{
	"AWS::AccountId": true, "AWS::NoValue": true, "AWS::NotificationARNs": true, "AWS::Partition": true,
	"AWS::Region": true, "AWS::StackId": true, "AWS::StackName": true, "AWS::URLSuffix": true,
}

// pseudo resolves AWS:: pseudo parameters. It returns nil for NoValue.
func (r *resolver) pseudo(name string, line int) *node {
	switch name {
	case "AWS::NoValue":
		return nil
	case "AWS::Region":
		if r.region != "" {
			return scalar(line, r.region)
		}
	case "AWS::AccountId":
		if r.account != "" {
			return scalar(line, r.account)
		}
	case "AWS::Partition":
		if r.region != "" {
			return scalar(line, loader.PartitionOf(r.region).Name)
		}
	case "AWS::URLSuffix":
		if r.region != "" {
			return scalar(line, loader.PartitionOf(r.region).DNSSuffix)
		}
	}
	return unknown(line, "${"+name+"}")
}

// param is a parameter's value: the override, else its Default, else
// unknown. SSM parameter types are always unknown (their Default names an
// SSM parameter, not the value).
func (r *resolver) param(name string) *node {
	if v, ok := r.params[name]; ok {
		return v
	}
	decl := r.t.lookup(r.t.parameters, name)
	typ := decl.val("Type").str()
	var v *node
	if o, ok := r.overrides[name]; ok {
		v = o
	} else if d := decl.val("Default"); d != nil {
		v = d
	}
	switch {
	case v == nil:
		v = unknown(lineOf(decl), "${"+name+"}")
		if typ == "List<AWS::EC2::AvailabilityZone::Name>" {
			v.symbols().azList = name
		}
	case strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<"):
		v = unknown(v.line, "${"+name+"}")
	case v.kind == kindScalar && isListParameterType(typ):
		l := &node{kind: kindList, line: v.line, endLine: v.line, vals: []*node{}}
		if v.value != "" {
			for _, s := range strings.Split(v.value, ",") {
				l.vals = append(l.vals, scalar(v.line, strings.TrimSpace(s)))
			}
		}
		v = l
	case v.kind == kindList && !isListParameterType(typ):
		// A list default for a scalar parameter is invalid.
		v = unknown(v.line, "${"+name+"}")
	}
	r.params[name] = v
	return v
}

// getAtt resolves Fn::GetAtt, "Res.Attr" or [Res, Attr].
func (r *resolver) getAtt(arg *node, line int) *node {
	var resName, attr string
	switch {
	case arg != nil && arg.kind == kindScalar:
		resName, attr, _ = strings.Cut(arg.value, ".")
	case arg != nil && arg.kind == kindList && len(arg.vals) == 2:
		a, _ := r.args(arg, 2)
		if !isScalar(a[0], a[1]) {
			return unknown(line, "")
		}
		resName, attr = a[0].value, a[1].value
	default:
		return unknown(line, "")
	}
	res, ok := r.t.byID[resName]
	if !ok && r.checkNames() {
		r.warn(line, "Fn::GetAtt %s.%s: no resource is named %s", resName, attr, resName)
	}
	if !ok || r.resourceCondition(res) != triTrue {
		return unknown(line, "${"+resName+"."+attr+"}")
	}
	return r.attribute(res, attr, line)
}

// attribute is the value of a resource's attribute: its id for id-like
// attributes, the configured value for those that echo a property, a
// placeholder for the VPC's default group and ACL, else unknown.
func (r *resolver) attribute(res *resource, attr string, line int) *node {
	id := r.prefix + res.logicalID
	pattern := "${" + res.logicalID + "." + attr + "}"
	switch res.typ + "." + attr {
	case "AWS::EC2::VPC.VpcId", "AWS::EC2::Subnet.SubnetId", "AWS::EC2::SecurityGroup.GroupId",
		"AWS::EC2::VPCEndpoint.Id", "AWS::EC2::NetworkAcl.Id", "AWS::EC2::RouteTable.RouteTableId",
		"AWS::EC2::VPCEndpointService.ServiceId", "AWS::EC2::PrefixList.PrefixListId":
		return resourceID(line, id)
	case "AWS::EC2::VPC.DefaultSecurityGroup":
		return resourceID(line, defaultGroupID(id))
	case "AWS::EC2::VPC.DefaultNetworkAcl":
		return resourceID(line, defaultACLID(id))
	case "AWS::EC2::VPC.CidrBlock", "AWS::EC2::Subnet.CidrBlock", "AWS::EC2::Subnet.VpcId",
		"AWS::EC2::Subnet.AvailabilityZone", "AWS::EC2::Subnet.AvailabilityZoneId", "AWS::EC2::SecurityGroup.VpcId":
		if v := r.property(res, attr, line); v != nil {
			return v
		}
	}
	if res.typ == "AWS::CloudFormation::Stack" && strings.HasPrefix(attr, "Outputs.") && r.output != nil {
		return r.output(res, strings.TrimPrefix(attr, "Outputs."), line)
	}
	return unknown(line, pattern)
}

// property resolves one property of another resource, guarding cycles.
func (r *resolver) property(res *resource, prop string, line int) *node {
	key := res.logicalID + "." + prop
	v, done := r.props[key]
	if !done {
		if r.busy[key] {
			return nil
		}
		raw := res.props.val(prop)
		if raw == nil {
			return nil
		}
		r.busy[key] = true
		v = r.resolve(raw)
		delete(r.busy, key)
		r.props[key] = v
	}
	if v == nil {
		return nil
	}
	return r.relocate(v, line)
}

func defaultGroupID(vpcID string) string { return vpcID + ".DefaultSecurityGroup" }
func defaultACLID(vpcID string) string   { return vpcID + ".DefaultNetworkAcl" }

// sub resolves Fn::Sub in both forms.
func (r *resolver) sub(arg *node, line int) *node {
	var text *node
	vars := map[string]*node{}
	switch {
	case arg == nil:
		return unknown(line, "")
	case arg.kind == kindScalar:
		text = arg
	case arg.kind == kindList && len(arg.vals) == 2:
		text = r.resolve(arg.vals[0])
		m := arg.vals[1]
		if m.kind != kindMap {
			return unknown(line, "")
		}
		for i, k := range m.keys {
			v := r.resolve(m.vals[i])
			if v == nil {
				v = scalar(line, "")
			}
			vars[k.value] = v
		}
	default:
		return unknown(line, "")
	}
	if text == nil || text.kind != kindScalar {
		return unknown(line, "")
	}
	// pat is the result, or its readable form when a part is unknown.
	s := text.value
	var pat strings.Builder
	known := true
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			pat.WriteString(s)
			break
		}
		pat.WriteString(s[:i])
		s = s[i+2:]
		if strings.HasPrefix(s, "!") {
			// ${!Literal} is the text ${Literal}.
			pat.WriteString("${")
			s = s[1:]
			continue
		}
		j := strings.IndexByte(s, '}')
		if j < 0 {
			r.warn(line, "Fn::Sub: unterminated ${ in %q", text.value)
			return unknown(line, "")
		}
		name := strings.TrimSpace(s[:j])
		s = s[j+1:]
		v, ok := vars[name]
		switch {
		case ok:
		case strings.Contains(name, ".") && !strings.HasPrefix(name, "AWS::"):
			v = r.getAtt(scalar(line, name), line)
		default:
			v = r.ref(scalar(line, name), line)
		}
		switch {
		case v == nil:
			// AWS::NoValue substitutes nothing.
		case v.kind == kindScalar:
			pat.WriteString(v.value)
		default:
			known = false
			if v.kind == kindUnknown && v.pattern() != "" {
				pat.WriteString(v.pattern())
			} else {
				pat.WriteString("${" + name + "}")
			}
		}
	}
	if !known {
		return unknown(line, pat.String())
	}
	return scalar(line, pat.String())
}

// args resolves the n (at most 3) items of a function's argument list;
// ok is false when it is not a list of n items.
func (r *resolver) args(arg *node, n int) (a [3]*node, ok bool) {
	if arg == nil || arg.kind != kindList || len(arg.vals) != n {
		return a, false
	}
	for i, v := range arg.vals {
		a[i] = r.resolve(v)
	}
	return a, true
}

// isScalar reports whether every value is a (known) scalar.
func isScalar(vs ...*node) bool {
	for _, v := range vs {
		if v == nil || v.kind != kindScalar {
			return false
		}
	}
	return true
}

// listOf is a list of scalars at a line.
func listOf(line int, items []string) *node {
	out := &node{kind: kindList, line: line, endLine: line, vals: make([]*node, 0, len(items))}
	for _, it := range items {
		out.vals = append(out.vals, scalar(line, it))
	}
	return out
}

// join resolves Fn::Join [delimiter, list].
func (r *resolver) join(arg *node, line int) *node {
	a, ok := r.args(arg, 2)
	if !ok || !isScalar(a[0]) || a[1] == nil || a[1].kind != kindList {
		return unknown(line, "")
	}
	// parts is the result, or its readable form when a part is unknown.
	parts := make([]string, 0, len(a[1].vals))
	known := true
	for _, it := range a[1].vals {
		switch {
		case it.kind == kindScalar:
			parts = append(parts, it.value)
		case it.kind == kindUnknown && it.pattern() != "":
			known = false
			parts = append(parts, it.pattern())
		default:
			return unknown(line, "")
		}
	}
	if !known {
		return unknown(line, strings.Join(parts, a[0].value))
	}
	return scalar(line, strings.Join(parts, a[0].value))
}

// split resolves Fn::Split [delimiter, string].
func (r *resolver) split(arg *node, line int) *node {
	a, ok := r.args(arg, 2)
	if !ok || !isScalar(a[0], a[1]) || a[0].value == "" {
		return unknown(line, "")
	}
	return listOf(line, strings.Split(a[1].value, a[0].value))
}

// selectFn resolves Fn::Select [index, list]. Selecting from an unknown
// Fn::GetAZs gives a symbolic availability zone.
func (r *resolver) selectFn(arg *node, line int) *node {
	a, ok := r.args(arg, 2)
	if !ok || !isScalar(a[0]) || a[1] == nil {
		return unknown(line, "")
	}
	iv, l := a[0], a[1]
	i, err := strconv.Atoi(strings.TrimSpace(iv.value))
	if err != nil || i < 0 {
		r.warn(line, "Fn::Select: index %q is not a non-negative integer", iv.value)
		return unknown(line, "")
	}
	switch {
	case l.kind == kindUnknown && l.info().azList != "":
		u := unknown(line, "")
		u.symbols().azRef = fmt.Sprintf("%s[%d]", l.info().azList, i)
		return u
	case l.kind == kindList:
		if i >= len(l.vals) {
			r.warn(line, "Fn::Select: index %d is out of range (the list has %d items)", i, len(l.vals))
			return unknown(line, "")
		}
		return r.relocate(l.vals[i], line)
	}
	return unknown(line, "")
}

// getAZs resolves Fn::GetAZs. AZ names are known only with a region: they
// are the region's zones a, b, c ... in order, which is how AWS lists
// them. Without a region the result is symbolic.
func (r *resolver) getAZs(arg *node, line int) *node {
	region := ""
	if arg != nil {
		v := r.resolve(arg)
		switch {
		case v == nil:
		case v.kind == kindScalar:
			region = v.value
		case v.kind == kindUnknown && v.pattern() == "${AWS::Region}":
		default:
			return unknown(line, "")
		}
	}
	if name := cmp.Or(region, r.region); name != "" {
		out := &node{kind: kindList, line: line, endLine: line}
		for i := 0; i < 6; i++ {
			az := scalar(line, name+string(rune('a'+i)))
			az.symbols().azRef = az.value
			out.vals = append(out.vals, az)
		}
		return out
	}
	u := unknown(line, "")
	u.symbols().azList = "GetAZs"
	return u
}

// cidrFn resolves Fn::Cidr [ipBlock, count, cidrBits].
func (r *resolver) cidrFn(arg *node, line int) *node {
	a, ok := r.args(arg, 3)
	if !ok || !isScalar(a[0], a[1], a[2]) {
		return unknown(line, "")
	}
	list, err := cidrSubnets(a[0].value, a[1].value, a[2].value)
	if err != nil {
		r.warn(line, "Fn::Cidr: %v", err)
		return unknown(line, "")
	}
	return listOf(line, list)
}

// cidrSubnets computes Fn::Cidr: count consecutive subnets of block, each
// with cidrBits host bits.
func cidrSubnets(block, count, bits string) ([]string, error) {
	_, ipnet, err := net.ParseCIDR(strings.TrimSpace(block))
	if err != nil {
		return nil, fmt.Errorf("%q is not a CIDR block", block)
	}
	n, err := strconv.Atoi(strings.TrimSpace(count))
	if err != nil || n < 1 || n > 256 {
		return nil, fmt.Errorf("count %q must be between 1 and 256", count)
	}
	hb, err := strconv.Atoi(strings.TrimSpace(bits))
	if err != nil || hb < 1 {
		return nil, fmt.Errorf("cidrBits %q must be a positive integer", bits)
	}
	ones, total := ipnet.Mask.Size()
	newBits := total - hb - ones
	if hb > total || newBits < 0 {
		return nil, fmt.Errorf("cidrBits %d does not fit in %s", hb, ipnet)
	}
	if newBits < 31 && n > 1<<newBits {
		return nil, fmt.Errorf("%s has room for %d subnets of /%d, not %d", ipnet, 1<<newBits, total-hb, n)
	}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		s, err := cidr.Subnet(ipnet, newBits, i)
		if err != nil {
			return nil, err
		}
		out = append(out, s.String())
	}
	return out, nil
}

// findInMap resolves Fn::FindInMap [map, top, second] with the optional
// fourth {DefaultValue: x} of AWS::LanguageExtensions.
func (r *resolver) findInMap(arg *node, line int) *node {
	if arg == nil || arg.kind != kindList || len(arg.vals) < 3 || len(arg.vals) > 4 {
		return unknown(line, "")
	}
	var names [3]string
	for i := 0; i < 3; i++ {
		v := r.resolve(arg.vals[i])
		if !isScalar(v) {
			return unknown(line, "")
		}
		names[i] = v.value
	}
	m := r.t.lookup(r.t.mappings, names[0])
	top := r.t.lookup(m, names[1])
	v := r.t.lookup(top, names[2])
	if v == nil && len(arg.vals) == 4 {
		if d := arg.vals[3].val("DefaultValue"); d != nil {
			return r.relocate(r.resolve(d), line)
		}
	}
	if v == nil {
		// As cfn-lint's E1011: CloudFormation rejects the template.
		switch {
		case m == nil:
			r.warn(line, "Fn::FindInMap: no mapping is named %s", names[0])
		case top == nil:
			r.warn(line, "Fn::FindInMap: mapping %s has no key %s", names[0], names[1])
		default:
			r.warn(line, "Fn::FindInMap: mapping %s has no key %s under %s", names[0], names[2], names[1])
		}
		return unknown(line, "")
	}
	return r.relocate(r.resolve(v), line)
}

// ifFn resolves Fn::If [condition, then, else].
func (r *resolver) ifFn(arg *node, line int) *node {
	if arg == nil || arg.kind != kindList || len(arg.vals) != 3 {
		return unknown(line, "")
	}
	c := arg.vals[0]
	if c.kind != kindScalar {
		return unknown(line, "")
	}
	switch r.condition(c.value, line) {
	case triTrue:
		return r.resolve(arg.vals[1])
	case triFalse:
		return r.resolve(arg.vals[2])
	}
	// Either branch may be the value: when both give the same, it is
	// known; otherwise it is unknown, and what it may stand for is kept
	// (an association to one of two groups may change either).
	yes, no := r.resolve(arg.vals[1]), r.resolve(arg.vals[2])
	if yes != nil && no != nil && !hasUnknown(yes) && !hasUnknown(no) && equalValues(yes, no) {
		return yes
	}
	u := unknown(line, "")
	sym := u.symbols()
	for _, v := range []*node{yes, no} {
		if v != nil {
			sym.alts = append(sym.alts, v)
		}
	}
	return u
}

// condition evaluates a named condition, memoized. line is where it is
// used. A condition that uses itself, directly or through others, is a
// cycle: reported once, naming the conditions, and unknown.
func (r *resolver) condition(name string, line int) tri {
	if v, ok := r.conds[name]; ok {
		if v == triUnknown {
			r.cause = r.condWhy[name]
		}
		return v
	}
	def := r.t.lookup(r.t.conditions, name)
	if def == nil {
		r.cause = "there is no condition named " + name
		if r.checkNames() {
			r.warn(line, "no condition is named %s", name)
		}
		r.conds[name], r.condWhy[name] = triUnknown, r.cause
		return triUnknown
	}
	if i := slices.Index(r.condStack, name); i >= 0 {
		cycle := append(slices.Clone(r.condStack[i:]), name)
		r.cause = "Conditions " + strings.Join(cycle, " -> ") + " form a cycle"
		// The same cycle, whichever condition it was entered by, is
		// reported once.
		names := slices.Compact(slices.Sorted(slices.Values(cycle)))
		if key := strings.Join(names, "\x00"); !r.cycles[key] {
			r.cycles[key] = true
			r.warn(lineOf(r.t.lookup(r.t.conditions, cycle[0])), "Conditions %s form a cycle (%s): CloudFormation rejects the template, and they cannot be decided", strings.Join(names, ", "), strings.Join(cycle, " -> "))
		}
		return triUnknown
	}
	r.condStack = append(r.condStack, name)
	v := r.evalCondition(def)
	r.condStack = r.condStack[:len(r.condStack)-1]
	r.conds[name] = v
	if v == triUnknown {
		r.cause = cmp.Or(r.cause, deployTime)
		r.condWhy[name] = r.cause
	}
	return v
}

// resourceCondition is the truth of a resource's Condition (true when it
// has none).
func (r *resolver) resourceCondition(res *resource) tri {
	if res.condition == "" {
		return triTrue
	}
	return r.condition(res.condition, lineOf(res.body.val("Condition")))
}

// conditionCause says why a resource's Condition cannot be decided.
func (r *resolver) conditionCause(res *resource) string {
	return cmp.Or(r.condWhy[res.condition], deployTime)
}

// deployTime is why a value is unknown when nothing more specific is.
const deployTime = "it depends on a value known only at deploy time"

// unknownCause says why an unknown value is not known, for messages.
func (r *resolver) unknownCause(v *node) string {
	p := v.pattern()
	if name, ok := strings.CutPrefix(p, "${"); ok && strings.HasSuffix(name, "}") && strings.Count(p, "${") == 1 {
		name = strings.TrimSuffix(name, "}")
		switch {
		case r.t.lookup(r.t.parameters, name) != nil:
			return "parameter " + name + " has no value"
		case strings.HasPrefix(name, "AWS::"):
			return name + " is known only at deploy time"
		case strings.HasPrefix(name, "ImportValue:"):
			return "it imports " + strings.TrimPrefix(name, "ImportValue:") + " from another stack"
		}
	}
	return deployTime
}

// evalCondition evaluates a condition expression.
func (r *resolver) evalCondition(n *node) tri {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxResolveDepth {
		return triUnknown
	}
	name, arg, ok := intrinsicName(n)
	if !ok {
		v := r.resolve(n)
		return truth(v)
	}
	switch name {
	case "Condition":
		if arg.kind != kindScalar {
			return triUnknown
		}
		return r.condition(arg.value, arg.line)
	case "Fn::Equals":
		a, ok := r.args(arg, 2)
		if !ok {
			return triUnknown
		}
		if a[0] == nil || a[1] == nil || hasUnknown(a[0]) || hasUnknown(a[1]) {
			for _, v := range a[:2] {
				if v != nil && v.kind == kindUnknown {
					r.cause = r.unknownCause(v)
				}
			}
			return triUnknown
		}
		if equalValues(a[0], a[1]) {
			return triTrue
		}
		return triFalse
	case "Fn::Not":
		if arg.kind != kindList || len(arg.vals) != 1 {
			return triUnknown
		}
		switch r.evalCondition(arg.vals[0]) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
		return triUnknown
	case "Fn::And", "Fn::Or":
		if arg.kind != kindList || len(arg.vals) == 0 {
			return triUnknown
		}
		short, other := triFalse, triTrue
		if name == "Fn::Or" {
			short, other = triTrue, triFalse
		}
		res := other
		for _, it := range arg.vals {
			switch r.evalCondition(it) {
			case short:
				return short
			case triUnknown:
				res = triUnknown
			}
		}
		return res
	}
	return truth(r.call(name, arg, n.line))
}

func truth(v *node) tri {
	if !isScalar(v) {
		return triUnknown
	}
	switch strings.ToLower(v.value) {
	case "true":
		return triTrue
	case "false":
		return triFalse
	}
	return triUnknown
}

// equalValues compares two resolved values as CloudFormation does: scalars
// by their text.
func equalValues(a, b *node) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case kindScalar:
		return a.value == b.value
	case kindNull:
		return true
	case kindList:
		return slices.EqualFunc(a.vals, b.vals, equalValues)
	case kindMap:
		if len(a.keys) != len(b.keys) {
			return false
		}
		get := b.val
		if len(b.keys) > smallMapping {
			ix := make(map[string]*node, len(b.keys))
			for i, k := range b.keys {
				ix[k.value] = b.vals[i]
			}
			get = func(k string) *node { return ix[k] }
		}
		for i, k := range a.keys {
			v := get(k.value)
			if v == nil || !equalValues(a.vals[i], v) {
				return false
			}
		}
		return true
	}
	return false
}

// anyPart reports whether v or a value inside it satisfies is.
func anyPart(v *node, is func(*node) bool) bool {
	if v == nil || is(v) {
		return v != nil
	}
	for _, it := range v.vals {
		if anyPart(it, is) {
			return true
		}
	}
	return false
}

// hasUnknown reports whether any part of v is unknown.
func hasUnknown(v *node) bool {
	return anyPart(v, func(n *node) bool { return n.kind == kindUnknown })
}

// toGo converts a resolved value to plain Go values (JSON numbers and
// booleans keep their type). Unknown values become their pattern.
func toGo(v *node) any {
	if v == nil {
		return nil
	}
	switch v.kind {
	case kindScalar:
		switch v.typ {
		case typeInt, typeFloat:
			if json.Valid([]byte(v.value)) {
				return json.Number(v.value)
			}
		case typeBool:
			if b, err := strconv.ParseBool(v.value); err == nil {
				return b
			}
		}
		return v.value
	case kindList:
		out := make([]any, 0, len(v.vals))
		for _, it := range v.vals {
			out = append(out, toGo(it))
		}
		return out
	case kindMap:
		out := make(map[string]any, len(v.keys))
		for i, k := range v.keys {
			out[k.value] = toGo(v.vals[i])
		}
		return out
	case kindUnknown:
		return v.pattern()
	}
	return nil
}
