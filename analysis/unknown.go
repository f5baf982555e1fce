package analysis

import (
	"slices"
	"strconv"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// unknowns indexes a resource's unknown attribute paths.
type unknowns struct {
	paths []string
}

func newUnknowns(m *model.Meta) unknowns { return unknowns{paths: m.Unknown} }

// any reports whether anything is unknown.
func (u unknowns) any() bool { return len(u.paths) > 0 }

// has reports whether path, or a path above or below it, is unknown.
func (u unknowns) has(path string) bool {
	if len(u.paths) == 0 {
		return false
	}
	for _, p := range u.paths {
		if p == path || under(p, path) || under(path, p) {
			return true
		}
	}
	return false
}

// exact reports whether path itself, or a path above it, is unknown.
func (u unknowns) exact(path string) bool {
	for _, p := range u.paths {
		if p == path || under(path, p) {
			return true
		}
	}
	return false
}

// under reports whether path lies strictly below parent.
func under(path, parent string) bool {
	if !strings.HasPrefix(path, parent) || len(path) == len(parent) {
		return false
	}
	c := path[len(parent)]
	return c == '.' || c == '['
}

// without drops path itself from the unknown paths. A list's own path in
// unknown means "the list may hold more" (a rule or entry resource that may
// or may not exist): the elements it does hold stay known.
func (u unknowns) without(path string) unknowns {
	if !slices.Contains(u.paths, path) {
		return u
	}
	out := make([]string, 0, len(u.paths)-1)
	for _, p := range u.paths {
		if p != path {
			out = append(out, p)
		}
	}
	return unknowns{paths: out}
}

// item returns "list[i]".
func item(list string, i int) string { return list + "[" + strconv.Itoa(i) + "]" }
