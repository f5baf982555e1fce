package compare

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/internal/testenv"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/scan"
)

// openGroup is a security group that SG001 reports: an admin port open
// to the internet.
func openGroup(name string, port int) string {
	return `resource "aws_security_group" "` + name + `" {
  name = "` + name + `"
  ingress {
    from_port   = ` + strconv.Itoa(port) + `
    to_port     = ` + strconv.Itoa(port) + `
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`
}

// gitRepo makes a repository whose main branch holds files, then checks
// out a branch "change" and writes work (a nil body removes the file),
// uncommitted: the compared scan must read main's files from git while
// the work tree holds the change.
func gitRepo(t *testing.T, files, work map[string]*string) string {
	t.Helper()
	dir := t.TempDir()
	git := func(args ...string) { t.Helper(); testenv.Git(t, dir, "", args...) }
	apply := func(m map[string]*string) {
		for name, body := range m {
			p := filepath.Join(dir, name)
			if body == nil {
				if err := os.Remove(p); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(*body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	git("init", "-q", "-b", "main")
	apply(files)
	git("add", "-A")
	git("commit", "-qm", "base", "--allow-empty")
	git("checkout", "-qb", "change")
	apply(work)
	return dir
}

func s(v string) *string { return &v }

// states maps "resource address" to the state each finding of it got:
// the work tree's new and unchanged, the ref's fixed.
func states(fs []model.Finding, c model.Comparison) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		out[f.Resource.Address] = f.BaselineState
	}
	for _, f := range c.FixedFindings {
		out[f.Resource.Address] = f.BaselineState
	}
	return out
}

func TestCompare(t *testing.T) {
	eng, err := evaluator.New(context.Background(), evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		files map[string]*string // at main
		work  map[string]*string // the change, in the work tree
		// wd is the current directory, relative to the repository (""
		// its top); paths are the scanned paths, relative to wd.
		wd    string
		paths []string
		want  map[string]string
		// missing are the paths the ref does not have.
		missing []string
		// fixedFile is where the fixed findings are shown, when set.
		fixedFile string
	}{
		{
			name:  "nothing changed",
			files: map[string]*string{"infra/main.tf": s(openGroup("a", 22))},
			paths: []string{"infra"},
			want:  map[string]string{"aws_security_group.a": "unchanged"},
		},
		{
			name:  "a group opened, another closed",
			files: map[string]*string{"infra/main.tf": s(openGroup("a", 22) + openGroup("b", 3389))},
			work:  map[string]*string{"infra/main.tf": s(openGroup("b", 3389) + openGroup("c", 22))},
			paths: []string{"infra"},
			want:  map[string]string{"aws_security_group.a": "absent", "aws_security_group.b": "unchanged", "aws_security_group.c": "new"},
		},
		{
			name:  "lines moved and the file renamed: unchanged",
			files: map[string]*string{"infra/main.tf": s(openGroup("a", 22))},
			work:  map[string]*string{"infra/main.tf": nil, "infra/sg.tf": s("# moved\n\n\n" + openGroup("a", 22))},
			paths: []string{"infra"},
			want:  map[string]string{"aws_security_group.a": "unchanged"},
		},
		{
			name:    "a directory the ref does not have: all new",
			files:   map[string]*string{"README.md": s("x\n")},
			work:    map[string]*string{"infra/main.tf": s(openGroup("a", 22))},
			paths:   []string{"infra"},
			want:    map[string]string{"aws_security_group.a": "new"},
			missing: []string{"infra"},
		},
		{
			name:      "run from a subdirectory, a file scanned",
			files:     map[string]*string{"infra/prod/main.tf": s(openGroup("a", 22)), "infra/prod/other.tf": s(openGroup("b", 22))},
			work:      map[string]*string{"infra/prod/main.tf": s(openGroup("a", 80) + openGroup("d", 3389))},
			wd:        "infra",
			paths:     []string{"prod/main.tf"},
			want:      map[string]string{"aws_security_group.a": "absent", "aws_security_group.d": "new"},
			fixedFile: "prod/main.tf",
		},
		{
			name:  "a file that no longer parses at the ref: its findings are new",
			files: map[string]*string{"infra/main.tf": s("resource \"x\" {\n")},
			work:  map[string]*string{"infra/main.tf": s(openGroup("a", 22))},
			paths: []string{"infra"},
			want:  map[string]string{"aws_security_group.a": "new"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := gitRepo(t, tt.files, tt.work)
			wd := filepath.Join(dir, tt.wd)
			// scan.Run reads paths from the process's directory: they
			// are given absolute, and shown relative to wd.
			var paths []string
			for _, p := range tt.paths {
				paths = append(paths, filepath.Join(wd, p))
			}
			opts := scan.Options{
				Paths:  paths,
				Loader: loader.Options{WorkDir: wd},
				Engine: eng,
				Post:   &scan.Post{WorkDir: wd},
			}
			for _, p := range paths {
				root, err := loader.ScanRoot(p)
				if err != nil {
					t.Fatal(err)
				}
				opts.Post.Roots = append(opts.Post.Roots, root)
			}
			before := tempDirs(t)
			base, err := Scan(context.Background(), &opts, "main")
			if err != nil {
				t.Fatal(err)
			}
			if got := tempDirs(t); !slices.Equal(got, before) {
				t.Errorf("temporary trees left behind: %v", got)
			}
			var missing []string
			for _, p := range tt.missing {
				missing = append(missing, filepath.Join(wd, p))
			}
			if !slices.Equal(base.Missing, missing) {
				t.Errorf("missing = %v, want %v", base.Missing, tt.missing)
			}
			m := NewMatcher(base.Findings)
			opts.Post.Compare = m
			res, err := scan.Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			c := m.Comparison()
			got := states(res.Findings, c)
			if len(got) != len(tt.want) {
				t.Errorf("states = %v, want %v", got, tt.want)
			}
			for addr, want := range tt.want {
				if got[addr] != want {
					t.Errorf("%s: %q, want %q (all: %v)", addr, got[addr], want, got)
				}
			}
			var n [3]int
			for _, st := range got {
				n[slices.Index([]string{"new", "absent", "unchanged"}, st)]++
			}
			if c.New != n[0] || c.Fixed != n[1] || c.Unchanged != n[2] {
				t.Errorf("counts %d new, %d fixed, %d unchanged; want %v", c.New, c.Fixed, c.Unchanged, n)
			}
			// A fixed finding is shown where the ref had it, by the
			// same relative path as the work tree's files.
			for _, f := range c.FixedFindings {
				if filepath.IsAbs(f.Location.File) || strings.Contains(f.Location.File, "vpclint-compare-") ||
					tt.fixedFile != "" && f.Location.File != tt.fixedFile {
					t.Errorf("fixed finding at %q, want %q", f.Location.File, tt.fixedFile)
				}
			}
		})
	}
}

// tempDirs lists the comparison trees in the temporary directory.
func tempDirs(t *testing.T) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(os.TempDir(), "vpclint-compare-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCompareErrors(t *testing.T) {
	dir := gitRepo(t, map[string]*string{"main.tf": s(openGroup("a", 22))}, nil)
	outside := t.TempDir()
	for _, tt := range []struct {
		name, ref string
		opts      scan.Options
		want      string
	}{
		{"not in a repository", "main", scan.Options{Paths: []string{outside}}, "not in a git repository"},
		{"unknown ref", "no-such-branch", scan.Options{Paths: []string{dir}}, "no-such-branch is not a commit"},
		{"an option as ref", "--output=/tmp/x", scan.Options{Paths: []string{dir}}, "not a git ref"},
		{"paths in two places", "main", scan.Options{Paths: []string{dir, outside}}, "not in the git work tree"},
		{"live audit", "main", scan.Options{Paths: []string{dir}, Units: []*model.Model{{}}}, "live AWS"},
		{"no paths", "main", scan.Options{}, "needs paths"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Scan(context.Background(), &tt.opts, tt.ref)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Scan = %v, want %q", err, tt.want)
			}
		})
	}
}
