// Package safetext makes text that comes from scanned input (logical ids,
// names, descriptions, service names, tag values, file names, and messages
// built from them) safe to print on a terminal or in a line-oriented
// report: a pull request must not be able to clear the screen with an
// escape sequence, rewrite a line with a carriage return, forge a line
// such as "main.tf:1 CRITICAL ..." or "no findings" with a newline, or
// reorder what a reader sees with Unicode bidirectional controls.
package safetext

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line returns s with every character that could change how a line is
// displayed written as a visible escape: C0 controls (newline, carriage
// return, tab, ESC ...) and DEL as \n, \r, \t, \x1b; C1 controls and the
// Unicode line separators, bidirectional and invisible formatting
// controls as \u202e; invalid UTF-8 as \xff. A backslash stays itself.
// Text without such characters is returned unchanged.
func Line(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// clean reports whether s needs no escaping (the common case, checked
// without allocating).
func clean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r) {
			return false
		}
		i += size
	}
	return true
}

// Unsafe reports whether r is a character Line escapes: a C0 or C1
// control, DEL, or a non-ASCII character that moves, hides or breaks text.
func Unsafe(r rune) bool { return r < 0x20 || r == 0x7f || unsafeRune(r) }

// EscapeJSON rewrites the characters Unsafe reports in an encoded JSON
// document as \uXXXX escapes (encoding/json escapes C0 controls but
// writes DEL, C1 controls and bidirectional controls raw). Such characters
// can only occur inside JSON strings, where the escape decodes to the same
// text, so the document means exactly what it did.
func EscapeJSON(b []byte) []byte { return escapeRunes(b, `\u%04x`) }

// EscapeXML does the same for an encoded XML document, as character
// references (&#x202e;), which XML decodes to the same text.
func EscapeXML(b []byte) []byte { return escapeRunes(b, "&#x%04x;") }

func escapeRunes(b []byte, format string) []byte {
	var out *bytes.Buffer
	for i := 0; i < len(b); {
		if c := b[i]; c < utf8.RuneSelf && c != 0x7f {
			// ASCII, nearly all of a report: no rune to decode.
			if out != nil {
				out.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		// Structural whitespace (newlines, tabs) stays; everything else
		// Unsafe reports is escaped.
		if r == 0x7f || size > 1 && unsafeRune(r) {
			if out == nil {
				out = &bytes.Buffer{}
				out.Grow(len(b) + 16)
				out.Write(b[:i])
			}
			fmt.Fprintf(out, format, r)
		} else if out != nil {
			out.Write(b[i : i+size])
		}
		i += size
	}
	if out == nil {
		return b
	}
	return out.Bytes()
}

// unsafeRune reports the non-ASCII characters that move, hide or break
// text: C1 controls, line and paragraph separators, bidirectional marks,
// embeddings, overrides and isolates, zero-width characters and the byte
// order mark.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls (CSI is 0x9b)
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // arabic letter mark, LRM, RLM
		return true
	case r >= 0x200b && r <= 0x200d: // zero-width space, non-joiner, joiner
		return true
	case r >= 0x2028 && r <= 0x202e: // line/paragraph separators, LRE RLE PDF LRO RLO
		return true
	case r >= 0x2060 && r <= 0x2069: // word joiner ... LRI RLI FSI PDI
		return true
	case r == 0xfeff:
		return true
	}
	return false
}
