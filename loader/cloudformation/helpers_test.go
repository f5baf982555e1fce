package cloudformation

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/modeltest"
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

func findSG(t *testing.T, m *model.Model, addr string) *model.SecurityGroup {
	t.Helper()
	return modeltest.ByAddress(t, m, m.SecurityGroups, addr)
}

func findACL(t *testing.T, m *model.Model, addr string) *model.NetworkACL {
	t.Helper()
	return modeltest.ByAddress(t, m, m.NetworkACLs, addr)
}

func findEndpoint(t *testing.T, m *model.Model, addr string) *model.VPCEndpoint {
	t.Helper()
	return modeltest.ByAddress(t, m, m.VPCEndpoints, addr)
}

func findSubnet(t *testing.T, m *model.Model, addr string) *model.Subnet {
	t.Helper()
	return modeltest.ByAddress(t, m, m.Subnets, addr)
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
