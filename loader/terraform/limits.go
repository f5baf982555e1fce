package terraform

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/customdecode"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/vpclint/vpclint/internal/hclsafe"
	"github.com/vpclint/vpclint/model"
)

// What one Terraform unit may build while it is evaluated. A 1.6 KB file
// whose locals double a string 40 times asked for 6 GB; three for
// expressions over lists of a thousand, for a billion elements. Every
// construct that builds a value larger than its source is bounded:
//
//   - the result of every function call (the function table is wrapped
//     once, see guardFunctions), and what the functions that can build
//     more than they are given (format, formatlist, indent, replace,
//     setproduct) would build, before they run;
//   - the strings a template writes, part by part, before it joins them;
//   - the elements for expressions iterate;
//   - numbers, whose decimal form grows with their exponent;
//   - what function calls go through, repeated by loops;
//   - the expressions evaluated in all.
//
// A value over a bound is unknown, and an error names the expression's
// file and line; the rest of the unit is evaluated as usual. The bounds
// are far above what real configurations reach: no unit of the shared
// corpus comes near a hundredth of any (TestCorpusWithinLimits).
const (
	// maxValueBytes bounds one value a function or a template builds:
	// string bytes, and 16 bytes for every number, bool, element and
	// attribute.
	maxValueBytes = 16 << 20
	// maxUnitBytes bounds the bytes function calls and templates build
	// in one unit, all together.
	maxUnitBytes = 128 << 20
	// maxIterations bounds the elements for expressions iterate in one
	// unit (nested ones multiply).
	maxIterations = 100_000
	// maxEvaluations bounds the expressions evaluated in one unit.
	maxEvaluations = 1_000_000
	// maxWork bounds what the function calls of one unit go through (see
	// goThrough): a few seconds of hashing, matching or sorting.
	maxWork = 1 << 30
	// maxExponent bounds the binary exponent of a number (about 10^4932):
	// beyond, its decimal form would take too long to write.
	maxExponent = 1 << 14
	// maxValueDepth bounds how deeply a value a function is given or
	// returns nests: walking it (converting, comparing, encoding)
	// recurses once per level.
	maxValueDepth = 4096
)

// budget is what a unit has left to build.
type budget struct {
	bytes, iterations, evaluations, work int64
	// note reports a bound reached, at the line of the call (see
	// callNote).
	note func(callNote)
}

func newBudget(note func(callNote)) *budget { return &budget{note: note} }

// measure is the size of a value as the bounds count it, stopping once
// over limit; bad says why a value is refused whatever its size (a
// number too large, nesting too deep).
func measure(v cty.Value, limit int64) (size int64, bad string) {
	m := &measurer{limit: limit}
	m.walk(v, 0)
	return m.size, m.bad
}

type measurer struct {
	size, limit int64
	bad         string
}

func (m *measurer) walk(v cty.Value, depth int) {
	if m.size > m.limit || m.bad != "" {
		return
	}
	if depth > maxValueDepth {
		m.bad = fmt.Sprintf("nested deeper than %d levels", maxValueDepth)
		return
	}
	v, _ = v.Unmark()
	m.size += 16
	if !v.IsKnown() || v.IsNull() {
		return
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		m.size += int64(len(v.AsString()))
	case ty == cty.Number:
		if f := v.AsBigFloat(); !f.IsInf() && f.Sign() != 0 {
			if e := f.MantExp(nil); e > maxExponent || e < -maxExponent {
				m.bad = "a number too large to write out"
			}
		}
	case ty.IsListType() || ty.IsSetType() || ty.IsMapType() || ty.IsTupleType() || ty.IsObjectType():
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			m.walk(e, depth+1)
			if m.size > m.limit || m.bad != "" {
				return
			}
		}
	}
}

// limitMessage is what a call or template over a bound is reported as.
func limitMessage(size int64, bad string) string {
	if bad != "" {
		return "its value holds " + bad + "; its value is unknown"
	}
	if size > maxValueBytes {
		return fmt.Sprintf("its value would exceed vpclint's limit of %d MiB per value; its value is unknown", maxValueBytes>>20)
	}
	return fmt.Sprintf("the values built in this module tree would exceed vpclint's limit of %d MiB; its value is unknown", maxUnitBytes>>20)
}

// sound measures a value built by fn; false means it is refused whatever
// its size, and has been noted.
func (b *budget) sound(fn string, v cty.Value) (int64, bool) {
	size, bad := measure(v, maxValueBytes)
	if bad != "" {
		b.note(callNote{fn, model.LevelError, limitMessage(0, bad)})
	}
	return size, bad == ""
}

// charge accounts for a value built by fn; false means it is over a
// bound and has been noted.
func (b *budget) charge(fn string, v cty.Value) bool {
	size, ok := b.sound(fn, v)
	return ok && b.fits(fn, size) && b.spend(size)
}

// fits reports whether a value of the estimated size may be built; false
// means it has been noted.
func (b *budget) fits(fn string, estimate int64) bool {
	if estimate <= maxValueBytes && b.bytes+estimate <= maxUnitBytes {
		return true
	}
	b.note(callNote{fn, model.LevelError, limitMessage(estimate, "")})
	return false
}

// guardFunctions wraps every function of a table: a call whose result
// (or, for the functions that build more than they are given, whose
// estimated result) is over a bound returns an unknown value.
func (b *budget) guardFunctions(fns map[string]function.Function) {
	for name, f := range fns {
		if takesExpressions(f) {
			continue // try, can: they only evaluate their arguments, each guarded
		}
		fns[name] = b.guard(name, f)
	}
	for name, f := range b.syntaxGuards() {
		fns[name] = f
	}
}

// takesExpressions reports whether a function receives expressions, not
// values (try, can): wrapped, it would evaluate them twice.
func takesExpressions(f function.Function) bool {
	params := f.Params()
	if vp := f.VarParam(); vp != nil {
		params = append(params, *vp)
	}
	for _, p := range params {
		if customdecode.CustomExpressionDecoderForType(p.Type) != nil {
			return true
		}
	}
	return false
}

// guard wraps one function. The wrapper's parameters accept everything
// and pass it on: the function's own Call decides as before what unknown,
// null and marked arguments give.
func (b *budget) guard(name string, f function.Function) function.Function {
	permissive := func(p function.Parameter) function.Parameter {
		p.AllowNull, p.AllowUnknown, p.AllowDynamicType, p.AllowMarked = true, true, true, true
		return p
	}
	spec := &function.Spec{Description: f.Description()}
	for _, p := range f.Params() {
		spec.Params = append(spec.Params, permissive(p))
	}
	if vp := f.VarParam(); vp != nil {
		p := permissive(*vp)
		spec.VarParam = &p
	}
	estimate := amplifiers[name]
	spec.Type = f.ReturnTypeForValues
	spec.Impl = func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		if !accessors[name] && !b.goThrough(name, args) {
			return cty.UnknownVal(retType), nil
		}
		if estimate != nil && allKnown(args) && !b.fits(name, estimate(args)) {
			return cty.UnknownVal(retType), nil
		}
		v, err := f.Call(args)
		if err != nil || v == cty.NilVal {
			return v, err
		}
		if !b.charge(name, v) {
			return cty.UnknownVal(retType), nil
		}
		return v, nil
	}
	return function.New(spec)
}

// accessors are the functions that read a part of their arguments, not
// all of it: a lookup in a large map costs little however often.
var accessors = map[string]bool{
	"lookup": true, "element": true, "length": true, "one": true, "coalesce": true, "coalescelist": true,
	"tostring": true, "tonumber": true, "tobool": true, "sensitive": true, "nonsensitive": true,
}

// goThrough charges what a function call goes through: the bytes of its
// string arguments, 16 for each element of a collection (64 of a set,
// which is sorted to be gone through). Each call costs little, but in a
// for expression a hash of a large string, or a sort of a large set, is
// repeated as often as the loop goes round: maxWork bounds the whole.
func (b *budget) goThrough(fn string, args []cty.Value) bool {
	var cost int64
	for _, a := range args {
		a, _ = a.Unmark()
		cost++
		if !a.IsKnown() || a.IsNull() {
			continue
		}
		switch ty := a.Type(); {
		case ty == cty.String:
			cost += int64(len(a.AsString()))
		case ty.IsSetType():
			cost += 64 * int64(a.LengthInt())
		case ty.IsListType() || ty.IsMapType() || ty.IsTupleType() || ty.IsObjectType():
			cost += 16 * int64(a.LengthInt())
		}
	}
	b.work += cost
	if b.work <= maxWork {
		return true
	}
	b.note(callNote{fn, model.LevelError, fmt.Sprintf("the function calls of this module tree would go through more than %d GiB of arguments; its value is unknown", maxWork>>30)})
	return false
}

func allKnown(args []cty.Value) bool {
	for _, a := range args {
		if !a.IsWhollyKnown() {
			return false
		}
	}
	return true
}

// amplifiers estimate the result of the functions that can build far
// more than their arguments hold, so they are refused before they run.
var amplifiers = map[string]func(args []cty.Value) int64{
	"format":     formatEstimate(false),
	"formatlist": formatEstimate(true),
	"indent": func(args []cty.Value) int64 {
		n, _ := asInt(args[0])
		s := stringOf(args[1])
		return int64(len(s)) + int64(max(n, 0))*int64(strings.Count(s, "\n")+1)
	},
	"replace": func(args []cty.Value) int64 {
		s, sub, rep := stringOf(args[0]), stringOf(args[1]), stringOf(args[2])
		if sub == "" || len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			// it may match at every position (a regular expression)
			return int64(len(s)) + int64(len(s)+1)*int64(len(rep))
		}
		return int64(len(s)) + int64(strings.Count(s, sub))*int64(len(rep))
	},
	"setproduct": func(args []cty.Value) int64 {
		total := int64(16)
		for _, a := range args {
			if !a.CanIterateElements() {
				return 0
			}
			total *= int64(a.LengthInt()) + 1
			if total > maxUnitBytes {
				return total
			}
		}
		return total * int64(len(args)+1)
	},
}

func stringOf(v cty.Value) string {
	if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		return v.AsString()
	}
	return ""
}

// formatEstimate bounds the result of format (or, perElement, of
// formatlist, for each element of its longest list): its specification,
// its arguments, and every width and precision the verbs ask for.
func formatEstimate(perElement bool) func(args []cty.Value) int64 {
	return func(args []cty.Value) int64 {
		if len(args) == 0 {
			return 0
		}
		n := int64(1)
		for _, a := range args[1:] {
			if perElement && a.CanIterateElements() {
				n = max(n, int64(a.LengthInt()))
			}
		}
		spec := stringOf(args[0])
		total := n * (int64(len(spec)) + verbPadding(spec))
		for _, a := range args[1:] {
			size, _ := measure(a, maxValueBytes)
			total += size
		}
		return total
	}
}

// verbPadding adds up the widths and precisions of a format
// specification's verbs (%10000d pads to ten thousand characters).
func verbPadding(spec string) int64 {
	var total int64
	for i := 0; i < len(spec); i++ {
		if spec[i] != '%' {
			continue
		}
		n := int64(0)
		for i++; i < len(spec) && strings.IndexByte("0123456789.-+# ", spec[i]) >= 0; i++ {
			if spec[i] >= '0' && spec[i] <= '9' {
				n = min(n*10+int64(spec[i]-'0'), maxUnitBytes)
			} else {
				total, n = total+n, 0
			}
		}
		total += n
	}
	return total
}

// Names of the guard functions the syntax rewrite calls (see
// guardRewrite). A configuration cannot define functions, so the names
// cannot clash; calling them by hand does no harm. What reads the syntax
// of an expression sees through them with hclsafe.Unwrap.
const (
	guardIterate = hclsafe.GuardPrefix + "iterate"
	guardText    = hclsafe.GuardPrefix + "text"
	guardNumber  = hclsafe.GuardPrefix + "number"
	guardValue   = hclsafe.GuardPrefix + "value"
)

// guardLabels name the construct each guard stands for in a message.
var guardLabels = map[string]string{guardIterate: "for expression", guardText: "template", guardValue: "template", guardNumber: "arithmetic"}

// callLabel is how a call is named in a message.
func callLabel(fn string) string {
	if l, ok := guardLabels[fn]; ok {
		return l
	}
	return fn + "()"
}

// syntaxGuards are the functions guardRewrite puts around the constructs
// that build values without a function call.
func (b *budget) syntaxGuards() map[string]function.Function {
	passThrough := func(check func(v cty.Value) bool) function.Function {
		return function.New(&function.Spec{
			Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType,
				AllowNull: true, AllowUnknown: true, AllowDynamicType: true, AllowMarked: true}},
			Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
			Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
				if args[0].IsKnown() && !args[0].IsNull() && !check(args[0]) {
					return cty.UnknownVal(retType), nil
				}
				return args[0], nil
			},
		})
	}
	return map[string]function.Function{
		// The collection a for expression iterates, before it does.
		guardIterate: passThrough(func(v cty.Value) bool {
			v, _ = v.Unmark()
			if !v.CanIterateElements() {
				return true
			}
			b.iterations += int64(v.LengthInt())
			if b.iterations <= maxIterations {
				return true
			}
			b.note(callNote{guardIterate, model.LevelError, fmt.Sprintf("for expressions would iterate over more than %d elements in this module tree; its value is unknown", maxIterations)})
			return false
		}),
		// What a template is about to write: one interpolated part, or
		// the strings a %{for} directive is about to join.
		guardText: passThrough(func(v cty.Value) bool {
			v, _ = v.Unmark()
			ty := v.Type()
			if ty.IsTupleType() || ty.IsListType() {
				var total int64
				for it := v.ElementIterator(); it.Next(); {
					_, e := it.Element()
					if e, _ = e.Unmark(); e.IsKnown() && !e.IsNull() && e.Type() == cty.String {
						total += int64(len(e.AsString()))
					}
				}
				return b.fits(guardText, total) && b.spend(total)
			}
			return b.charge(guardText, v)
		}),
		// A template's result, its parts already charged.
		guardValue: passThrough(func(v cty.Value) bool {
			if v, _ = v.Unmark(); v.Type() == cty.String && len(v.AsString()) > maxValueBytes {
				b.note(callNote{guardValue, model.LevelError, limitMessage(int64(len(v.AsString())), "")})
				return false
			}
			return true
		}),
		// The result of arithmetic, whose exponent may double each time.
		guardNumber: passThrough(func(v cty.Value) bool {
			_, ok := b.sound(guardNumber, v)
			return ok
		}),
	}
}

// spend charges bytes already checked by fits.
func (b *budget) spend(n int64) bool {
	b.bytes += n
	return true
}

// guardRewrite puts the syntax guards in place, as the parsed tree is
// walked (hclsafe): the collection of every for expression, every
// interpolated part of a template, the loop of a %{for} directive, a
// template's result, and the result of arithmetic. A template of
// literal text alone becomes its string: most attributes are quoted
// strings, and evaluating the template (a buffer, a set of marks, a
// refinement, the string normalized) was a fifth of the evaluation's
// allocations for the one value it always gives.
func guardRewrite(e hclsyntax.Expression) hclsyntax.Expression {
	switch x := e.(type) {
	case *hclsyntax.ForExpr:
		x.CollExpr = guardCall(guardIterate, x.CollExpr)
	case *hclsyntax.TemplateExpr:
		if lit := literalTemplate(x); lit != nil {
			return lit
		}
		literal := true
		for i, p := range x.Parts {
			if _, ok := p.(*hclsyntax.LiteralValueExpr); !ok {
				x.Parts[i] = guardCall(guardText, p)
				literal = false
			}
		}
		if !literal {
			// Each part is charged as it is written; the whole is one
			// value, bounded as one.
			return guardCall(guardValue, x)
		}
	case *hclsyntax.TemplateJoinExpr:
		x.Tuple = guardCall(guardText, x.Tuple)
	case *hclsyntax.BinaryOpExpr:
		switch x.Op {
		case hclsyntax.OpAdd, hclsyntax.OpSubtract, hclsyntax.OpMultiply, hclsyntax.OpDivide, hclsyntax.OpModulo:
			return guardCall(guardNumber, x)
		}
	}
	return e
}

// literalTemplate is a template made of literal strings only as the
// literal of the value evaluating it gives (a template's result is never
// null), at the template's range; nil for any other template. The usual
// quoted string, one literal part, is that part.
func literalTemplate(x *hclsyntax.TemplateExpr) *hclsyntax.LiteralValueExpr {
	isText := func(p hclsyntax.Expression) (*hclsyntax.LiteralValueExpr, bool) {
		l, ok := p.(*hclsyntax.LiteralValueExpr)
		return l, ok && l.Val.Type() == cty.String && l.Val.IsKnown() && !l.Val.IsNull() && !l.Val.IsMarked()
	}
	if len(x.Parts) == 1 {
		l, ok := isText(x.Parts[0])
		if !ok {
			return nil
		}
		l.SrcRange = x.SrcRange
		return l
	}
	var sb strings.Builder
	for _, p := range x.Parts {
		l, ok := isText(p)
		if !ok {
			return nil
		}
		sb.WriteString(l.Val.AsString())
	}
	return &hclsyntax.LiteralValueExpr{Val: cty.StringVal(sb.String()), SrcRange: x.SrcRange}
}

func guardCall(name string, e hclsyntax.Expression) hclsyntax.Expression {
	r := e.Range()
	return &hclsyntax.FunctionCallExpr{Name: name, Args: []hclsyntax.Expression{e},
		NameRange: r, OpenParenRange: hcl.Range{Filename: r.Filename, Start: r.Start, End: r.Start}, CloseParenRange: hcl.Range{Filename: r.Filename, Start: r.End, End: r.End}}
}

// mayEvaluate counts an expression evaluated and reports whether the unit
// may go on: not once its context is done (a deadline), nor past
// maxEvaluations.
func (u *unit) mayEvaluate(mi *modInst, e hcl.Expression) bool {
	b := u.budget
	b.evaluations++
	if b.evaluations&255 == 0 && u.ctx.Err() != nil {
		return false
	}
	if b.evaluations <= maxEvaluations {
		return true
	}
	if b.evaluations == maxEvaluations+1 {
		mi.errAt(e.Range(), model.LevelError, fmt.Sprintf("more than %d expressions evaluated in this module tree; this one and the rest are unknown", maxEvaluations))
	}
	return false
}
