package terraform

import (
	"github.com/vpclint/vpclint/loader/tfaws"
	"github.com/vpclint/vpclint/model"
)

// suppressions reads the comments written before a resource block,
// within it, and before its attributes and nested blocks.
// A file that holds no suppression comment is not read line by line.
func (u *unit) suppressions(inst *resInst) []model.Suppression {
	f := inst.def.file
	if !f.suppressible {
		return nil
	}
	out, errs := tfaws.Suppressions(f.rel, f.sourceLines(), inst.def.typ, inst.def.rng, inst.def.body)
	for _, e := range errs {
		u.addErrOnce(e)
	}
	return out
}
