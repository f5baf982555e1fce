package cloudformation

import (
	"context"
	"slices"

	"github.com/vpclint/vpclint/model"
)

// maxNesting bounds nested stacks within nested stacks.
const maxNesting = 5

// maxStacks bounds the nested stacks one unit reads: a template that
// includes another many times, which includes another many times, would
// otherwise multiply its resources without end.
const maxStacks = 2_500

// nestedStack reads an AWS::CloudFormation::Stack whose template is in
// the scan root (a relative path, or an S3 URL that names one template of
// the root); its resources are addressed Parent/Child and read with the
// parameters the parent passes. Other templates are noted and skipped.
func (b *build) nestedStack(ctx context.Context, res *resource) {
	props := b.props(res)
	u := props.val("TemplateURL")
	if u == nil {
		return
	}
	child, why := b.set.locate(b.src, u)
	if child == nil {
		level := model.LevelWarning
		if why.info {
			level = model.LevelInfo
		}
		b.addError(level, res.key.line, "nested stack %s: %s", res.logicalID, why.msg)
		return
	}
	if b.depth >= maxNesting {
		b.addError(model.LevelWarning, res.key.line, "nested stack %s: stacks nest deeper than %d levels; not read", res.logicalID, maxNesting)
		return
	}
	if child == b.src || slices.Contains(b.active, child) {
		b.addError(model.LevelWarning, res.key.line, "nested stack %s: %s includes itself; not read again", res.logicalID, child.rel)
		return
	}
	if b.stacks++; b.stacks > maxStacks {
		if b.stacks == maxStacks+1 {
			b.addError(model.LevelWarning, res.key.line, "nested stack %s: the template reads more than %d nested stacks; the rest are not read", res.logicalID, maxStacks)
		}
		return
	}
	child.reached = true
	child.reload()
	if child.err != nil {
		if !child.input {
			// An input reports its own error.
			le := loadError(child.rel, child.err)
			le.Level = model.LevelWarning
			b.errs = append(b.errs, le)
		}
		return
	}
	overrides := map[string]*node{}
	if p := props.val("Parameters"); p != nil && p.kind == kindMap {
		for i, k := range p.keys {
			overrides[k.value] = p.vals[i]
		}
	}
	b.loadStack(ctx, stack{
		file:   child.rel,
		src:    child,
		module: b.prefix + res.logicalID,
		prefix: b.prefix + res.logicalID + "/",
		depth:  b.depth + 1,
		active: append(slices.Clone(b.active), b.src),
	}, overrides)
}

// nestedOutput resolves GetAtt Stack.Outputs.Name from the nested stack's
// Outputs section.
func (b *build) nestedOutput(prefix string, res *resource, name string, line int) *node {
	r := b.nested[prefix+res.logicalID]
	if r == nil {
		return unknown(line, "${"+res.logicalID+".Outputs."+name+"}")
	}
	out := r.t.lookup(r.t.outputs, name)
	if out == nil {
		b.addError(model.LevelWarning, line, "Fn::GetAtt %s.Outputs.%s: the nested stack's template has no output %s", res.logicalID, name, name)
		return unknown(line, "")
	}
	v := r.resolve(out.val("Value"))
	if v == nil {
		return unknown(line, "")
	}
	return r.relocate(v, line)
}
