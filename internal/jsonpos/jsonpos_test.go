package jsonpos

import (
	"encoding/json"
	"io"
	"maps"
	"strings"
	"testing"
)

func TestLines(t *testing.T) {
	tests := []struct {
		name string
		text string
		offs []int // asked in this order
		want []int
	}{
		{"empty", "", []int{0, 5}, []int{1, 1}},
		{"LF", "a\nb\nc", []int{0, 1, 2, 4}, []int{1, 1, 2, 3}},
		{"CRLF is one break", "a\r\nb", []int{1, 2, 3}, []int{1, 1, 2}},
		{"lone CR", "a\rb\r", []int{2, 3, 4}, []int{2, 2, 3}},
		{"backwards", "a\nb\nc\nd", []int{6, 0, 4, 2}, []int{4, 1, 3, 2}},
		{"before the text", "a\nb", []int{-1, 3}, []int{1, 2}},
		{"past the end", "a\nb\n", []int{99}, []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := NewLines([]byte(tt.text))
			for i, off := range tt.offs {
				if got := x.At(off); got != tt.want[i] {
					t.Errorf("At(%d) = %d, want %d", off, got, tt.want[i])
				}
			}
		})
	}
}

func TestErrorLine(t *testing.T) {
	var v struct{ A int }
	tests := []struct {
		name string
		text string
		want int
	}{
		{"syntax", "{\n\"A\": 1,\n}", 3},
		{"type", "{\n\"A\":\n\"x\"}", 3},
		{"end of input", "{\n\"A\": 1\n", 2},
		{"empty", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(tt.text), &v)
			if err == nil {
				t.Fatal("no error")
			}
			if got := ErrorLine([]byte(tt.text), err); got != tt.want {
				t.Errorf("ErrorLine = %d, want %d (%v)", got, tt.want, err)
			}
		})
	}
	if got := ErrorLine([]byte("{\n}"), io.ErrUnexpectedEOF); got != 0 {
		t.Errorf("an error that names no place is at line %d, want 0", got)
	}
}

// TestPaths: the line of every value below the walked one, by path, as
// deep as asked; the start and end lines of array elements.
func TestPaths(t *testing.T) {
	text := `{
  "a": {
    "b": [
      1,
      {"c": true}
    ]
  },
  "d": "x",
  "dup": 1, "dup": 2
}`
	tests := []struct {
		name  string
		depth int
		want  map[string]int
	}{
		{"all", -1, map[string]int{"a": 2, "a.b": 3, "a.b[0]": 4, "a.b[1]": 5, "a.b[1].c": 5, "d": 8, "dup": 9}},
		{"two parts", 2, map[string]int{"a": 2, "a.b": 3, "d": 8, "dup": 9}},
		{"none", 0, map[string]int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWalker([]byte(text))
			got := map[string]int{}
			if err := w.Paths("", tt.depth, got); err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("Paths = %v, want %v", got, tt.want)
			}
			if w.EndLine() != 10 {
				t.Errorf("EndLine = %d, want 10", w.EndLine())
			}
		})
	}
}

func TestElementSpans(t *testing.T) {
	w := NewWalker([]byte("[\n  {\n  \"a\": 1\n  },\n  2\n]"))
	var spans [][2]int
	err := w.Array(func(int) error {
		start := w.Line()
		err := w.Skip()
		spans = append(spans, [2]int{start, w.EndLine()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := [][2]int{{2, 4}, {5, 5}}; len(spans) != 2 || spans[0] != want[0] || spans[1] != want[1] {
		t.Errorf("spans = %v, want %v", spans, want)
	}
}

// TestMalformed: a walk of malformed or truncated text ends with an
// error, keeping what it found, and never loops, whatever the callback.
func TestMalformed(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"truncated", `{"a": 1, "b": [1, 2`, []string{"a", "b"}},
		{"garbled", `{"a": 1, "b" 2}`, []string{"a", "b"}},
		{"not an object", `[1]`, nil},
		{"empty", ``, nil},
		{"deep", `{"a": ` + strings.Repeat("[", 20000), []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWalker([]byte(tt.text))
			var keys []string
			err := w.Object(func(k string) error {
				keys = append(keys, k)
				if k == "b" {
					return w.Array(func(int) error { return nil }) // reads nothing
				}
				return w.Skip()
			})
			if err == nil {
				t.Error("no error")
			}
			if strings.Join(keys, ",") != strings.Join(tt.want, ",") {
				t.Errorf("keys = %v, want %v", keys, tt.want)
			}
		})
	}
}
