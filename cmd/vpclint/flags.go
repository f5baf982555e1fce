package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/reporters"
	"github.com/vpclint/vpclint/scan"
)

// The scan flags users bring from tfsec, Trivy, Checkov and KICS, and the
// checks that turn a mistaken command line into an error before anything
// is scanned.

// shownSeverities reads --severity LIST (Trivy: the severities to show,
// comma-separated, repeatable) and --minimum-severity SEV (tfsec: that
// severity and worse). nil means every severity. The two flags say the
// same thing two ways, so only one may be given.
func shownSeverities(list []string, minimum string) ([]model.Severity, error) {
	if len(list) > 0 && minimum != "" {
		return nil, usageError("--severity and --minimum-severity both choose the severities shown: give one")
	}
	if minimum != "" {
		min, err := model.ParseSeverity(minimum)
		if err != nil {
			return nil, usageError("--minimum-severity: %v", err)
		}
		var out []model.Severity
		for _, s := range model.Severities {
			if s.Rank() >= min.Rank() {
				out = append(out, s)
			}
		}
		return out, nil
	}
	var out []model.Severity
	for _, item := range list {
		for _, name := range strings.Split(item, ",") {
			if strings.TrimSpace(name) == "" {
				continue
			}
			s, err := model.ParseSeverity(name)
			if err != nil {
				return nil, usageError("--severity: %v", err)
			}
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	if len(list) > 0 && len(out) == 0 {
		return nil, usageError("--severity: no severity given")
	}
	return out, nil
}

// applySoftFail makes --soft-fail (Checkov, tfsec) mean --fail-on none.
// It overrides --fail-on and the config's fail_on, so a wrapper that
// always passes --fail-on (the GitHub Action does) can still be softened
// with extra arguments.
func applySoftFail(cmd *cobra.Command, f *scanFlags) error {
	if !f.softFail {
		return nil
	}
	// Set, not assigned: the flag counts as given, so it wins over the
	// config file's fail_on as an explicit --fail-on does.
	return cmd.Flags().Set("fail-on", "none")
}

// ruleIDShape matches what reads as a rule id rather than a path: a
// vpclint id (SG001, NACL003, ACME001), a Checkov check (CKV_AWS_24,
// CKV2_AWS_5), a Trivy or tfsec id (AVD-AWS-0107, AWS-0107).
var ruleIDShape = regexp.MustCompile(`^(?i:[a-z]{2,8}[0-9]{3,}|ckv2?_[a-z0-9]+_[0-9]+|(avd-)?[a-z]{2,6}-[0-9]{4})$`)

// checkExcludes refuses an --exclude value that names a rule: --exclude
// takes globs of paths (as in tfsec's --exclude-path and Trivy's
// --skip-files), and a rule id there would silently exclude nothing. A
// value that is also an existing path is left alone. peerRules maps a
// peer's id (any case) to the vpclint rules that correspond to it.
func checkExcludes(globs []string, wd string, peerRules func(id string) []string) error {
	for _, g := range globs {
		if _, err := os.Lstat(filepath.Join(wd, g)); err == nil {
			continue
		}
		if ids := peerRules(g); len(ids) > 0 {
			return usageError("--exclude %s: that is a rule id of another tool, and --exclude takes paths; vpclint's %s %s: use --disable %s to turn %s off",
				g, plural(len(ids), "rule for it is", "rules for it are"), strings.Join(ids, ", "), strings.Join(ids, " --disable "), plural(len(ids), "it", "them"))
		}
		if ruleIDShape.MatchString(g) {
			return usageError("--exclude %s: that looks like a rule id, and --exclude takes paths (globs); use --disable %s to turn a rule off", g, strings.ToUpper(g))
		}
	}
	return nil
}

// formatName is what the part before "=" in --output FORMAT=FILE looks
// like when it is meant as a format: a word, not a path.
var formatName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// splitOutput reads one --output value: FORMAT=FILE or FILE. A value whose
// part before "=" is a word that names no format is an error rather than a
// file name ("xml=out.xml" would otherwise create a directory "xml=").
func splitOutput(o string) (format, file string, err error) {
	k, v, ok := strings.Cut(o, "=")
	if !ok || !formatName.MatchString(k) {
		return "", o, nil
	}
	if !reporters.Valid(k) {
		return "", "", usageError("--output %s: unknown format %q (want one of %s)", o, k, strings.Join(reporters.Formats(), ", "))
	}
	if v == "" {
		return "", "", usageError("--output %s: no file name", o)
	}
	return strings.ToLower(k), v, nil
}

// checkOutputFiles makes sure each report file can be written before the
// scan starts, so a typo in a path fails at once (exit 2) instead of after
// a long scan or live audit. It creates missing parent directories (the
// report would create them anyway) and leaves no file behind.
func checkOutputFiles(outs []output) error {
	for _, o := range outs {
		if o.file == "" || o.file == "-" {
			continue
		}
		if err := checkWritable(o.file); err != nil {
			return &exitCodeError{code: exitError, err: fmt.Errorf("--output %s=%s: %w", o.format, o.file, err)}
		}
	}
	return nil
}

// checkWritable reports whether path can be written as writeFileAtomic
// writes it: an existing special file or link opened for writing, else a
// new file created in its directory.
func checkWritable(path string) error {
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return errors.New("is a directory")
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return pathlessErr(err)
		}
		return f.Close()
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create its directory: %w", pathlessErr(err))
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("cannot create the file: %w", pathlessErr(err))
	}
	name := tmp.Name()
	tmp.Close()
	return os.Remove(name)
}

// pathlessErr drops the path an *os.PathError repeats (the caller names
// the file as the user gave it).
func pathlessErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// warnNothingRead repeats on standard error the warning for each directory
// named to scan that holds nothing vpclint reads (a mistyped path, a
// Terragrunt tree), unless the text report on standard output shows it
// already: a SARIF or JSON report alone would hide it from the person
// running the command.
func warnNothingRead(stderr io.Writer, res *scan.Result, outs []output) {
	for _, o := range outs {
		if o.format == "text" && (o.file == "" || o.file == "-") {
			return
		}
	}
	for _, e := range res.Errors {
		if e.Level == model.LevelWarning && slices.Contains(res.Summary.Empty, e.File) {
			fmt.Fprintf(stderr, "vpclint: warning: %s\n", e.Error())
		}
	}
}

// checkAnchor makes sure --anchor names a file that exists: GitHub shows
// the alerts of live findings on it.
func checkAnchor(anchor string) error {
	if anchor == "" {
		return nil
	}
	st, err := os.Stat(anchor)
	if err != nil || !st.Mode().IsRegular() {
		return usageError("--anchor %s: not a file (live findings in SARIF point at a file of the repository)", anchor)
	}
	return nil
}

// repoDir is the repository root (the git work tree) holding the current
// directory, which SARIF URIs are relative to; "" when there is none.
func repoDir(wd string) string {
	root, err := loader.ScanRoot(wd)
	if err != nil {
		return ""
	}
	return root
}
