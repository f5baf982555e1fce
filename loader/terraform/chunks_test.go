package terraform

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/vpclint/vpclint/internal/benchgen"
	"github.com/vpclint/vpclint/internal/srcscan"
	"github.com/vpclint/vpclint/internal/testenv"
)

// chunkCases are sources whose top level the splitter must follow: every
// construct that can hold a newline or a bracket that is not the file's.
var chunkCases = map[string]string{
	"blocks": `resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
  tags = {
    Name = "b"
  }
}
`,
	"attributes at the top": "a = 1\nb = [\n  1,\n  2,\n]\nc = { x = 1 }\n",
	"strings with brackets and escapes": `locals {
  a = "}{)(]["
  b = "quote \" and } brace"
  c = "${"}"} and %{ if true }}%{ endif } and $${literal} %%{literal}"
}
x = "tail"
`,
	"comments": `# a } comment
// another { comment
/* a block
   comment } with { brackets
*/
resource "a" "b" {
  x = 1 # } trailing
}
y = 2
`,
	"heredocs": `locals {
  a = <<EOT
} not a brace
  ${ "x" } and ${ { k = "}" }["k"] }
EOT
  b = <<-EOT
    indented
    EOT
}
resource "x" "y" {
  policy = <<POLICY
{"Statement": [{"Effect": "Allow"}]}
POLICY
}
z = 1
`,
	"heredoc marker inside a line is not its end": `a = <<EOT
EOT is not here
  EOTX
EOT
b = 1
`,
	"nested interpolations": `a = "${join(",", [for s in ["a", "b"] : "${s}-${upper("}")}"])}"
b = {
  for k, v in { a = 1 } : k => "${v}"
}
`,
	"crlf":                               "a = 1\r\nresource \"x\" \"y\" {\r\n  b = \"c\"\r\n}\r\nd = 2\r\n",
	"no final newline":                   "a = 1\nb = 2",
	"unclosed block":                     "resource \"x\" \"y\" {\n  a = 1\n\nb = 2\n",
	"stray closing brace":                "a = 1\n}\nb = 2\n",
	"unterminated string":                "a = \"x\nb = 2\n",
	"redefined attribute":                "a = 1\nb = 2\na = 3\n",
	"unterminated comment":               "a = 1\n/* no end\nb = 2\n",
	"block opening on the next line":     "resource \"x\" \"y\"\n{\n  a = 1\n}\n",
	"unterminated heredoc":               "a = <<EOT\nno end\n",
	"heredoc without marker":             "a = <<\nb = 1\n",
	"template directive at top level":    "a = \"%{for x in [1,2]}${x}%{endfor}\"\nb = 1\n",
	"binary operator across parentheses": "a = (1 +\n  2)\nb = 3\n",
}

// parseConfigIn is parseConfig with pieces of at least size bytes.
func parseConfigIn(src []byte, filename string, size int) (*hcl.File, hcl.Diagnostics) {
	return parseConfig(src, filename, topLevelCuts(src, size))
}

// topLevelCuts are the cuts of src into pieces of at least size bytes.
func topLevelCuts(src []byte, size int) []srcscan.Cut {
	cuts, _ := srcscan.HCLCuts(src, srcscan.MaxDepth, size)
	return cuts
}

// sameParse checks that parsing src in pieces of size bytes gives the
// file, and the errors, that parsing it whole gives.
func sameParse(t *testing.T, src []byte, size int) {
	t.Helper()
	whole, wdiags := hclsyntax.ParseConfig(src, "x.tf", hcl.InitialPos)
	pieces, pdiags := parseConfigIn(src, "x.tf", size)
	if wdiags.HasErrors() != pdiags.HasErrors() || wdiags.Error() != pdiags.Error() {
		t.Fatalf("diagnostics differ:\nwhole:  %v\npieces: %v", wdiags, pdiags)
	}
	if !reflect.DeepEqual(whole.Body, pieces.Body) {
		wb, pb := whole.Body.(*hclsyntax.Body), pieces.Body.(*hclsyntax.Body)
		t.Logf("first difference: %s", firstDiff(reflect.ValueOf(whole.Body), reflect.ValueOf(pieces.Body), "body", map[[2]uintptr]bool{}))
		t.Fatalf("bodies differ: whole %d blocks %d attributes %v..%v, pieces %d blocks %d attributes %v..%v",
			len(wb.Blocks), len(wb.Attributes), wb.SrcRange, wb.EndRange, len(pb.Blocks), len(pb.Attributes), pb.SrcRange, pb.EndRange)
	}
}

func TestParseConfigInPieces(t *testing.T) {
	for name, src := range chunkCases {
		t.Run(name, func(t *testing.T) {
			// size 1: a cut at every top-level line end
			sameParse(t, []byte(src), 1)
		})
	}
	t.Run("cuts", func(t *testing.T) {
		if cuts := topLevelCuts([]byte(chunkCases["heredocs"]), 1); len(cuts) != 2 {
			t.Errorf("heredocs: %d cuts %v, want 2 (before resource and before z)", len(cuts), cuts)
		}
		if cuts := topLevelCuts([]byte(chunkCases["stray closing brace"]), 1); cuts != nil {
			t.Errorf("stray closing brace: cuts %v, want none", cuts)
		}
	})
	t.Run("generated module", func(t *testing.T) {
		for name, src := range benchgen.Terraform(200) {
			b := src
			t.Run(name, func(t *testing.T) {
				if len(topLevelCuts(b, 1024)) == 0 {
					t.Fatal("no cut in a large file")
				}
				sameParse(t, b, 1024)
			})
		}
	})
}

// TestParseConfigInPiecesCorpus parses every .tf file of the fixtures and
// of the shared corpus both ways.
func TestParseConfigInPiecesCorpus(t *testing.T) {
	roots := []string{filepath.Join(repoRoot(), "testdata")}
	if dir := testenv.Corpus(t, "terraform"); dir != "" {
		roots = append(roots, dir)
	}
	n := 0
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tf") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			n++
			t.Run(p, func(t *testing.T) { sameParse(t, src, 1) })
			return nil
		})
	}
	if n == 0 {
		t.Fatal("no .tf file found")
	}
}

// FuzzParseConfigInPieces checks that any source parses the same whole
// and in pieces.
func FuzzParseConfigInPieces(f *testing.F) {
	for _, src := range chunkCases {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		sameParse(t, src, 1)
	})
}

// firstDiff names the first path where a and b differ.
func firstDiff(a, b reflect.Value, path string, seen map[[2]uintptr]bool) string {
	if a.IsValid() != b.IsValid() {
		return path + ": validity"
	}
	if !a.IsValid() {
		return ""
	}
	if a.Type() != b.Type() {
		return path + ": type " + a.Type().String() + " vs " + b.Type().String()
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + ": nil"
			}
			return ""
		}
		if a.Kind() == reflect.Pointer {
			k := [2]uintptr{a.Pointer(), b.Pointer()}
			if seen[k] {
				return ""
			}
			seen[k] = true
		}
		return firstDiff(a.Elem(), b.Elem(), path, seen)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if d := firstDiff(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name, seen); d != "" {
				return d
			}
		}
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return path + ": length"
		}
		for i := 0; i < a.Len(); i++ {
			if d := firstDiff(a.Index(i), b.Index(i), path+"["+strconv.Itoa(i)+"]", seen); d != "" {
				return d
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			return path + ": map length"
		}
		for _, k := range a.MapKeys() {
			if d := firstDiff(a.MapIndex(k), b.MapIndex(k), path+"["+k.String()+"]", seen); d != "" {
				return d
			}
		}
	default:
		if a.CanInterface() && !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return path + ": " + a.String() + " vs " + b.String()
		}
		if !a.CanInterface() && a.String() != b.String() {
			return path
		}
	}
	return ""
}
