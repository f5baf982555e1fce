package cloudformation

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// maxNesting bounds nested stacks within nested stacks.
const maxNesting = 5

// nestedStack reads an AWS::CloudFormation::Stack whose TemplateURL is a
// local file; its resources are addressed Parent/Child. Remote templates
// are noted and skipped.
func (b *build) nestedStack(ctx context.Context, res *resource) {
	x := b.reader(res, &model.Meta{AttributeLines: map[string]int{}}, "")
	u := x.props.val("TemplateURL")
	if u == nil {
		return
	}
	if u.kind != kindScalar {
		b.addError(model.LevelInfo, res.key.line, "nested stack %s: its TemplateURL cannot be resolved; its resources are not read", res.logicalID)
		return
	}
	url := u.value
	lower := strings.ToLower(url)
	if strings.Contains(lower, "://") || strings.HasPrefix(lower, "s3:") {
		b.addError(model.LevelInfo, res.key.line, "nested stack %s: remote template %s is not read", res.logicalID, url)
		return
	}
	if b.depth >= maxNesting {
		b.addError(model.LevelWarning, res.key.line, "nested stack %s: stacks nest deeper than %d levels; not read", res.logicalID, maxNesting)
		return
	}
	disk := filepath.Join(filepath.Dir(b.path), filepath.FromSlash(url))
	abs, err := filepath.Abs(disk)
	if err != nil {
		abs = disk
	}
	parentActive := b.active
	if len(parentActive) == 0 {
		if a, err := filepath.Abs(b.path); err == nil {
			parentActive = []string{a}
		}
	}
	for _, a := range parentActive {
		if a == abs {
			b.addError(model.LevelWarning, res.key.line, "nested stack %s: %s includes itself; not read again", res.logicalID, url)
			return
		}
	}
	content, err := loader.ReadFile(disk)
	if err != nil {
		reason := "cannot be read"
		if errors.Is(err, fs.ErrNotExist) {
			reason = "does not exist"
		}
		b.addError(model.LevelWarning, res.key.line, "nested stack %s: template %s %s; its resources are not read", res.logicalID, url, reason)
		return
	}
	overrides := map[string]*node{}
	if p := x.props.val("Parameters"); p != nil && p.kind == kindMap {
		for i, k := range p.keys {
			overrides[k.value] = p.vals[i]
		}
	}
	child := stack{
		file:   path.Clean(path.Join(path.Dir(b.file), filepath.ToSlash(url))),
		path:   disk,
		module: b.prefix + res.logicalID,
		prefix: b.prefix + res.logicalID + "/",
		depth:  b.depth + 1,
		active: append(append([]string{}, parentActive...), abs),
	}
	if err := b.loadStack(ctx, child, content, overrides); err != nil {
		le := loadError(child.file, err)
		le.Level = model.LevelWarning
		b.errs = append(b.errs, le)
		return
	}
}

// nestedOutput resolves GetAtt Stack.Outputs.Name from the nested stack's
// Outputs section.
func (b *build) nestedOutput(prefix string, res *resource, name string, line int) *node {
	r := b.nested[prefix+res.logicalID]
	if r == nil {
		return unknown(line, "${"+res.logicalID+".Outputs."+name+"}")
	}
	v := r.t.lookup(r.t.outputs, name).val("Value")
	if v == nil {
		return unknown(line, "")
	}
	out := r.resolve(v)
	if out == nil {
		return unknown(line, "")
	}
	return r.relocate(out, line)
}
