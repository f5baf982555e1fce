package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// varType is a variable's declared type and optional-attribute defaults,
// read once per declaration.
func (u *unit) varType(v *variableDef) (cty.Type, *typeexpr.Defaults) {
	if t, ok := u.cache.types[v]; ok {
		return t.ty, t.defs
	}
	ty, defs := declaredType(v)
	u.cache.types[v] = declType{ty, defs}
	return ty, defs
}

type declType struct {
	ty   cty.Type
	defs *typeexpr.Defaults
}

func declaredType(v *variableDef) (cty.Type, *typeexpr.Defaults) {
	if v.typeExpr == nil {
		return cty.DynamicPseudoType, nil
	}
	ty, defs, diags := typeexpr.TypeConstraintWithDefaults(v.typeExpr)
	if diags.HasErrors() {
		return cty.DynamicPseudoType, nil
	}
	return ty, defs
}

// convertVar converts a value to the variable's declared type, as
// Terraform does; a value that does not convert is unknown, with a warning.
func (u *unit) convertVar(v *variableDef, val cty.Value, where *srcFile) cty.Value {
	ty, defs := u.varType(v)
	if defs != nil && val.IsKnown() && !val.IsNull() {
		val = defs.Apply(val)
	}
	out, err := convert.Convert(val, ty)
	if err != nil {
		e := model.LoadError{Line: v.rng.Start.Line, Level: model.LevelWarning,
			Message: fmt.Sprintf("variable %q: value does not match its type %s: %v; its value is unknown", v.name, typeexpr.TypeString(ty), err)}
		if where != nil {
			e.File = where.rel
		}
		u.addErrOnce(e)
		return cty.UnknownVal(ty)
	}
	return out
}

// defaultOf is a variable's default, or unknown when it has none.
func (u *unit) defaultOf(def *moduleDef, v *variableDef) cty.Value {
	if d, ok := u.cache.defaults[v]; ok {
		return d
	}
	d := u.computeDefault(def, v)
	u.cache.defaults[v] = d
	return d
}

func (u *unit) computeDefault(def *moduleDef, v *variableDef) cty.Value {
	if v.def == nil {
		ty, _ := u.varType(v)
		return cty.UnknownVal(ty)
	}
	val, diags := v.def.Value(nil)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return u.convertVar(v, val, def.fileOf(v.rng))
}

func (m *moduleDef) fileOf(r hcl.Range) *srcFile { return m.files[r.Filename] }

// bindVariables gives a called module's variables: the call's inputs,
// else defaults, else unknown.
func (u *unit) bindVariables(def *moduleDef, inputs map[string]cty.Value, c *callDef) map[string]cty.Value {
	out := map[string]cty.Value{}
	for name, v := range def.variables {
		if in, ok := inputs[name]; ok {
			if in.IsKnown() && in.IsNull() && v.def != nil && v.nonNullable {
				out[name] = u.defaultOf(def, v)
				continue
			}
			out[name] = u.convertVar(v, in, c.file)
			continue
		}
		out[name] = u.defaultOf(def, v)
	}
	return out
}

// rootVariables gives the root module's variables in Terraform's order of
// precedence, lowest first: defaults, TF_VAR_ environment variables,
// terraform.tfvars, terraform.tfvars.json, *.auto.tfvars(.json) in lexical
// order, then --var-file and --var.
func (u *unit) rootVariables(def *moduleDef, autoFiles bool) map[string]cty.Value {
	set := map[string]cty.Value{}
	raw := map[string]string{}
	env := u.opts.Env
	if env == nil {
		env = os.Environ()
	}
	for _, kv := range env {
		if !strings.HasPrefix(kv, "TF_VAR_") {
			continue
		}
		name, val, ok := strings.Cut(strings.TrimPrefix(kv, "TF_VAR_"), "=")
		if ok && name != "" {
			raw[name] = val
			delete(set, name)
		}
	}
	apply := func(vals map[string]cty.Value) {
		for k, v := range vals {
			set[k] = v
			delete(raw, k)
		}
	}
	if autoFiles {
		var files []string
		for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
			if st, err := os.Stat(filepath.Join(def.dir, n)); err == nil && st.Mode().IsRegular() {
				files = append(files, filepath.Join(def.dir, n))
			}
		}
		entries, _ := os.ReadDir(def.dir)
		var auto []string
		for _, e := range entries {
			if !e.IsDir() && (strings.HasSuffix(e.Name(), ".auto.tfvars") || strings.HasSuffix(e.Name(), ".auto.tfvars.json")) {
				auto = append(auto, filepath.Join(def.dir, e.Name()))
			}
		}
		sort.Strings(auto)
		files = append(files, auto...)
		for _, f := range files {
			apply(u.readVarFile(f))
		}
	}
	for _, f := range u.opts.VarFiles {
		apply(u.readVarFile(f))
	}
	names := make([]string, 0, len(u.opts.Vars))
	for k := range u.opts.Vars {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		raw[k] = u.opts.Vars[k]
		delete(set, k)
	}
	out := map[string]cty.Value{}
	for name, v := range def.variables {
		switch {
		case hasKey(raw, name):
			out[name] = u.convertVar(v, u.parseRawVar(v, raw[name]), def.fileOf(v.rng))
		case hasValue(set, name):
			out[name] = u.convertVar(v, set[name], def.fileOf(v.rng))
		default:
			out[name] = u.defaultOf(def, v)
		}
	}
	return out
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

func hasValue(m map[string]cty.Value, k string) bool { _, ok := m[k]; return ok }

// parseRawVar reads a --var or TF_VAR_ value: a string for primitive or
// untyped variables, an HCL expression for complex types.
func (u *unit) parseRawVar(v *variableDef, s string) cty.Value {
	ty, _ := u.varType(v)
	if ty == cty.DynamicPseudoType || ty.IsPrimitiveType() {
		return cty.StringVal(s)
	}
	expr, diags := hclsyntax.ParseExpression([]byte(s), "<value for var."+v.name+">", hcl.InitialPos)
	if diags.HasErrors() {
		u.addErrOnce(model.LoadError{Level: model.LevelWarning, Message: fmt.Sprintf("variable %q: value %q is not a valid expression; its value is unknown", v.name, s)})
		return cty.DynamicVal
	}
	val, diags := expr.Value(nil)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return val
}

// readVarFile reads a .tfvars or .tfvars.json file.
func (u *unit) readVarFile(p string) map[string]cty.Value {
	rel := loader.RelPath(u.opts.WorkDir, u.opts.Root, p)
	src, err := loader.ReadFile(p)
	if err != nil {
		u.addErrOnce(model.LoadError{File: rel, Message: "variables file: " + err.Error(), Level: model.LevelError})
		return nil
	}
	isJSON := strings.HasSuffix(p, ".json")
	if err := scanSource(src, isJSON); err != nil {
		u.addErrOnce(refusal(rel, err))
		return nil
	}
	var f *hcl.File
	var diags hcl.Diagnostics
	if isJSON {
		f, diags = hcljson.Parse(src, p)
	} else {
		f, diags = hclsyntax.ParseConfig(src, p, hcl.InitialPos)
	}
	if f != nil {
		if sb, ok := f.Body.(*hclsyntax.Body); ok {
			if r := tooDeep(sb); r != nil {
				u.addErrOnce(deepError(rel, r))
				return nil
			}
		}
	}
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			e := model.LoadError{File: rel, Message: diagMessage(d), Level: model.LevelError}
			if d.Subject != nil {
				e.Line = d.Subject.Start.Line
			}
			u.addErrOnce(e)
		}
	}
	if f == nil {
		return nil
	}
	attrs, _ := f.Body.JustAttributes()
	out := map[string]cty.Value{}
	for name, a := range attrs {
		v, d := a.Expr.Value(nil)
		if d.HasErrors() {
			v = cty.DynamicVal
		}
		out[name] = v
	}
	return out
}
