package tfaws

import (
	"cmp"
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
	out, errs := suppress.Above(file, lines, rng.Start.Line, rng.End.Line, suppress.HCL)
	within, werrs := suppress.Within(file, lines, rng.Start.Line, rng.End.Line)
	out, errs = append(out, within...), append(errs, werrs...)
	if body == nil {
		return out, errs
	}
	at := func(r hcl.Range, attribute string) {
		if r.Filename != rng.Filename {
			return
		}
		s, e := suppress.Above(file, lines, r.Start.Line, r.End.Line, suppress.HCL)
		for i := range s {
			s[i].Attribute = attribute
		}
		out, errs = append(out, s...), append(errs, e...)
	}
	for _, a := range body.Attributes {
		at(a.SrcRange, cmp.Or(attrPaths[typ+"."+a.Name], a.Name))
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
			at(a.SrcRange, p+"."+cmp.Or(innerPaths[a.Name], a.Name))
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out, errs
}

// metaBlocks are a resource's meta-argument blocks, which the provider
// does not read.
var metaBlocks = map[string]bool{"lifecycle": true, "provisioner": true, "connection": true}

// attrPaths (top-level, by type) and innerPaths (in nested blocks) are
// the model paths the adapter reads attributes into where they are not
// their names.
var (
	attrPaths  = map[string]string{"aws_vpc_endpoint.vpc_endpoint_type": "type", "aws_vpc.cidr_block": "cidr_blocks", "aws_vpc.ipv6_cidr_block": "ipv6_cidr_blocks"}
	innerPaths = map[string]string{"security_groups": "security_group_ids", "rule_no": "rule_number"}
)

// blockPath is the model path of a nested block: a network ACL's ingress
// and egress blocks are its entries (ingress first), a route table's
// route blocks its routes.
func blockPath(typ, block string, i, ingressCount int) string {
	switch {
	case typ == "aws_network_acl" || typ == "aws_default_network_acl":
		if block == "egress" {
			i += ingressCount
		}
		block = "entries"
	case (typ == "aws_route_table" || typ == "aws_default_route_table") && block == "route":
		block = "routes"
	}
	return fmt.Sprintf("%s[%d]", block, i)
}
