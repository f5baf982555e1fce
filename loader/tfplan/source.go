package tfplan

import (
	"cmp"
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/internal/hclsafe"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/terraform"
	"github.com/vpclint/vpclint/loader/tfaws"
	"github.com/vpclint/vpclint/loader/tfmodules"
)

// srcBlock is a resource block found in the .tf source of a plan.
type srcBlock struct {
	file string // path to show in findings
	// rng is where the block is, its file as HCL names it (its
	// attributes' ranges), for Suppressions.
	rng hcl.Range
	// body is the block as written; a .tf.json file's is the native
	// syntax it stands for (terraform.ParseFile), its nested blocks
	// attributes holding objects.
	body  *hclsyntax.Body
	lines []string // the file's lines, for suppression comments
}

// sourceIndex maps resource blocks (module path + type.name, instance keys
// stripped) to where they are written.
type sourceIndex map[string][]*srcBlock

func srcKey(modPath, typ, name string) string { return modPath + "|" + typ + "." + name }

// maxModuleDepth bounds module nesting (and so cycles) in the source walk.
const maxModuleDepth = 32

// buildSourceIndex reads the .tf files of root and of the local modules it
// calls. It returns nil when root holds no .tf file.
//
// A directory whose files define one resource twice is not one module but
// a set of one-file examples (rule fixtures: pos_x.tf beside
// pos_x.plan.json); there only the file named like the plan (stem.tf)
// is the plan's source.
func buildSourceIndex(ctx context.Context, root string, cfg *tfjson.Config, stem string, opts loader.Options) sourceIndex {
	si := sourceIndex{}
	var rootCfg *tfjson.ConfigModule
	if cfg != nil {
		rootCfg = cfg.RootModule
	}
	// Nothing outside the scan root is read: not the source directory
	// (--source), not a module, local or installed.
	scanRoot := cmp.Or(opts.Root, root)
	opts.Root = scanRoot
	installed := tfmodules.Installed(scanRoot, root)
	seen := map[string]bool{}
	var visit func(dir, modPath, key string, cm *tfjson.ConfigModule, depth int)
	visit = func(dir, modPath, key string, cm *tfjson.ConfigModule, depth int) {
		if depth > maxModuleDepth || ctx.Err() != nil {
			return
		}
		abs, err := filepath.Abs(dir)
		if err != nil || !loader.Within(scanRoot, abs) {
			return
		}
		vk := abs + "|" + modPath
		if seen[vk] {
			return
		}
		seen[vk] = true
		// Module calls: the plan's configuration first, else the blocks.
		names := si.readDir(dir, modPath, opts)
		var children map[string]*tfjson.ModuleCall
		if cm != nil {
			children = cm.ModuleCalls
			for n, mc := range cm.ModuleCalls {
				if mc != nil && mc.Source != "" {
					names[n] = mc.Source
				}
			}
		}
		for _, n := range slices.Sorted(maps.Keys(names)) {
			src := names[n]
			childKey := join(key, n)
			var childDir string
			switch {
			case tfmodules.IsLocalSource(src):
				childDir = filepath.Join(dir, filepath.FromSlash(src))
			case installed[childKey] != "":
				childDir = installed[childKey]
			default:
				continue
			}
			var childCfg *tfjson.ConfigModule
			if mc := children[n]; mc != nil {
				childCfg = mc.Module
			}
			visit(childDir, joinModule(modPath, "module."+n), childKey, childCfg, depth+1)
		}
	}
	visit(root, "", "", rootCfg, 0)
	if si.rootHasDuplicates() {
		for k, bs := range si {
			if !strings.HasPrefix(k, "|") {
				continue
			}
			keep := slices.DeleteFunc(bs, func(b *srcBlock) bool { return !sameStem(b.file, stem) })
			if len(keep) == 0 {
				delete(si, k)
			} else {
				si[k] = keep
			}
		}
	}
	if len(si) == 0 {
		return nil
	}
	return si
}

// rootHasDuplicates reports whether the root directory defines a
// resource more than once.
func (si sourceIndex) rootHasDuplicates() bool {
	for k, bs := range si {
		if strings.HasPrefix(k, "|") && len(bs) > 1 {
			return true
		}
	}
	return false
}

// readDir indexes the resource blocks of the .tf and .tf.json files of
// one module directory and returns its module calls with literal sources.
// The files are parsed as the HCL loader parses them (bounded, .tf.json
// as the native syntax it stands for), but not evaluated: only constant
// attributes are (see literal).
func (si sourceIndex) readDir(dir, modPath string, opts loader.Options) map[string]string {
	// The files the HCL loader would read: not those --exclude names,
	// nor links out of the scan root or special files.
	calls := map[string]string{}
	names, _, err := loader.OwnedFiles(opts, dir, terraform.New().Owns)
	if err != nil {
		return calls
	}
	for _, name := range names {
		path := filepath.Join(dir, name)
		content, err := loader.ReadFileIn(opts.Root, path)
		if err != nil {
			continue
		}
		body, _, err := terraform.ParseFile(content, path)
		if err != nil || body == nil {
			continue
		}
		rel := loader.RelPath(opts.WorkDir, opts.Root, path)
		var lines []string
		for _, blk := range body.Blocks {
			switch {
			case blk.Type == "resource" && len(blk.Labels) == 2:
				if lines == nil {
					lines = strings.Split(string(content), "\n")
				}
				k := srcKey(modPath, blk.Labels[0], blk.Labels[1])
				si[k] = append(si[k], &srcBlock{file: rel, rng: blk.Range(), body: blk.Body, lines: lines})
			case blk.Type == "module" && len(blk.Labels) == 1:
				if a, ok := blk.Body.Attributes["source"]; ok {
					if v, diags := a.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
						calls[blk.Labels[0]] = v.AsString()
					}
				}
			}
		}
	}
	return calls
}

// lookup finds the block of a resource. When several files define it (a
// directory of one-file fixtures), the file named like the plan wins
// (pos_x.plan.json -> pos_x.tf); otherwise there is no answer.
func (si sourceIndex) lookup(modPath, typ, name, planStem string) *srcBlock {
	bs := si[srcKey(modPath, typ, name)]
	if len(bs) == 1 {
		return bs[0]
	}
	for _, b := range bs {
		if sameStem(b.file, planStem) {
			return b
		}
	}
	return nil
}

// sameStem reports whether a source file is named like the plan:
// pos_x.tf or pos_x.tf.json for pos_x.plan.json.
func sameStem(file, stem string) bool {
	base := filepath.Base(filepath.FromSlash(file))
	return base == stem+".tf" || base == stem+".tf.json"
}

// attrLines gives the lines of a block's attributes in source terms:
// "cidr_blocks", "cidr_blocks[1]", "ingress[0]", "ingress[0].from_port".
// Dynamic blocks are recorded under their type name ("ingress") and in
// dynamic.
func attrLines(body *hclsyntax.Body) (lines map[string]int, dynamic map[string]bool) {
	lines = map[string]int{}
	dynamic = map[string]bool{}
	walkBody(body, "", lines, dynamic, 0)
	return lines, dynamic
}

func walkBody(body *hclsyntax.Body, prefix string, lines map[string]int, dynamic map[string]bool, depth int) {
	if body == nil || depth > 4 {
		return
	}
	for name, a := range body.Attributes {
		p := join(prefix, name)
		lines[p] = a.Expr.Range().Start.Line
		if t, ok := a.Expr.(*hclsyntax.TupleConsExpr); ok {
			for i, e := range t.Exprs {
				lines[p+"["+strconv.Itoa(i)+"]"] = e.Range().Start.Line
			}
		}
	}
	counts := map[string]int{}
	for _, blk := range body.Blocks {
		if blk.Type == "dynamic" && len(blk.Labels) == 1 {
			p := join(prefix, blk.Labels[0])
			if _, ok := lines[p]; !ok {
				lines[p] = blk.Range().Start.Line
			}
			if prefix == "" {
				dynamic[blk.Labels[0]] = true
			}
			// The content template's lines stand for every instance:
			// "ingress.cidr_blocks".
			for _, c := range blk.Body.Blocks {
				if c.Type == "content" {
					lines[p] = c.Range().Start.Line
					walkBody(c.Body, p, lines, dynamic, depth+1)
				}
			}
			continue
		}
		i := counts[blk.Type]
		counts[blk.Type] = i + 1
		p := join(prefix, blk.Type)
		if _, ok := lines[p]; !ok {
			lines[p] = blk.Range().Start.Line
		}
		ip := p + "[" + strconv.Itoa(i) + "]"
		lines[ip] = blk.Range().Start.Line
		walkBody(blk.Body, ip, lines, dynamic, depth+1)
	}
}

// literal evaluates a constant attribute of a block, for matching set
// elements to their source blocks; ok is false when it is not constant.
func literal(body *hclsyntax.Body, name string) (any, bool) {
	a, ok := body.Attributes[name]
	if !ok || !hclsafe.Constant(a.Expr) {
		// Only literals: a for expression over literal tuples costs
		// the product of their lengths.
		return nil, false
	}
	v, diags := a.Expr.Value(&hcl.EvalContext{})
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
		return nil, false
	}
	return tfaws.GoValue(v), true
}

// exprRefStrings renders the references of an expression as Terraform
// writes them in a plan's configuration ("aws_security_group.lb.id",
// `aws_security_group.lb["a"].id`).
func exprRefStrings(e hcl.Expression) []string {
	var out []string
	for _, tr := range e.Variables() {
		var sb strings.Builder
		sb.WriteString(tr.RootName())
	steps:
		for _, st := range tr[1:] {
			switch t := st.(type) {
			case hcl.TraverseAttr:
				sb.WriteString("." + t.Name)
			case hcl.TraverseIndex:
				switch {
				case !t.Key.IsKnown() || t.Key.IsNull():
					break steps
				case t.Key.Type() == cty.String:
					sb.WriteString(keyString(t.Key.AsString()))
				case t.Key.Type() == cty.Number:
					bf := t.Key.AsBigFloat()
					n, _ := bf.Int64()
					sb.WriteString(keyString(int(n)))
				default:
					break steps
				}
			default:
				break steps
			}
		}
		out = append(out, sb.String())
	}
	return out
}
