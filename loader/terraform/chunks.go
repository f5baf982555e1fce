package terraform

import (
	"bytes"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// chunkSize is the least size of the pieces a large .tf file is parsed
// in: small enough for a piece's tokens to stay in the CPU's cache and
// their slice to grow by doubling, large enough for the pieces to be few.
const chunkSize = 4 << 10

// parseConfig parses a native-syntax file as hclsyntax.ParseConfig does,
// in pieces of about chunkSize bytes when the file is large.
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
func parseConfig(src []byte, filename string) (*hcl.File, hcl.Diagnostics) {
	return parseConfigIn(src, filename, chunkSize)
}

// parseConfigIn is parseConfig with pieces of at least size bytes.
func parseConfigIn(src []byte, filename string, size int) (*hcl.File, hcl.Diagnostics) {
	cuts := topLevelCuts(src, size)
	if len(cuts) == 0 {
		return hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	}
	merged := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, Blocks: hclsyntax.Blocks{}}
	var diags hcl.Diagnostics
	start := hcl.InitialPos
	for i := 0; i <= len(cuts); i++ {
		end := len(src)
		if i < len(cuts) {
			end = cuts[i].offset
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
			start = hcl.Pos{Line: cuts[i].line, Column: 1, Byte: cuts[i].offset}
		}
	}
	return &hcl.File{Body: merged, Bytes: src}, diags
}

// cut is a position where a new piece of a file starts: its byte offset
// and line.
type cut struct {
	offset, line int
}

// scan frames: an expression (the file itself, or an interpolation or
// directive in a template), a quoted template, a heredoc template.
const (
	frameExpr = iota
	frameQuoted
	frameHeredoc
)

type scanFrame struct {
	kind   int
	depth  int    // open brackets, in an expression frame
	marker string // heredoc end marker
}

// topLevelCuts returns where src may be cut into pieces of at least size
// bytes that each hold whole top-level items: after a newline at the
// file level, outside brackets, strings, heredocs and comments. It
// returns nil when the file is small or when it meets something it does
// not follow (an unbalanced closing bracket, an unterminated string or
// comment): such a file is parsed whole.
func topLevelCuts(src []byte, size int) []cut {
	if len(src) < 2*size {
		return nil
	}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) || !utf8.Valid(src) {
		// a byte order mark, or bytes the lexer may read together
		// with a newline: left to the parser
		return nil
	}
	var cuts []cut
	stack := []scanFrame{{kind: frameExpr}}
	line, last := 1, 0
	lineStart := true // at the start of a line (heredoc markers)
	for i := 0; i < len(src); {
		c := src[i]
		top := &stack[len(stack)-1]
		switch top.kind {
		case frameHeredoc:
			if lineStart {
				end := lineEnd(src, i)
				if trimSpace(src[i:end]) == top.marker {
					stack = stack[:len(stack)-1]
					i = end
					lineStart = false
					continue
				}
			}
			lineStart = false
			switch {
			case c == '\n':
				line++
				lineStart = true
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == c && i+2 < len(src) && src[i+2] == '{':
				i += 3 // $${ and %%{ are literal
				continue
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				stack = append(stack, scanFrame{kind: frameExpr})
				i += 2
				continue
			}
			i++
		case frameQuoted:
			switch {
			case c == '\\':
				i += 2
				continue
			case c == '"':
				stack = stack[:len(stack)-1]
			case c == '\n':
				return nil // a newline ends no quoted string
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == c && i+2 < len(src) && src[i+2] == '{':
				i += 3
				continue
			case (c == '$' || c == '%') && i+1 < len(src) && src[i+1] == '{':
				stack = append(stack, scanFrame{kind: frameExpr})
				i += 2
				continue
			}
			i++
		default: // expression
			lineStart = false
			switch {
			case c == '\n':
				line++
				lineStart = true
				i++
				if len(stack) == 1 && top.depth == 0 && i-last >= size && len(src)-i >= size {
					cuts = append(cuts, cut{offset: i, line: line})
					last = i
				}
				continue
			case c == '#' || c == '/' && i+1 < len(src) && src[i+1] == '/':
				i = lineEnd(src, i) // the newline is read next
				continue
			case c == '/' && i+1 < len(src) && src[i+1] == '*':
				j := bytes.Index(src[i+2:], []byte("*/"))
				if j < 0 {
					return nil
				}
				line += bytes.Count(src[i:i+2+j], []byte("\n"))
				i += 2 + j + 2
				continue
			case c == '"':
				stack = append(stack, scanFrame{kind: frameQuoted})
			case c == '<' && i+1 < len(src) && src[i+1] == '<':
				marker, next, ok := heredocStart(src, i+2)
				if !ok {
					i += 2
					continue
				}
				stack = append(stack, scanFrame{kind: frameHeredoc, marker: marker})
				line++
				lineStart = true
				i = next
				continue
			case c == '{' || c == '(' || c == '[':
				top.depth++
			case c == '}' && top.depth == 0 && len(stack) > 1:
				stack = stack[:len(stack)-1] // end of an interpolation
			case c == '}' || c == ')' || c == ']':
				if top.depth == 0 {
					return nil
				}
				top.depth--
			}
			i++
		}
	}
	if len(stack) != 1 || stack[0].depth != 0 {
		return nil
	}
	return cuts
}

// heredocStart reads the marker of a heredoc whose "<<" ends before i:
// an optional "-", an identifier, then the end of the line. next is the
// start of the next line.
func heredocStart(src []byte, i int) (marker string, next int, ok bool) {
	if i < len(src) && src[i] == '-' {
		i++
	}
	start := i
	if i >= len(src) || !isIdentStart(src[i]) {
		return "", 0, false
	}
	for i < len(src) && (isIdentStart(src[i]) || src[i] == '-' || src[i] >= '0' && src[i] <= '9') {
		i++
	}
	marker = string(src[start:i])
	if i < len(src) && src[i] == '\r' {
		i++
	}
	if i >= len(src) || src[i] != '\n' {
		return "", 0, false
	}
	return marker, i + 1, true
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// lineEnd is the index of the newline ending the line holding i, or
// len(src).
func lineEnd(src []byte, i int) int {
	for i < len(src) && src[i] != '\n' {
		i++
	}
	return i
}

func trimSpace(b []byte) string {
	i, j := 0, len(b)
	for i < j && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t' || b[j-1] == '\r') {
		j--
	}
	return string(b[i:j])
}
