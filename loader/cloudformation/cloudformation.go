// Package cloudformation loads CloudFormation templates (YAML and JSON,
// including CDK output and SAM templates) into model units.
//
// Templates are parsed with yaml.v3's node API (JSON with jsontext into
// the same nodes), so every value keeps its line. Short-form tags become their long
// forms, intrinsic functions are resolved against parameters (defaults,
// --parameter values and parameter files), pseudo parameters, mappings and
// conditions, and references to other resources become their logical ids.
// Whatever cannot be decided is unknown: absent from the model and listed
// in the resource's Meta.Unknown. Separate rule, entry, association and
// permission resources are folded into their group, ACL, route table or
// endpoint service.
package cloudformation

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// Format is the cloudformation loader.
type Format struct{}

// New returns the cloudformation loader.
func New() loader.FileFormat { return &Format{} }

// Name implements loader.FileFormat.
func (*Format) Name() string { return "cloudformation" }

var (
	// Top-level keys: unindented in YAML, quoted (at any indentation) in
	// JSON or flow style.
	versionKey   = regexp.MustCompile(`(?m)^(?:AWSTemplateFormatVersion|[ \t]*["']AWSTemplateFormatVersion["'])[ \t]*:`)
	resourcesKey = regexp.MustCompile(`(?m)^(?:Resources|[ \t{]*["']Resources["'])[ \t]*:`)
	awsTypeValue = regexp.MustCompile(`["']?Type["']?[ \t]*:[ \t]*["']?AWS::`)
)

// Detect implements loader.FileFormat: a template has
// AWSTemplateFormatVersion, or a Resources map with an AWS:: type. Terraform
// plans and vpclint inventory snapshots (JSON documents that may quote a
// template) are not templates.
func (*Format) Detect(in loader.Input) bool {
	if !templateExt[strings.ToLower(filepath.Ext(cmp.Or(in.Path, in.Rel)))] {
		return false
	}
	c := bytes.TrimPrefix(in.Content, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimSpace(c); len(t) > 0 && t[0] == '{' {
		// JSON, perhaps minified: keys are quoted wherever they are.
		if looksLikeOtherJSON(c) {
			return false
		}
		if bytes.Contains(c, []byte(`"AWSTemplateFormatVersion"`)) {
			return true
		}
		return bytes.Contains(c, []byte(`"Resources"`)) && awsTypeValue.Match(c)
	}
	return versionKey.Match(c) || (resourcesKey.Match(c) && awsTypeValue.Match(c))
}

// looksLikeOtherJSON recognizes a Terraform plan or state and a vpclint
// inventory snapshot by their top-level keys.
func looksLikeOtherJSON(c []byte) bool {
	if bytes.Contains(c, []byte(`"format_version"`)) && (bytes.Contains(c, []byte(`"terraform_version"`)) || bytes.Contains(c, []byte(`"planned_values"`))) {
		return true
	}
	if bytes.Contains(c, []byte(`"vpclint_inventory"`)) {
		return true
	}
	return bytes.Contains(c, []byte(`"security_groups"`)) && bytes.Contains(c, []byte(`"inventory"`)) && bytes.Contains(c, []byte(`"vpc_endpoints"`))
}

// Load implements loader.FileFormat: a template read alone.
func (f *Format) Load(ctx context.Context, in loader.Input, opts loader.Options) ([]*model.Model, []model.LoadError) {
	return f.LoadSet(ctx, []loader.Input{in}, opts)
}

// LoadSet implements loader.SetFormat. A template gives one model with
// its nested stacks, unless a template of the set includes it: then it is
// read in that template's context only. A template that cannot be read
// gives an error entry and no model. Exports and imports between the
// templates make what an import may attach unknown where it may attach.
func (*Format) LoadSet(ctx context.Context, ins []loader.Input, opts loader.Options) ([]*model.Model, []model.LoadError) {
	s := newSet(ins, opts)
	units := s.load(ctx)
	return units, s.errs
}

// loadError turns a parse failure into an error entry.
func loadError(file string, err error) model.LoadError {
	le := model.LoadError{File: file, Message: err.Error(), Level: model.LevelError}
	if pe, ok := err.(*parseError); ok {
		le.Line, le.Message = pe.line, pe.msg
	}
	return le
}

// loadStack builds a parsed template's resources into the model, with
// the parameter values its parent (or the user) gives.
func (b *build) loadStack(ctx context.Context, st stack, overrides map[string]*node) {
	if ctx.Err() != nil {
		return
	}
	t := st.src.t
	for _, n := range t.notes {
		b.errs = append(b.errs, model.LoadError{File: st.file, Line: n.line, Message: n.msg, Level: model.LevelInfo})
	}
	r := newResolver(t)
	r.region, r.account, r.prefix = b.region, b.account, st.prefix
	if !b.exp.exhausted {
		b.exp.left += expansionPerByte * st.src.size
	}
	r.exp = b.exp
	maps.Copy(r.overrides, overrides)
	file := st.file
	r.warn = func(line int, format string, args ...any) {
		b.errs = append(b.errs, model.LoadError{File: file, Line: line, Message: fmt.Sprintf(format, args...), Level: model.LevelWarning})
	}
	prefix := st.prefix
	r.output = func(res *resource, name string, line int) *node { return b.nestedOutput(prefix, res, name, line) }
	if prefix != "" {
		b.nested[strings.TrimSuffix(prefix, "/")] = r
	}
	st.t, st.r = t, r
	saved := b.stack
	b.stack = st
	defer func() { b.stack = saved }()
	b.buildStack(ctx)
	b.exports()
}
