// Command vpclint lints AWS private connectivity (VPC endpoints and their
// policies, PrivateLink endpoint services, security groups and network
// ACLs) in Terraform, CloudFormation and live AWS accounts.
//
// This package is flags only: it turns the command line into scan.Options
// and reporter settings, and the scan's result into an exit code.
package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpclint/vpclint/internal/safetext"
	"github.com/vpclint/vpclint/loader/awslive"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

// Exit codes.
const (
	exitOK       = 0 // no finding at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitError    = 2 // could not do what was asked
)

// exitCodeError carries an exit code out of a command.
type exitCodeError struct {
	code int
	err  error // nil: nothing more to print
}

func (e *exitCodeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitCodeError) Unwrap() error { return e.err }

// usageError marks an error in the command line (exit 2).
func usageError(format string, args ...any) error {
	return &exitCodeError{code: exitError, err: fmt.Errorf(format, args...)}
}

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// tuneGC trades memory for speed in this short-lived process: a scan
// allocates a lot of short-lived Rego values, and at Go's default GOGC=100
// a quarter of a large evaluation's CPU time is garbage collection. A
// soft memory limit keeps the heap bounded on small CI runners. GOGC and
// GOMEMLIMIT in the environment win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

// memoryLimit is the soft limit of the Go heap. At GOGC=400 a heap of L
// live bytes may grow to 5 L before a collection: the 20,000-group
// Terraform module of the scaling benchmark (425 MB live, while its 17 MB
// of HCL are evaluated) reached 1.6 GB resident under a 2 GiB limit, a
// fifth of its CPU time spent in the kernel and in zeroing fresh pages.
// Under 900 MiB it peaks at about 1.0 GB for the same CPU time, within the
// machine's noise; under 700 MiB, close to the live heap, the collector
// runs almost constantly (40 % more CPU) for little less memory. A small
// scan, far below the limit, is not affected.
const memoryLimit = 900 << 20

// app holds what the commands share.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// awsClients replaces the AWS SDK clients of live audits (benchmarks
	// of a synthetic organization); nil in vpclint itself.
	awsClients awslive.Clients
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return (&app{stdin: stdin, stdout: stdout, stderr: stderr}).run(ctx, args)
}

// run executes the command line with the app's settings.
func (a *app) run(ctx context.Context, args []string) int {
	stdin, stdout, stderr := a.stdin, a.stdout, a.stderr
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ec *exitCodeError
	if errors.As(err, &ec) {
		if ec.err != nil {
			fmt.Fprintf(stderr, "vpclint: %s\n", safeLines(ec.err.Error()))
		}
		return ec.code
	}
	// Cobra's own errors (unknown flag or command) and anything else.
	fmt.Fprintf(stderr, "vpclint: %s\n", safeLines(err.Error()))
	return exitError
}

// safeLines escapes, line by line, what a terminal would act on in a
// message that may quote the input (a config key, a rule file's text).
func safeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = safetext.Line(l)
	}
	return strings.Join(lines, "\n")
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "vpclint",
		Short: "Lint AWS private connectivity: VPC endpoints, endpoint policies, PrivateLink services, security groups and network ACLs",
		Long: `vpclint reads Terraform (HCL and plan JSON), CloudFormation and live AWS
accounts into one model, computes exact network facts, evaluates its rules
and reports findings as text, JSON or SARIF for GitHub code scanning.

Exit status: 0 no finding at or above --fail-on, 1 findings at or above it,
2 vpclint could not do what was asked.`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		Version:           versionString(),
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: true},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		// The hint goes on a line of its own, after the error.
		return &exitCodeError{code: exitError, err: errors.Join(err, fmt.Errorf("run '%s --help' for usage", c.CommandPath()))}
	})
	root.AddCommand(a.scanCommand(), a.mergeCommand(), a.hookCommand(), a.rulesCommand(), a.explainCommand(), a.versionCommand(), a.docsCommand())
	return root
}

// versionString is the build's version: the -X main.version stamp of a
// release build, else the module version `go install ...@version` (or a
// build in a tagged checkout) recorded, else "dev".
func versionString() string {
	bi, _ := debug.ReadBuildInfo()
	return versionOf(version, bi)
}

func versionOf(stamped string, bi *debug.BuildInfo) string {
	if stamped != "" {
		return stamped
	}
	if bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// versionReport is what `vpclint version` prints: the version, then what
// Go recorded about the build, so a bug report says exactly which code and
// toolchain made the binary.
func versionReport(stamped string, bi *debug.BuildInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "vpclint %s\n", versionOf(stamped, bi))
	if bi == nil {
		return b.String()
	}
	set := map[string]string{}
	for _, s := range bi.Settings {
		set[s.Key] = s.Value
	}
	if rev := set["vcs.revision"]; rev != "" {
		line := "commit:    " + rev
		if t := set["vcs.time"]; t != "" {
			line += " (" + t + ")"
		}
		if set["vcs.modified"] == "true" {
			line += ", with uncommitted changes"
		}
		b.WriteString(line + "\n")
	}
	if bi.Main.Path != "" {
		line := "module:    " + bi.Main.Path
		if bi.Main.Version != "" {
			line += " " + bi.Main.Version
		}
		if bi.Main.Sum != "" {
			line += " " + bi.Main.Sum
		}
		b.WriteString(line + "\n")
	}
	goos, goarch := set["GOOS"], set["GOARCH"]
	if goos == "" {
		goos, goarch = runtime.GOOS, runtime.GOARCH
	}
	build := []string{"CGO_ENABLED=" + cmp.Or(set["CGO_ENABLED"], "?")}
	if set["-trimpath"] == "true" {
		build = append(build, "-trimpath")
	}
	fmt.Fprintf(&b, "go:        %s %s/%s (%s)\n", cmp.Or(bi.GoVersion, runtime.Version()), goos, goarch, strings.Join(build, ", "))
	return b.String()
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print vpclint's version and how it was built",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bi, _ := debug.ReadBuildInfo()
			_, err := io.WriteString(a.stdout, versionReport(version, bi))
			return err
		},
	}
}
