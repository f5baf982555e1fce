package terraform

import (
	"bytes"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/vpclint/vpclint/internal/srcscan"
)

// chunkSize is the least size of the pieces a .tf file is parsed in
// (parseConfig): small enough for a piece's tokens to stay in the CPU's
// cache and their slice to grow by doubling, large enough for the pieces
// to be few.
const chunkSize = 4 << 10

// parseConfig parses a native-syntax file as hclsyntax.ParseConfig does,
// in the pieces that cuts (srcscan.HCLCuts) begin.
//
// HCL's lexer keeps every token of a file in one slice, grown by
// appending: a 12 MB file is 2.7 million tokens of 96 bytes, and the
// slice, past 256 elements, grows by a quarter at a time, so about 1 GB
// is copied into ever larger fresh arrays (7 s of CPU for the lexer alone
// at 20,000 security groups, more than the rest of the load; the parse of
// 3 MB allocated 528 MB, in pieces 300 MB). A file is
// therefore cut between top-level items (at a line end outside any
// bracket, string, heredoc or comment), each piece parsed at its own
// position in the file, and the top-level bodies merged: the blocks
// and attributes, and their ranges, are those of the whole file. When
// a piece does not parse cleanly, or the cut is in doubt, the whole
// file is parsed at once, so diagnostics are the parser's own.
func parseConfig(src []byte, filename string, cuts []srcscan.Cut) (*hcl.File, hcl.Diagnostics) {
	if len(cuts) == 0 || bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) || !utf8.Valid(src) {
		// a byte order mark, or bytes the lexer may read together with
		// a newline: left to the parser
		return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	merged := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, Blocks: hclsyntax.Blocks{}}
	var diags hcl.Diagnostics
	start := hcl.InitialPos
	for i := 0; i <= len(cuts); i++ {
		end := len(src)
		if i < len(cuts) {
			end = cuts[i].Offset
		}
		f, d := hclsyntax.ParseConfig(src[start.Byte:end], filename, start)
		if d.HasErrors() {
			return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
		}
		diags = append(diags, d...)
		body := f.Body.(*hclsyntax.Body)
		for name, a := range body.Attributes {
			if _, dup := merged.Attributes[name]; dup {
				// the parser reports a redefined argument
				return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
			}
			merged.Attributes[name] = a
		}
		merged.Blocks = append(merged.Blocks, body.Blocks...)
		if i == 0 {
			merged.SrcRange = body.SrcRange
		} else {
			merged.SrcRange = hcl.RangeBetween(merged.SrcRange, body.SrcRange)
		}
		merged.EndRange = body.EndRange
		if i < len(cuts) {
			start = hcl.Pos{Line: cuts[i].Line, Column: 1, Byte: cuts[i].Offset}
		}
	}
	return &hcl.File{Body: merged, Bytes: src}, diags
}
