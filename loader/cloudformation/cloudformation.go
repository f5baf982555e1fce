// Package cloudformation loads CloudFormation templates (YAML and JSON,
// including CDK output and SAM templates) into model units.
//
// Templates are parsed with yaml.v3's node API, so every value keeps its
// line; JSON is read the same way. Short-form tags become their long
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
	"context"
	"fmt"
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
	name := in.Path
	if name == "" {
		name = in.Rel
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json", ".template":
	default:
		return false
	}
	c := bytes.TrimPrefix(in.Content, []byte("\xef\xbb\xbf"))
	if looksLikeOtherJSON(c) {
		return false
	}
	if t := bytes.TrimSpace(c); len(t) > 0 && t[0] == '{' {
		// JSON, perhaps minified: keys are quoted wherever they are.
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
	t := bytes.TrimSpace(c)
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	if bytes.Contains(c, []byte(`"format_version"`)) && (bytes.Contains(c, []byte(`"terraform_version"`)) || bytes.Contains(c, []byte(`"planned_values"`))) {
		return true
	}
	if bytes.Contains(c, []byte(`"vpclint_inventory"`)) {
		return true
	}
	return bytes.Contains(c, []byte(`"security_groups"`)) && bytes.Contains(c, []byte(`"inventory"`)) && bytes.Contains(c, []byte(`"vpc_endpoints"`))
}

// Load implements loader.FileFormat. A template gives one model, with its
// nested stacks; a template that cannot be read gives an error entry and
// no model.
func (*Format) Load(ctx context.Context, in loader.Input, opts loader.Options) ([]*model.Model, []model.LoadError) {
	b := newBuild(in.Rel)
	b.region, b.account = opts.Region, opts.Account
	b.m.Context = model.Context{Region: opts.Region, Account: opts.Account}
	if opts.Region != "" {
		b.m.Context.Partition = partitionOf(opts.Region)
	}
	params, err := readParameterFiles(opts.ParameterFiles, opts.Parameters)
	if err != nil {
		b.errs = append(b.errs, model.LoadError{File: in.Rel, Message: err.Error(), Level: model.LevelError})
		params = opts.Parameters
	}
	overrides := map[string]*node{}
	for k, v := range params {
		overrides[k] = scalar(0, v)
	}
	path := in.Path
	if path == "" {
		path = in.Rel
	}
	root := stack{file: in.Rel, path: path}
	if err := b.loadStack(ctx, root, in.Content, overrides); err != nil {
		return nil, append(b.errs, loadError(in.Rel, err))
	}
	b.foldAll()
	b.implicitRules()
	b.checkDuplicateRuleNumbers()
	b.finishACLs()
	for _, r := range b.m.Resources() {
		finishMeta(r.GetMeta())
	}
	return []*model.Model{b.m}, b.errs
}

// loadError turns a parse failure into an error entry.
func loadError(file string, err error) model.LoadError {
	le := model.LoadError{File: file, Message: err.Error(), Level: model.LevelError}
	if pe, ok := err.(*parseError); ok {
		le.Line, le.Message = pe.line, pe.msg
	}
	return le
}

// loadStack parses a template and builds its resources into the model.
func (b *build) loadStack(ctx context.Context, st stack, content []byte, overrides map[string]*node) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(content) > loader.MaxFileSize {
		return fmt.Errorf("file is %d bytes; the limit is %d", len(content), loader.MaxFileSize)
	}
	root, err := parseTemplate(content)
	if err != nil {
		return err
	}
	t, err := newTemplate(root)
	if err != nil {
		return err
	}
	st.t = t
	for _, n := range t.notes {
		b.errs = append(b.errs, model.LoadError{File: st.file, Line: n.line, Message: n.msg, Level: model.LevelInfo})
	}
	st.lines = strings.Split(string(content), "\n")
	st.flow = bytes.HasPrefix(bytes.TrimSpace(content), []byte("{"))
	r := newResolver(t)
	r.region, r.account, r.prefix = b.region, b.account, st.prefix
	if !b.exp.exhausted {
		b.exp.left += expansionPerByte * len(content)
	}
	r.exp = b.exp
	for k, v := range overrides {
		r.overrides[k] = v
	}
	file := st.file
	r.warn = func(line int, format string, args ...any) {
		b.errs = append(b.errs, model.LoadError{File: file, Line: line, Message: fmt.Sprintf(format, args...), Level: model.LevelWarning})
	}
	prefix := st.prefix
	r.output = func(res *resource, name string, line int) *node { return b.nestedOutput(prefix, res, name, line) }
	if prefix != "" {
		b.nested[strings.TrimSuffix(prefix, "/")] = r
	}
	st.r = r
	saved := b.stack
	b.stack = st
	defer func() { b.stack = saved }()
	b.buildStack(ctx)
	return nil
}
