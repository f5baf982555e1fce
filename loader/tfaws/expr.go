package tfaws

import (
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/vpclint/vpclint/internal/hclsafe"
)

// Evaluator evaluates sub-expressions for the walkers of an expression
// whose value is unknown (Candidates, Pattern), with what its front end
// knows: the attribute's context in HCL; the plan's variables and the
// configuration's constants in a plan.
type Evaluator interface {
	// Value evaluates an expression; an unknown value (cty.DynamicVal)
	// when it cannot.
	Value(e hcl.Expression) cty.Value
	// IDs gives the ids of the resources an expression names: the
	// known id it evaluates to, the resources it references.
	IDs(e hcl.Expression) ([]string, bool)
	// Elems gives the ids named by rest (".id" when empty) of every
	// element of a collection expression (aws_vpc_endpoint.this in
	// aws_vpc_endpoint.this[var.key].id).
	Elems(collection hcl.Expression, rest hcl.Traversal) ([]string, bool)
	// Refs gives the ids of every instance of every resource an
	// expression references, when nothing else in it can supply an id
	// (element(aws_subnet.public[*].id, count.index) names a subnet of
	// aws_subnet.public; var.subnet_id may name any).
	Refs(e hcl.Expression) ([]string, bool)
	// Local gives the expression defining local.name and the evaluator
	// of its module, when the front end knows it.
	Local(name string) (hcl.Expression, Evaluator, bool)
}

// maxWalk bounds the expressions a walk follows (locals defined through
// locals).
const maxWalk = 16

// Candidates gives the ids an expression may name when its value is
// unknown: both branches of a conditional, every instance of a resource
// indexed by an unknown key, every argument of try or coalesce, else
// every instance of the resources it references. The list is empty (not
// nil) when it names nothing the scan defines; ok is false when it may
// name anything.
func Candidates(e hcl.Expression, ev Evaluator) ([]string, bool) {
	ids, ok := candidates(e, ev, 0)
	if ok && ids == nil {
		ids = []string{}
	}
	return ids, ok
}

func candidates(e hcl.Expression, ev Evaluator, depth int) ([]string, bool) {
	if depth > maxWalk {
		return nil, false
	}
	if ids, ok := ev.IDs(e); ok {
		return ids, true
	}
	union := func(es ...hclsyntax.Expression) ([]string, bool) {
		var out []string
		for _, x := range es {
			ids, ok := candidates(x, ev, depth+1)
			if !ok {
				return nil, false
			}
			for _, id := range ids {
				if id != "" && !slices.Contains(out, id) {
					out = append(out, id)
				}
			}
		}
		return out, true
	}
	var ids []string
	ok := false
	switch x := Unparen(e).(type) {
	case *hclsyntax.TemplateWrapExpr:
		ids, ok = candidates(x.Wrapped, ev, depth+1)
	case *hclsyntax.ConditionalExpr:
		ids, ok = union(x.TrueResult, x.FalseResult)
	case *hclsyntax.FunctionCallExpr:
		switch {
		case (x.Name == "try" || x.Name == "coalesce") && len(x.Args) > 0:
			ids, ok = union(x.Args...)
		case (x.Name == "one" || x.Name == "element") && len(x.Args) > 0:
			ids, ok = ev.Elems(x.Args[0], nil)
		case x.Name == "tostring" && len(x.Args) == 1:
			ids, ok = candidates(x.Args[0], ev, depth+1)
		}
	case *hclsyntax.RelativeTraversalExpr:
		if ix, isIndex := x.Source.(*hclsyntax.IndexExpr); isIndex {
			ids, ok = ev.Elems(ix.Collection, x.Traversal)
		}
	case *hclsyntax.IndexExpr:
		ids, ok = ev.Elems(x.Collection, nil)
	case *hclsyntax.ScopeTraversalExpr:
		if name, isLocal := localName(x.Traversal); isLocal {
			if le, lev, found := ev.Local(name); found {
				ids, ok = candidates(le, lev, depth+1)
			}
		}
	}
	if ok {
		return ids, true
	}
	return ev.Refs(e)
}

// IDsOf reads a reference's value: an id, or the object of a resource
// instance (its id); a null names nothing. ok is false for an unknown or
// any other value.
func IDsOf(v cty.Value) ([]string, bool) {
	switch {
	case !v.IsKnown():
		return nil, false
	case v.IsNull():
		return []string{}, true
	case v.Type() == cty.String:
		return []string{v.AsString()}, true
	case v.Type().IsObjectType() && v.Type().HasAttribute("id"):
		return IDsOf(v.GetAttr("id"))
	}
	return nil, false
}

// localName matches local.<name>.
func localName(t hcl.Traversal) (string, bool) {
	if len(t) != 2 || t.RootName() != "local" {
		return "", false
	}
	a, ok := t[1].(hcl.TraverseAttr)
	return a.Name, ok
}

// marker stands for an unknown part of a string while a pattern is built.
// It is a private-use character, which no AWS name contains.
const marker = "\uE000"

// Pattern gives the known parts of a string expression whose value is
// unknown, each unknown part written "*": "com.amazonaws.*.kms" for
// "com.amazonaws.${data.aws_region.current.name}.kms" or
// format("com.amazonaws.%s.kms", var.region). Only string-building
// syntax is followed (templates, format, join, replace, lower ...): any
// other expression with an unknown value is one unknown part, never
// guessed (a conditional over an unknown is unknown as a whole). A
// data.aws_vpc_endpoint_service with a known service argument names
// "com.amazonaws.*.<service>". ok is false when no part is known.
func Pattern(e hcl.Expression, ev Evaluator) (string, bool) {
	v, ok := markerValue(e, ev, 0)
	if !ok || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	s := v.AsString()
	if !strings.Contains(s, marker) || strings.Trim(s, marker) == "" {
		return "", false
	}
	for strings.Contains(s, marker+marker) {
		s = strings.ReplaceAll(s, marker+marker, marker)
	}
	return strings.ReplaceAll(s, marker, "*"), true
}

// markerValue evaluates an expression with each unknown string part
// replaced by the marker.
func markerValue(e hcl.Expression, ev Evaluator, depth int) (cty.Value, bool) {
	if depth > maxWalk {
		return cty.NilVal, false
	}
	v := ev.Value(e)
	if v.IsWhollyKnown() {
		return v, !v.IsNull()
	}
	unknownPart := func() (cty.Value, bool) {
		if t := v.Type(); t == cty.String || t == cty.DynamicPseudoType || t == cty.Number {
			return cty.StringVal(marker), true
		}
		return cty.NilVal, false
	}
	e = Unparen(e)
	switch x := e.(type) {
	case *hclsyntax.TemplateWrapExpr:
		return markerValue(x.Wrapped, ev, depth+1)
	case *hclsyntax.TemplateExpr:
		var sb strings.Builder
		for _, p := range x.Parts {
			pv, ok := markerValue(p, ev, depth+1)
			if !ok {
				return cty.NilVal, false
			}
			s, err := convert.Convert(pv, cty.String)
			if err != nil || !s.IsKnown() || s.IsNull() {
				return cty.NilVal, false
			}
			sb.WriteString(s.AsString())
		}
		return cty.StringVal(sb.String()), true
	case *hclsyntax.TupleConsExpr:
		vals := make([]cty.Value, len(x.Exprs))
		for i, el := range x.Exprs {
			ov, ok := markerValue(el, ev, depth+1)
			if !ok {
				return cty.NilVal, false
			}
			vals[i] = ov
		}
		return cty.TupleVal(vals), true
	case *hclsyntax.FunctionCallExpr:
		if out, ok := callWithMarkers(x, ev, depth); ok {
			return out, true
		}
	case *hclsyntax.ScopeTraversalExpr:
		if name, ok := localName(x.Traversal); ok {
			if le, lev, ok := ev.Local(name); ok {
				return markerValue(le, lev, depth+1)
			}
		}
	}
	if obj, ok := endpointServiceObject(e); ok {
		if p, ok := endpointServiceName(ev.Value(obj)); ok {
			return p, true
		}
	}
	return unknownPart()
}

// endpointServiceObject gives the data.aws_vpc_endpoint_service object
// whose service_name an expression reads (data.aws_vpc_endpoint_service.x.service_name,
// data.aws_vpc_endpoint_service.x[each.key].service_name).
func endpointServiceObject(e hcl.Expression) (hcl.Expression, bool) {
	isData := func(t hcl.Traversal) bool {
		return len(t) >= 3 && t.RootName() == "data" && isAttr(t[1], "aws_vpc_endpoint_service")
	}
	switch x := e.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if t := x.Traversal; len(t) >= 4 && isData(t) && isAttr(t[len(t)-1], "service_name") {
			return &hclsyntax.ScopeTraversalExpr{Traversal: t[:len(t)-1], SrcRange: x.SrcRange}, true
		}
	case *hclsyntax.RelativeTraversalExpr:
		if ix, ok := x.Source.(*hclsyntax.IndexExpr); ok && len(x.Traversal) == 1 && isAttr(x.Traversal[0], "service_name") {
			if st, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr); ok && isData(st.Traversal) {
				return ix, true
			}
		}
	}
	return nil, false
}

func isAttr(s hcl.Traverser, name string) bool {
	a, ok := s.(hcl.TraverseAttr)
	return ok && a.Name == name
}

// endpointServiceName is the service name a data.aws_vpc_endpoint_service
// object stands for when its service argument is known: the provider
// looks up <reverse DNS of the partition>.<region>.<service>; with the
// region unknown, the commercial partition's com.amazonaws is taken (the
// service is the same in every partition).
func endpointServiceName(obj cty.Value) (cty.Value, bool) {
	if !obj.IsKnown() || obj.IsNull() || !obj.Type().IsObjectType() || !obj.Type().HasAttribute("service") {
		return cty.NilVal, false
	}
	svc := obj.GetAttr("service")
	if !svc.IsKnown() || svc.IsNull() || svc.Type() != cty.String || svc.AsString() == "" {
		return cty.NilVal, false
	}
	return cty.StringVal("com.amazonaws." + marker + "." + svc.AsString()), true
}

// stringFuncs are the functions whose result keeps the marker where the
// unknown part is: they only place, join or case-fold their arguments.
var stringFuncs = map[string]function.Function{
	"format": stdlib.FormatFunc, "join": stdlib.JoinFunc, "replace": stdlib.ReplaceFunc,
	"lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc, "trimspace": stdlib.TrimSpaceFunc,
	"trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc,
}

// callWithMarkers calls a string function over marker values, refusing
// the calls whose result would not keep an unknown part in place (an
// unknown format string, an unknown or regular-expression pattern to
// replace).
func callWithMarkers(x *hclsyntax.FunctionCallExpr, ev Evaluator, depth int) (cty.Value, bool) {
	f, ok := stringFuncs[x.Name]
	if !ok || x.ExpandFinal {
		return cty.NilVal, false
	}
	args := make([]cty.Value, len(x.Args))
	params, varParam := f.Params(), f.VarParam()
	for i, a := range x.Args {
		v, ok := markerValue(a, ev, depth+1)
		if !ok {
			return cty.NilVal, false
		}
		p := varParam
		if i < len(params) {
			p = &params[i]
		}
		if p != nil {
			var err error
			if v, err = convert.Convert(v, p.Type); err != nil {
				return cty.NilVal, false
			}
		}
		args[i] = v
	}
	hasMarker := func(v cty.Value) bool {
		return v.Type() == cty.String && strings.Contains(v.AsString(), marker)
	}
	switch {
	case x.Name == "format" && len(args) > 0 && hasMarker(args[0]):
		return cty.NilVal, false // the format itself is unknown
	case (x.Name == "trimprefix" || x.Name == "trimsuffix") && len(args) == 2 && hasMarker(args[1]):
		return cty.NilVal, false // what to trim is unknown
	case x.Name == "replace":
		if len(args) != 3 || hasMarker(args[1]) ||
			args[1].Type() == cty.String && strings.HasPrefix(args[1].AsString(), "/") && strings.HasSuffix(args[1].AsString(), "/") {
			return cty.NilVal, false // what to replace is unknown, or a regular expression
		}
	}
	out, err := f.Call(args)
	if err != nil || !out.IsWhollyKnown() {
		return cty.NilVal, false
	}
	return out, true
}

// AZRef gives a symbolic identity to a zone written as
// data.aws_availability_zones.X.names[N] or
// element(data.aws_availability_zones.X.names, N) with N known in ctx:
// equal for the same zone, different for different ones, though the
// zones' names are unknown. It is empty for any other expression.
func AZRef(e hcl.Expression, ctx *hcl.EvalContext) string {
	var names hcl.Traversal
	index := cty.DynamicVal
	switch x := Unparen(e).(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if idx, ok := x.Traversal[len(x.Traversal)-1].(hcl.TraverseIndex); ok {
			names, index = x.Traversal[:len(x.Traversal)-1], idx.Key
		}
	case *hclsyntax.IndexExpr:
		if st, ok := x.Collection.(*hclsyntax.ScopeTraversalExpr); ok {
			names, index = st.Traversal, valueIn(x.Key, ctx)
		}
	case *hclsyntax.FunctionCallExpr:
		if x.Name == "element" && len(x.Args) == 2 {
			if st, ok := x.Args[0].(*hclsyntax.ScopeTraversalExpr); ok {
				names, index = st.Traversal, valueIn(x.Args[1], ctx)
			}
		}
	}
	base, ok := azNames(names)
	n, known := asInt(index)
	if !ok || !known {
		return ""
	}
	return base + "[" + strconv.Itoa(n) + "]"
}

// valueIn evaluates an expression in ctx: unknown without one, or when
// it does not evaluate.
func valueIn(e hcl.Expression, ctx *hcl.EvalContext) cty.Value {
	if ctx == nil {
		return cty.DynamicVal
	}
	if v, diags := e.Value(ctx); !diags.HasErrors() {
		return v
	}
	return cty.DynamicVal
}

// azNames matches data.aws_availability_zones.X.names (or zone_ids).
func azNames(t hcl.Traversal) (string, bool) {
	if len(t) != 4 || t.RootName() != "data" || !isAttr(t[1], "aws_availability_zones") || !isAttr(t[3], "names") && !isAttr(t[3], "zone_ids") {
		return "", false
	}
	name, ok := t[2].(hcl.TraverseAttr)
	// zone_ids[i] is the zone of names[i].
	return "data.aws_availability_zones." + name.Name + ".names", ok
}

// Unparen strips the parentheses around an expression, and the loader's
// guards (hclsafe.Unwrap).
func Unparen(e hcl.Expression) hcl.Expression {
	for {
		e = hclsafe.Unwrap(e)
		p, ok := e.(*hclsyntax.ParenthesesExpr)
		if !ok {
			return e
		}
		e = p.Expression
	}
}

// asInt reads a whole number from 0 to MaxInt32 (numeric strings too).
func asInt(v cty.Value) (int, bool) {
	var n int32
	v, err := convert.Convert(v, cty.Number)
	if err != nil || gocty.FromCtyValue(v, &n) != nil || n < 0 {
		return 0, false
	}
	return int(n), true
}
