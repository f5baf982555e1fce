// Package tfplan loads Terraform plans and states in their JSON form
// (`terraform show -json plan.out`, `terraform show -json`) into model
// units: one model per file, unit = the file's path, format "tfplan".
//
// A plan is recognized by its content, not its name: a JSON object with
// "format_version" and any of "planned_values", "resource_changes",
// "terraform_version", "configuration" or "values".
//
// What each AWS resource type means (its model fields, the provider's
// defaults, the folding of separate rules and associations) is
// loader/tfaws's, shared with the HCL loader; this package reads the plan
// for it (body.go).
//
// Values come from resource_changes[].change.after, with after_unknown
// marking what Terraform learns only at apply: such a value is absent from
// the model and its path is listed in the resource's `unknown`. A list the
// provider computes (a new group's egress, an endpoint's subnet_ids) that
// the configuration leaves unset is known empty, as Terraform creates it.
// Resources being deleted (and deposed or forgotten objects) are skipped;
// planned_values (with child modules) fill in resources that have no
// change, and a state's "values" read as known values.
//
// References between resources are resolved so that they equal the
// referenced resource's id (its known id, else its address): a separate
// aws_security_group_rule whose security_group_id is unknown until apply
// is still folded into its group. References come from the plan's
// "configuration" (expression references, module outputs, module
// variables, each.value of a for_each over resource instances) and, for
// what the configuration does not show (nested blocks, a plan without
// configuration), from the .tf source when it is available. A reference
// to a VPC's default group, ACL or route table means the
// aws_default_* resource that adopts it; anything unresolved goes to a
// placeholder named by the reference.
//
// Locations: when the .tf (or .tf.json) files the plan came from are next
// to it, or in loader.Options.SourceDir, each resource points at its block
// (and its attributes at their lines) in the source, following local
// module sources (never out of the git work tree) and .terraform/modules,
// and the vpclint:ignore comments there apply. A directory whose files define
// a resource twice is a set of one-file fixtures: there a plan's source is
// only the .tf named like it (pos_x.plan.json -> pos_x.tf). Otherwise a
// resource points at its object in the plan and its attributes at their
// lines there (line 1 for the one-line output of terraform show -json).
//
// The smallest plan this loader reads, e.g. for a rule fixture
// `testdata/rules/<ID>/<scenario>.plan.json`, is:
//
//	{
//	  "format_version": "1.2",
//	  "resource_changes": [
//	    {
//	      "address": "aws_security_group.web",
//	      "type": "aws_security_group",
//	      "name": "web",
//	      "change": {
//	        "actions": ["create"],
//	        "after": {"description": "web", "ingress": [ ... ], "egress": []},
//	        "after_unknown": {"id": true, "vpc_id": true}
//	      }
//	    }
//	  ],
//	  "configuration": {
//	    "root_module": {
//	      "resources": [
//	        {"address": "aws_security_group.web", "mode": "managed",
//	         "type": "aws_security_group", "name": "web",
//	         "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}}
//	      ]
//	    }
//	  }
//	}
//
// "mode" defaults to managed; an attribute missing from "after" is unset
// (Terraform's default applies, as for HCL: an endpoint's type is
// Gateway, private_dns_enabled false, a group's description "Managed by
// Terraform", a group without egress has none). "after_unknown" and
// "configuration" are optional; without configuration, an unknown
// reference stays unknown unless the .tf source is at hand.
//
// A value AWS would reject (a reversed port range, a CIDR that does not
// parse, a rule number outside 1-32766) is a warning naming file and
// line, and the value is unknown; two ACL entries sharing a rule number
// are a warning too, and both are kept for NACL008. A plan that
// does not parse is one error naming the file and, when the JSON decoder
// says where, the line.
package tfplan

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/vpclint/vpclint/internal/jsonpos"
	"github.com/vpclint/vpclint/internal/srcscan"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// Format is the tfplan loader.
type Format struct{}

// New returns the tfplan loader.
func New() loader.FileFormat { return &Format{} }

// Name implements loader.FileFormat.
func (*Format) Name() string { return model.FormatTFPlan }

var bom = []byte{0xEF, 0xBB, 0xBF}

// planKeys are the top-level keys that, with format_version, make a plan
// or a state.
var planKeys = []string{"planned_values", "resource_changes", "terraform_version", "configuration", "values"}

func isPlan(keys map[string]bool) bool {
	return keys["format_version"] && slices.ContainsFunc(planKeys, func(k string) bool { return keys[k] })
}

// Detect implements loader.FileFormat: it reads top-level keys only and
// stops as soon as it has seen enough.
func (*Format) Detect(in loader.Input) bool {
	// Most JSON files are not plans: one that holds neither the name
	// format_version nor a \u escape (which could spell it) is not
	// walked, at the speed of a byte search.
	if !bytes.Contains(in.Content, []byte("format_version")) && !bytes.Contains(in.Content, []byte(`\u`)) {
		return false
	}
	keys, ok := topKeys(bytes.TrimPrefix(in.Content, bom), isPlan)
	return ok && isPlan(keys)
}

// Load implements loader.FileFormat.
func (f *Format) Load(ctx context.Context, in loader.Input, opts loader.Options) (units []*model.Model, errs []model.LoadError) {
	if err := ctx.Err(); err != nil {
		return nil, []model.LoadError{{File: in.Rel, Message: err.Error(), Level: model.LevelError}}
	}
	defer func() {
		if r := recover(); r != nil {
			units = nil
			errs = append(errs, model.LoadError{File: in.Rel, Message: fmt.Sprintf("reading the plan failed: %v", r), Level: model.LevelError})
		}
	}()
	content := bytes.TrimPrefix(in.Content, bom)
	fail := func(err error) ([]*model.Model, []model.LoadError) {
		line := jsonpos.ErrorLine(content, err)
		if i := bytes.Index(content, []byte(`"format_version"`)); line == 0 && i >= 0 {
			lines := jsonpos.NewLines(content)
			line = lines.At(i)
		}
		return nil, []model.LoadError{{File: in.Rel, Line: line, Message: "not a valid Terraform plan: " + err.Error(), Level: model.LevelError}}
	}
	// encoding/json stops at 10,000 levels, but what follows walks the
	// values recursively: refuse what no plan needs before decoding it.
	if err := srcscan.JSON(content, srcscan.MaxDepth, 0, false); err != nil {
		var se *srcscan.Error
		if errors.As(err, &se) {
			return nil, []model.LoadError{{File: in.Rel, Line: se.Line, Message: se.Msg, Level: model.LevelError}}
		}
		return fail(err)
	}
	keys, _ := topKeys(content, func(map[string]bool) bool { return false })
	var p tfjson.Plan
	p.UseJSONNumber(true)
	var values *tfjson.StateValues
	if keys["values"] && !keys["planned_values"] && !keys["resource_changes"] {
		var s tfjson.State
		s.UseJSONNumber(true)
		if err := json.Unmarshal(content, &s); err != nil {
			return fail(err)
		}
		values = s.Values
	} else if err := json.Unmarshal(content, &p); err != nil {
		return fail(err)
	}
	pos := scanPositions(content)

	srcDir := opts.SourceDir
	if srcDir == "" && in.Path != "" {
		srcDir = filepath.Dir(in.Path)
	}
	stem, _, _ := strings.Cut(filepath.Base(cmp.Or(in.Path, in.Rel)), ".")
	var src sourceIndex
	if srcDir != "" {
		src = buildSourceIndex(ctx, srcDir, p.Config, stem, opts)
	}
	b := newBuilder(ctx, in.Rel, stem, newCfgIndex(p.Config), src)
	for name, v := range p.Variables {
		if v != nil {
			if cv, ok := goToCty(v.Value); ok {
				b.vars[name] = cv
			}
		}
	}

	// Planned values by address, as the fallback for changes without
	// "after" and for resources without a change.
	type planned struct {
		r  *tfjson.StateResource
		at span
	}
	var plannedList []planned
	var walk func(m *tfjson.StateModule, mp *modPos, depth int)
	walk = func(m *tfjson.StateModule, mp *modPos, depth int) {
		if m == nil || depth > maxModuleDepth {
			return
		}
		if mp == nil {
			mp = &modPos{}
		}
		for i, r := range m.Resources {
			if r != nil {
				plannedList = append(plannedList, planned{r, mp.resource(i)})
			}
		}
		for i, c := range m.ChildModules {
			var cp *modPos
			if i < len(mp.children) {
				cp = mp.children[i]
			}
			walk(c, cp, depth+1)
		}
	}
	if values != nil {
		walk(values.RootModule, pos.values, 0)
	} else if p.PlannedValues != nil {
		walk(p.PlannedValues.RootModule, pos.planned, 0)
	}
	plannedBy := map[string]map[string]any{}
	for _, pl := range plannedList {
		plannedBy[pl.r.Address] = pl.r.AttributeValues
	}

	skipped := map[string]bool{}
	for i, rc := range p.ResourceChanges {
		if rc == nil || rc.Change == nil || (rc.Mode != "" && rc.Mode != tfjson.ManagedResourceMode) || rc.DeposedKey != "" {
			continue
		}
		acts := rc.Change.Actions
		if acts.Delete() || acts.Forget() {
			skipped[rc.Address] = true
			continue
		}
		// Instances of every type are indexed: a reference to an internet
		// gateway resolves to its id as one to a group does.
		at := span{1, 1}
		var attrs map[string]int
		if i < len(pos.changes) {
			at, attrs = pos.changes[i], pos.afterAttrs[i]
		}
		in := newInstance(rc.Address, rc.ModuleAddress, rc.Type, rc.Name, rc.Index)
		in.create = acts.Create() || acts.Replace()
		in.plan, in.planAttrs = at, attrs
		after := rc.Change.After
		if after == nil {
			after = plannedBy[rc.Address]
		}
		in.v = newView(after, rc.Change.AfterUnknown)
		b.add(in)
	}
	for _, pl := range plannedList {
		r := pl.r
		if (r.Mode != "" && r.Mode != tfjson.ManagedResourceMode) || skipped[r.Address] {
			continue
		}
		in := newInstance(r.Address, "", r.Type, r.Name, r.Index)
		in.plan = pl.at
		in.v = newView(r.AttributeValues, nil)
		b.add(in)
	}
	b.build()
	if err := ctx.Err(); err != nil {
		return nil, append(b.errs, model.LoadError{File: in.Rel, Message: err.Error(), Level: model.LevelError})
	}
	return []*model.Model{b.m}, b.errs
}

// newInstance makes an instance from a plan address, falling back to the
// change's own fields when the address does not parse.
func newInstance(addr, module, typ, name string, index any) *instance {
	in := &instance{addr: addr, typ: typ, name: name}
	if ra, err := parseResourceAddress(addr); err == nil {
		in.module, in.modPath = ra.module, ra.modPath
		in.key, in.hasKey = normKey(ra.key), ra.hasKey
		if in.typ == "" {
			in.typ, in.name = ra.typ, ra.name
		}
		return in
	}
	in.module = module
	in.modPath = modulePathOf(module)
	if index != nil {
		in.key, in.hasKey = normKey(index), true
	}
	return in
}
