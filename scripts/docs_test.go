package scripts

import (
	"os"
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
