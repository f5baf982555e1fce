package cloudformation

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
	"go.yaml.in/yaml/v3"
)

// corpusDir is the shared corpus of public templates, beside the repository.
func corpusDir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	repoRoot := filepath.Join(filepath.Dir(file), "..", "..")
	dir := filepath.Join(repoRoot, "..", "shared", "corpus", "cloudformation")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus missing: %v", err)
		}
		t.Skipf("corpus not present: %v", err)
	}
	return dir
}

// corpusFile is one corpus template with its source folder.
type corpusFile struct {
	source, path string
}

// corpusFiles lists the CloudFormation corpus, by source folder, and the
// other linters' fixture folders (fixtures-kics ...), whose templates are
// mixed with Terraform and plans.
func corpusFiles(t testing.TB) []corpusFile {
	dir := corpusDir(t)
	var out []corpusFile
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		source, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		out = append(out, corpusFile{source: source, path: p})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fixtures, _ := filepath.Glob(filepath.Join(dir, "..", "fixtures-*"))
	for _, fd := range fixtures {
		source := filepath.Base(fd)
		err := filepath.WalkDir(fd, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".yaml", ".yml", ".json", ".template":
				out = append(out, corpusFile{source: source, path: p})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// loadCorpusFile detects and loads one file, turning a panic into an error.
func loadCorpusFile(cf corpusFile) (detected bool, models []*model.Model, errs []model.LoadError, panicked any) {
	return loadCorpusFileWith(cf, loader.Options{})
}

// loadCorpusFileWith is loadCorpusFile with options.
func loadCorpusFileWith(cf corpusFile, opts loader.Options) (detected bool, models []*model.Model, errs []model.LoadError, panicked any) {
	defer func() { panicked = recover() }()
	content, err := os.ReadFile(cf.path)
	if err != nil {
		return false, nil, nil, nil
	}
	in := loader.Input{Path: cf.path, Rel: filepath.Base(cf.path), Content: content}
	f := New()
	if !f.Detect(in) {
		return false, nil, nil, nil
	}
	models, errs = f.Load(context.Background(), in, opts)
	return true, models, errs, nil
}

func TestCorpusLoadsWithoutPanic(t *testing.T) {
	files := corpusFiles(t)
	detected, failed := 0, 0
	for _, cf := range files {
		ok, models, errs, p := loadCorpusFile(cf)
		if p != nil {
			t.Errorf("%s: panic: %v", cf.path, p)
			continue
		}
		if !ok {
			continue
		}
		detected++
		if len(models) == 0 {
			failed++
			t.Logf("%s: %v", cf.path, errs)
		}
		if content, err := os.ReadFile(cf.path); err == nil {
			checkLines(t, cf.path, content, models)
		}
	}
	t.Logf("%d files, %d detected as templates, %d failed to parse", len(files), detected, failed)
	// With a region and account, more intrinsics resolve.
	opts := loader.Options{Region: "us-east-1", Account: "123456789012"}
	for _, cf := range files {
		if _, _, _, p := loadCorpusFileWith(cf, opts); p != nil {
			t.Errorf("%s with region: panic: %v", cf.path, p)
		}
	}
}

var update = flag.Bool("update", false, "rewrite the CloudFormation section of docs/coverage.md")

// coverageDoc is the coverage page shared with the Terraform loaders; this
// package owns the part between its markers.
const (
	coverageDoc   = "../../docs/coverage.md"
	coverageBegin = "<!-- cloudformation:begin -->"
	coverageEnd   = "<!-- cloudformation:end -->"
)

// sourceStats is what the corpus gave for one source folder.
type sourceStats struct {
	files, templates, loaded, resources, unknown, problems int
}

// coverageTable loads the corpus and tabulates it per source folder.
func coverageTable(t *testing.T) string {
	stats := map[string]*sourceStats{}
	var names []string
	for _, cf := range corpusFiles(t) {
		s := stats[cf.source]
		if s == nil {
			s = &sourceStats{}
			stats[cf.source] = s
			names = append(names, cf.source)
		}
		s.files++
		ok, models, errs, p := loadCorpusFile(cf)
		if p != nil {
			t.Fatalf("%s: panic: %v", cf.path, p)
		}
		if !ok {
			continue
		}
		s.templates++
		if len(models) > 0 {
			s.loaded++
		}
		for _, m := range models {
			for _, r := range m.Resources() {
				if r.GetMeta().Placeholder {
					continue
				}
				s.resources++
				s.unknown += len(r.GetMeta().Unknown)
			}
		}
		for _, e := range errs {
			if e.Level != model.LevelInfo {
				s.problems++
			}
		}
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(coverageBegin + "\n")
	b.WriteString("## CloudFormation\n\n")
	b.WriteString("Generated by `go test ./loader/cloudformation -run TestCoverageTable -update` from `../shared/corpus/cloudformation` ")
	b.WriteString("and the YAML and JSON files of `../shared/corpus/fixtures-*` (other linters' test fixtures, mixed with Terraform), ")
	b.WriteString("loaded without parameters, region or account. *Files* are the candidate files; *templates* those detected as templates; *loaded* those that parsed; ")
	b.WriteString("*resources* the model resources read (VPCs, subnets, groups, ACLs, endpoints, services, route tables, flow logs); ")
	b.WriteString("*unknown* the attribute paths left unknown (parameters without defaults, pseudo parameters, imports); ")
	b.WriteString("*problems* the errors and warnings reported (values AWS would reject, duplicate keys).\n\n")
	b.WriteString("| source | files | templates | loaded | resources | unknown attributes | problems |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	var total sourceStats
	for _, n := range names {
		s := stats[n]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d |\n", n, s.files, s.templates, s.loaded, s.resources, s.unknown, s.problems)
		total.files += s.files
		total.templates += s.templates
		total.loaded += s.loaded
		total.resources += s.resources
		total.unknown += s.unknown
		total.problems += s.problems
	}
	fmt.Fprintf(&b, "| **total** | %d | %d | %d | %d | %d | %d |\n", total.files, total.templates, total.loaded, total.resources, total.unknown, total.problems)
	b.WriteString(coverageEnd)
	return b.String()
}

// TestCoverageTable keeps the CloudFormation table of docs/coverage.md in
// step with the loader; -update rewrites it.
func TestCoverageTable(t *testing.T) {
	table := coverageTable(t)
	doc, err := os.ReadFile(coverageDoc)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	text := string(doc)
	i, j := strings.Index(text, coverageBegin), strings.Index(text, coverageEnd)
	current := ""
	if i >= 0 && j > i {
		current = text[i : j+len(coverageEnd)]
	}
	if current == table {
		return
	}
	if !*update {
		t.Fatalf("docs/coverage.md is out of date; run go test ./loader/cloudformation -run TestCoverageTable -update")
	}
	switch {
	case current != "":
		text = text[:i] + table + text[j+len(coverageEnd):]
	case text == "":
		text = "# Coverage\n\nWhat each loader reads from the public corpus in `../shared/corpus`.\n\n" + table + "\n"
	default:
		text = strings.TrimRight(text, "\n") + "\n\n" + table + "\n"
	}
	if err := os.WriteFile(coverageDoc, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkLoadCorpus loads every template of the corpus.
func BenchmarkLoadCorpus(b *testing.B) {
	files := corpusFiles(b)
	var ins []loader.Input
	for _, cf := range files {
		c, err := os.ReadFile(cf.path)
		if err != nil {
			b.Fatal(err)
		}
		in := loader.Input{Path: cf.path, Rel: filepath.Base(cf.path), Content: c}
		if New().Detect(in) {
			ins = append(ins, in)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, in := range ins {
			New().Load(context.Background(), in, loader.Options{})
		}
	}
}

// checkLines asserts that every location of a loaded template lies in it:
// resources from their key to their end, attribute lines inside the file.
func checkLines(t *testing.T, path string, content []byte, models []*model.Model) {
	t.Helper()
	n := strings.Count(string(content), "\n") + 1
	for _, m := range models {
		for _, r := range m.Resources() {
			meta := r.GetMeta()
			src := meta.Source
			if src.File == m.Unit && (src.StartLine < 1 || src.EndLine < src.StartLine || src.EndLine > n) {
				t.Errorf("%s: %s spans lines %d-%d of %d", path, meta.Address, src.StartLine, src.EndLine, n)
			}
			for p, l := range meta.AttributeLines {
				if _, other := meta.AttributeFiles[p]; other {
					continue
				}
				if l < 1 || l > n {
					t.Errorf("%s: %s attribute %s at line %d of %d", path, meta.Address, p, l, n)
				}
				if !folded(r, p) && !meta.Placeholder && (l < src.StartLine || l > src.EndLine) {
					t.Errorf("%s: %s attribute %s at line %d, outside its lines %d-%d", path, meta.Address, p, l, src.StartLine, src.EndLine)
				}
			}
		}
	}
}

// folded reports whether an attribute path of r comes from another
// resource folded into it (a rule, entry, association or permission).
func folded(r model.Resource, p string) bool {
	switch v := r.(type) {
	case *model.SecurityGroup:
		for dir, rules := range map[string][]*model.SGRule{"ingress": v.Ingress, "egress": v.Egress} {
			for i, rule := range rules {
				q := fmt.Sprintf("%s[%d]", dir, i)
				if (p == q || strings.HasPrefix(p, q+".")) && rule.Address != "" {
					return true
				}
			}
		}
		return v.IsDefault
	case *model.NetworkACL:
		return strings.HasPrefix(p, "entries[") || strings.HasPrefix(p, "subnet_ids")
	case *model.RouteTable:
		return strings.HasPrefix(p, "routes[") || strings.HasPrefix(p, "subnet_ids")
	case *model.EndpointService:
		return strings.HasPrefix(p, "allowed_principals")
	case *model.Subnet:
		return p == "network_acl_id"
	}
	return false
}

// TestTrivyEmbeddedTemplates loads the templates that trivy's check
// documents embed (cloudformation.good and .bad): each is a whole
// template and must load (their "good" examples still miss values AWS
// requires, which are reported as warnings).
func TestTrivyEmbeddedTemplates(t *testing.T) {
	dir := filepath.Join(corpusDir(t), "..", "fixtures-trivy")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "checks", "cloud", "aws", "ec2", "*.yaml"))
	loaded := 0
	for _, f := range files {
		content, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			CloudFormation struct {
				Good []string `yaml:"good"`
				Bad  []string `yaml:"bad"`
			} `yaml:"cloudformation"`
		}
		if err := yaml.Unmarshal(content, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for kind, list := range map[string][]string{"good": doc.CloudFormation.Good, "bad": doc.CloudFormation.Bad} {
			for i, src := range list {
				name := fmt.Sprintf("%s/%s[%d].yaml", filepath.Base(f), kind, i)
				in := loader.Input{Path: name, Rel: name, Content: []byte(src)}
				if !New().Detect(in) {
					t.Errorf("%s: not detected", name)
					continue
				}
				ms, errs := New().Load(context.Background(), in, loader.Options{})
				if len(ms) != 1 {
					t.Errorf("%s: %v", name, errs)
					continue
				}
				loaded++
				checkLines(t, name, []byte(src), ms)
			}
		}
	}
	t.Logf("%d embedded templates loaded from %d documents", loaded, len(files))
}
