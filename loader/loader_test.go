package loader

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// fakeDir records what the walker hands a directory format.
type fakeDir struct{ got []Dir }

func (f *fakeDir) Name() string          { return "fake-tf" }
func (f *fakeDir) Owns(name string) bool { return strings.HasSuffix(name, ".tf") }
func (f *fakeDir) LoadDirs(_ context.Context, dirs []Dir, _ Options) ([]*model.Model, []model.LoadError) {
	f.got = append(f.got, dirs...)
	var out []*model.Model
	for _, d := range dirs {
		out = append(out, model.New(d.Rel, "fake-tf"))
	}
	return out, nil
}

// fakeFile claims files whose content starts with its marker.
type fakeFile struct {
	marker string
	got    []string
}

func (f *fakeFile) Name() string         { return f.marker }
func (f *fakeFile) Detect(in Input) bool { return strings.HasPrefix(string(in.Content), f.marker) }
func (f *fakeFile) Load(_ context.Context, in Input, _ Options) ([]*model.Model, []model.LoadError) {
	f.got = append(f.got, in.Rel)
	if strings.Contains(string(in.Content), "broken") {
		return nil, []model.LoadError{{File: in.Rel, Line: 2, Message: "broken", Level: model.LevelError}}
	}
	return []*model.Model{model.New(in.Rel, f.marker)}, nil
}

func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestLoadWalksAndDispatches(t *testing.T) {
	root := tree(t, map[string]string{
		"net/main.tf":                    "",
		"net/vars.tf":                    "",
		"net/.terraform/modules/x/a.tf":  "",
		"app/stack.yaml":                 "CFN\n",
		"app/broken.json":                "CFN\nbroken",
		"app/k8s.yaml":                   "kind: Deployment\n",
		"docs/readme.md":                 "CFN",
		"legacy/old.tf":                  "",
		"node_modules/pkg/template.json": "CFN",
	})
	dirs := &fakeDir{}
	cfn := &fakeFile{marker: "CFN"}
	l := &Loader{Dirs: []DirFormat{dirs}, Files: []FileFormat{cfn}}
	res, err := l.Load(context.Background(), []string{root}, Options{WorkDir: root, Exclude: []string{"legacy/**"}})
	if err != nil {
		t.Fatal(err)
	}
	var gotDirs []string
	for _, d := range dirs.got {
		gotDirs = append(gotDirs, d.Rel)
	}
	if !reflect.DeepEqual(gotDirs, []string{"net"}) {
		t.Errorf("dirs = %v, want [net] (.terraform and excluded dirs skipped)", gotDirs)
	}
	sort.Strings(cfn.got)
	if !reflect.DeepEqual(cfn.got, []string{"app/broken.json", "app/stack.yaml"}) {
		t.Errorf("file format got %v", cfn.got)
	}
	if len(res.Units) != 2 || len(res.Errors) != 1 || res.Errors[0].File != "app/broken.json" {
		t.Errorf("units %d errors %+v", len(res.Units), res.Errors)
	}
	if res.Files != 4 {
		t.Errorf("files = %d, want 4 (2 .tf + 2 templates)", res.Files)
	}
}

func TestLoadSingleFiles(t *testing.T) {
	root := tree(t, map[string]string{"net/main.tf": "", "net/other.tf": "", "x.txt": "hello"})
	dirs := &fakeDir{}
	l := &Loader{Dirs: []DirFormat{dirs}, Files: []FileFormat{&fakeFile{marker: "CFN"}}}
	res, err := l.Load(context.Background(), []string{filepath.Join(root, "net/main.tf"), filepath.Join(root, "x.txt")}, Options{WorkDir: root})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs.got) != 1 || !reflect.DeepEqual(dirs.got[0].Files, []string{"main.tf"}) {
		t.Errorf("a named .tf file must be read alone: %+v", dirs.got)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "not a recognized input") {
		t.Errorf("an explicitly named unknown file must be reported: %+v", res.Errors)
	}
	if _, err := l.Load(context.Background(), []string{filepath.Join(root, "missing")}, Options{WorkDir: root}); err == nil {
		t.Error("a missing path must be an error")
	}
}

func TestRelPath(t *testing.T) {
	wd := t.TempDir()
	other := t.TempDir()
	if got := RelPath(wd, wd, filepath.Join(wd, "infra", "main.tf")); got != "infra/main.tf" {
		t.Errorf("below workdir: %q", got)
	}
	if got := RelPath(wd, other, filepath.Join(other, "a", "b.tf")); got != "a/b.tf" {
		t.Errorf("outside workdir, below root: %q", got)
	}
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		glob, path string
		want       bool
	}{
		{"**/.terraform/**", "a/.terraform/modules/x.tf", true},
		{"**/.terraform/**", ".terraform", true},
		{"legacy/**", "legacy/a/b.tf", true},
		{"legacy/**", "new/legacy/b.tf", false},
		{"*.json", "plan.json", true},
		{"*.json", "dir/plan.json", false},
		{"**/*.json", "dir/plan.json", true},
		{"infra/*/main.tf", "infra/net/main.tf", true},
	}
	for _, tt := range tests {
		if got := MatchGlob(tt.glob, tt.path); got != tt.want {
			t.Errorf("MatchGlob(%q, %q) = %v, want %v", tt.glob, tt.path, got, tt.want)
		}
	}
}

func TestExcludeRelativeToScanRootAndWorkDir(t *testing.T) {
	wd := tree(t, map[string]string{"infra/legacy/a.tf": "", "infra/net/b.tf": "", "infra/old/c.tf": ""})
	dirs := &fakeDir{}
	l := &Loader{Dirs: []DirFormat{dirs}}
	_, err := l.Load(context.Background(), []string{filepath.Join(wd, "infra")}, Options{WorkDir: wd, Exclude: []string{"legacy/**", "infra/old/**"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs.got) != 1 || dirs.got[0].Rel != "infra/net" {
		t.Errorf("dirs = %+v, want only infra/net", dirs.got)
	}
}
