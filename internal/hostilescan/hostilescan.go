// Package hostilescan runs a front end's part of the hostile suite
// (package hostiletest lays out its cases) through the whole pipeline. It
// is apart from hostiletest, which the loader's own tests use, because it
// needs the scan.
package hostilescan

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
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

// Cases are a front end's part of the suite: the cases under dir and the
// generated ones (inputs too large to commit).
func Cases(t *testing.T, dir string, generated []hostiletest.Case) []hostiletest.Case {
	t.Helper()
	return append(hostiletest.ReadCases(t, dir), generated...)
}

// Problems plants case c with outsideFiles beside the work tree, scans it
// by the whole pipeline as CI scans it, and returns every guarantee the
// result breaks. The scan must end under a deadline (else t fails at
// once); no report in any format, error or loaded model may hold a
// planted secret or the temporary directory, no error an internal error
// or a raw control character; and the case's want.txt must hold. Besides
// link and fifo (see hostiletest.Plant), want.txt may say:
//
//	error|warning|info <file>:<line> <text>   an input problem of that level, file and line whose message contains text (line 0: any)
//	failed                                    the scan read nothing (it exits 2: "no input could be read")
//	units <n>                                 the scan loaded n units
//	resource <address>                        a resource with this address was loaded
//	unknown <address> <path>                  that resource lists path as unknown
//	scan <dir>                                scan this directory of the case instead of its top
func Problems(t *testing.T, c hostiletest.Case, outsideFiles map[string]string) []string {
	t.Helper()
	tr := hostiletest.Plant(t, c, outsideFiles)
	scanDir := tr.Repo
	for _, w := range c.Want {
		if d, ok := strings.CutPrefix(w, "scan "); ok {
			scanDir = filepath.Join(tr.Repo, filepath.FromSlash(strings.TrimSpace(d)))
		}
	}
	res := scanTree(t, scanDir, tr.Repo)
	return append(outputProblems(t, tr, res), unmetWants(t, c.Want, res)...)
}

var (
	engineOnce sync.Once
	engine     *evaluator.Engine
	engineErr  error
)

// scanTree scans dir as CI would, from the work tree, under a deadline
// the scan must honour.
func scanTree(t *testing.T, dir, repo string) *scan.Result {
	t.Helper()
	engineOnce.Do(func() { engine, engineErr = evaluator.New(context.Background(), evaluator.Options{}) })
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	root, err := loader.ScanRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		res *scan.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := scan.Run(ctx, scan.Options{Paths: []string{dir}, Engine: engine,
			Loader: loader.Options{WorkDir: repo, Root: root, Env: []string{}}, KeepUnits: true})
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
	return r.res
}

// outputProblems writes every report format, the errors and the loaded
// resources, and looks for leaks in them; and for internal errors and raw
// control characters in the errors.
func outputProblems(t *testing.T, tr hostiletest.Tree, res *scan.Result) []string {
	t.Helper()
	var problems []string
	var all bytes.Buffer
	rep := &reporters.Report{Tool: reporters.DefaultTool("test"), Findings: res.Findings, Errors: res.Errors,
		Catalogue: res.Catalogue, Summary: res.Summary, WorkDir: tr.Repo, CodeScanned: true}
	for _, f := range reporters.Formats() {
		if err := reporters.Write(&all, f, rep); err != nil {
			t.Fatalf("%s report: %v", f, err)
		}
	}
	for _, e := range res.Errors {
		all.WriteString(e.Error() + "\n")
		if strings.Contains(e.Message, "internal error") {
			problems = append(problems, "internal error: "+e.Error())
		}
		if strings.ContainsFunc(e.Message, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) {
			problems = append(problems, fmt.Sprintf("error holds a raw control character: %q", e.Message))
		}
	}
	for _, u := range res.Units {
		fmt.Fprintf(&all, "%+v\n", u)
		for _, r := range u.Resources() {
			fmt.Fprintf(&all, "%+v\n", r.GetMeta())
		}
	}
	return append(problems, tr.Leaks("the output", all.String())...)
}

// unmetWants are the lines of want.txt that the result does not meet.
func unmetWants(t *testing.T, want []string, res *scan.Result) []string {
	t.Helper()
	var unmet []string
	for _, w := range want {
		f := strings.Fields(w)
		switch f[0] {
		case "link", "fifo", "scan", "nogit":
		case "failed":
			if !res.Failed() {
				unmet = append(unmet, fmt.Sprintf("want the scan to fail (nothing read), got %d units, errors %v", len(res.Units), res.Errors))
			}
		case "units":
			if n, _ := strconv.Atoi(f[1]); len(res.Units) != n {
				unmet = append(unmet, fmt.Sprintf("want %d units, got %d (errors %v)", n, len(res.Units), res.Errors))
			}
		case "resource":
			if findMeta(res.Units, f[1]) == nil {
				unmet = append(unmet, fmt.Sprintf("resource %s not loaded (errors %v)", f[1], res.Errors))
			}
		case "unknown":
			if m := findMeta(res.Units, f[1]); m == nil || !slices.Contains(m.Unknown, f[2]) {
				unmet = append(unmet, fmt.Sprintf("want %s unknown on %s: %+v", f[2], f[1], m))
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
				unmet = append(unmet, fmt.Sprintf("want %s\ngot:\n  %s", w, strings.Join(got, "\n  ")))
			}
		default:
			t.Fatalf("want.txt: unknown expectation %q", w)
		}
	}
	return unmet
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
