package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vpclint/vpclint/internal/hostiletest"
	"github.com/vpclint/vpclint/reporters"
)

// The command-line part of the hostile suite: what a pull request from a
// stranger can put in a repository, scanned by `vpclint scan` exactly as
// CI runs it, from another current directory, writing every report
// format. Each case is a directory testdata/hostile/cli/<case>/ (its
// files and a want.txt) or, when it cannot be committed (a named pipe) or
// is large, generated below. The loaders' own parts are under
// testdata/hostile/<format>/, run by their packages.
//
// For every case the scan must end (under a deadline), and no output (the
// six reports, standard output and error) may hold the absolute path of
// the temporary directory, a file:// URI, the secrets planted outside the
// scan root and in .git, or a raw control, escape or bidirectional
// character in the text and Markdown reports.
//
// The case's files are written into <tmp>/repo, a git work tree (the scan
// root), except those under _parent/ (written into <tmp>, the directory
// above the work tree) and _outside/ (into <tmp>/outside, beside it).
// want.txt holds one expectation a line ('#' starts a comment):
//
//	exit <n>                                the exit status
//	stderr <text> / no-stderr <text>        standard error holds (does not hold) text
//	error|warning|info <file>:<line> <text> the JSON report has that input problem (line 0: any line)
//	finding <ID> / no-finding <ID>          the JSON report has (has no) finding of the rule
//	config <file>|none                      the JSON report's config
//	text-no-line <prefix>                   no line of the text report starts with prefix
//	args <arg>...                           more arguments to `vpclint scan` (@REPO@ is the work tree)
//	scan <dir>                              scan this directory of the case instead of its top
//	link <name> <target>                    before the scan: a symbolic link (@OUTSIDE@ is <tmp>/outside)
//	fifo <name>                             before the scan: a named pipe
//	nogit                                   the case is not a git work tree
const hostileCLIDir = "../../testdata/hostile/cli"

func TestHostileCLI(t *testing.T) {
	cases := append(hostiletest.ReadCases(t, hostileCLIDir), generatedCLICases()...)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { runCLICase(t, c) })
	}
}

// cliReport is the part of the JSON report the suite reads.
type cliReport struct {
	Findings []struct {
		RuleID string `json:"rule_id"`
	} `json:"findings"`
	Errors []struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Message string `json:"message"`
		Level   string `json:"level"`
	} `json:"errors"`
	Config *string `json:"config"`
}

func runCLICase(t *testing.T, c hostiletest.Case) {
	tr := hostiletest.Plant(t, c, nil)
	// Reports go elsewhere: "wrote the json report to FILE" repeats the
	// path the user gave.
	outDir := t.TempDir()
	scanPath := tr.Repo
	var extra []string
	for _, w := range c.Want {
		f := strings.Fields(w)
		switch f[0] {
		case "scan":
			scanPath = filepath.Join(tr.Repo, filepath.FromSlash(f[1]))
		case "args":
			for _, a := range f[1:] {
				extra = append(extra, strings.ReplaceAll(a, "@REPO@", tr.Repo))
			}
		}
	}
	reports := map[string]string{}
	args := []string{"scan", "--format", "text"}
	for _, format := range reporters.Formats() {
		if format != "text" {
			reports[format] = filepath.Join(outDir, "report."+format)
			args = append(args, "--output", format+"="+reports[format])
		}
	}
	args = append(append(args, extra...), scanPath)

	// The scan runs from this package's directory: another directory than
	// the one scanned, as when CI scans a checkout from elsewhere.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		code := run(ctx, args, strings.NewReader(""), &out, &errb)
		done <- result{code, out.String(), errb.String()}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(3 * time.Minute):
		t.Fatal("the scan did not end (blocked on a special file?)")
	}

	outputs := map[string]string{"stdout": r.stdout, "stderr": r.stderr}
	for format, p := range reports {
		if b, err := os.ReadFile(p); err == nil {
			outputs[format] = string(b)
		}
	}
	// Nor the directory the scan ran from.
	wd, _ := os.Getwd()
	for name, out := range outputs {
		tr.CheckNoLeak(t, name, out, wd)
	}
	for _, name := range []string{"stdout", "markdown"} {
		if !noRawControls(outputs[name]) {
			t.Errorf("%s holds a raw control, escape or bidirectional character:\n%q", name, outputs[name])
		}
	}
	var rep cliReport
	if js, ok := outputs["json"]; ok {
		if err := json.Unmarshal([]byte(js), &rep); err != nil {
			t.Fatalf("JSON report: %v", err)
		}
	}
	checkCLIWants(t, c.Want, r.code, r.stdout, r.stderr, outputs["json"] != "", &rep)
}

// noRawControls reports whether s has no character a terminal or a
// Markdown renderer would act on, besides the newlines between lines.
func noRawControls(s string) bool {
	for _, r := range s {
		switch {
		case r == '\n':
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return false
		}
	}
	return true
}

func checkCLIWants(t *testing.T, want []string, code int, stdout, stderr string, haveJSON bool, rep *cliReport) {
	t.Helper()
	needJSON := func(w string) bool {
		if !haveJSON {
			t.Errorf("%s: no JSON report was written (exit %d, stderr %s)", w, code, stderr)
		}
		return haveJSON
	}
	for _, w := range want {
		f := strings.Fields(w)
		arg := strings.TrimSpace(strings.TrimPrefix(w, f[0]))
		switch f[0] {
		case "link", "fifo", "scan", "args", "nogit":
		case "exit":
			if n, _ := strconv.Atoi(arg); code != n {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, n, stderr)
			}
		case "stderr":
			if !strings.Contains(stderr, arg) {
				t.Errorf("stderr does not hold %q:\n%s", arg, stderr)
			}
		case "no-stderr":
			if strings.Contains(stderr, arg) {
				t.Errorf("stderr holds %q:\n%s", arg, stderr)
			}
		case "finding", "no-finding":
			if !needJSON(w) {
				continue
			}
			found := false
			for _, fd := range rep.Findings {
				found = found || fd.RuleID == arg
			}
			if found != (f[0] == "finding") {
				t.Errorf("%s: findings %v", w, rep.Findings)
			}
		case "config":
			if !needJSON(w) {
				continue
			}
			got := "none"
			if rep.Config != nil {
				got = *rep.Config
			}
			if got != arg {
				t.Errorf("config %q, want %q", got, arg)
			}
		case "text-no-line":
			for _, l := range strings.Split(stdout, "\n") {
				if strings.HasPrefix(l, arg) {
					t.Errorf("the text report has a line starting with %q: %q", arg, l)
				}
			}
		case "error", "warning", "info":
			if !needJSON(w) {
				continue
			}
			file, lineText, _ := strings.Cut(f[1], ":")
			line, _ := strconv.Atoi(lineText)
			text := strings.Join(f[2:], " ")
			ok := false
			var got []string
			for _, e := range rep.Errors {
				if e.Level == f[0] && e.File == file && (line == 0 || e.Line == line) && strings.Contains(e.Message, text) {
					ok = true
				}
				got = append(got, fmt.Sprintf("%s %s:%d %s", e.Level, e.File, e.Line, e.Message))
			}
			if !ok {
				t.Errorf("want %s\ngot:\n  %s", w, strings.Join(got, "\n  "))
			}
		default:
			t.Fatalf("want.txt: unknown expectation %q", w)
		}
	}
}

// generatedCLICases cannot be committed: named pipes, and inputs generated
// at their size.
func generatedCLICases() []hostiletest.Case {
	sg := "resource \"aws_security_group\" \"ok\" {\n  name        = \"ok\"\n  description = \"still read\"\n}\n"
	return []hostiletest.Case{
		{
			// A named pipe has no writer: opening it to read blocks
			// forever. It is skipped unopened, with a note, whatever the
			// format its name claims.
			Name:  "named pipes",
			Files: map[string]string{"main.tf": sg},
			Want: []string{
				"fifo pipe.tf", "fifo stacks/pipe.yaml", "fifo plans/pipe.json",
				"exit 0",
				"warning pipe.tf:0 not a regular file", "warning stacks/pipe.yaml:0 not a regular file", "warning plans/pipe.json:0 not a regular file",
			},
		},
		{
			Name:  "the only input is a named pipe",
			Files: map[string]string{},
			Want:  []string{"fifo only.yaml", "args @REPO@/only.yaml", "exit 2", "stderr no input could be read"},
		},
		{
			// A template whose logical ids hold escape sequences, carriage
			// returns and bidirectional controls, 500 of them.
			Name: "500 logical ids with control characters",
			Files: map[string]string{"stack.yaml": func() string {
				var b strings.Builder
				b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n")
				for i := range 500 {
					fmt.Fprintf(&b, "  \"G%d\\e[2J\\r\\u202e\\nmain.tf:1  CRITICAL SG001\":\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: open\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: ssh}\n      SecurityGroupEgress:\n        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8, Description: https}\n", i)
				}
				return b.String()
			}()},
			Want: []string{"exit 1", "finding SG001", "text-no-line main.tf:1"},
		},
	}
}
