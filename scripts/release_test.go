package scripts

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// goreleaserFile is the part of .goreleaser.yaml the tests check.
type goreleaserFile struct {
	Version     int    `yaml:"version"`
	ProjectName string `yaml:"project_name"`
	Builds      []struct {
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		NameTemplate    string   `yaml:"name_template"`
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
	SBOMs []struct {
		Artifacts string `yaml:"artifacts"`
	} `yaml:"sboms"`
}

func readGoreleaser(t *testing.T) goreleaserFile {
	t.Helper()
	b, err := os.ReadFile("../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var g goreleaserFile
	if err := yaml.Unmarshal(b, &g); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	return g
}

// releaseName renders one of .goreleaser.yaml's name templates for a
// release, as GoReleaser would.
func releaseName(t *testing.T, tmpl, project, version, goos, arch string) string {
	t.Helper()
	fields := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	out := fields.ReplaceAllStringFunc(tmpl, func(m string) string {
		switch fields.FindStringSubmatch(m)[1] {
		case "ProjectName":
			return project
		case "Version":
			return strings.TrimPrefix(version, "v")
		case "Os":
			return goos
		case "Arch":
			return arch
		}
		t.Fatalf("name template %q uses %s, which the Action's download does not know", tmpl, m)
		return ""
	})
	return out
}

// TestGoReleaserConfig: the release builds static binaries for the six
// platforms with the version stamped, archives named as the Action
// downloads them (scripts/action-install.sh), SHA-256 checksums and
// SBOMs; `goreleaser check` accepts the file when goreleaser is
// installed.
func TestGoReleaserConfig(t *testing.T) {
	g := readGoreleaser(t)
	if g.Version != 2 || g.ProjectName != "vpclint" || len(g.Builds) != 1 || len(g.Archives) != 1 {
		t.Fatalf("version %d, project %q, %d builds, %d archives", g.Version, g.ProjectName, len(g.Builds), len(g.Archives))
	}
	b := g.Builds[0]
	if b.Main != "./cmd/vpclint" || b.Binary != "vpclint" {
		t.Errorf("build main %q binary %q", b.Main, b.Binary)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") || !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("not a static, trimmed build: env %v flags %v", b.Env, b.Flags)
	}
	if !slices.ContainsFunc(b.Ldflags, func(s string) bool { return strings.Contains(s, "-X main.version=v{{ .Version }}") }) {
		t.Errorf("ldflags %v do not stamp main.version with the tag", b.Ldflags)
	}
	for _, want := range []string{"linux", "darwin", "windows"} {
		if !slices.Contains(b.Goos, want) {
			t.Errorf("goos %v lacks %s", b.Goos, want)
		}
	}
	for _, want := range []string{"amd64", "arm64"} {
		if !slices.Contains(b.Goarch, want) {
			t.Errorf("goarch %v lacks %s", b.Goarch, want)
		}
	}
	a := g.Archives[0]
	if !slices.Equal(a.Formats, []string{"tar.gz"}) || len(a.FormatOverrides) != 1 || a.FormatOverrides[0].Goos != "windows" || !slices.Equal(a.FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("archive formats %v %+v: the Action expects tar.gz, and zip on Windows", a.Formats, a.FormatOverrides)
	}
	// The names the Action downloads are the names GoReleaser makes.
	script, err := os.ReadFile("action-install.sh")
	if err != nil {
		t.Fatal(err)
	}
	scriptArchive := `archive="vpclint_${plain}_${os}_${arch}.${ext}"`
	scriptSums := `sums="vpclint_${plain}_checksums.txt"`
	if !strings.Contains(string(script), scriptArchive) || !strings.Contains(string(script), scriptSums) {
		t.Fatalf("action-install.sh no longer names its downloads %s and %s", scriptArchive, scriptSums)
	}
	if got := releaseName(t, a.NameTemplate, g.ProjectName, "v1.2.3", "linux", "arm64"); got != "vpclint_1.2.3_linux_arm64" {
		t.Errorf("archives are named %s, the Action downloads vpclint_1.2.3_linux_arm64.tar.gz", got)
	}
	if got := releaseName(t, g.Checksum.NameTemplate, g.ProjectName, "v1.2.3", "", ""); got != "vpclint_1.2.3_checksums.txt" || g.Checksum.Algorithm != "sha256" {
		t.Errorf("checksums %s (%s), the Action verifies vpclint_1.2.3_checksums.txt (sha256)", got, g.Checksum.Algorithm)
	}
	if len(g.SBOMs) == 0 || g.SBOMs[0].Artifacts != "archive" {
		t.Errorf("no SBOM of the archives: %+v", g.SBOMs)
	}

	gr, err := exec.LookPath("goreleaser")
	if err != nil {
		t.Log("goreleaser is not on PATH: `goreleaser check` skipped (go install github.com/goreleaser/goreleaser/v2@v2.17.0)")
		return
	}
	cmd := exec.Command(gr, "check")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("goreleaser check: %v\n%s", err, out)
	}
}

// dockerInstruction is one instruction of a Dockerfile, continuation
// lines joined.
type dockerInstruction struct {
	cmd, args string
}

func parseDockerfile(t *testing.T, path string) []dockerInstruction {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []dockerInstruction
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`) + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, dockerInstruction{strings.ToUpper(cmd), strings.TrimSpace(args)})
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDockerfile checks the image's Dockerfile by its instructions (no
// Docker engine runs in the tests): a build stage that compiles
// ./cmd/vpclint statically with the Go of go.mod, and a final stage on a
// minimal non-root base, working in /src (where users mount the code),
// with vpclint as an exec-form entrypoint.
func TestDockerfile(t *testing.T) {
	ins := parseDockerfile(t, "../Dockerfile")
	var stages [][]dockerInstruction
	for _, in := range ins {
		if in.cmd == "FROM" {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			if in.cmd != "ARG" {
				t.Fatalf("%s before the first FROM", in.cmd)
			}
			continue
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	if len(stages) < 2 {
		t.Fatalf("%d stages: want a build stage and a minimal final stage", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]

	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	from := strings.Fields(build[0].args)
	if goVersion == nil || len(from) < 3 || !strings.HasPrefix(from[0], "golang:"+string(goVersion[1])) || from[1] != "AS" && from[1] != "as" {
		t.Errorf("build stage FROM %q: want golang:%s... AS <name>", build[0].args, goVersion[1])
	}
	stageName := from[len(from)-1]
	var compiled bool
	for _, in := range build {
		if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
			compiled = strings.Contains(in.args, "CGO_ENABLED=0") && strings.Contains(in.args, "-trimpath") &&
				strings.Contains(in.args, "-X main.version=") && strings.HasSuffix(in.args, "./cmd/vpclint")
		}
	}
	if !compiled {
		t.Error("the build stage does not build ./cmd/vpclint static (CGO_ENABLED=0, -trimpath) with the version stamped")
	}

	if !strings.HasPrefix(final[0].args, "gcr.io/distroless/static") || !strings.Contains(final[0].args, "nonroot") {
		t.Errorf("final base %q: want distroless static, nonroot", final[0].args)
	}
	var copied, workdir, user, entry bool
	for _, in := range final {
		switch in.cmd {
		case "COPY":
			copied = copied || strings.HasPrefix(in.args, "--from="+stageName+" ")
		case "WORKDIR":
			workdir = in.args == "/src"
		case "USER":
			user = !strings.HasPrefix(in.args, "root") && !strings.HasPrefix(in.args, "0")
		case "ENTRYPOINT":
			entry = strings.HasPrefix(in.args, `["`) && strings.Contains(in.args, "vpclint")
		case "RUN":
			t.Errorf("RUN in the final stage (%s): the distroless base has no shell", in.args)
		}
	}
	if !copied || !workdir || !user || !entry {
		t.Errorf("final stage: binary copied from %s %v, WORKDIR /src %v, non-root USER %v, exec-form vpclint ENTRYPOINT %v", stageName, copied, workdir, user, entry)
	}

	ignore, err := os.ReadFile("../.dockerignore")
	if err != nil || !slices.Contains(strings.Fields(string(ignore)), ".git") {
		t.Errorf(".dockerignore must leave .git out of the build context (%v)", err)
	}
}

// TestMakeBuildReusesTestCache: `make build` compiles every package as
// `go run` and `go test` do, so after TestMain's plain build nothing but
// the main package (whose link stamps the version) is compiled again.
// The old recipe (CGO_ENABLED=0 -trimpath) recompiled all ~550 packages.
func TestMakeBuildReusesTestCache(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	// --no-print-directory: under `make test` this make is nested, and
	// would otherwise wrap the recipe in "Entering directory" lines.
	cmd := exec.Command("make", "--no-print-directory", "-n", "build", "VERSION=v0.0.0-test", "BIN="+filepath.Join(t.TempDir(), "vpclint"))
	cmd.Dir = ".."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("make -n build: %v", err)
	}
	recipe := strings.TrimSpace(string(out))
	if strings.Count(recipe, "\n") > 0 || !strings.Contains(recipe, "go build ") {
		t.Fatalf("make build is not one go build: %q", recipe)
	}
	dry := exec.Command("sh", "-c", strings.Replace(recipe, "go build ", "go build -n ", 1))
	dry.Dir = ".."
	dryOut, err := dry.CombinedOutput()
	if err != nil {
		t.Fatalf("%s -n: %v\n%s", recipe, err, dryOut)
	}
	var recompiled []string
	for _, line := range strings.Split(string(dryOut), "\n") {
		if !strings.Contains(line, "/compile ") {
			continue
		}
		if m := regexp.MustCompile(` -p (\S+)`).FindStringSubmatch(line); m != nil && m[1] != "main" {
			recompiled = append(recompiled, m[1])
		}
	}
	if len(recompiled) > 0 {
		t.Errorf("make build compiles %d packages the test build had compiled (%s ...): its flags differ from go test's", len(recompiled), recompiled[0])
	}
}
