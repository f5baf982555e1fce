package terraform

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/loader/tfaws"
)

// evaluateSource parses and evaluates a root module made of files, and
// returns its root instance.
func evaluateSource(t *testing.T, files map[string]string) *modInst {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, files)
	opts := &loader.Options{WorkDir: dir, Root: dir, Env: []string{}}
	u := newUnit(context.Background(), newCache(), dir, opts)
	def, err := u.module(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	root := &modInst{u: u, def: def, stack: []string{dir}}
	root.vars = u.rootVariables(def, true)
	root.evaluate()
	return root
}

// visible lists what a context (and its parents) holds: "name" for a
// variable, "name.attr" for each attribute of an object variable other
// than var, path and terraform (data: "data.type.name").
func visible(ctx *hcl.EvalContext) []string {
	var out []string
	for c := ctx; c != nil; c = c.Parent() {
		for name, v := range c.Variables {
			switch name {
			case "var", "path", "terraform":
				out = append(out, name)
				continue
			}
			if !v.Type().IsObjectType() {
				out = append(out, name)
				continue
			}
			for attr := range v.Type().AttributeTypes() {
				if name == "data" {
					for n := range v.GetAttr(attr).Type().AttributeTypes() {
						out = append(out, name+"."+attr+"."+n)
					}
					continue
				}
				out = append(out, name+"."+attr)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestNodeContext checks that each item of a module is evaluated in a
// context holding the values it names and nothing else: building a
// context of every value after each item made a module of n resources
// cost n² (issue 14), so an item's cost must follow its references.
func TestNodeContext(t *testing.T) {
	root := evaluateSource(t, map[string]string{
		"main.tf": `
locals {
  cidr  = "10.0.0.0/16"
  other = "unused"
  name  = "sg-${aws_vpc.a.id}"
}
data "aws_region" "here" {}
data "aws_caller_identity" "me" {}
resource "aws_vpc" "a" { cidr_block = local.cidr }
resource "aws_vpc" "b" { cidr_block = "10.1.0.0/16" }
resource "aws_security_group" "one" {
  name   = local.name
  vpc_id = aws_vpc.a.id
  tags   = { region = data.aws_region.here.name }
}
resource "aws_security_group" "two" {
  count  = 2
  vpc_id = aws_vpc.b.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [module.net.cidr]
  }
}
module "net" {
  source = "./net"
  vpc    = aws_vpc.b.id
}
`,
		"net/main.tf": `
variable "vpc" {}
output "cidr" { value = "10.9.0.0/24" }
`,
	})
	attrCtx := func(key, attr string) *hcl.EvalContext {
		insts := root.instances[key]
		if len(insts) == 0 {
			t.Fatalf("no instance of %s", key)
		}
		a := insts[0].body.attrs.attr(attr)
		if a == nil {
			t.Fatalf("%s has no attribute %s", key, attr)
		}
		return a.ctx
	}
	tests := []struct {
		name string
		ctx  *hcl.EvalContext
		want []string
	}{
		{"resource reading a local", attrCtx("aws_vpc.a", "cidr_block"), []string{"local.cidr", "path", "terraform", "var"}},
		{"resource naming nothing", attrCtx("aws_vpc.b", "cidr_block"), []string{"path", "terraform", "var"}},
		{"resource reading a local, a resource and a data source", attrCtx("aws_security_group.one", "vpc_id"),
			[]string{"aws_vpc.a", "data.aws_region.here", "local.name", "path", "terraform", "var"}},
		{"counted resource reading a module output", attrCtx("aws_security_group.two", "vpc_id"),
			[]string{"aws_vpc.b", "count.index", "module.net", "path", "terraform", "var"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := visible(tc.ctx); !slices.Equal(got, tc.want) {
				t.Errorf("context holds %v, want %v", got, tc.want)
			}
		})
	}
	// The values are the current ones.
	if v := root.instances["aws_security_group.one"][0].body.attrs.attr("name").val; !v.IsKnown() || v.AsString() != "sg-aws_vpc.a" {
		t.Errorf("name = %#v, want sg-aws_vpc.a", v)
	}
	if v := root.instances["aws_security_group.two"][1].body.blocks["ingress"][0].attrs.attr("cidr_blocks").val; !v.IsKnown() || v.Index(ctyNumber(0)).AsString() != "10.9.0.0/24" {
		t.Errorf("cidr_blocks = %#v, want [10.9.0.0/24]", v)
	}
}

func ctyNumber(i int64) ctyValue { return cty.NumberIntVal(i) }

// TestStringValue checks numbers read as strings as Terraform writes
// them, whole numbers (the common case, formatted the cheap way) and
// others alike.
func TestStringValue(t *testing.T) {
	big := cty.MustParseNumberVal("100000000000000000000")
	tests := []struct {
		in   cty.Value
		want string
	}{
		{cty.NumberIntVal(22), "22"},
		{cty.NumberIntVal(-1), "-1"},
		{cty.NumberIntVal(0), "0"},
		{cty.NumberFloatVal(1.5), "1.5"},
		{big, "100000000000000000000"},
		{cty.StringVal("tcp"), "tcp"},
		{cty.True, "true"},
	}
	for _, tc := range tests {
		got, ok := stringValue(tc.in)
		if !ok || got != tc.want {
			t.Errorf("stringValue(%#v) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
		if tc.in.Type() == cty.Number {
			if g := tfaws.GoValue(tc.in); g != json.Number(tc.want) {
				t.Errorf("tfaws.GoValue(%#v) = %#v, want json.Number(%q)", tc.in, g, tc.want)
			}
		}
	}
	if _, ok := stringValue(cty.UnknownVal(cty.Number)); ok {
		t.Error("an unknown number reads as a string")
	}
}

// TestSharedContexts checks that nodes naming the same values, in any
// order, are evaluated in one context, and that a node naming itself
// is not: its context holds its own value before evaluation.
func TestSharedContexts(t *testing.T) {
	root := evaluateSource(t, map[string]string{"main.tf": `
resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
  tags       = { self = aws_vpc.a.id }
}
resource "aws_vpc" "b" { cidr_block = "10.1.0.0/16" }
resource "aws_subnet" "one" {
  vpc_id     = aws_vpc.a.id
  cidr_block = cidrsubnet(aws_vpc.a.cidr_block, 8, 1)
}
resource "aws_subnet" "two" {
  cidr_block = cidrsubnet(aws_vpc.a.cidr_block, 8, 2)
  vpc_id     = aws_vpc.a.id
}
resource "aws_security_group" "x" { tags = { a = aws_vpc.a.id, b = aws_vpc.b.id } }
resource "aws_security_group" "y" { tags = { b = aws_vpc.b.id, a = aws_vpc.a.id } }
`})
	ctxOf := func(key, attr string) *hcl.EvalContext {
		t.Helper()
		insts := root.instances[key]
		if len(insts) != 1 || insts[0].body.attrs.attr(attr) == nil {
			t.Fatalf("%s.%s not evaluated", key, attr)
		}
		return insts[0].body.attrs.attr(attr).ctx
	}
	for _, tt := range []struct {
		a, b  [2]string
		share bool
	}{
		{[2]string{"aws_subnet.one", "vpc_id"}, [2]string{"aws_subnet.two", "vpc_id"}, true},
		{[2]string{"aws_security_group.x", "tags"}, [2]string{"aws_security_group.y", "tags"}, true},
		{[2]string{"aws_vpc.a", "tags"}, [2]string{"aws_subnet.one", "vpc_id"}, false},
		{[2]string{"aws_subnet.one", "vpc_id"}, [2]string{"aws_security_group.x", "tags"}, false},
	} {
		if got := ctxOf(tt.a[0], tt.a[1]) == ctxOf(tt.b[0], tt.b[1]); got != tt.share {
			t.Errorf("%v and %v share a context: %v, want %v", tt.a, tt.b, got, tt.share)
		}
	}
	for key, want := range map[string]string{"aws_subnet.one": "10.0.1.0/24", "aws_subnet.two": "10.0.2.0/24"} {
		if v := root.instances[key][0].body.attrs.attr("cidr_block").val; !v.IsKnown() || v.AsString() != want {
			t.Errorf("%s.cidr_block = %#v, want %s", key, v, want)
		}
	}
}

// TestResourceValuesBuiltWhenRead pins that the value of a managed
// resource (the object references read, with its nested blocks) is built
// only when something reads it, and that what is read is the same value
// as before: unbuilt lists the resources nothing read.
func TestResourceValuesBuiltWhenRead(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		unbuilt []string
		// read is a resource key and an attribute path read from the
		// evaluated module afterwards, with the value expected.
		read  string
		attr  string
		value cty.Value
	}{
		{
			name: "a resource no other names stays unbuilt",
			src: `
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_security_group" "read" { vpc_id = aws_vpc.v.id }
resource "aws_security_group" "leaf" {
  vpc_id = aws_vpc.v.id
  ingress { from_port = 443 }
}
resource "aws_vpc_endpoint" "e" { security_group_ids = [aws_security_group.read.id] }
`,
			unbuilt: []string{"aws_security_group.leaf", "aws_vpc_endpoint.e"},
			read:    "aws_security_group.leaf", attr: "ingress", value: cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"from_port": cty.NumberIntVal(443)})}),
		},
		{
			name: "count and for_each are collected when read",
			src: `
resource "aws_security_group" "c" { count = 2 }
resource "aws_security_group" "f" { for_each = toset(["a"]) }
output "ids" { value = aws_security_group.c[*].id }
`,
			unbuilt: []string{"aws_security_group.f"},
			read:    "aws_security_group.f", attr: "a", value: cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal(`aws_security_group.f["a"]`)}),
		},
		{
			name: "a cyclic module builds every value to compare passes",
			src: `
locals { a = aws_security_group.x.name }
resource "aws_security_group" "x" { name = local.a }
resource "aws_security_group" "y" { name = "y" }
`,
			unbuilt: nil,
			read:    "aws_security_group.y", attr: "name", value: cty.StringVal("y"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mi := evaluateSource(t, map[string]string{"main.tf": tt.src})
			var got []string
			for k := range mi.unbuilt {
				got = append(got, k)
			}
			sort.Strings(got)
			if !slices.Equal(got, tt.unbuilt) {
				t.Fatalf("unbuilt = %v, want %v", got, tt.unbuilt)
			}
			v := mi.resValue(tt.read)
			if _, still := mi.unbuilt[tt.read]; still {
				t.Fatalf("%s still unbuilt after it was read", tt.read)
			}
			if !v.Type().IsObjectType() || !v.Type().HasAttribute(tt.attr) {
				t.Fatalf("%s = %#v, no %s", tt.read, v, tt.attr)
			}
			if got := v.GetAttr(tt.attr); !got.RawEquals(tt.value) {
				t.Fatalf("%s.%s = %#v, want %#v", tt.read, tt.attr, got, tt.value)
			}
		})
	}
}

// TestEvalAttrsByName pins the attributes of an evaluated body read by
// name: a block's, and those of a nested block written as an attribute
// (one body per object, each attribute at its own line).
func TestEvalAttrsByName(t *testing.T) {
	mi := evaluateSource(t, map[string]string{"main.tf": `
resource "aws_security_group" "g" {
  name = "g"
  ingress = [
    {
      from_port = 443
      to_port   = 443
    },
  ]
}
`})
	body := mi.instances["aws_security_group.g"][0].body
	tests := []struct {
		name string
		body *evalBody
		attr string
		line int // 0: absent
	}{
		{"block attribute", body, "name", 3},
		{"absent", body, "description", 0},
		{"meta-argument left out", body, "count", 0},
	}
	list, known := body.nested("ingress")
	if !known || len(list) != 1 {
		t.Fatalf("nested ingress = %d bodies, known %v", len(list), known)
	}
	tests = append(tests, []struct {
		name string
		body *evalBody
		attr string
		line int
	}{
		{"object attribute", list[0], "from_port", 6},
		{"second object attribute", list[0], "to_port", 7},
		{"absent from the object", list[0], "protocol", 0},
	}...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok := tt.body.attrs.get(tt.attr)
			if ok != (tt.line > 0) {
				t.Fatalf("get(%q) found %v, want %v", tt.attr, ok, tt.line > 0)
			}
			if ok && (a.name != tt.attr || a.startLine != tt.line) {
				t.Fatalf("get(%q) = %q at line %d, want line %d", tt.attr, a.name, a.startLine, tt.line)
			}
		})
	}
}

// TestReferencedInstances pins what a reference to a managed resource
// names, found by its key among resources of the same type and name in
// other types: the ids of its instances, or the attribute read.
func TestReferencedInstances(t *testing.T) {
	mi := evaluateSource(t, map[string]string{"main.tf": `
resource "aws_security_group" "a" { name = "a" }
resource "aws_security_group" "b" {
  count = 2
  name  = "b${count.index}"
}
resource "aws_vpc" "a" {}
data "aws_security_group" "d" {}
`})
	tests := []struct {
		ref  string
		ids  []string
		read bool
	}{
		{"aws_security_group.a.id", []string{"aws_security_group.a"}, true},
		{"aws_security_group.b[0].id", []string{"aws_security_group.b[0]", "aws_security_group.b[1]"}, true},
		{"aws_security_group.b[1].name", []string{"b0", "b1"}, true}, // the attribute of every instance
		{"aws_vpc.a.id", []string{"aws_vpc.a"}, true},
		{"aws_security_group.d.id", []string{}, true}, // a data source's name: not a managed resource
		{"aws_security_group.none.id", []string{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			tr, diags := hclsyntax.ParseTraversalAbs([]byte(tt.ref), "x.tf", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			ids, ok := hclEval{mi: mi, ctx: mi.fullCtx()}.instances(tr)
			if ok != tt.read || !slices.Equal(ids, tt.ids) {
				t.Fatalf("instances = %q, %v; want %q, %v", ids, ok, tt.ids, tt.read)
			}
		})
	}
}
