package tfaws

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/vpclint/vpclint/loader/suppress"
	"github.com/vpclint/vpclint/model"
)

// Suppressions reads the suppression comments of a resource block of a
// .tf file, the same for the HCL loader and for a plan beside its source:
// the comments directly above the block (the whole resource), those
// inside it (ignores after code on a line, Checkov skips), and those
// above an attribute or nested block, which cover its lines and name its
// model path (Attribute) as the adapter reads it. Only what is written in
// file counts (an override file's attributes are that file's). body is
// nil for a block of a .tf.json file, whose comments are only above and
// within it. The result is in line order.
func Suppressions(file string, lines []string, typ string, rng hcl.Range, body *hclsyntax.Body) ([]model.Suppression, []model.LoadError) {
	out, errs := suppress.Above(file, lines, rng.Start.Line, rng.End.Line)
	within, werrs := suppress.Within(file, lines, rng.Start.Line, rng.End.Line)
	out, errs = append(out, within...), append(errs, werrs...)
	if body == nil {
		return out, errs
	}
	at := func(r hcl.Range, attribute string) {
		if r.Filename != rng.Filename {
			return
		}
		s, e := suppress.Above(file, lines, r.Start.Line, r.End.Line)
		for i := range s {
			s[i].Attribute = attribute
		}
		out, errs = append(out, s...), append(errs, e...)
	}
	for _, a := range body.Attributes {
		at(a.SrcRange, attrPath(typ, a.Name))
	}
	ingress := 0
	for _, blk := range body.Blocks {
		if blk.Type == "ingress" {
			ingress++
		}
	}
	counts := map[string]int{}
	for _, blk := range body.Blocks {
		if blk.Type == "dynamic" || metaBlocks[blk.Type] {
			// The generated blocks' paths are not the template's: the
			// comment covers the template's lines.
			at(blk.Range(), "")
			continue
		}
		i := counts[blk.Type]
		counts[blk.Type]++
		p := blockPath(typ, blk.Type, i, ingress)
		at(blk.Range(), p)
		for _, a := range blk.Body.Attributes {
			at(a.SrcRange, p+"."+innerPath(a.Name))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out, errs
}

// metaBlocks are a resource's meta-argument blocks, which the provider
// does not read.
var metaBlocks = map[string]bool{"lifecycle": true, "provisioner": true, "connection": true}

// attrPath is the model path the adapter reads a top-level attribute
// into, where it is not the attribute's name.
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

// blockPath is the model path of a nested block: a network ACL's ingress
// and egress blocks are its entries (ingress first), a route table's
// route blocks its routes.
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

// innerPath is the model field a nested block's attribute is read into.
func innerPath(name string) string {
	switch name {
	case "security_groups":
		return "security_group_ids"
	case "rule_no":
		return "rule_number"
	}
	return name
}
