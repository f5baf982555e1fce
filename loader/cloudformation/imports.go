package cloudformation

import "strings"

// Cross-template references. An Fn::ImportValue names the Export of
// another stack. When the templates of one scan export and import each
// other's values, an import may stand for any export whose name it can
// match: names are globs in which each part the scan cannot decide (a
// stack-name parameter, ${AWS::StackName}) is a `*`. Whatever an import
// attaches (a flow log, a rule, an association) then makes the matching
// attributes unknown on the resource each matching export names.

// maxGlobCells bounds the work of matching two long globs; past it, two
// names whose fixed prefix and suffix agree are taken to match.
const maxGlobCells = 1 << 16

// maxGlobPairs bounds the pairs of names compared in one scan. Past it,
// each remaining import is taken to match every export of its kind: a
// rule then stays undecided rather than concluding from a match it did
// not check.
const maxGlobPairs = 1 << 20

// export is an Output's Export that names a resource of a unit.
type export struct {
	name string // a glob
	unit *build
	id   string
}

// importKey is one kind of import: what it may attach, under which name.
type importKey struct {
	name string
	att  *attachment
}

// links gathers the exports and imports of the units of a set.
type links struct {
	exports []export
	imports map[importKey]bool
	order   []importKey
}

func (l *links) addExport(name string, b *build, id string) {
	l.exports = append(l.exports, export{name: name, unit: b, id: id})
}

func (l *links) addImport(name string, a *attachment) {
	k := importKey{name, a}
	if l.imports == nil {
		l.imports = map[importKey]bool{}
	}
	if !l.imports[k] {
		l.imports[k] = true
		l.order = append(l.order, k)
	}
}

// resolve marks, for each import, the attributes it may set on the
// resource of every export it matches. Exports with a fixed name are
// found through an index; globs are compared pairwise within a budget.
func (l *links) resolve() {
	if len(l.order) == 0 || len(l.exports) == 0 {
		return
	}
	exact := map[string][]int{}
	var globs, all []int
	for i, e := range l.exports {
		all = append(all, i)
		if strings.Contains(e.name, "*") {
			globs = append(globs, i)
		} else {
			exact[e.name] = append(exact[e.name], i)
		}
	}
	mark := func(e export, a *attachment) { e.unit.markTarget(a, e.id) }
	pairs := 0
	overBudget := map[*attachment]bool{}
	for _, k := range l.order {
		if overBudget[k.att] {
			continue
		}
		// An import of a fixed name meets the exports of that name and
		// may meet those that are globs; a glob may meet any.
		pool := all
		if !strings.Contains(k.name, "*") {
			for _, i := range exact[k.name] {
				mark(l.exports[i], k.att)
			}
			pool = globs
		}
		if pairs += len(pool); pairs > maxGlobPairs {
			overBudget[k.att] = true
			continue
		}
		for _, i := range pool {
			if globsMeet(k.name, l.exports[i].name) {
				mark(l.exports[i], k.att)
			}
		}
	}
	for a := range overBudget {
		for _, e := range l.exports {
			mark(e, a)
		}
	}
}

// globOf turns a resolved name into a glob: a known name is itself; the
// readable form of an unknown one has a `*` for each ${...} part it could
// not decide; an unknown name with no readable form matches anything.
func globOf(v *node) string {
	switch {
	case v == nil:
		return "*"
	case v.kind == kindScalar:
		return strings.ReplaceAll(v.value, "*", "?")
	case v.kind == kindUnknown && v.pattern() != "":
		return patternGlob(v.pattern())
	}
	return "*"
}

// patternGlob replaces each ${...} of a readable form with `*`, and runs
// of them with one.
func patternGlob(p string) string {
	var b strings.Builder
	for {
		i := strings.Index(p, "${")
		if i < 0 {
			b.WriteString(p)
			break
		}
		b.WriteString(p[:i])
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			b.WriteString("*")
			break
		}
		if s := b.String(); !strings.HasSuffix(s, "*") {
			b.WriteString("*")
		}
		p = p[i+j+1:]
	}
	return b.String()
}

// globsMeet reports whether some name matches both globs, whose only
// special character is `*` (any text).
func globsMeet(a, b string) bool {
	// The fixed text before the first and after the last `*` must agree.
	pa, _, _ := strings.Cut(a, "*")
	pb, _, _ := strings.Cut(b, "*")
	if !strings.HasPrefix(pa, pb) && !strings.HasPrefix(pb, pa) {
		return false
	}
	sa, sb := a[strings.LastIndexByte(a, '*')+1:], b[strings.LastIndexByte(b, '*')+1:]
	if !strings.HasSuffix(sa, sb) && !strings.HasSuffix(sb, sa) {
		return false
	}
	if !strings.Contains(a, "*") || !strings.Contains(b, "*") {
		if !strings.Contains(a, "*") {
			return globMatch(b, a)
		}
		return globMatch(a, b)
	}
	if (len(a)+1)*(len(b)+1) > maxGlobCells {
		return true
	}
	// reach[j] is whether a[:i] and b[:j] can end together; a `*` on
	// either side may take text from the other or nothing.
	reach := make([]bool, len(b)+1)
	reach[0] = true
	for j := 1; j <= len(b) && b[j-1] == '*'; j++ {
		reach[j] = true
	}
	for i := 1; i <= len(a); i++ {
		prev := reach[0]
		reach[0] = prev && a[i-1] == '*'
		for j := 1; j <= len(b); j++ {
			diag := prev // reach[i-1][j-1]
			prev = reach[j]
			ca, cb := a[i-1], b[j-1]
			switch {
			case ca == '*' && cb == '*':
				reach[j] = reach[j] || reach[j-1] || diag
			case ca == '*':
				// a's star takes b[j-1], or is empty.
				reach[j] = reach[j-1] || reach[j]
			case cb == '*':
				reach[j] = reach[j] || reach[j-1]
			default:
				reach[j] = diag && ca == cb
			}
		}
	}
	return reach[len(b)]
}

// globMatch matches a name against a glob of `*`s, in time linear in both
// (the usual backtracking to the last star).
func globMatch(glob, name string) bool {
	g, n := 0, 0
	star, mark := -1, 0
	for n < len(name) {
		switch {
		case g < len(glob) && glob[g] == '*':
			star, mark = g, n
			g++
		case g < len(glob) && glob[g] == name[n]:
			g++
			n++
		case star >= 0:
			g = star + 1
			mark++
			n = mark
		default:
			return false
		}
	}
	for g < len(glob) && glob[g] == '*' {
		g++
	}
	return g == len(glob)
}

// exports records the Outputs of the current stack that export a
// resource's id, for the scan's imports to match.
func (b *build) exports() {
	outs := b.t.outputs
	if outs == nil || outs.kind != kindMap {
		return
	}
	for _, o := range outs.vals {
		ex := o.val("Export")
		if ex == nil {
			continue
		}
		if c := o.val("Condition"); c != nil && c.kind == kindScalar && b.r.condition(c.value, c.line) == triFalse {
			continue
		}
		name := globOf(b.r.resolve(ex.val("Name")))
		possibleValues(b.r.resolve(o.val("Value")), func(v *node) {
			if v.kind == kindScalar && v.resRef {
				b.set.links.addExport(name, b, v.value)
			}
		})
	}
}
