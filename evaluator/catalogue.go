package evaluator

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpclint/vpclint/model"
)

// rulesPrefix is the package path under which every rule lives.
const rulesPrefix = "vpclint.rules."

// rulePackage is one rule's Rego package with the metadata read from it.
type rulePackage struct {
	name string // last segment of the package path
	info model.RuleInfo
	file string // first file seen, for error messages
	line int
	// deny is 0 without a deny rule, 1 when every deny rule is a set
	// rule (deny contains ...), -1 when one is not.
	deny int
	// idLine is the line of custom.id in the METADATA block that set it.
	idLine int
	// defaultSet records that custom.default was given.
	defaultSet bool
}

// buildCatalogue reads the METADATA of every rule package. Modules with
// the same package are merged. Every package below vpclint.rules must be
// exactly vpclint.rules.<name> and carry an id, a valid severity, a title,
// a description and a remediation; ids must be unique. The modules in
// headers were parsed without their rules (see header): their deny rule
// is not looked for (TestHeadersGiveTheCatalogue checks the embedded
// rules' whole files).
func buildCatalogue(modules map[string]*ast.Module, custom, headers map[string]bool) (map[string]*rulePackage, []model.RuleInfo, error) {
	pkgs := map[string]*rulePackage{}
	names := make([]string, 0, len(modules))
	for n := range modules {
		names = append(names, n)
	}
	sort.Strings(names)
	var errs []string
	// A user's module may not add to a built-in package (a rule or a
	// library): it would change what the built-in rules report.
	builtinPkgs := map[string]bool{}
	for file, mod := range modules {
		if !custom[file] {
			builtinPkgs[mod.Package.Path.String()] = true
		}
	}
	for _, file := range names {
		mod := modules[file]
		if custom[file] && builtinPkgs[mod.Package.Path.String()] {
			errs = append(errs, fmt.Sprintf("%s:%d: package %s is a built-in package of vpclint; give the rule a package of its own", file, mod.Package.Location.Row, strings.TrimPrefix(mod.Package.Path.String(), "data.")))
			continue
		}
		path := strings.TrimPrefix(mod.Package.Path.String(), "data.")
		if !strings.HasPrefix(path, rulesPrefix) {
			continue // libraries (vpclint.lib.*) and helpers need no metadata
		}
		name := strings.TrimPrefix(path, rulesPrefix)
		if strings.Contains(name, ".") || strings.ContainsAny(name, "[]\"") {
			errs = append(errs, fmt.Sprintf("%s: package %s: a rule's package must be %s<name>, one segment", file, path, rulesPrefix))
			continue
		}
		rp := pkgs[name]
		if rp == nil {
			rp = &rulePackage{name: name, file: file, line: mod.Package.Location.Row}
			rp.info.Package = path
			rp.info.Custom = custom[file]
			pkgs[name] = rp
		}
		if headers[file] && rp.deny == 0 {
			rp.deny = 1
		}
		for _, r := range mod.Rules {
			if r.Head.Name.String() != "deny" && !(len(r.Head.Reference) == 1 && r.Head.Reference[0].Value.Compare(ast.Var("deny")) == 0) {
				continue
			}
			if r.Head.RuleKind() == ast.MultiValue && len(r.Head.Reference) <= 1 {
				if rp.deny == 0 {
					rp.deny = 1
				}
			} else {
				rp.deny = -1
			}
		}
		for _, a := range mod.Annotations {
			if a.Scope == "rule" {
				tp := a.GetTargetPath()
				if len(tp) == 0 || !tp[len(tp)-1].Equal(ast.StringTerm("deny")) {
					continue
				}
			}
			hadID := rp.info.ID != ""
			if err := mergeAnnotation(&rp.info, a); err != nil {
				errs = append(errs, fmt.Sprintf("%s:%d: %v", file, a.Location.Row, err))
			}
			if !hadID && rp.info.ID != "" {
				rp.file, rp.idLine = file, keyLine(mod, a, "id")
			}
			if d, ok := a.Custom["default"]; ok && !rp.defaultSet {
				b, isBool := d.(bool)
				if !isBool {
					errs = append(errs, fmt.Sprintf("%s:%d: custom.default must be true or false", file, keyLine(mod, a, "default")))
					continue
				}
				rp.defaultSet, rp.info.OptIn = true, !b
			}
		}
	}
	var cat []model.RuleInfo
	pnames := make([]string, 0, len(pkgs))
	for n := range pkgs {
		pnames = append(pnames, n)
	}
	sort.Strings(pnames)
	for _, n := range pnames {
		rp := pkgs[n]
		ri := &rp.info
		where := fmt.Sprintf("%s:%d: package %s", rp.file, max(rp.idLine, rp.line), ri.Package)
		var missing []string
		if ri.ID == "" {
			missing = append(missing, "custom.id")
		}
		if ri.Title == "" {
			missing = append(missing, "title")
		}
		if strings.TrimSpace(ri.Description) == "" {
			missing = append(missing, "description")
		}
		if strings.TrimSpace(ri.Remediation) == "" {
			missing = append(missing, "custom.remediation")
		}
		if len(missing) > 0 {
			errs = append(errs, fmt.Sprintf("%s: METADATA lacks %s", where, strings.Join(missing, ", ")))
			continue
		}
		switch rp.deny {
		case 0:
			errs = append(errs, fmt.Sprintf("%s: no deny rule (a rule yields `deny contains {\"resource\": ..., \"message\": ...} if { ... }`)", where))
			continue
		case -1:
			errs = append(errs, fmt.Sprintf("%s: deny must be a set rule: `deny contains {...} if { ... }`", where))
			continue
		}
		if !ri.Severity.Valid() {
			errs = append(errs, fmt.Sprintf("%s: custom.severity %q is not critical, high, medium, low or info", where, ri.Severity))
			continue
		}
		if !rp.defaultSet {
			// Hygiene rules (a missing description) are opt-in unless
			// their METADATA says otherwise.
			ri.OptIn = slices.Contains(ri.Tags, "hygiene")
		}
		ri.Area = model.AreaOf(ri.ID)
		cat = append(cat, *ri)
	}
	// Ids are unique. When a user's rule takes the id of a built-in one,
	// the user's file and line are named, whatever the package names.
	byID := map[string]*rulePackage{}
	var order []*rulePackage
	for _, n := range pnames {
		order = append(order, pkgs[n])
	}
	sort.SliceStable(order, func(i, j int) bool { return !order[i].info.Custom && order[j].info.Custom })
	valid := map[string]bool{}
	for _, ri := range cat {
		valid[ri.Package] = true
	}
	dup := map[string]bool{}
	for _, rp := range order {
		if !valid[rp.info.Package] {
			continue
		}
		prev, ok := byID[rp.info.ID]
		if !ok {
			byID[rp.info.ID] = rp
			continue
		}
		dup[rp.info.Package] = true
		what := "the rule of package " + prev.info.Package
		if !prev.info.Custom {
			what = "a built-in rule (" + prev.info.Package + ")"
		}
		errs = append(errs, fmt.Sprintf("%s:%d: custom.id %s is already the id of %s; choose another id", rp.file, rp.idLine, rp.info.ID, what))
	}
	kept := cat[:0]
	for _, ri := range cat {
		if !dup[ri.Package] {
			kept = append(kept, ri)
		}
	}
	cat = kept
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("rule metadata:\n  %s", strings.Join(errs, "\n  "))
	}
	sort.Slice(cat, func(i, j int) bool { return lessID(cat[i].ID, cat[j].ID) })
	return pkgs, cat, nil
}

// lessID orders rule ids by area, then number: SG2 < SG10.
func lessID(a, b string) bool {
	aa, ba := model.AreaOf(a), model.AreaOf(b)
	if aa != ba {
		return aa < ba
	}
	an, bn := strings.TrimPrefix(a, aa), strings.TrimPrefix(b, ba)
	if len(an) != len(bn) {
		return len(an) < len(bn)
	}
	return an < bn
}

// keyLine is the line of a METADATA key ("id") in an annotation block,
// found among the module's comments; the block's first line when absent.
func keyLine(mod *ast.Module, a *ast.Annotations, key string) int {
	if a.Location == nil {
		return 0
	}
	row := a.Location.Row
	prev := row - 1
	for _, c := range mod.Comments {
		if c.Location == nil || c.Location.Row < row {
			continue
		}
		if c.Location.Row != prev+1 {
			break // the block is the run of comment lines from its start
		}
		prev = c.Location.Row
		if strings.HasPrefix(strings.TrimSpace(string(c.Text)), key+":") {
			return c.Location.Row
		}
	}
	return row
}

// mergeAnnotation copies the fields of a METADATA block into ri, keeping
// values already set (the first block that sets a field wins).
func mergeAnnotation(ri *model.RuleInfo, a *ast.Annotations) error {
	if ri.Title == "" {
		ri.Title = strings.TrimSpace(a.Title)
	}
	if ri.Description == "" {
		ri.Description = strings.TrimSpace(a.Description)
	}
	for _, rr := range a.RelatedResources {
		ri.References = appendUnique(ri.References, rr.Ref.String())
	}
	c := a.Custom
	if c == nil {
		return nil
	}
	var err error
	if v, ok := c["id"]; ok && ri.ID == "" {
		if ri.ID, err = asString("custom.id", v); err != nil {
			return err
		}
	}
	if v, ok := c["severity"]; ok && ri.Severity == "" {
		s, err := asString("custom.severity", v)
		if err != nil {
			return err
		}
		ri.Severity = model.Severity(strings.ToLower(s))
	}
	if v, ok := c["remediation"]; ok && ri.Remediation == "" {
		if ri.Remediation, err = asString("custom.remediation", v); err != nil {
			return err
		}
		ri.Remediation = strings.TrimSpace(ri.Remediation)
	}
	if v, ok := c["references"]; ok {
		refs, err := asStrings("custom.references", v)
		if err != nil {
			return err
		}
		for _, r := range refs {
			ri.References = appendUnique(ri.References, r)
		}
	}
	if v, ok := c["tags"]; ok {
		tags, err := asStrings("custom.tags", v)
		if err != nil {
			return err
		}
		for _, t := range tags {
			ri.Tags = appendUnique(ri.Tags, t)
		}
	}
	if v, ok := c["subjects"]; ok {
		subjects, err := asStrings("custom.subjects", v)
		if err != nil {
			return err
		}
		for _, name := range subjects {
			if _, ok := collectionBits[name]; !ok {
				return fmt.Errorf("custom.subjects: %q is not a collection of the model (%s)", name, strings.Join(collectionNames(), ", "))
			}
			ri.Subjects = appendUnique(ri.Subjects, name)
		}
	}
	if v, ok := c["frameworks"]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("custom.frameworks must map a framework to a list of controls")
		}
		if ri.Frameworks == nil {
			ri.Frameworks = map[string][]string{}
		}
		for k, vv := range m {
			ids, err := asStrings("custom.frameworks."+k, vv)
			if err != nil {
				return err
			}
			ri.Frameworks[k] = ids
		}
	}
	if v, ok := c["peers"]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("custom.peers must map a tool (checkov, trivy, tfsec) to a list of its check ids")
		}
		if ri.Peers == nil {
			ri.Peers = map[string][]string{}
		}
		for k, vv := range m {
			switch k {
			case "checkov", "trivy", "tfsec":
			default:
				return fmt.Errorf("custom.peers.%s: vpclint honours the ignore comments of checkov, trivy and tfsec only", k)
			}
			ids, err := asStrings("custom.peers."+k, vv)
			if err != nil {
				return err
			}
			ri.Peers[k] = ids
		}
	}
	if v, ok := c["examples"]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("custom.examples must map a front end (terraform, cloudformation) to a snippet")
		}
		if ri.Examples == nil {
			ri.Examples = map[string]string{}
		}
		for k, vv := range m {
			s, err := asString("custom.examples."+k, vv)
			if err != nil {
				return err
			}
			ri.Examples[k] = s
		}
	}
	return nil
}

func asString(key string, v any) (string, error) {
	switch s := v.(type) {
	case string:
		return s, nil
	case nil:
		return "", fmt.Errorf("%s is empty", key)
	case bool:
		return "", fmt.Errorf("%s must be a string, not %v", key, s)
	default:
		return fmt.Sprint(s), nil
	}
}

func asStrings(key string, v any) ([]string, error) {
	switch l := v.(type) {
	case string:
		return []string{l}, nil
	case []any:
		out := make([]string, 0, len(l))
		for _, e := range l {
			s, err := asString(key, e)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	case []string:
		return l, nil
	}
	return nil, fmt.Errorf("%s must be a list of strings", key)
}

func appendUnique(l []string, s string) []string {
	for _, e := range l {
		if e == s {
			return l
		}
	}
	return append(l, s)
}
