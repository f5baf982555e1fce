package scripts

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

var (
	// mdLink is a Markdown link's target: [text](target) or [text](target "title").
	mdLink = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	// url is anything with a scheme, left out of the path search.
	url = regexp.MustCompile(`[a-z][a-z0-9+.-]*://\S+`)
	// repoPath is a path into the repository written in prose or code:
	// directories then a file with an extension, or a directory ending
	// in a slash. Placeholders such as <ID> do not match.
	repoPath = regexp.MustCompile(`^(?:\.\./|/)?(?:[A-Za-z0-9_.-]+/)+(?:[A-Za-z0-9_-]+(?:\.[a-z]+)+)?$`)
	// page is a Markdown page named without a directory (RULES.md).
	page = regexp.MustCompile(`^[A-Za-z0-9_-]+\.md$`)
	// command is a shell command in code: its arguments are examples.
	command = regexp.MustCompile("`(?:go|make|git|vpclint) [^`]*`")
)

// TestDocLinks: the README's, HACKING.md's and docs/' links to files of
// the repository lead to files that exist.
func TestDocLinks(t *testing.T) {
	docs, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	rules, _ := filepath.Glob("../docs/rules/*.md")
	docs = append(append(docs, rules...), "../README.md", "../HACKING.md")
	for _, doc := range docs {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if url.MatchString(target) || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			if _, err := os.Stat(filepath.Join(filepath.Dir(doc), filepath.FromSlash(target))); err != nil {
				t.Errorf("%s links to %s, which does not exist", filepath.Base(doc), m[1])
			}
		}
	}
}

// TestHackingNamesRepositoryFiles: every path HACKING.md names, in code or
// in prose, is a file or directory of the repository (a page named alone,
// at its top or in docs/): a contributor has
// only the clone (nothing beside it, nothing absolute).
func TestHackingNamesRepositoryFiles(t *testing.T) {
	b, err := os.ReadFile("../HACKING.md")
	if err != nil {
		t.Fatal(err)
	}
	paths := hackingPaths(string(b))
	if len(paths) < 5 {
		t.Fatalf("found only %v: the path pattern is broken", paths)
	}
	for _, p := range paths {
		if strings.HasPrefix(p, "/") || strings.HasPrefix(p, "../") {
			t.Errorf("HACKING.md names %s, outside the repository", p)
			continue
		}
		_, err := os.Stat(filepath.Join("..", filepath.FromSlash(p)))
		if err != nil && page.MatchString(p) {
			_, err = os.Stat(filepath.Join("..", "docs", p))
		}
		if err != nil {
			t.Errorf("HACKING.md names %s, which is not in the repository", p)
		}
	}
}

// hackingPaths lists the repository paths a page names, outside URLs and
// shell commands.
func hackingPaths(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		line = command.ReplaceAllString(url.ReplaceAllString(line, " "), " ")
		words := strings.FieldsFunc(line, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune("`()[]\"',;", r)
		})
		for _, w := range words {
			w = strings.TrimRight(w, ".:")
			if (repoPath.MatchString(w) || page.MatchString(w)) && !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// TestHackingPaths: the path search finds paths in code and prose, and
// leaves out URLs, placeholders and commands.
func TestHackingPaths(t *testing.T) {
	got := hackingPaths("see `docs/architecture.md` and rules/config.json, /work/shared/notes/x.md or ../shared/corpus/ " +
		"(`rules/<area>/<name>.rego`), RULES.md, https://example.com/a/b.md, `go run ./cmd/vpclint scan testdata/rules/SG001/pos_x.tf`; scan/fixtures_test.go.")
	want := []string{"docs/architecture.md", "rules/config.json", "/work/shared/notes/x.md", "../shared/corpus/", "RULES.md", "scan/fixtures_test.go"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("paths %q, want %q", got, want)
	}
}

// TestDocumentedDownload runs docs/ci.md's download of a release binary
// against a release server faked on 127.0.0.1 (the archives and checksums
// as .goreleaser.yaml names them): it installs and runs the binary, and
// stops at a checksum that does not match.
func TestDocumentedDownload(t *testing.T) {
	needBash(t)
	for _, tool := range []string{"curl", "sha256sum", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	b, err := os.ReadFile("../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	const releases = "https://github.com/vpclint/vpclint/releases/download"
	var script string
	for _, block := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		if strings.Contains(block[1], releases) {
			script = block[1]
		}
	}
	if script == "" || !strings.Contains(script, "version=1.2.3") {
		t.Fatalf("docs/ci.md has no download of release 1.2.3 from %s", releases)
	}
	for _, tt := range []struct {
		name     string
		tamper   string
		wantCode int
		wantOut  string
	}{
		{name: "verified", wantOut: "vpclint " + testVersion},
		{name: "checksum mismatch", tamper: "vpclint_1.2.3_linux_amd64.tar.gz", wantCode: 1, wantOut: "FAILED"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(&fakeRelease{assets: releaseAssets(t, testVersion, tt.tamper)})
			defer ts.Close()
			dir := t.TempDir()
			cmd := exec.Command("bash", "-c", strings.ReplaceAll(script, releases, ts.URL))
			cmd.Dir = dir
			cmd.Env = cleanEnv()
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.wantCode || !strings.Contains(string(out), tt.wantOut) {
				t.Errorf("exit %d, want %d with %q:\n%s", code, tt.wantCode, tt.wantOut, out)
			}
			_, err = os.Stat(filepath.Join(dir, "vpclint"))
			if installed := err == nil; installed != (tt.wantCode == 0) {
				t.Errorf("vpclint unpacked: %v", installed)
			}
		})
	}
}
