package loader

import (
	"context"
	"errors"
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

// TestExcludeSingleFiles: a glob that names one file leaves it out in
// every format: a file of a directory format (the directory is still read
// without it), a template, and a file named on the command line.
func TestExcludeSingleFiles(t *testing.T) {
	files := map[string]string{
		"infra/main.tf": "", "infra/legacy.tf": "", "infra/old.yaml": "CFN", "infra/new.yaml": "CFN",
		"other/only.tf": "",
	}
	tests := []struct {
		name      string
		paths     []string
		exclude   []string
		wantTF    []string
		wantFiles []string
	}{
		{"below the scanned directory", []string{"infra"}, []string{"legacy.tf", "old.yaml"}, []string{"main.tf"}, []string{"infra/new.yaml"}},
		{"from the current directory", []string{"infra"}, []string{"infra/legacy.tf", "infra/old.yaml"}, []string{"main.tf"}, []string{"infra/new.yaml"}},
		{"at any depth", []string{"."}, []string{"**/legacy.tf", "**/old.yaml", "other/**"}, []string{"main.tf"}, []string{"infra/new.yaml"}},
		{"named on the command line", []string{"infra/legacy.tf", "infra/old.yaml", "infra/main.tf"}, []string{"infra/legacy.tf", "**/old.yaml"}, []string{"main.tf"}, nil},
		{"nothing excluded", []string{"infra"}, nil, []string{"legacy.tf", "main.tf"}, []string{"infra/new.yaml", "infra/old.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wd := tree(t, files)
			gitTree(t, wd)
			t.Chdir(wd)
			dirs := &listingDir{}
			cfn := &fakeFile{marker: "CFN"}
			l := &Loader{Dirs: []DirFormat{dirs}, Files: []FileFormat{cfn}}
			if _, err := l.Load(context.Background(), tt.paths, Options{WorkDir: wd, Exclude: tt.exclude}); err != nil {
				t.Fatal(err)
			}
			sort.Strings(dirs.names)
			if !reflect.DeepEqual(dirs.names, tt.wantTF) {
				t.Errorf("Terraform files read %v, want %v", dirs.names, tt.wantTF)
			}
			if !reflect.DeepEqual(cfn.got, tt.wantFiles) {
				t.Errorf("templates read %v, want %v", cfn.got, tt.wantFiles)
			}
		})
	}
}

// TestNothingRead: a directory named to scan in which nothing is read
// gets a warning naming it (and Terragrunt when it holds terragrunt.hcl);
// a directory with an input, a file and an excluded path do not.
func TestNothingRead(t *testing.T) {
	wd := tree(t, map[string]string{
		"live/prod/terragrunt.hcl": "terraform {}", "live/prod/inputs.yaml": "a: 1",
		"docs/readme.md": "", "infra/main.tf": "", "cfn/t.yaml": "CFN", "legacy/x.tf": "",
	})
	gitTree(t, wd)
	t.Chdir(wd)
	l := &Loader{Dirs: []DirFormat{&fakeDir{}}, Files: []FileFormat{&fakeFile{marker: "CFN"}}}
	res, err := l.Load(context.Background(), []string{"live", "docs", "infra", "cfn", "legacy", "cfn/t.yaml"}, Options{WorkDir: wd, Exclude: []string{"legacy/x.tf"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"live", "docs", "legacy"}; !reflect.DeepEqual(res.Empty, want) {
		t.Errorf("Empty = %v, want %v", res.Empty, want)
	}
	got := map[string]string{}
	for _, e := range res.Errors {
		if e.Level != model.LevelWarning {
			t.Errorf("unexpected error %v", e)
		}
		got[e.File] = e.Message
	}
	if !strings.Contains(got["live"], "terragrunt.hcl") || strings.Contains(got["docs"], "terragrunt") {
		t.Errorf("the Terragrunt hint is wrong: %q", got)
	}
	if !strings.Contains(got["legacy"], "--exclude") || !strings.Contains(got["docs"], "CloudFormation") {
		t.Errorf("the warnings do not say what vpclint reads: %q", got)
	}
}

// fakeSet claims files starting with its marker and records the sets it
// is handed.
type fakeSet struct {
	fakeFile
	sets  [][]string
	roots []string
}

func (f *fakeSet) LoadSet(_ context.Context, ins []Input, opts Options) ([]*model.Model, []model.LoadError) {
	var rels []string
	for _, in := range ins {
		rels = append(rels, in.Rel)
	}
	f.sets = append(f.sets, rels)
	f.roots = append(f.roots, opts.Root)
	return []*model.Model{model.New(rels[0], f.marker)}, nil
}

// TestLoadSetFormat checks that a set format gets every input of one scan
// root in one call, in path order, and never Load.
func TestLoadSetFormat(t *testing.T) {
	root := tree(t, map[string]string{
		"a/parent.yaml": "SET\n",
		"a/child.yaml":  "SET\n",
		"b/other.yaml":  "SET\n",
		"b/plan.json":   "PLAN\n",
	})
	set := &fakeSet{fakeFile: fakeFile{marker: "SET"}}
	plan := &fakeFile{marker: "PLAN"}
	l := &Loader{Files: []FileFormat{plan, set}}
	res, err := l.Load(context.Background(), []string{root}, Options{WorkDir: root})
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"a/child.yaml", "a/parent.yaml", "b/other.yaml"}}; !reflect.DeepEqual(set.sets, want) {
		t.Errorf("sets = %v, want %v", set.sets, want)
	}
	if len(set.got) != 0 {
		t.Errorf("Load was called on a set format: %v", set.got)
	}
	if want, _ := ScanRoot(root); len(set.roots) != 1 || set.roots[0] != want {
		t.Errorf("roots = %v, want [%s]", set.roots, want)
	}
	if len(res.Units) != 2 || res.Files != 4 {
		t.Errorf("units %d files %d, want 2 and 4", len(res.Units), res.Files)
	}
}

// TestNamingEveryFileReadsTheDirectory: naming each file of a directory
// format's directory reads the directory (Files nil: its module, with
// its own tfvars), without the directories below it; naming some reads
// those alone.
func TestNamingEveryFileReadsTheDirectory(t *testing.T) {
	wd := tree(t, map[string]string{"m/a.tf": "", "m/b.tf": "", "m/sub/c.tf": "", "m/t.yaml": "CFN"})
	gitTree(t, wd)
	t.Chdir(wd)
	tests := []struct {
		paths []string
		want  map[string][]string
	}{
		{[]string{"m/a.tf", "m/b.tf"}, map[string][]string{"m": nil}},
		{[]string{"m/b.tf", "m/a.tf", "m/a.tf"}, map[string][]string{"m": nil}},
		{[]string{"m/a.tf"}, map[string][]string{"m": {"a.tf"}}},
		{[]string{"m"}, map[string][]string{"m": nil, "m/sub": nil}},
	}
	for _, tt := range tests {
		dirs := &fakeDir{}
		l := &Loader{Dirs: []DirFormat{dirs}, Files: []FileFormat{&fakeFile{marker: "CFN"}}}
		if _, err := l.Load(context.Background(), tt.paths, Options{WorkDir: wd}); err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		for _, d := range dirs.got {
			got[d.Rel] = d.Files
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v: dirs %v, want %v", tt.paths, got, tt.want)
		}
	}
}

// eventLog records, in order, what the formats load and what Stream
// hands over.
type eventLog struct{ events []string }

func (l *eventLog) add(e string) { l.events = append(l.events, e) }

// streamDir is a DirStreamer that loads each directory as it hands it
// over.
type streamDir struct {
	fakeDir
	log *eventLog
}

func (f *streamDir) StreamDirs(_ context.Context, dirs []Dir, _ Options, emit func(*model.Model) error) ([]model.LoadError, error) {
	for _, d := range dirs {
		f.log.add("load " + d.Rel)
		if err := emit(model.New(d.Rel, "fake-tf")); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// loggedFile is a fakeFile that logs its loads; loggedSet a fakeSet.
type loggedFile struct {
	fakeFile
	log *eventLog
}

func (f *loggedFile) Load(ctx context.Context, in Input, opts Options) ([]*model.Model, []model.LoadError) {
	f.log.add("load " + in.Rel)
	return f.fakeFile.Load(ctx, in, opts)
}

type loggedSet struct {
	fakeSet
	log *eventLog
}

func (f *loggedSet) LoadSet(ctx context.Context, ins []Input, opts Options) ([]*model.Model, []model.LoadError) {
	f.log.add("load set")
	return f.fakeSet.LoadSet(ctx, ins, opts)
}

// TestStreamHandsOverEachUnitWhenLoaded checks that Stream hands each unit
// over before the next input is loaded (a set's after the whole set), in
// the order Load lists them, and that an error of emit stops the load.
func TestStreamHandsOverEachUnitWhenLoaded(t *testing.T) {
	root := tree(t, map[string]string{
		"a/main.tf":  "",
		"b/main.tf":  "",
		"x.json":     "PLAN\n",
		"y.json":     "PLAN\n",
		"s/one.yaml": "SET\n",
		"s/two.yaml": "SET\n",
	})
	log := &eventLog{}
	l := &Loader{
		Dirs:  []DirFormat{&streamDir{log: log}},
		Files: []FileFormat{&loggedFile{fakeFile: fakeFile{marker: "PLAN"}, log: log}, &loggedSet{fakeSet: fakeSet{fakeFile: fakeFile{marker: "SET"}}, log: log}},
	}
	var units []string
	_, err := l.Stream(context.Background(), []string{root}, Options{WorkDir: root}, func(u *model.Model) error {
		log.add("emit " + u.Unit)
		units = append(units, u.Unit)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"load a", "emit a", "load b", "emit b", "load x.json", "emit x.json", "load y.json", "emit y.json", "load set", "emit s/one.yaml"}
	if !reflect.DeepEqual(log.events, want) {
		t.Errorf("events = %q, want %q", log.events, want)
	}
	res, err := l.Load(context.Background(), []string{root}, Options{WorkDir: root})
	if err != nil {
		t.Fatal(err)
	}
	var loaded []string
	for _, u := range res.Units {
		loaded = append(loaded, u.Unit)
	}
	if !reflect.DeepEqual(loaded, units) {
		t.Errorf("Load's units %q, Stream's %q", loaded, units)
	}

	// Where emit fails, and the last thing loaded then.
	for stopAt, last := range map[string]string{"b": "load b", "x.json": "load x.json", "s/one.yaml": "load set"} {
		log.events = nil
		stop := errors.New("scan stopped")
		_, err = l.Stream(context.Background(), []string{root}, Options{WorkDir: root}, func(u *model.Model) error {
			if u.Unit == stopAt {
				return stop
			}
			return nil
		})
		if err != stop || log.events[len(log.events)-1] != last {
			t.Errorf("stop at %s: err %v after %q, want the error after %q", stopAt, err, log.events, last)
		}
	}
}
