//go:build unix

// Command benchscale is vpclint's scaling benchmark (`make bench`): it
// generates Terraform root modules and CloudFormation templates of N
// security groups (with N/2 interface endpoints, their policies, VPCs,
// subnets and network ACLs: internal/benchgen), times `vpclint scan` on
// each (CPU = user + system time of the process, wall time, peak resident
// memory), and, when tfsec, Trivy or KICS are on PATH, times them on the
// same inputs and prints vpclint's CPU as a fraction of the fastest peer's.
//
// Two floors are timed beside vpclint, each in its own process: start-up
// (vpclint scanning one VPC: compiling and running the rules once) and parse
// (the input parsed, and nothing else, by the library vpclint and the Go
// peers use for it: hclsyntax for Terraform, yaml.v3 for CloudFormation,
// under vpclint's GC settings). No scan costs less than either, and a scan
// pays for both (less one process start); their ratio to a peer's CPU
// bounds how far ahead of it vpclint can be.
//
//	go run ./scripts/benchscale -bin bin/vpclint
//	go run ./scripts/benchscale -bin bin/vpclint -sizes 1000,20000 -formats terraform -runs 3
//
// Peers are never dependencies of vpclint; install them for a comparison:
//
//	go install github.com/aquasecurity/tfsec/cmd/tfsec@v1.28.14
//	go install github.com/aquasecurity/trivy/cmd/trivy@v0.58.0
//
// Trivy and KICS are looked up on PATH too (trivy config; kics scan with
// its queries next to the binary or in KICS_QUERIES_PATH).
package main

import (
	"bytes"
	"debug/buildinfo"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"go.yaml.in/yaml/v3"

	"github.com/vpclint/vpclint/internal/benchgen"
)

// generateEnv, when set to "FORMAT N DIR", makes the program write one
// input and exit: see generate.
const generateEnv = "VPCLINT_BENCHSCALE_GENERATE"

func main() {
	if out := os.Getenv(runEnv); out != "" {
		if err := runHere(out, os.Args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, "benchscale:", err)
			os.Exit(2)
		}
		return
	}
	if spec := os.Getenv(parseEnv); spec != "" {
		if err := parseHere(spec); err != nil {
			fmt.Fprintln(os.Stderr, "benchscale:", err)
			os.Exit(2)
		}
		return
	}
	if spec := os.Getenv(generateEnv); spec != "" {
		if err := generateHere(spec); err != nil {
			fmt.Fprintln(os.Stderr, "benchscale:", err)
			os.Exit(2)
		}
		return
	}
	bin := flag.String("bin", "bin/vpclint", "vpclint binary to time")
	sizes := flag.String("sizes", joinInts(benchgen.Sizes), "comma-separated numbers of security groups")
	formats := flag.String("formats", "terraform,cloudformation", "comma-separated input formats")
	peerList := flag.String("peers", "tfsec,trivy,kics", "peers to time when they are on PATH (\"\" for none)")
	runs := flag.Int("runs", 1, "runs of each tool on each input; the fastest (least CPU) is reported")
	dir := flag.String("dir", "", "directory for the generated inputs (default: a temporary one, removed at the end)")
	flag.Parse()
	if err := run(*bin, *sizes, *formats, *peerList, *runs, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "benchscale:", err)
		os.Exit(2)
	}
}

func run(bin, sizeList, formatList, peerList string, runs int, dir string) error {
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("no vpclint binary at %s (run make build): %w", bin, err)
	}
	var ns []int
	for _, s := range strings.Split(sizeList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 2 {
			return fmt.Errorf("bad size %q", s)
		}
		ns = append(ns, n)
	}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "vpclint-benchscale")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	fmt.Printf("vpclint %s, %d CPUs (GOMAXPROCS of the tools: their default), %s/%s\n", bin, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
	for _, format := range strings.Split(formatList, ",") {
		format = strings.TrimSpace(format)
		peers := availablePeers(format, peerList)
		names := []string{}
		for _, p := range peers {
			names = append(names, p.name+" ("+p.version()+")")
		}
		if len(names) == 0 {
			names = append(names, "none on PATH")
		}
		fmt.Printf("\n%s; peers: %s\n", format, strings.Join(names, ", "))
		fmt.Printf(rowFormat, "N", "resources", "tool", "CPU s", "wall s", "peak RSS MB", "findings", "CPU / peer CPU")
		startup, err := best(runs, func() (measure, error) { return timeStartup(bin, dir, format) })
		if err != nil {
			return fmt.Errorf("vpclint on one resource: %w", err)
		}
		var first float64
		for _, n := range ns {
			in, err := generate(dir, format, n)
			if err != nil {
				return err
			}
			v, err := best(runs, func() (measure, error) { return timeVpclint(bin, in) })
			if err != nil {
				return fmt.Errorf("vpclint on %s: %w", in, err)
			}
			if n == ns[0] {
				first = v.cpu
			}
			parse, err := best(runs, func() (measure, error) { return timeParse(format, in) })
			if err != nil {
				return fmt.Errorf("parsing %s: %w", in, err)
			}
			var fastest float64 // least CPU of the peers that ran
			var peerRows []string
			for _, p := range peers {
				m, err := best(runs, func() (measure, error) { return p.time(in, format) })
				if err != nil {
					peerRows = append(peerRows, fmt.Sprintf("%8d %10s %-8s failed: %v\n", n, "", p.name, err))
					continue
				}
				if fastest == 0 || m.cpu < fastest {
					fastest = m.cpu
				}
				peerRows = append(peerRows, fmt.Sprintf(rowFormat, strconv.Itoa(n), "", p.name, secs(m.cpu), secs(m.wall), mb(m.rssMB), m.peerFindings(), ""))
			}
			ratio := func(cpu float64) string {
				if fastest == 0 {
					return ""
				}
				return fmt.Sprintf("%.3f", cpu/fastest)
			}
			fmt.Printf(rowFormat, strconv.Itoa(n), strconv.Itoa(benchgen.Resources(n)), "vpclint", secs(v.cpu), secs(v.wall), mb(v.rssMB), strconv.Itoa(v.findings), ratio(v.cpu))
			fmt.Printf(rowFormat, "", "", "start-up", secs(startup.cpu), secs(startup.wall), mb(startup.rssMB), "", ratio(startup.cpu))
			fmt.Printf(rowFormat, "", "", "parse", secs(parse.cpu), secs(parse.wall), mb(parse.rssMB), "", ratio(parse.cpu))
			for _, r := range peerRows {
				fmt.Print(r)
			}
			if len(ns) > 1 && n == ns[len(ns)-1] && first > 0 {
				fmt.Printf("vpclint CPU(%d) / CPU(%d) = %.1f (N grew %.0f×)\n", n, ns[0], v.cpu/first, float64(n)/float64(ns[0]))
			}
		}
	}
	return nil
}

// rowFormat lays out a table row: N, resources, tool, CPU, wall, RSS,
// findings, ratio.
const rowFormat = "%8s %10s %-8s %8s %8s %12s %9s %24s\n"

func secs(s float64) string { return fmt.Sprintf("%.2f", s) }
func mb(m float64) string   { return fmt.Sprintf("%.0f", m) }

// generate writes the input of one format and size, once, and returns
// the path to scan. A child process of this program writes it: on Linux a
// process's peak resident memory (ru_maxrss) starts from that of the
// process it was forked from, so the hundreds of megabytes of generating
// the largest input here would be counted as every later tool's peak.
func generate(dir, format string, n int) (string, error) {
	out := filepath.Join(dir, fmt.Sprintf("%s-%d", format, n))
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d %s", generateEnv, format, n, out))
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("generating %s of %d groups: %w: %s", format, n, err, lastLine(string(b)))
	}
	return out, nil
}

// generateHere writes the input that spec ("FORMAT N DIR") names.
func generateHere(spec string) error {
	parts := strings.SplitN(spec, " ", 3) // the directory may hold spaces
	if len(parts) != 3 {
		return fmt.Errorf("%s=%q: want FORMAT N DIR", generateEnv, spec)
	}
	format, out := parts[0], parts[2]
	n, err := strconv.Atoi(parts[1])
	if err != nil {
		return fmt.Errorf("%s=%q: %w", generateEnv, spec, err)
	}
	switch format {
	case "terraform":
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		for name, b := range benchgen.Terraform(n) {
			if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
				return err
			}
		}
	case "cloudformation":
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "template.yaml"), benchgen.CloudFormation(n), 0o644); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown format %q (terraform or cloudformation)", format)
	}
	return nil
}

// parseEnv, when set to "FORMAT DIR", makes the program parse the input
// in DIR and exit: see timeParse.
const parseEnv = "VPCLINT_BENCHSCALE_PARSE"

// timeParse times the parse floor of an input: a child process that only
// parses it, with vpclint's GC settings (cmd/vpclint: GOGC=400 under a
// 900 MiB soft limit), so that the floor and vpclint pay the same
// collector.
func timeParse(format, in string) (measure, error) {
	self, err := os.Executable()
	if err != nil {
		return measure{}, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), parseEnv+"="+format+" "+in, "GOGC=400", "GOMEMLIMIT=900MiB")
	m, _, err := timeCmd(cmd)
	return m, err
}

// parseHere parses every file of the input spec ("FORMAT DIR") names into
// the syntax tree vpclint's loader starts from, and fails on a syntax
// error, so that the floor never times a parse that gave up early.
func parseHere(spec string) error {
	format, in, ok := strings.Cut(spec, " ") // the directory may hold spaces
	if !ok {
		return fmt.Errorf("%s=%q: want FORMAT DIR", parseEnv, spec)
	}
	ext := map[string]string{"terraform": ".tf", "cloudformation": ".yaml"}[format]
	if ext == "" {
		return fmt.Errorf("unknown format %q (terraform or cloudformation)", format)
	}
	files, err := filepath.Glob(filepath.Join(in, "*"+ext))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no %s files in %s", ext, in)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		switch format {
		case "terraform":
			if _, diags := hclsyntax.ParseConfig(b, name, hcl.InitialPos); diags.HasErrors() {
				return fmt.Errorf("%s: %w", name, diags)
			}
		case "cloudformation":
			var doc yaml.Node
			if err := yaml.NewDecoder(bytes.NewReader(b)).Decode(&doc); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	return nil
}

// timeStartup times vpclint on an input of one VPC: its fixed cost, the
// rules compiled and run once. (An empty directory would not measure it:
// a scan with nothing to check compiles no rules.)
func timeStartup(bin, dir, format string) (measure, error) {
	in := filepath.Join(dir, format+"-one")
	if err := os.MkdirAll(in, 0o755); err != nil {
		return measure{}, err
	}
	name, body := "main.tf", "resource \"aws_vpc\" \"one\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n"
	if format == "cloudformation" {
		name, body = "template.yaml", "Resources:\n  One:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n"
	}
	if err := os.WriteFile(filepath.Join(in, name), []byte(body), 0o644); err != nil {
		return measure{}, err
	}
	return timeVpclint(bin, in)
}

// measure is one timed run.
type measure struct {
	cpu, wall, rssMB float64
	findings         int // -1 when not counted
}

func (m measure) peerFindings() string {
	if m.findings < 0 {
		return "?"
	}
	return strconv.Itoa(m.findings)
}

func best(runs int, f func() (measure, error)) (measure, error) {
	var b measure
	for i := range max(runs, 1) {
		m, err := f()
		if err != nil {
			return m, err
		}
		if i == 0 || m.cpu < b.cpu {
			b = m
		}
	}
	return b, nil
}

// timeCmd runs cmd to completion and reads its resource usage. ok says
// which exit codes are a normal end (findings make scanners exit non-0).
//
// A fresh child of this program starts cmd and reports its usage: Linux
// starts a process's peak resident memory (ru_maxrss) from the peak of
// the memory it was forked from, and this process holds the reports it
// has read (tens of megabytes at the largest sizes), which would be
// counted as the peak of every tool timed after them.
func timeCmd(cmd *exec.Cmd, ok ...int) (measure, []byte, error) {
	self, err := os.Executable()
	if err != nil {
		return measure{}, nil, err
	}
	out, err := os.CreateTemp("", "vpclint-benchscale-out")
	if err != nil {
		return measure{}, nil, err
	}
	out.Close()
	defer os.Remove(out.Name())
	runner := exec.Command(self, append([]string{cmd.Path}, cmd.Args[1:]...)...)
	runner.Dir = cmd.Dir
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	runner.Env = append(env, runEnv+"="+out.Name())
	var stdout, stderr bytes.Buffer
	runner.Stdout, runner.Stderr = &stdout, &stderr
	if err := runner.Run(); err != nil {
		return measure{}, nil, fmt.Errorf("%s: %w: %s", cmd.Path, err, lastLine(stderr.String()))
	}
	var r runResult
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		return measure{}, nil, fmt.Errorf("%s: reading its usage: %w", cmd.Path, err)
	}
	if r.Exit != 0 && !contains(ok, r.Exit) {
		return measure{}, nil, fmt.Errorf("exit %d: %s", r.Exit, lastLine(stderr.String()))
	}
	report, err := os.ReadFile(out.Name())
	if err != nil {
		return measure{}, nil, err
	}
	return measure{wall: r.Wall, cpu: r.CPU, rssMB: r.RSSMB, findings: -1}, report, nil
}

// runEnv, when set to a file name, makes the program run the command its
// arguments name, write the command's output to that file and print its
// usage (runResult) as JSON: see timeCmd.
const runEnv = "VPCLINT_BENCHSCALE_RUN"

// runResult is what a runner reports of the command it ran.
type runResult struct {
	Exit  int     `json:"exit"`
	Wall  float64 `json:"wall"`
	CPU   float64 `json:"cpu"`
	RSSMB float64 `json:"rss_mb"`
}

// runHere runs args with stdout to the file out, stderr passed through.
func runHere(out string, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%s: no command", runEnv)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, runEnv+"=") })
	cmd.Stdout, cmd.Stderr = f, os.Stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start).Seconds()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return err
	}
	r := runResult{Exit: cmd.ProcessState.ExitCode(), Wall: wall}
	if ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage); ru != nil {
		r.CPU = tv(ru.Utime) + tv(ru.Stime)
		r.RSSMB = float64(ru.Maxrss) * maxrssUnit / (1 << 20)
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

func tv(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }

func timeVpclint(bin, in string) (measure, error) {
	cmd := exec.Command(bin, "scan", "--format", "json", "--fail-on", "none", "--no-config", in)
	m, out, err := timeCmd(cmd)
	if err != nil {
		return m, err
	}
	var report struct {
		Findings []json.RawMessage `json:"findings"`
		Errors   []struct {
			Level   string `json:"level"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		return m, fmt.Errorf("reading its JSON report: %w", err)
	}
	for _, e := range report.Errors {
		if e.Level == "error" {
			return m, fmt.Errorf("input error: %s", e.Message)
		}
	}
	m.findings = len(report.Findings)
	return m, nil
}

// peer is another scanner timed on the same input.
type peer struct {
	name    string
	path    string
	formats []string
	args    func(in, format, tmp string) []string
	ok      []int
	count   func(out []byte, tmp string) int
}

func (p peer) version() string {
	// A Go binary names its module version (go install ...@v1.28.14
	// builds print no version of their own).
	if bi, err := buildinfo.ReadFile(p.path); err == nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	arg := "--version"
	if p.name == "kics" {
		arg = "version"
	}
	out, err := exec.Command(p.path, arg).CombinedOutput()
	if err != nil {
		return "version unknown"
	}
	for _, line := range strings.Split(string(out), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return line
		}
	}
	return "version unknown"
}

func (p peer) time(in, format string) (measure, error) {
	tmp, err := os.MkdirTemp("", "vpclint-benchscale-peer")
	if err != nil {
		return measure{}, err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command(p.path, p.args(in, format, tmp)...)
	// no update checks, no colour
	cmd.Env = append(os.Environ(), "TFSEC_NO_UPDATE_CHECK=1", "NO_COLOR=1")
	m, out, err := timeCmd(cmd, p.ok...)
	if err != nil {
		return m, err
	}
	if p.count != nil {
		m.findings = p.count(out, tmp)
	}
	return m, nil
}

func availablePeers(format, list string) []peer {
	all := []peer{
		{
			name: "tfsec", formats: []string{"terraform"},
			args: func(in, _, _ string) []string {
				return []string{in, "--format", "json", "--soft-fail", "--no-color", "--no-module-downloads"}
			},
			count: func(out []byte, _ string) int {
				var r struct {
					Results []json.RawMessage `json:"results"`
				}
				if json.Unmarshal(out, &r) != nil {
					return -1
				}
				return len(r.Results)
			},
		},
		{
			name: "trivy", formats: []string{"terraform", "cloudformation"},
			args: func(in, _, tmp string) []string {
				// Trivy gives up after five minutes by default, before
				// it finishes the largest inputs.
				return []string{"config", "--quiet", "--skip-check-update", "--timeout", "2h", "--format", "json", "--cache-dir", tmp, in}
			},
			count: func(out []byte, _ string) int {
				var r struct {
					Results []struct {
						Misconfigurations []json.RawMessage `json:"Misconfigurations"`
					} `json:"Results"`
				}
				if json.Unmarshal(out, &r) != nil {
					return -1
				}
				n := 0
				for _, x := range r.Results {
					n += len(x.Misconfigurations)
				}
				return n
			},
		},
		{
			name: "kics", formats: []string{"terraform", "cloudformation"},
			args: func(in, format, tmp string) []string {
				t := map[string]string{"terraform": "Terraform", "cloudformation": "CloudFormation"}[format]
				return []string{"scan", "--no-progress", "--disable-secrets", "--ci", "-p", in, "-t", t, "-o", tmp, "--report-formats", "json"}
			},
			ok: []int{20, 30, 40, 50, 60},
			count: func(_ []byte, tmp string) int {
				b, err := os.ReadFile(filepath.Join(tmp, "results.json"))
				if err != nil {
					return -1
				}
				var r struct {
					Total int `json:"total_counter"`
				}
				if json.Unmarshal(b, &r) != nil {
					return -1
				}
				return r.Total
			},
		},
	}
	want := map[string]bool{}
	for _, n := range strings.Split(list, ",") {
		want[strings.TrimSpace(n)] = true
	}
	var out []peer
	for _, p := range all {
		if !want[p.name] || !contains(p.formats, format) {
			continue
		}
		path, err := exec.LookPath(p.name)
		if err != nil {
			continue
		}
		p.path = path
		out = append(out, p)
	}
	return out
}

func contains[T comparable](l []T, x T) bool {
	for _, y := range l {
		if y == x {
			return true
		}
	}
	return false
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func joinInts(l []int) string {
	s := make([]string, len(l))
	for i, n := range l {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}
