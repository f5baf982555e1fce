package terraform

import (
	"errors"
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

	"github.com/vpclint/vpclint/internal/hclsafe"
	"github.com/vpclint/vpclint/internal/srcscan"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// varType is a variable's declared type and optional-attribute defaults,
// read once per declaration.
func (u *unit) varType(v *variableDef) (cty.Type, *typeexpr.Defaults) {
	if t, ok := u.cache.types[v]; ok {
		return t.ty, t.defs
	}
	ty, defs := cty.DynamicPseudoType, (*typeexpr.Defaults)(nil)
	if v.typeExpr != nil {
		var diags hcl.Diagnostics
		if ty, defs, diags = typeexpr.TypeConstraintWithDefaults(v.typeExpr); diags.HasErrors() {
			ty, defs = cty.DynamicPseudoType, nil
		}
	}
	u.cache.types[v] = declType{ty, defs}
	return ty, defs
}

type declType struct {
	ty   cty.Type
	defs *typeexpr.Defaults
}

// convertVar converts a value to the variable's declared type, as
// Terraform does; a value that does not convert is unknown, with a warning.
func (u *unit) convertVar(v *variableDef, val cty.Value, where *srcFile) cty.Value {
	ty, defs := u.varType(v)
	if defs != nil && val.IsKnown() && !val.IsNull() {
		val = defs.Apply(val)
	}
	out, err := convert.Convert(val, ty)
	if err == nil {
		// A string converted to a number may be one too large to write
		// back out (see maxExponent).
		if _, bad := measure(out, maxValueBytes); bad != "" {
			err = fmt.Errorf("it holds %s", bad)
		}
	}
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
	var d cty.Value
	if v.def == nil {
		ty, _ := u.varType(v)
		d = cty.UnknownVal(ty)
	} else if val, diags := v.def.Value(u.literalCtx); diags.HasErrors() {
		d = cty.DynamicVal
	} else {
		d = u.convertVar(v, val, def.files[v.rng.Filename])
	}
	u.cache.defaults[v] = d
	return d
}

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
//
// The values of TF_VAR_ variables are read only from an environment the
// options give (Options.Env). The process's own are not read: on a CI
// runner they hold secrets, and a configuration from a pull request
// could lead any value into a report (a name, a warning about an invalid
// CIDR). A variable set there is unknown, not its default: Terraform would
// take the value vpclint does not read.
func (u *unit) rootVariables(def *moduleDef, autoFiles bool) map[string]cty.Value {
	set := map[string]cty.Value{}
	raw := map[string]string{}
	env, readValues := u.opts.Env, true
	if env == nil {
		env, readValues = os.Environ(), false
	}
	var unread []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "TF_VAR_") {
			continue
		}
		name, val, ok := strings.Cut(strings.TrimPrefix(kv, "TF_VAR_"), "=")
		switch {
		case !ok || name == "":
		case readValues:
			raw[name] = val
			delete(set, name)
		default:
			set[name] = cty.DynamicVal
			if _, declared := def.variables[name]; declared {
				unread = append(unread, name)
			}
		}
	}
	if len(unread) > 0 {
		sort.Strings(unread)
		u.addErrOnce(model.LoadError{Level: model.LevelInfo, Message: fmt.Sprintf(
			"variables set in the environment (TF_VAR_%s) are unknown: vpclint does not read the environment's values; give them with --var or --var-file",
			strings.Join(unread, ", TF_VAR_"))})
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
			if _, err := os.Lstat(filepath.Join(def.dir, n)); err == nil {
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
			apply(u.readVarFile(f, false))
		}
	}
	for _, f := range u.opts.VarFiles {
		apply(u.readVarFile(f, true))
	}
	for k, v := range u.opts.Vars {
		raw[k] = v
		delete(set, k)
	}
	out := map[string]cty.Value{}
	for name, v := range def.variables {
		if s, ok := raw[name]; ok {
			out[name] = u.convertVar(v, u.parseRawVar(v, s), def.files[v.rng.Filename])
		} else if val, ok := set[name]; ok {
			out[name] = u.convertVar(v, val, def.files[v.rng.Filename])
		} else {
			out[name] = u.defaultOf(def, v)
		}
	}
	return out
}

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

// readVarFile reads a .tfvars or .tfvars.json file. One found by
// convention is read only inside the scan root (links followed); one the
// user named with --var-file (explicit) is the user's own and read
// wherever it is.
func (u *unit) readVarFile(p string, explicit bool) map[string]cty.Value {
	rel := loader.RelPath(u.opts.WorkDir, u.opts.Root, p)
	var src []byte
	var err error
	switch {
	case explicit:
		src, err = loader.ReadFile(p)
	case danglingLink(u.root, p):
		err = loader.ErrOutsideRoot // as for a link out of the root: see danglingLink
	default:
		src, err = loader.ReadFileIn(u.root, p)
	}
	switch {
	case errors.Is(err, loader.ErrOutsideRoot):
		u.addErrOnce(model.LoadError{File: rel, Level: model.LevelWarning, Message: "variables file leaves the scan root (a symbolic link); not read"})
		return nil
	case err != nil:
		u.addErrOnce(model.LoadError{File: rel, Message: "variables file: " + err.Error(), Level: model.LevelError})
		return nil
	}
	vals, errs := parseVarFile(p, rel, src, u.literalCtx)
	for _, e := range errs {
		u.addErrOnce(e)
	}
	return vals
}

// parseVarFile parses the content of a variables file, and evaluates its
// values in ctx (the syntax guards, no variable); rel names it in errors.
func parseVarFile(p, rel string, src []byte, ctx *hcl.EvalContext) (map[string]cty.Value, []model.LoadError) {
	var f *hcl.File
	var diags hcl.Diagnostics
	var err error
	if strings.HasSuffix(p, ".json") {
		// Values of a .tfvars.json file are literal: strings are not
		// templates, so only the JSON's own nesting needs a bound.
		if err = srcscan.JSON(src, srcscan.MaxDepth, srcscan.MaxTokens, false); err == nil {
			f, diags = hcljson.Parse(src, p)
		}
	} else {
		f, diags, err = hclsafe.ParseConfig(src, p, guardRewrite)
	}
	if err != nil {
		return nil, []model.LoadError{refusal(rel, err)}
	}
	errs := diagErrors(diags, p, rel)
	if f == nil {
		return nil, errs
	}
	attrs, _ := f.Body.JustAttributes()
	out := map[string]cty.Value{}
	for name, a := range attrs {
		evalCtx := ctx
		if hcljson.IsJSONExpression(a.Expr) {
			evalCtx = nil // literal: strings are not templates
		}
		v, d := a.Expr.Value(evalCtx)
		if d.HasErrors() {
			v = cty.DynamicVal
		}
		out[name] = v
	}
	return out, errs
}

// VarFileError is a variables file named with --var-file that could not
// be read or does not parse. The command line is then wrong: the command
// reports it, and exits 2, before scanning.
type VarFileError struct {
	// File is the path as the user gave it; Line is 0 when unknown.
	File string
	Line int
	Msg  string
}

func (e *VarFileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("--var-file %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("--var-file %s: %s", e.File, e.Msg)
}

// CheckVarFiles reads and parses each file named with --var-file, and
// returns a *VarFileError for the first that cannot be read or does not
// parse.
func CheckVarFiles(paths []string) error {
	for _, p := range paths {
		src, err := loader.ReadFile(p)
		if err != nil {
			return &VarFileError{File: p, Msg: err.Error()}
		}
		ctx := &hcl.EvalContext{Functions: newBudget(func(callNote) {}).syntaxGuards()}
		if _, errs := parseVarFile(p, p, src, ctx); len(errs) > 0 {
			return &VarFileError{File: p, Line: errs[0].Line, Msg: errs[0].Message}
		}
	}
	return nil
}
