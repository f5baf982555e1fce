// Package testenv tells tests where the optional things they use are (the
// shared corpus beside the repository, moto_server, Chromium) and whether
// they must be there.
//
// A test that needs one of them skips with a reason when it is absent,
// unless the project-specific variable for it is set to 1, which .ci/run
// does: then its absence fails the test. The generic CI variable is not
// used, because every CI service sets it, including on a user's fork that
// has none of these.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// The variables that turn a skip into a failure.
const (
	RequireCorpusVar  = "VPCLINT_REQUIRE_CORPUS"
	RequireMotoVar    = "VPCLINT_REQUIRE_MOTO"
	RequireBrowserVar = "VPCLINT_REQUIRE_BROWSER"
)

// Required reports whether the variable v asks for its dependency.
func Required(v string) bool { return os.Getenv(v) == "1" }

// RepoRoot is the repository's top directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// SARIFSchema is the path of the vendored SARIF 2.1.0 schema.
func SARIFSchema() string {
	return filepath.Join(RepoRoot(), "testdata", "schemas", "sarif-schema-2.1.0.json")
}

// Missing skips tb with reason, or fails it when the variable v requires
// the dependency.
func Missing(tb testing.TB, v, reason string) {
	tb.Helper()
	if Required(v) {
		tb.Fatalf("%s, and %s=1 requires it", reason, v)
	}
	tb.Skipf("%s (set %s=1 to make this a failure)", reason, v)
}

// Corpus returns ../shared/corpus/<sub> beside the repository, skipping
// (or failing, under VPCLINT_REQUIRE_CORPUS=1) when it is absent.
func Corpus(tb testing.TB, sub ...string) string {
	tb.Helper()
	d := filepath.Join(append([]string{RepoRoot(), "..", "shared", "corpus"}, sub...)...)
	if _, err := os.Stat(d); err != nil {
		Missing(tb, RequireCorpusVar, "the shared corpus is not beside the repository ("+filepath.ToSlash(filepath.Join(append([]string{"../shared/corpus"}, sub...)...))+")")
	}
	return d
}

// LookPath finds a program the test needs, skipping (or failing when v
// requires it) when it is not on PATH; install says how to get it.
func LookPath(tb testing.TB, v, name, install string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(tb, v, name+" is not on PATH ("+install+")")
	}
	return p
}
