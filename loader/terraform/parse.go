package terraform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/internal/hclsafe"
	"github.com/vpclint/vpclint/internal/srcscan"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/suppress"
	"github.com/vpclint/vpclint/model"
)

// moduleDef is one module directory parsed, not yet evaluated.
type moduleDef struct {
	dir       string // absolute path
	files     map[string]*srcFile
	variables map[string]*variableDef
	locals    []*namedExpr
	outputs   []*namedExpr
	resources []*resourceDef // managed and data, in file order
	// byKey is each resource by its key ("aws_vpc.main",
	// "data.aws_region.x"), the first declared of a key (Terraform
	// refuses a second): what a reference or an override names, found
	// without a walk of every resource.
	byKey     map[string]*resourceDef
	calls     []*callDef
	providers []*providerDef
	// phantom lists, per "type.name" (or "data.type.name"), the attributes
	// referenced anywhere in the module, so that unset computed attributes
	// read as unknown rather than as errors.
	phantom map[string]map[string]bool
	errs    []model.LoadError
	// readable counts the files parsed without error: a module none of
	// whose files could be read is a failed input, not an empty one.
	readable int
}

// srcFile is a parsed file with its source.
type srcFile struct {
	path string // absolute
	rel  string // as shown in findings
	src  []byte
	json bool
	// suppressible is whether the source may hold a suppression comment
	// (suppress.MayHold); lines are its lines, split when first read.
	suppressible bool
	lines        []string
}

// sourceLines returns the file's lines, split on first use: only the
// files that may hold suppression comments are read line by line.
func (f *srcFile) sourceLines() []string {
	if f.lines == nil {
		f.lines = strings.Split(string(f.src), "\n")
	}
	return f.lines
}

type variableDef struct {
	name     string
	def      hcl.Expression // nil: no default
	typeExpr hcl.Expression
	rng      hcl.Range
	// nonNullable is nullable = false: a null input takes the default.
	nonNullable bool
}

type namedExpr struct {
	name string
	expr hcl.Expression
	rng  hcl.Range
}

type resourceDef struct {
	data bool
	typ  string
	name string
	// ref is the reference prefix (key), made with the definition:
	// evaluation, the order and the build look resources up by it many
	// times each.
	ref     string
	count   hcl.Expression
	forEach hcl.Expression
	body    *hclsyntax.Body
	rng     hcl.Range // whole block
	file    *srcFile
	// refs are the references written in body, gathered while the file
	// was parsed; refsRead is false when they were not (a .tf.json file,
	// a body an override file merged), and bodyTraversals finds them.
	refs     []hcl.Traversal
	refsRead bool
}

// traversals are the references written in the resource's body.
func (r *resourceDef) traversals() []hcl.Traversal {
	if r.refsRead {
		return r.refs
	}
	return bodyTraversals(r.body)
}

// key is the reference prefix: "aws_vpc.main" or "data.aws_region.x".
func (r *resourceDef) key() string { return r.ref }

// resourceKey is the reference prefix of a resource or data source.
func resourceKey(data bool, typ, name string) string {
	if data {
		return "data." + typ + "." + name
	}
	return typ + "." + name
}

type callDef struct {
	name    string
	source  string
	count   hcl.Expression
	forEach hcl.Expression
	inputs  hcl.Attributes
	rng     hcl.Range
	file    *srcFile
}

type providerDef struct {
	name  string
	alias string
	attrs hcl.Attributes
	// defaultTags is the default_tags.tags expression, if any.
	defaultTags hcl.Expression
}

// metaArgs are resource arguments that are not attributes.
var metaArgs = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true, "lifecycle": true, "provisioner": true, "connection": true}

// readModule reads and parses the files of a module directory. names, when
// set, restricts it to those file names.
func readModule(ctx context.Context, dir string, names []string, opts *loader.Options) (*moduleDef, error) {
	var skipped []model.LoadError
	if names == nil {
		var err error
		names, skipped, err = loader.OwnedFiles(*opts, dir, New().Owns)
		if err != nil {
			return nil, fmt.Errorf("read module %s: %w", loader.RelPath(opts.WorkDir, opts.Root, dir), err)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		oi, oj := isOverride(names[i]), isOverride(names[j])
		if oi != oj {
			return oj
		}
		return names[i] < names[j]
	})
	m := &moduleDef{dir: dir, files: map[string]*srcFile{}, variables: map[string]*variableDef{}, phantom: map[string]map[string]bool{}, errs: skipped}
	ins := make([]fileInput, len(names))
	for i, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := filepath.Join(dir, n)
		ins[i] = fileInput{path: p, rel: loader.RelPath(opts.WorkDir, opts.Root, p)}
		ins[i].src, ins[i].err = loader.ReadFileIn(opts.Root, p)
	}
	parsed := parseFiles(ctx, ins, parallelParseBytes)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, in := range ins {
		if in.err != nil {
			m.errs = append(m.errs, model.LoadError{File: in.rel, Message: in.err.Error(), Level: model.LevelError})
			continue
		}
		m.addFile(parsed[i])
		if n := m.items(); n > maxModuleItems {
			rel := in.rel
			// Evaluation orders the items by their references, and a
			// chain as long as the module recurses as deep.
			m.errs = append(m.errs, model.LoadError{File: rel, Level: model.LevelError,
				Message: fmt.Sprintf("the module has more than %d variables, locals, resources, module calls and outputs; its files after this one are not read", maxModuleItems)})
			break
		}
	}
	return m, nil
}

// sourceBytes is the size of the module's source.
func (m *moduleDef) sourceBytes() int64 {
	var n int64
	for _, f := range m.files {
		n += int64(len(f.src))
	}
	return n
}

// maxModuleItems bounds the items of one module: far above any real one
// (a large module has a few thousand).
const maxModuleItems = 100_000

// items counts what a module declares.
func (m *moduleDef) items() int {
	return len(m.variables) + len(m.locals) + len(m.resources) + len(m.calls) + len(m.outputs) + len(m.providers)
}

// fileInput is a file of a module as read: its source, or why not.
type fileInput struct {
	path, rel string
	src       []byte
	err       error
}

// parsedFile is a file parsed on its own, before it joins its module
// (moduleDef.addFile).
type parsedFile struct {
	// refused is why the file is not read; f is nil then.
	refused *model.LoadError
	f       *srcFile
	body    *hclsyntax.Body
	diags   hcl.Diagnostics
	refs    *fileRefs
}

// parallelParseBytes is the size of a module's files from which they are
// parsed on every CPU: parsing is most of a large module's load (17 MB
// of HCL at 20,000 security groups, 4 s of CPU), and its files are
// independent until they join the module, in their order.
const parallelParseBytes = 1 << 20

// parseFiles parses the files read without error, on every CPU when they
// hold parallelFrom bytes or more together.
func parseFiles(ctx context.Context, ins []fileInput, parallelFrom int) []*parsedFile {
	out := make([]*parsedFile, len(ins))
	parse := func(i int) {
		if ins[i].err == nil && ctx.Err() == nil {
			out[i] = parseFileSource(ins[i].path, ins[i].rel, ins[i].src)
		}
	}
	total := 0
	for _, in := range ins {
		total += len(in.src)
	}
	if total < parallelFrom {
		for i := range ins {
			parse(i)
		}
		return out
	}
	inParallel(len(ins), parse)
	return out
}

// inParallel calls do for 0 ... n-1 on every CPU. A panic in a worker
// (a parser's) stops the others and is raised again here, where
// safeReadModule turns it into the module's error.
func inParallel(n int, do func(i int)) {
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	for w := min(runtime.GOMAXPROCS(0), n); w > 0; w-- {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					failed.CompareAndSwap(nil, fmt.Sprint(r))
				}
			}()
			for i := int(next.Add(1) - 1); i < n && failed.Load() == nil; i = int(next.Add(1) - 1) {
				do(i)
			}
		}()
	}
	wg.Wait()
	if r := failed.Load(); r != nil {
		panic(r)
	}
}

// parseFileSource parses one file's bytes, apart from its module.
func parseFileSource(path, rel string, src []byte) *parsedFile {
	if bytes.IndexByte(src, 0) >= 0 {
		return &parsedFile{refused: &model.LoadError{File: rel, Message: "binary file, not Terraform", Level: model.LevelError}}
	}
	if !utf8.Valid(src) {
		return &parsedFile{refused: &model.LoadError{File: rel, Message: "file is not valid UTF-8", Level: model.LevelError}}
	}
	isJSON := strings.HasSuffix(path, ".json")
	refs := &fileRefs{phantom: map[string]map[string]bool{}}
	sb, diags, err := parseSource(src, path, isJSON, func(e hclsyntax.Expression) hclsyntax.Expression {
		refs.note(e)
		return guardRewrite(e)
	})
	if err != nil {
		e := refusal(rel, err)
		return &parsedFile{refused: &e}
	}
	f := &srcFile{path: path, rel: rel, src: src, json: isJSON, suppressible: suppress.MayHold(src)}
	return &parsedFile{f: f, body: sb, diags: diags, refs: refs}
}

// addFile joins a parsed file to the module.
func (m *moduleDef) addFile(p *parsedFile) {
	if p.refused != nil {
		m.errs = append(m.errs, *p.refused)
		return
	}
	f, sb, diags := p.f, p.body, p.diags
	m.files[f.path] = f
	m.errs = append(m.errs, diagErrors(diags, f.path, f.rel)...)
	if sb == nil {
		return
	}
	if !diags.HasErrors() {
		m.readable++
	}
	for key, attrs := range p.refs.phantom {
		set := m.phantom[key]
		if set == nil {
			m.phantom[key] = attrs
			continue
		}
		for a := range attrs {
			set[a] = true
		}
	}
	var blockRefs [][]hcl.Traversal
	if !f.json && !diags.HasErrors() {
		blockRefs = p.refs.byBlock(sb.Blocks)
	}
	m.readSyntaxBody(f, sb, blockRefs)
}

// ParseFile parses a .tf or .tf.json file as this loader does (see
// parseSource), without the evaluation guards: for a front end that reads
// a configuration's source beside another input and evaluates nothing of
// it but constants and a few references (a plan's).
func ParseFile(src []byte, path string) (*hclsyntax.Body, hcl.Diagnostics, error) {
	return parseSource(src, path, strings.HasSuffix(path, ".json"), nil)
}

// parseSource parses a .tf or .tf.json file into its native syntax tree,
// refusing (with a *srcscan.Error or *hclsafe.TooDeepError) a source that
// would overflow the parser's or the evaluator's stack, or that holds a
// number too large to write out. The tree is walked once, to bound its
// depth and apply rw (the loader's guards, guardRewrite, and its notes of
// references) to every expression.
func parseSource(src []byte, path string, isJSON bool, rw hclsafe.Rewrite) (*hclsyntax.Body, hcl.Diagnostics, error) {
	var sb *hclsyntax.Body
	var diags hcl.Diagnostics
	if isJSON {
		if err := srcscan.JSON(src, srcscan.MaxDepth, srcscan.MaxTokens, true); err != nil {
			return nil, nil, err
		}
		f, d := hcljson.Parse(src, path)
		diags = d
		if f == nil || f.Body == nil {
			return nil, diags, nil
		}
		sb = jsonToSyntax(f.Body, &diags)
	} else {
		cuts, err := srcscan.HCLCuts(src, srcscan.MaxDepth, chunkSize)
		if err != nil {
			return nil, nil, err
		}
		f, d := parseConfig(src, path, cuts)
		diags = d
		if f == nil {
			return nil, diags, nil
		}
		sb = f.Body.(*hclsyntax.Body)
	}
	if err := hclsafe.Body(sb, rw); err != nil {
		return nil, diags, err
	}
	return sb, diags, nil
}

// refusal is the error of a file parseSource refused, at its line.
func refusal(rel string, err error) model.LoadError {
	e := model.LoadError{File: rel, Level: model.LevelError, Message: err.Error()}
	var se *srcscan.Error
	var de *hclsafe.TooDeepError
	switch {
	case errors.As(err, &se):
		e.Line, e.Message = se.Line, se.Msg
	case errors.As(err, &de):
		e.Line, e.Message = de.Range.Start.Line, fmt.Sprintf("expression nested deeper than %d levels; not read", hclsafe.MaxDepth)
	}
	return e
}

// diagErrors are the errors among a file's diagnostics, at their lines.
func diagErrors(diags hcl.Diagnostics, path, rel string) []model.LoadError {
	var out []model.LoadError
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		// The parser names the file as it was given, an absolute path ("The
		// argument was already set at /home/runner/..."): say it as shown.
		e := model.LoadError{File: rel, Message: strings.ReplaceAll(msg, path, rel), Level: model.LevelError}
		if d.Subject != nil {
			e.Line = d.Subject.Start.Line
		}
		out = append(out, e)
	}
	return out
}

// readSyntaxBody reads a file's top-level blocks; blockRefs, when not
// nil, holds the references written in each block (fileRefs.byBlock).
func (m *moduleDef) readSyntaxBody(f *srcFile, body *hclsyntax.Body, blockRefs [][]hcl.Traversal) {
	for i, b := range body.Blocks {
		switch b.Type {
		case "variable":
			if len(b.Labels) != 1 {
				continue
			}
			v := &variableDef{name: b.Labels[0], rng: b.Range()}
			if a, ok := b.Body.Attributes["default"]; ok {
				v.def = a.Expr
			}
			if a, ok := b.Body.Attributes["type"]; ok {
				v.typeExpr = a.Expr
			}
			if a, ok := b.Body.Attributes["nullable"]; ok {
				if nv, d := a.Expr.Value(nil); !d.HasErrors() && nv.Type() == cty.Bool && nv.IsKnown() && !nv.IsNull() {
					v.nonNullable = nv.False()
				}
			}
			m.variables[v.name] = v
		case "locals":
			attrs := slices.SortedFunc(maps.Values(b.Body.Attributes), func(x, y *hclsyntax.Attribute) int {
				return x.SrcRange.Start.Byte - y.SrcRange.Start.Byte
			})
			for _, a := range attrs {
				m.locals = append(m.locals, &namedExpr{name: a.Name, expr: a.Expr, rng: a.SrcRange})
			}
		case "output":
			if len(b.Labels) != 1 {
				continue
			}
			if a, ok := b.Body.Attributes["value"]; ok {
				m.outputs = append(m.outputs, &namedExpr{name: b.Labels[0], expr: a.Expr, rng: b.Range()})
			}
		case "resource", "data":
			if len(b.Labels) != 2 {
				continue
			}
			r := &resourceDef{data: b.Type == "data", typ: b.Labels[0], name: b.Labels[1], body: b.Body, rng: b.Range(), file: f}
			r.ref = resourceKey(r.data, r.typ, r.name)
			if blockRefs != nil {
				r.refs, r.refsRead = blockRefs[i], true
			}
			if a, ok := b.Body.Attributes["count"]; ok {
				r.count = a.Expr
			}
			if a, ok := b.Body.Attributes["for_each"]; ok {
				r.forEach = a.Expr
			}
			m.addResource(r)
		case "module":
			if len(b.Labels) != 1 {
				continue
			}
			c := &callDef{name: b.Labels[0], inputs: hcl.Attributes{}, rng: b.Range(), file: f}
			for name, a := range b.Body.Attributes {
				switch name {
				case "source":
					v, d := a.Expr.Value(nil)
					if !d.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type().FriendlyName() == "string" {
						c.source = v.AsString()
					}
				case "count":
					c.count = a.Expr
				case "for_each":
					c.forEach = a.Expr
				case "version", "providers", "depends_on":
				default:
					c.inputs[name] = a.AsHCLAttribute()
				}
			}
			m.calls = append(m.calls, c)
		case "provider":
			if len(b.Labels) != 1 {
				continue
			}
			p := &providerDef{name: b.Labels[0], attrs: hcl.Attributes{}}
			for name, a := range b.Body.Attributes {
				p.attrs[name] = a.AsHCLAttribute()
			}
			if a, ok := p.attrs["alias"]; ok {
				if v, d := a.Expr.Value(nil); !d.HasErrors() && v.IsKnown() && !v.IsNull() && v.Type().FriendlyName() == "string" {
					p.alias = v.AsString()
				}
			}
			for _, nb := range b.Body.Blocks {
				if nb.Type == "default_tags" {
					if a, ok := nb.Body.Attributes["tags"]; ok {
						p.defaultTags = a.Expr
					}
				}
			}
			m.providers = append(m.providers, p)
		}
	}
}

// isOverride reports whether a file is an override file, merged into the
// blocks the other files define (override.tf, *_override.tf).
func isOverride(name string) bool {
	base := strings.TrimSuffix(strings.TrimSuffix(name, ".json"), ".tf")
	return base == "override" || strings.HasSuffix(base, "_override")
}

func (m *moduleDef) addResource(r *resourceDef) {
	key := r.key()
	cur, dup := m.byKey[key]
	if dup && isOverride(filepath.Base(r.file.path)) {
		mergeOverride(cur, r)
		return
	}
	m.resources = append(m.resources, r)
	if !dup {
		if m.byKey == nil {
			m.byKey = map[string]*resourceDef{}
		}
		m.byKey[key] = r
	}
}

// mergeOverride applies an override block as Terraform does: its
// arguments replace the original's, and its nested blocks replace the
// original's blocks of the same type.
func mergeOverride(cur, over *resourceDef) {
	cb, ob := cur.body, over.body
	merged := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, SrcRange: cb.SrcRange, EndRange: cb.EndRange}
	maps.Copy(merged.Attributes, cb.Attributes)
	maps.Copy(merged.Attributes, ob.Attributes)
	replaced := map[string]bool{}
	for _, b := range ob.Blocks {
		replaced[b.Type] = true
	}
	for _, b := range cb.Blocks {
		if !replaced[b.Type] {
			merged.Blocks = append(merged.Blocks, b)
		}
	}
	merged.Blocks = append(merged.Blocks, ob.Blocks...)
	cur.body = merged
	cur.refs, cur.refsRead = nil, false
	if a, ok := merged.Attributes["count"]; ok {
		cur.count = a.Expr
	}
	if a, ok := merged.Attributes["for_each"]; ok {
		cur.forEach = a.Expr
	}
}

var jsonTopSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
	{Type: "output", LabelNames: []string{"name"}},
	{Type: "resource", LabelNames: []string{"type", "name"}},
	{Type: "data", LabelNames: []string{"type", "name"}},
	{Type: "module", LabelNames: []string{"name"}},
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "terraform"},
}}

func blockRange(b *hcl.Block) hcl.Range {
	r := b.DefRange
	if rb, ok := b.Body.(interface{ MissingItemRange() hcl.Range }); ok {
		end := rb.MissingItemRange()
		if end.End.Line >= r.Start.Line {
			r.End = end.End
		}
	}
	return r
}

// fileRefs gathers the references written in a file during parseSource's
// walk of its tree, the one walk each file gets: the attributes read from
// every resource, data source or module (the module's phantom
// attributes) and, in the order walked, every reference, for the
// dependencies of each block.
type fileRefs struct {
	// phantom is the file's part of moduleDef.phantom.
	phantom map[string]map[string]bool
	// all are the references walked; at holds the byte offset of each.
	all []hcl.Traversal
	at  []int
}

// note is called with each expression of the walk.
func (fr *fileRefs) note(n hclsyntax.Expression) {
	switch e := n.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		fr.all = append(fr.all, e.Traversal)
		fr.at = append(fr.at, e.SrcRange.Start.Byte)
		fr.phantomTraversal(e.Traversal, nil)
	case *hclsyntax.SplatExpr:
		if st, ok := e.Source.(*hclsyntax.ScopeTraversalExpr); ok {
			if rt, ok := e.Each.(*hclsyntax.RelativeTraversalExpr); ok {
				fr.phantomTraversal(st.Traversal, rt.Traversal)
			}
		}
	case *hclsyntax.RelativeTraversalExpr:
		if st, ok := e.Source.(*hclsyntax.ScopeTraversalExpr); ok {
			fr.phantomTraversal(st.Traversal, e.Traversal)
		}
	}
}

// byBlock divides the references walked among the top-level blocks
// (in source order) that hold them: the i-th list is the references
// written in blocks[i]. The walk takes a block's expressions together,
// so each list is a piece of one array. References outside every block
// (top-level arguments) belong to none.
func (fr *fileRefs) byBlock(blocks hclsyntax.Blocks) [][]hcl.Traversal {
	for k := 1; k < len(blocks); k++ {
		if blocks[k].TypeRange.Start.Byte < blocks[k-1].CloseBraceRange.End.Byte {
			return nil // not in source order: each body is walked alone
		}
	}
	out := make([][]hcl.Traversal, len(blocks))
	for i := 0; i < len(fr.all); {
		off := fr.at[i]
		b := sort.Search(len(blocks), func(k int) bool { return blocks[k].CloseBraceRange.End.Byte > off })
		if b == len(blocks) || blocks[b].TypeRange.Start.Byte > off {
			i++
			continue
		}
		j := i + 1
		for j < len(fr.all) && fr.at[j] >= blocks[b].TypeRange.Start.Byte && fr.at[j] < blocks[b].CloseBraceRange.End.Byte {
			j++
		}
		if out[b] == nil {
			out[b] = fr.all[i:j:j]
		} else {
			out[b] = append(out[b], fr.all[i:j]...)
		}
		i = j
	}
	return out
}

// phantomTraversal notes "aws_x.name[...].attr" (and data.aws_x.name...):
// the first attribute read after the resource's name, in t and then rest.
func (fr *fileRefs) phantomTraversal(t hcl.Traversal, rest hcl.Traversal) {
	if len(t) == 0 {
		return
	}
	root := t.RootName()
	switch root {
	case "var", "local", "each", "count", "path", "terraform", "self", "module":
		return
	}
	n := len(t) + len(rest)
	step := func(i int) hcl.Traverser {
		if i < len(t) {
			return t[i]
		}
		return rest[i-len(t)]
	}
	attr := func(i int) (string, bool) {
		if i >= n {
			return "", false
		}
		a, ok := step(i).(hcl.TraverseAttr)
		return a.Name, ok
	}
	var typ, name string
	i := 2
	if root == "data" {
		var ok1, ok2 bool
		typ, ok1 = attr(1)
		name, ok2 = attr(2)
		if !ok1 || !ok2 {
			return
		}
		i = 3
	} else {
		var ok bool
		if name, ok = attr(1); !ok {
			return
		}
	}
	for ; i < n; i++ {
		switch s := step(i).(type) {
		case hcl.TraverseIndex, hcl.TraverseSplat:
			continue
		case hcl.TraverseAttr:
			fr.notePhantom(root, typ, name, s.Name)
		}
		return
	}
}

// notePhantom records that attr is read from the resource root.name (or
// data.typ.name, when root is "data"); the key is built only when the
// resource is new to the module.
func (fr *fileRefs) notePhantom(root, typ, name, attr string) {
	var set map[string]bool
	if root == "data" {
		set = fr.phantom["data."+typ+"."+name]
	} else {
		set = fr.phantom[root+"."+name]
	}
	if set == nil {
		set = map[string]bool{}
		if root == "data" {
			fr.phantom[resourceKey(true, typ, name)] = set
		} else {
			fr.phantom[resourceKey(false, root, name)] = set
		}
	}
	set[attr] = true
}
