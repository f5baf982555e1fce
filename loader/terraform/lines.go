package terraform

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/vpclint/vpclint/loader/suppress"
	"github.com/vpclint/vpclint/model"
)

// commentsBefore returns the comment lines directly above line (1-based),
// nearest last, with their line numbers.
func commentsBefore(f *srcFile, line int) ([]string, []int) {
	var texts []string
	var nums []int
	for l := line - 1; l >= 1 && l <= len(f.lines); l-- {
		t := strings.TrimSpace(f.lines[l-1])
		if !(strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//") || strings.HasPrefix(t, "/*")) {
			break
		}
		texts = append([]string{t}, texts...)
		nums = append([]int{l}, nums...)
	}
	return texts, nums
}

// suppressionAt parses the comments above a range into suppressions.
func (u *unit) suppressionAt(f *srcFile, rng hcl.Range, attribute string) []model.Suppression {
	texts, nums := commentsBefore(f, rng.Start.Line)
	var out []model.Suppression
	for i, t := range texts {
		s, ok, err := suppress.ParseComment(t)
		if !ok {
			continue
		}
		if err != nil {
			u.addErrOnce(model.LoadError{File: f.rel, Line: nums[i], Level: model.LevelWarning, Message: err.Error()})
			continue
		}
		s.Kind = "comment"
		s.File, s.Line = f.rel, nums[i]
		s.StartLine, s.EndLine = rng.Start.Line, rng.End.Line
		s.Attribute = attribute
		out = append(out, s)
	}
	return out
}

// suppressions reads the comments written before a resource block and
// before its attributes and nested blocks.
func (u *unit) suppressions(inst *resInst) []model.Suppression {
	f := inst.def.file
	out := u.suppressionAt(f, inst.def.rng, "")
	sb, ok := inst.def.body.(*hclsyntax.Body)
	if !ok {
		return out
	}
	for _, a := range sortedSyntaxAttrs(sb) {
		if a.SrcRange.Filename != f.path {
			continue // from an override file
		}
		out = append(out, u.suppressionAt(f, a.SrcRange, attrPath(inst.def.typ, a.Name))...)
	}
	counts := map[string]int{}
	ingress := 0
	for _, blk := range sb.Blocks {
		if blk.Type == "ingress" {
			ingress++
		}
	}
	for _, blk := range sb.Blocks {
		if blk.Type == "dynamic" || metaArgs[blk.Type] {
			continue
		}
		i := counts[blk.Type]
		counts[blk.Type]++
		if blk.TypeRange.Filename != f.path {
			continue
		}
		p := blockPath(inst.def.typ, blk.Type, i, ingress)
		out = append(out, u.suppressionAt(f, blk.Range(), p)...)
		for _, a := range sortedSyntaxAttrs(blk.Body) {
			out = append(out, u.suppressionAt(f, a.SrcRange, p+"."+innerPath(blk.Type, a.Name))...)
		}
	}
	return out
}

func attrPath(typ, name string) string {
	switch {
	case typ == "aws_vpc_endpoint" && name == "vpc_endpoint_type":
		return "type"
	case typ == "aws_vpc" && name == "cidr_block":
		return "cidr_blocks"
	case typ == "aws_vpc" && name == "ipv6_cidr_block":
		return "ipv6_cidr_blocks"
	}
	return name
}

func blockPath(typ, block string, i, ingressCount int) string {
	switch typ {
	case "aws_network_acl", "aws_default_network_acl":
		if block == "egress" {
			i += ingressCount
		}
		return fmt.Sprintf("entries[%d]", i)
	case "aws_route_table", "aws_default_route_table":
		if block == "route" {
			return fmt.Sprintf("routes[%d]", i)
		}
	}
	return fmt.Sprintf("%s[%d]", block, i)
}

func innerPath(block, name string) string {
	switch name {
	case "security_groups":
		return "security_group_ids"
	case "rule_no":
		return "rule_number"
	}
	return name
}

// azRefExpr recognizes data.aws_availability_zones.X.names[N] and
// element(data.aws_availability_zones.X.names, N) with N known.
func azRefExpr(e hcl.Expression, ctx *hcl.EvalContext) string {
	switch x := unwrapExpr(e).(type) {
	case *hclsyntax.ScopeTraversalExpr:
		t := x.Traversal
		if len(t) == 5 && t.RootName() == "data" {
			if base, ok := azNames(t[:4]); ok {
				if idx, ok := t[4].(hcl.TraverseIndex); ok {
					if n, ok := asInt(idx.Key); ok {
						return base + "[" + strconv.Itoa(n) + "]"
					}
				}
			}
		}
	case *hclsyntax.IndexExpr:
		if st, ok := x.Collection.(*hclsyntax.ScopeTraversalExpr); ok {
			if base, ok := azNames(st.Traversal); ok && ctx != nil {
				if v, d := x.Key.Value(ctx); !d.HasErrors() {
					if n, ok := asInt(v); ok {
						return base + "[" + strconv.Itoa(n) + "]"
					}
				}
			}
		}
	case *hclsyntax.FunctionCallExpr:
		if x.Name == "element" && len(x.Args) == 2 {
			if st, ok := x.Args[0].(*hclsyntax.ScopeTraversalExpr); ok {
				if base, ok := azNames(st.Traversal); ok && ctx != nil {
					if v, d := x.Args[1].Value(ctx); !d.HasErrors() {
						if n, ok := asInt(v); ok {
							return base + "[" + strconv.Itoa(n) + "]"
						}
					}
				}
			}
		}
	}
	return ""
}

// azNames matches data.aws_availability_zones.X.names (or zone_ids).
func azNames(t hcl.Traversal) (string, bool) {
	if len(t) != 4 || t.RootName() != "data" {
		return "", false
	}
	var parts []string
	for _, s := range t[1:] {
		a, ok := s.(hcl.TraverseAttr)
		if !ok {
			return "", false
		}
		parts = append(parts, a.Name)
	}
	if parts[0] != "aws_availability_zones" || (parts[2] != "names" && parts[2] != "zone_ids") {
		return "", false
	}
	parts[2] = "names" // zone_ids[i] is the zone of names[i]
	return "data." + strings.Join(parts, "."), true
}
