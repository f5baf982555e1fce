package cloudformation_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/reporters"
	"github.com/vpclint/vpclint/scan"
)

// The hostile suite: templates a pull request from a stranger could hold,
// scanned by the whole pipeline as in CI. Each case lives in
// testdata/hostile/cloudformation/<case>/ (its files, and a want.txt
// saying what must happen) or, when its input is large, is generated
// below. For every case the scan must end under a deadline, and no
// report in any format, nor any error, may hold the content of the secret
// files planted outside the scan root and in its .git directory, the
// absolute path of the temporary directory, or a raw control character
// in an error.
//
// want.txt holds one expectation a line ('#' starts a comment):
//
//	error|warning|info <file>:<line> <text>   an input problem of that level, file and line whose message contains text (line 0: any)
//	units <n>                                 the scan loaded n units
//	resource <address>                        a resource with this address was loaded
//	unknown <address> <path>                  that resource lists path as unknown
//	link <name> <target>                      before the scan: a symbolic link in the case
//	fifo <name>                               before the scan: a named pipe in the case
//
// In files and link targets, @OUTSIDE@ is the absolute path of a
// directory beside the scan root, which holds secret.yaml.

const (
	outsideSecret = "OUTSIDE-SECRET-c7e2a1"
	gitSecret     = "GIT-CREDENTIAL-0b93f4"
	hostileDir    = "../../testdata/hostile/cloudformation"
)

type hostileCase struct {
	name  string
	files map[string]string
	want  []string
}

func TestHostile(t *testing.T) {
	var cases []hostileCase
	entries, err := os.ReadDir(hostileDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			cases = append(cases, readHostileCase(t, filepath.Join(hostileDir, e.Name())))
		}
	}
	cases = append(cases, generatedCases()...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runHostile(t, c) })
	}
}

func readHostileCase(t *testing.T, dir string) hostileCase {
	c := hostileCase{name: filepath.Base(dir), files: map[string]string{}}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != "want.txt" {
			c.files[filepath.ToSlash(rel)] = string(b)
			return nil
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
				c.want = append(c.want, l)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.want) == 0 {
		t.Fatalf("%s: no want.txt", dir)
	}
	return c
}

var (
	engineOnce sync.Once
	engine     *evaluator.Engine
	engineErr  error
)

func runHostile(t *testing.T, c hostileCase) {
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	outside := filepath.Join(top, "outside")
	write(t, filepath.Join(outside, "secret.yaml"), "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  "+outsideSecret+":\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: "+outsideSecret+"}\n")
	write(t, filepath.Join(repo, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(repo, ".git", "config"), "[http]\n\textraheader = AUTHORIZATION: basic "+gitSecret+"\n")
	for name, src := range c.files {
		write(t, filepath.Join(repo, filepath.FromSlash(name)), strings.ReplaceAll(src, "@OUTSIDE@", outside))
	}
	for _, w := range c.want {
		f := strings.Fields(w)
		switch f[0] {
		case "link":
			p := filepath.Join(repo, filepath.FromSlash(f[1]))
			if err := os.Symlink(strings.ReplaceAll(f[2], "@OUTSIDE@", outside), p); err != nil {
				t.Fatal(err)
			}
		case "fifo":
			if err := mkfifo(filepath.Join(repo, filepath.FromSlash(f[1]))); err != nil {
				t.Skipf("no named pipes here: %v", err)
			}
		}
	}
	engineOnce.Do(func() { engine, engineErr = evaluator.New(context.Background(), evaluator.Options{}) })
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	root, err := loader.ScanRoot(repo)
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(ctx, scan.Options{Paths: []string{repo}, Engine: engine, Loader: loader.Options{WorkDir: repo, Root: root}, KeepUnits: true})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	checkOutputs(t, res, repo, top)
	checkWants(t, c.want, res)
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkOutputs writes every report format and looks for the secrets and
// the temporary directory's absolute path in them, in the errors and in
// the models; and for raw control characters in the errors.
func checkOutputs(t *testing.T, res *scan.Result, repo, top string) {
	t.Helper()
	var all bytes.Buffer
	rep := &reporters.Report{Tool: reporters.DefaultTool("test"), Findings: res.Findings, Errors: res.Errors,
		Catalogue: res.Catalogue, Summary: res.Summary, WorkDir: repo, CodeScanned: true}
	for _, f := range reporters.Formats() {
		if err := reporters.Write(&all, f, rep); err != nil {
			t.Fatalf("%s report: %v", f, err)
		}
	}
	for _, e := range res.Errors {
		all.WriteString(e.Error() + "\n")
		if i := strings.IndexFunc(e.Message, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }); i >= 0 {
			t.Errorf("error holds a raw control character: %q", e.Message)
		}
	}
	for _, u := range res.Units {
		fmt.Fprintf(&all, "%+v\n", u)
		for _, r := range u.Resources() {
			fmt.Fprintf(&all, "%+v\n", r.GetMeta())
		}
	}
	out := all.String()
	for _, s := range []string{outsideSecret, gitSecret, top, filepath.ToSlash(top)} {
		if i := strings.Index(out, s); i >= 0 {
			lo, hi := max(0, i-200), min(len(out), i+200)
			t.Errorf("output holds %q:\n...%s...", s, out[lo:hi])
		}
	}
	if real, err := filepath.EvalSymlinks(top); err == nil && real != top && strings.Contains(out, real) {
		t.Errorf("output holds the temporary directory %s", real)
	}
}

func checkWants(t *testing.T, want []string, res *scan.Result) {
	t.Helper()
	for _, w := range want {
		f := strings.Fields(w)
		switch f[0] {
		case "link", "fifo":
		case "units":
			if n, _ := strconv.Atoi(f[1]); len(res.Units) != n {
				t.Errorf("want %d units, got %d (errors %v)", n, len(res.Units), res.Errors)
			}
		case "resource":
			if findMeta(res.Units, f[1]) == nil {
				t.Errorf("resource %s not loaded (errors %v)", f[1], res.Errors)
			}
		case "unknown":
			if m := findMeta(res.Units, f[1]); m == nil || !slices.Contains(m.Unknown, f[2]) {
				t.Errorf("want %s unknown on %s: %+v", f[2], f[1], m)
			}
		case model.LevelError, model.LevelWarning, model.LevelInfo:
			file, lineText, _ := strings.Cut(f[1], ":")
			line, _ := strconv.Atoi(lineText)
			text := strings.Join(f[2:], " ")
			if !hasLoadError(res.Errors, f[0], file, line, text) {
				var got []string
				for _, e := range res.Errors {
					got = append(got, fmt.Sprintf("%s %s", e.Level, e.Error()))
				}
				sort.Strings(got)
				t.Errorf("want %s\ngot:\n  %s", w, strings.Join(got, "\n  "))
			}
		default:
			t.Fatalf("want.txt: unknown expectation %q", w)
		}
	}
}

func hasLoadError(errs []model.LoadError, level, file string, line int, text string) bool {
	for _, e := range errs {
		if e.Level == level && e.File == file && (line == 0 || e.Line == line) && strings.Contains(e.Message, text) {
			return true
		}
	}
	return false
}

func findMeta(units []*model.Model, addr string) *model.Meta {
	for _, u := range units {
		for _, r := range u.Resources() {
			if m := r.GetMeta(); m.Address == addr {
				return m
			}
		}
	}
	return nil
}

// generatedCases are the cases whose input is too large to commit.
func generatedCases() []hostileCase {
	const valid = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Ok:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: still read}\n"
	nest := func(open, close, core string, n int) string {
		return strings.Repeat(open, n) + core + strings.Repeat(close, n)
	}
	// Ten templates each including the next ten times: 10^5 stacks.
	fanout := map[string]string{"main.yaml": valid}
	for level := 0; level < 6; level++ {
		var b strings.Builder
		b.WriteString("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n")
		for i := 0; level < 5 && i < 10; i++ {
			fmt.Fprintf(&b, "  S%d:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: t%d.yaml}\n", i, level+1)
		}
		fanout[fmt.Sprintf("t%d.yaml", level)] = b.String()
	}
	// 1,500 Refs to a parameter of 1,500 items: over two million values
	// from 110 KB.
	var expand strings.Builder
	expand.WriteString("Parameters:\n  Many:\n    Type: CommaDelimitedList\n    Default: \"" + strings.TrimSuffix(strings.Repeat("a,", 1500), ",") + "\"\nResources:\n")
	for i := 0; i < 1500; i++ {
		fmt.Fprintf(&expand, "  R%d:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: x, Tags: !Ref Many}\n", i)
	}
	// Many parameters, conditions and references (each found through an
	// index: BenchmarkLoad measures that the work stays linear).
	const n = 2000
	var wide strings.Builder
	wide.WriteString("Parameters:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&wide, "  P%d: {Type: String, Default: v%d}\n", i, i)
	}
	wide.WriteString("Conditions:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&wide, "  C%d: !Equals [!Ref P%d, v%d]\n", i, i, i)
	}
	wide.WriteString("Resources:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&wide, "  G%d:\n    Type: AWS::EC2::SecurityGroup\n    Condition: C%d\n    Properties: {GroupDescription: !Ref P%d}\n", i, n-1-i, i)
	}
	return []hostileCase{
		{
			name:  "100000 nested JSON arrays",
			files: map[string]string{"deep.json": `{"Resources": {"A": {"Type": "AWS::EC2::VPC", "Properties": {"Tags": ` + nest("[", "]", "", 100000) + `}}}}`, "ok.yaml": valid},
			want:  []string{"error deep.json:0 exceeded max depth", "resource Ok"},
		},
		{
			name:  "100000 nested YAML flow mappings",
			files: map[string]string{"deep.yaml": "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties: " + nest("{a: ", "}", "1", 100000) + "\n", "ok.yaml": valid},
			want:  []string{"error deep.yaml:0 exceeded max depth", "resource Ok"},
		},
		{
			name:  "300 nested YAML blocks",
			files: map[string]string{"deep.yaml": "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n" + deepBlocks(300), "ok.yaml": valid},
			want:  []string{"error deep.yaml:0 nesting deeper than 200 levels", "resource Ok"},
		},
		{
			name:  "alias bomb",
			files: map[string]string{"bomb.yaml": aliasBomb(), "ok.yaml": valid},
			want:  []string{"error bomb.yaml:0 alias bomb", "resource Ok"},
		},
		{
			name:  "nested stacks multiplying",
			files: fanout,
			want:  []string{"warning t4.yaml:0 reads more than 2500 nested stacks", "units 2", "resource Ok", "resource Vpc"},
		},
		{
			name:  "references multiplying a list",
			files: map[string]string{"expand.yaml": expand.String()},
			want:  []string{"warning expand.yaml:0 references expand the template to too many values", "resource R1499"},
		},
		{
			name:  "2000 parameters, conditions and groups",
			files: map[string]string{"wide.yaml": wide.String()},
			want:  []string{"resource G1999", "units 1"},
		},
		{
			name:  "named pipe as a nested template",
			files: map[string]string{"main.yaml": "Resources:\n  Pipe:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: pipe.yaml}\n  Ok:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: still read}\n"},
			want:  []string{"fifo pipe.yaml", "warning main.yaml:2 nested stack Pipe: template pipe.yaml cannot be read (not a regular file", "resource Ok"},
		},
	}
}

// deepBlocks is n levels of YAML block mappings.
func deepBlocks(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return b.String()
}

// aliasBomb is the billion laughs in YAML aliases.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      Tags: *a9\n")
	return b.String()
}
