package cloudformation

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// testdataDir holds this loader's test templates.
const testdataDir = "../../testdata/loader/cloudformation"

// loadString loads a template given as text.
func loadString(t *testing.T, name, src string, opts loader.Options) (*model.Model, []model.LoadError) {
	t.Helper()
	in := loader.Input{Path: name, Rel: name, Content: []byte(src)}
	ms, errs := New().Load(context.Background(), in, opts)
	if len(ms) > 1 {
		t.Fatalf("got %d models", len(ms))
	}
	if len(ms) == 0 {
		return nil, errs
	}
	return ms[0], errs
}

// mustLoad loads a template and fails on error-level problems.
func mustLoad(t *testing.T, src string, opts loader.Options) (*model.Model, []model.LoadError) {
	t.Helper()
	m, errs := loadString(t, "template.yaml", src, opts)
	if m == nil {
		t.Fatalf("template did not load: %v", errs)
	}
	for _, e := range errs {
		if e.Level == model.LevelError {
			t.Fatalf("load error: %v", e)
		}
	}
	return m, errs
}

// loadFile loads a testdata file.
func loadFile(t *testing.T, rel string, opts loader.Options) (*model.Model, []model.LoadError) {
	t.Helper()
	p := filepath.Join(testdataDir, filepath.FromSlash(rel))
	content, err := loader.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	in := loader.Input{Path: p, Rel: rel, Content: content}
	if !New().Detect(in) {
		t.Fatalf("%s is not detected as a template", rel)
	}
	ms, errs := New().Load(context.Background(), in, opts)
	if len(ms) != 1 {
		t.Fatalf("%s: got %d models, errors %v", rel, len(ms), errs)
	}
	return ms[0], errs
}

// resources by address.
func findSG(t *testing.T, m *model.Model, addr string) *model.SecurityGroup {
	t.Helper()
	for _, g := range m.SecurityGroups {
		if g.Address == addr {
			return g
		}
	}
	t.Fatalf("no security group %s (have %v)", addr, addresses(m))
	return nil
}

func findACL(t *testing.T, m *model.Model, addr string) *model.NetworkACL {
	t.Helper()
	for _, a := range m.NetworkACLs {
		if a.Address == addr {
			return a
		}
	}
	t.Fatalf("no network ACL %s (have %v)", addr, addresses(m))
	return nil
}

func findEndpoint(t *testing.T, m *model.Model, addr string) *model.VPCEndpoint {
	t.Helper()
	for _, e := range m.VPCEndpoints {
		if e.Address == addr {
			return e
		}
	}
	t.Fatalf("no endpoint %s (have %v)", addr, addresses(m))
	return nil
}

func findSubnet(t *testing.T, m *model.Model, addr string) *model.Subnet {
	t.Helper()
	for _, s := range m.Subnets {
		if s.Address == addr {
			return s
		}
	}
	t.Fatalf("no subnet %s (have %v)", addr, addresses(m))
	return nil
}

func addresses(m *model.Model) []string {
	var out []string
	for _, r := range m.Resources() {
		out = append(out, r.GetMeta().Address)
	}
	return out
}

func hasString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// errorsMatching returns the load errors whose message contains s.
func errorsMatching(errs []model.LoadError, s string) []model.LoadError {
	var out []model.LoadError
	for _, e := range errs {
		if strings.Contains(e.Message, s) {
			out = append(out, e)
		}
	}
	return out
}

func intp(p *int) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}

func boolp(p *bool) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}
