package safetext

import (
	"strings"
	"testing"
)

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, ünïcode and emoji ✅", "plain text, ünïcode and emoji ✅"},
		{"clear\x1b[2Jscreen", `clear\x1b[2Jscreen`},
		{"ok\nmain.tf:1  CRITICAL SG001 forged", `ok\nmain.tf:1  CRITICAL SG001 forged`},
		{"over\rwrite", `over\rwrite`},
		{"tab\there", `tab\there`},
		{"bell\a del\x7f nul\x00", `bell\x07 del\x7f nul\x00`},
		{"c1 csi \u009b31m", `c1 csi \u009b31m`},
		{"bidi \u202eevil\u202c \u2066iso\u2069", `bidi \u202eevil\u202c \u2066iso\u2069`},
		{"zero\u200bwidth and bom\ufeff", `zero\u200bwidth and bom\ufeff`},
		{"line\u2028sep", `line\u2028sep`},
		{"bad \xff utf8", `bad \xff utf8`},
		{`a \ backslash`, `a \ backslash`},
	}
	for _, tt := range tests {
		got := Line(tt.in)
		if got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !clean(got) {
			t.Errorf("Line(%q) = %q is not clean", tt.in, got)
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "a\nb", "\x1b[31m", "\u202e", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		if !clean(out) {
			t.Fatalf("Line(%q) = %q keeps an unsafe character", s, out)
		}
		if strings.ContainsAny(out, "\n\r\x1b") {
			t.Fatalf("Line(%q) = %q", s, out)
		}
		if clean(s) && out != s {
			t.Fatalf("clean text changed: %q -> %q", s, out)
		}
	})
}
