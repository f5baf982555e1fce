package terraform_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/internal/hostiletest"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/reporters"
	"github.com/vpclint/vpclint/scan"
)

// The Terraform part of the hostile suite: configurations a pull request
// from a stranger could hold, scanned by the whole pipeline as in CI.
// Each case lives in testdata/hostile/terraform/<case>/ (its files, and a
// want.txt saying what must happen; see internal/hostiletest for the
// layout) or, when its input is large, is generated below. For every
// case the scan must end (under a deadline, through its context), and no
// report in any format, no error and no loaded model may hold the
// secrets planted outside the scan root and in its .git directory, or the
// temporary directory's absolute path.
//
// want.txt holds one expectation a line ('#' starts a comment):
//
//	error|warning|info <file>:<line> <text>   an input problem of that level, file and line whose message contains text (line 0: any)
//	failed                                    the scan read nothing (it exits 2: "no input could be read")
//	units <n>                                 the scan loaded n units
//	resource <address>                        a resource with this address was loaded
//	link <name> <target>                      before the scan: a symbolic link in the case
//	scan <dir>                                scan this directory of the case instead of its top
//
// In files and link targets, @OUTSIDE@ is the absolute path of the
// directory beside the scan root, which holds secret.txt, secret.tf and
// secret.tfvars.

const hostileDir = "../../testdata/hostile/terraform"

func TestHostile(t *testing.T) {
	for _, c := range append(hostiletest.ReadCases(t, hostileDir), generatedCases()...) {
		t.Run(c.Name, func(t *testing.T) { runHostile(t, c) })
	}
}

var (
	engineOnce sync.Once
	engine     *evaluator.Engine
	engineErr  error
)

func runHostile(t *testing.T, c hostiletest.Case) {
	tr := hostiletest.Plant(t, c, map[string]string{
		"secret.tf":     `resource "aws_vpc" "outside" { cidr_block = "` + hostiletest.OutsideSecret + `" }`,
		"secret.tfvars": `cidr = "` + hostiletest.OutsideSecret + `"`,
	})
	scanDir := tr.Repo
	for _, w := range c.Want {
		if f := strings.Fields(w); f[0] == "scan" {
			scanDir = filepath.Join(tr.Repo, filepath.FromSlash(f[1]))
		}
	}
	engineOnce.Do(func() { engine, engineErr = evaluator.New(context.Background(), evaluator.Options{}) })
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	root, err := loader.ScanRoot(scanDir)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		res *scan.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := scan.Run(ctx, scan.Options{Paths: []string{scanDir}, Engine: engine,
			Loader: loader.Options{WorkDir: tr.Repo, Root: root, Env: []string{}}, KeepUnits: true})
		done <- result{res, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		select {
		case r = <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("the scan did not stop when its context ended")
		}
	}
	if r.err != nil {
		t.Fatalf("scan: %v", r.err)
	}
	res := r.res
	for _, e := range res.Errors {
		if strings.Contains(e.Message, "internal error") {
			t.Errorf("internal error: %s", e.Error())
		}
	}
	tr.CheckNoLeak(t, "the reports, errors and models", outputs(t, res, tr.Repo))
	checkWants(t, c.Want, res)
}

// outputs is every report format of a scan, its errors and its models.
func outputs(t *testing.T, res *scan.Result, workDir string) string {
	t.Helper()
	var all bytes.Buffer
	rep := &reporters.Report{Tool: reporters.DefaultTool("test"), Findings: res.Findings, Errors: res.Errors,
		Catalogue: res.Catalogue, Summary: res.Summary, WorkDir: workDir, CodeScanned: true}
	for _, f := range reporters.Formats() {
		if err := reporters.Write(&all, f, rep); err != nil {
			t.Fatalf("%s report: %v", f, err)
		}
	}
	for _, e := range res.Errors {
		all.WriteString(e.Error() + "\n")
	}
	for _, u := range res.Units {
		fmt.Fprintf(&all, "%+v\n", u)
	}
	return all.String()
}

func checkWants(t *testing.T, want []string, res *scan.Result) {
	t.Helper()
	for _, w := range want {
		f := strings.Fields(w)
		switch f[0] {
		case "link", "scan", "fifo", "nogit":
		case "failed":
			if !res.Failed() {
				t.Errorf("want the scan to fail (nothing read), got %d units, errors %v", len(res.Units), res.Errors)
			}
		case "units":
			n, _ := strconv.Atoi(f[1])
			if len(res.Units) != n {
				t.Errorf("want %d units, got %d (errors %v)", n, len(res.Units), res.Errors)
			}
		case "resource":
			if !hasResource(res.Units, f[1]) {
				t.Errorf("resource %s not loaded (errors %v)", f[1], res.Errors)
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

func hasResource(units []*model.Model, addr string) bool {
	for _, u := range units {
		for _, r := range u.Resources() {
			if r.GetMeta().Address == addr {
				return true
			}
		}
	}
	return false
}

// generatedCases are the cases whose input is too large to commit.
func generatedCases() []hostiletest.Case {
	valid := `resource "aws_security_group" "ok" {
  description = "still read"
}
`
	nest := func(open, close, core string, n int) string {
		return strings.Repeat(open, n) + core + strings.Repeat(close, n)
	}
	doubling := func(step string) string {
		var b strings.Builder
		b.WriteString("locals {\n  a0 = \"x\"\n")
		for i := 1; i <= 40; i++ {
			b.WriteString(fmt.Sprintf("  a%d = %s\n", i, strings.ReplaceAll(step, "PREV", fmt.Sprintf("local.a%d", i-1))))
		}
		b.WriteString("}\nresource \"aws_security_group\" \"g\" {\n  description = local.a40\n}\n")
		return b.String()
	}
	chain := func(n int) string {
		var b strings.Builder
		b.WriteString("locals {\n  a0 = \"x\"\n")
		for i := 1; i <= n; i++ {
			b.WriteString(fmt.Sprintf("  a%d = [local.a%d]\n", i, i-1))
		}
		b.WriteString(fmt.Sprintf("}\nresource \"aws_security_group\" \"g\" {\n  description = jsonencode(local.a%d)\n}\n", n))
		return b.String()
	}
	return []hostiletest.Case{
		{
			// 1.6 KB asking for 2^40 bytes: each step is refused past 16 MiB.
			Name:  "string doubled 40 times by templates",
			Files: map[string]string{"main.tf": doubling(`"${PREV}${PREV}"`)},
			Want:  []string{"error main.tf:27 template: its value would exceed vpclint's limit of 16 MiB per value", "resource aws_security_group.g"},
		},
		{
			Name:  "string doubled 40 times by a function",
			Files: map[string]string{"main.tf": doubling(`join("", [PREV, PREV])`)},
			Want:  []string{"error main.tf:26 join(): its value would exceed vpclint's limit of 16 MiB per value", "resource aws_security_group.g"},
		},
		{
			Name:  "reference chain of 20000 locals",
			Files: map[string]string{"main.tf": chain(20000)},
			Want:  []string{"resource aws_security_group.g"},
		},
		{
			Name:  "104000 resource instances",
			Files: map[string]string{"main.tf": manyInstances(26, 4000)},
			Want:  []string{"warning main.tf:0 more than 100000 resource and module instances; the rest is taken as unknown"},
		},

		{
			Name:  "100000 nested parentheses",
			Files: map[string]string{"deep.tf": "locals {\n  x = " + nest("(", ")", "1", 100000) + "\n}\n", "ok.tf": valid},
			Want:  []string{"error deep.tf:2 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "100000 nested blocks",
			Files: map[string]string{"deep.tf": nest("a {\n", "}\n", "", 100000), "ok.tf": valid},
			Want:  []string{"error deep.tf:257 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "100000 nested interpolations",
			Files: map[string]string{"deep.tf": "locals {\n  x = " + nest(`"${`, `}"`, "1", 100000) + "\n}\n", "ok.tf": valid},
			Want:  []string{"error deep.tf:2 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "100000 nested conditionals",
			Files: map[string]string{"deep.tf": "locals {\n  x = " + strings.Repeat("true ? 1 : ", 100000) + "1\n}\n", "ok.tf": valid},
			Want:  []string{"error deep.tf:2 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "100000 unary operators",
			Files: map[string]string{"deep.tf": "locals {\n  x = " + strings.Repeat("!", 100000) + "true\n}\n", "ok.tf": valid},
			Want:  []string{"error deep.tf:2 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "chain of 20000 additions",
			Files: map[string]string{"deep.tf": "locals {\n  x = 1" + strings.Repeat("+1", 20000) + "\n}\n", "ok.tf": valid},
			Want:  []string{"error deep.tf:2 expression nested deeper than 1024 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "100000 nested JSON arrays",
			Files: map[string]string{"deep.tf.json": `{"locals": {"x": ` + nest("[", "]", "", 100000) + `}}`, "ok.tf": valid},
			Want:  []string{"error deep.tf.json:1 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "JSON string template of 20000 additions",
			Files: map[string]string{"deep.tf.json": "{\"locals\": {\n\"x\": \"${1" + strings.Repeat("+1", 20000) + "}\"}}", "ok.tf": valid},
			Want:  []string{"error deep.tf.json:2 expression nested deeper than 1024 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "only file too deep",
			Files: map[string]string{"deep.tf": "locals {\n  x = " + nest("[", "]", "", 100000) + "\n}\n"},
			Want:  []string{"error deep.tf:2 nested deeper than 256 levels", "failed", "units 0"},
		},
		{
			Name: "plan nested 100000 deep",
			Files: map[string]string{"plan.json": "{\"format_version\": \"1.2\",\n\"resource_changes\": [{\"address\": \"aws_vpc.v\", \"type\": \"aws_vpc\", \"name\": \"v\"," +
				"\"change\": {\"actions\": [\"create\"], \"after\": {\"tags\": " + nest("[", "]", "", 100000) + "}}}]}"},
			Want: []string{"error plan.json:2 nested deeper than 256 levels", "failed"},
		},
		{
			Name:  "variables file too deep",
			Files: map[string]string{"main.tf": "variable \"x\" {}\n" + valid, "terraform.tfvars": "x = " + nest("[", "]", "", 100000)},
			Want:  []string{"error terraform.tfvars:1 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
	}
}

// manyInstances is a module of n resources of count each (of a type the
// model does not keep, so that only evaluation is measured).
func manyInstances(n, count int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "resource \"null_resource\" \"r%d\" {\n  count = %d\n}\n", i, count)
	}
	return b.String()
}
