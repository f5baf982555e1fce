// Package modeltest finds resources in a model for the loaders' tests,
// which all check what a loader made of a fixture by looking resources up
// by address or id.
package modeltest

import (
	"testing"

	"github.com/vpclint/vpclint/model"
)

// ByAddress returns the resource of list with that address, failing the
// test (with the model's addresses) when there is none.
func ByAddress[T model.Resource](t testing.TB, m *model.Model, list []T, addr string) T {
	t.Helper()
	for _, r := range list {
		if r.GetMeta().Address == addr {
			return r
		}
	}
	t.Fatalf("no %s in %v", addr, Addresses(m))
	var zero T
	return zero
}

// ByID returns the resource of list with that id, failing the test when
// there is none.
func ByID[T model.Resource](t testing.TB, list []T, id string) T {
	t.Helper()
	for _, r := range list {
		if r.GetMeta().ID == id {
			return r
		}
	}
	t.Fatalf("no resource %s", id)
	var zero T
	return zero
}

// Addresses lists the addresses of every resource of a model.
func Addresses(m *model.Model) []string {
	var out []string
	for _, r := range m.Resources() {
		out = append(out, r.GetMeta().Address)
	}
	return out
}
