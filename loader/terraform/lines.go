package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/vpclint/vpclint/loader/suppress"
	"github.com/vpclint/vpclint/model"
)

// suppressionAt reads the comments above a range into suppressions.
func (u *unit) suppressionAt(f *srcFile, rng hcl.Range, attribute string) []model.Suppression {
	out, errs := suppress.Above(f.rel, f.lines, rng.Start.Line, rng.End.Line)
	for _, e := range errs {
		u.addErrOnce(e)
	}
	for i := range out {
		out[i].Attribute = attribute
	}
	return out
}

// suppressions reads the comments written before a resource block and
// before its attributes and nested blocks.
func (u *unit) suppressions(inst *resInst) []model.Suppression {
	f := inst.def.file
	out := u.suppressionAt(f, inst.def.rng, "")
	// Ignores written after code on a line, and Checkov skips anywhere
	// in the block.
	within, errs := suppress.Within(f.rel, f.lines, inst.def.rng.Start.Line, inst.def.rng.End.Line)
	for _, e := range errs {
		u.addErrOnce(e)
	}
	out = append(out, within...)
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
