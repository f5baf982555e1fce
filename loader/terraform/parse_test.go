package terraform

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/vpclint/vpclint/internal/benchgen"
	"github.com/vpclint/vpclint/internal/testenv"
)

// TestFileRefs checks what parseFile gathers in its one walk of a file
// against separate walks of the parsed tree (hclsyntax.VisitAll): each
// resource's references, each exactly once, and the module's phantom
// attributes.
func TestFileRefs(t *testing.T) {
	sources := map[string]string{
		"refs.tf": `
locals { a = aws_vpc.x.id }
resource "aws_vpc" "x" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.x.id
  cidr_block = cidrsubnet(aws_vpc.x.cidr_block, 8, count.index)
  tags       = { for k, v in var.tags : k => "${v}-${local.a}" }
  count      = length(data.aws_availability_zones.az.names)
  dynamic "timeouts" {
    for_each = module.m.ids[*].arn
    content { create = aws_vpc.x[0].owner_id }
  }
}
data "aws_availability_zones" "az" {}
module "m" { source = "./m" }
output "o" { value = aws_subnet.s[*].id }
resource "aws_security_group" "g" {
  ingress {
    security_groups = [for s in aws_subnet.s : s.tags["x"]]
    cidr_blocks     = aws_subnet.s.*.cidr_block
    description     = <<-EOT
      ${aws_vpc.x.arn} ${data.aws_availability_zones.az.zone_ids[0]}
    EOT
  }
}
`,
		"top_level_argument.tf": `
x = aws_vpc.y.id
resource "aws_vpc" "y" { tags = { n = aws_vpc.z.arn } }
`,
	}
	for name, src := range benchgen.Terraform(60) {
		sources["bench_"+name] = string(src)
	}
	roots := []string{filepath.Join(repoRoot(), "testdata")}
	if dir := testenv.Corpus(t, "terraform"); dir != "" {
		roots = append(roots, dir)
	}
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") && !isOverride(d.Name()) {
				if src, err := os.ReadFile(p); err == nil {
					sources[p] = string(src)
				}
			}
			return nil
		})
	}
	read := 0
	for name, src := range sources {
		m := &moduleDef{files: map[string]*srcFile{}, variables: map[string]*variableDef{}, phantom: map[string]map[string]bool{}}
		m.parseFile(name, name, []byte(src))
		if len(m.files) == 0 {
			continue // refused (hostile input)
		}
		for _, r := range m.resources {
			if !r.refsRead {
				continue
			}
			read++
			if got, want := traversalKeys(r.refs), traversalKeys(bodyTraversals(r.body)); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s: references %v, walked %v", name, r.key(), got, want)
			}
		}
		want := map[string]map[string]bool{}
		if f := m.files[name]; f != nil {
			sb, _, err := parseSource(f.src, name, false, guardRewrite)
			if err != nil {
				t.Fatal(err)
			}
			walkedPhantom(sb, want)
		}
		if !reflect.DeepEqual(m.phantom, want) {
			t.Errorf("%s: phantom attributes %v, walked %v", name, m.phantom, want)
		}
	}
	if read < 100 {
		t.Fatalf("only %d resources had their references read while parsing", read)
	}
}

// traversalKeys names each reference by its position and path, sorted.
func traversalKeys(ts []hcl.Traversal) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		var b strings.Builder
		fmt.Fprintf(&b, "%d:%s", t.SourceRange().Start.Byte, t.RootName())
		for _, s := range t[1:] {
			switch s := s.(type) {
			case hcl.TraverseAttr:
				b.WriteString("." + s.Name)
			case hcl.TraverseIndex:
				b.WriteString("[" + s.Key.GoString() + "]")
			default:
				b.WriteString("[*]")
			}
		}
		out = append(out, b.String())
	}
	sort.Strings(out)
	return out
}

// walkedPhantom is the phantom attributes of a body found by a walk of
// its own, as the loader found them before parseSource's walk did.
func walkedPhantom(body *hclsyntax.Body, out map[string]map[string]bool) {
	note := func(t, rest hcl.Traversal) {
		steps := append(append(hcl.Traversal{}, t...), rest...)
		root := t.RootName()
		switch root {
		case "var", "local", "each", "count", "path", "terraform", "self", "module":
			return
		}
		key, i := "", 2
		attr := func(k int) (string, bool) {
			if k >= len(steps) {
				return "", false
			}
			a, ok := steps[k].(hcl.TraverseAttr)
			return a.Name, ok
		}
		if root == "data" {
			typ, ok1 := attr(1)
			name, ok2 := attr(2)
			if !ok1 || !ok2 {
				return
			}
			key, i = "data."+typ+"."+name, 3
		} else {
			name, ok := attr(1)
			if !ok {
				return
			}
			key = root + "." + name
		}
		for ; i < len(steps); i++ {
			if a, ok := steps[i].(hcl.TraverseAttr); ok {
				if out[key] == nil {
					out[key] = map[string]bool{}
				}
				out[key][a.Name] = true
				return
			}
			if _, ok := steps[i].(hcl.TraverseIndex); !ok {
				if _, ok := steps[i].(hcl.TraverseSplat); !ok {
					return
				}
			}
		}
	}
	_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.ScopeTraversalExpr:
			note(e.Traversal, nil)
		case *hclsyntax.SplatExpr:
			if st, ok := e.Source.(*hclsyntax.ScopeTraversalExpr); ok {
				if rt, ok := e.Each.(*hclsyntax.RelativeTraversalExpr); ok {
					note(st.Traversal, rt.Traversal)
				}
			}
		case *hclsyntax.RelativeTraversalExpr:
			if st, ok := e.Source.(*hclsyntax.ScopeTraversalExpr); ok {
				note(st.Traversal, e.Traversal)
			}
		}
		return nil
	})
}

// TestSuppressibleFiles checks that a file is marked for its comments to
// be read exactly when it may hold a suppression, and that its lines are
// not split while parsing.
func TestSuppressibleFiles(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{"resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\" # main\n}\n", false},
		{"# vpclint:ignore VPC001 reason=\"lab\"\nresource \"aws_vpc\" \"v\" {}\n", true},
		{"resource \"aws_vpc\" \"v\" { # tfsec:ignore:aws-ec2-require-vpc-flow-logs-for-all-vpcs\n}\n", true},
	} {
		m := &moduleDef{files: map[string]*srcFile{}, variables: map[string]*variableDef{}, phantom: map[string]map[string]bool{}}
		m.parseFile("main.tf", "main.tf", []byte(tt.src))
		f := m.files["main.tf"]
		if f == nil || f.suppressible != tt.want || f.lines != nil {
			t.Errorf("%q: file %+v, want suppressible %v and no lines yet", tt.src, f, tt.want)
		}
	}
}

// TestParseFilesParallel checks that the files of a module parsed on
// several CPUs join it as they do parsed one after the other: the same
// blocks, references, phantom attributes and errors, in the same order.
func TestParseFilesParallel(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	files := benchgen.Terraform(150)
	files["a_binary.tf"] = []byte("resource \x00")
	files["b_latin1.tf"] = []byte("# caf\xe9\n")
	files["c_broken.tf"] = []byte("resource \"aws_vpc\" \"v\" {\n")
	files["d_deep.tf"] = []byte("locals { x = " + strings.Repeat("1+", 2000) + "1 }\n")
	files["e_override.tf"] = []byte(`resource "aws_vpc" "v0" { cidr_block = aws_vpc.v1.cidr_block }`)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	ins := make([]fileInput, len(names))
	for i, n := range names {
		ins[i] = fileInput{path: "/m/" + n, rel: n, src: files[n]}
	}
	ins = append(ins, fileInput{path: "/m/gone.tf", rel: "gone.tf", err: fs.ErrNotExist})
	join := func(parallelFrom int) *moduleDef {
		m := &moduleDef{files: map[string]*srcFile{}, variables: map[string]*variableDef{}, phantom: map[string]map[string]bool{}}
		for i, p := range parseFiles(context.Background(), ins, parallelFrom) {
			if ins[i].err == nil {
				m.addFile(p)
			} else if p != nil {
				t.Fatalf("%s: parsed, but it could not be read", ins[i].rel)
			}
		}
		for _, r := range m.resources {
			// walked in the order of a map's keys: compared by position
			sort.Slice(r.refs, func(i, j int) bool {
				return r.refs[i].SourceRange().Start.Byte < r.refs[j].SourceRange().Start.Byte
			})
		}
		return m
	}
	one, all := join(1<<62), join(0)
	if len(all.resources) < 200 || len(all.errs) < 3 {
		t.Fatalf("%d resources, errors %v: the inputs were not all read", len(all.resources), all.errs)
	}
	if !reflect.DeepEqual(one, all) {
		t.Errorf("the module parsed in parallel differs from the one parsed in order: %s", firstDiff(reflect.ValueOf(one), reflect.ValueOf(all), "module", map[[2]uintptr]bool{}))
	}
}

// TestResourceKeyMadeOnce pins that a parsed resource's key is made with
// its definition: reading it, as evaluation and the build do many times
// per resource, allocates nothing.
func TestResourceKeyMadeOnce(t *testing.T) {
	m := &moduleDef{files: map[string]*srcFile{}, variables: map[string]*variableDef{}, phantom: map[string]map[string]bool{}}
	m.parseFile("/m/main.tf", "main.tf", []byte(`
resource "aws_vpc" "main" {}
data "aws_region" "here" {}
`))
	tests := []struct{ want string }{{"aws_vpc.main"}, {"data.aws_region.here"}}
	if len(m.resources) != len(tests) {
		t.Fatalf("%d resources, want %d", len(m.resources), len(tests))
	}
	for i, tt := range tests {
		r := m.resources[i]
		if got := r.key(); got != tt.want {
			t.Errorf("key = %q, want %q", got, tt.want)
		}
		if n := testing.AllocsPerRun(10, func() { _ = r.key() }); n != 0 {
			t.Errorf("%s: key() allocates %.0f times", tt.want, n)
		}
		if m.byKey[tt.want] != r {
			t.Errorf("byKey[%q] is not the resource", tt.want)
		}
	}
}
