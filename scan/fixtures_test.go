package scan

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/evaluator/config"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// fixturesRoot holds testdata/rules/<ID>/<scenario>.<ext>, as HACKING.md
// ("Rule fixtures") describes.
const fixturesRoot = "../testdata/rules"

// fixture is one scenario file (or Terraform directory) of a rule.
type fixture struct {
	rule     string // directory: the rule the scenario is about
	scenario string // pos_open, neg_private ...
	format   string // terraform, tfplan, cloudformation
	path     string
	expect   []string // ids that must fire: the rule for pos*, plus # expect:
}

// fixtureFormat says what format a fixture path is, by its name. A
// directory is a Terraform root module, or, when it holds templates and no
// .tf file, CloudFormation templates read together (nested stacks,
// imports between templates).
func fixtureFormat(path string, isDir bool) (scenario, format string, ok bool) {
	name := filepath.Base(path)
	switch {
	case isDir && dirHolds(path, ".tf"):
		return name, model.FormatTerraform, true
	case isDir && dirHolds(path, ".yaml", ".yml", ".json"):
		return name, model.FormatCloudFormation, true
	case isDir:
		return name, model.FormatTerraform, true
	case strings.HasSuffix(name, ".plan.json"):
		return strings.TrimSuffix(name, ".plan.json"), model.FormatTFPlan, true
	case strings.HasSuffix(name, ".tf"):
		return strings.TrimSuffix(name, ".tf"), model.FormatTerraform, true
	case strings.HasSuffix(name, ".yaml"), strings.HasSuffix(name, ".yml"), strings.HasSuffix(name, ".json"):
		return strings.TrimSuffix(name, filepath.Ext(name)), model.FormatCloudFormation, true
	}
	return "", "", false
}

// dirHolds reports whether a directory holds, at any depth, a file with
// one of the extensions.
func dirHolds(dir string, exts ...string) bool {
	found := false
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && slices.Contains(exts, filepath.Ext(p)) {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// parseExpect reads "# expect: ID ID" (or "// expect:", or bare ids in an
// .expect file).
func parseExpect(line string) ([]string, bool) {
	s := strings.TrimSpace(line)
	s = strings.TrimPrefix(s, "#")
	s = strings.TrimPrefix(s, "//")
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, "expect:")
	if !ok {
		return nil, false
	}
	return strings.Fields(strings.ReplaceAll(rest, ",", " ")), true
}

func firstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return line
}

// expectedIDs gathers the ids a fixture must fire.
func expectedIDs(t *testing.T, dir, name, scenario, format string, isDir bool) []string {
	set := map[string]bool{}
	if strings.HasPrefix(scenario, "pos") {
		set[filepath.Base(dir)] = true
	}
	var extra []string
	switch {
	case isDir && format == model.FormatCloudFormation:
		extra, _ = parseExpect(firstLine(filepath.Join(dir, name, "main.yaml")))
	case isDir:
		extra, _ = parseExpect(firstLine(filepath.Join(dir, name, "main.tf")))
	case format == model.FormatTerraform || strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
		extra, _ = parseExpect(firstLine(filepath.Join(dir, name)))
	}
	if b, err := os.ReadFile(filepath.Join(dir, scenario+".expect")); err == nil && (isDir || strings.HasSuffix(name, ".json")) {
		for _, l := range strings.Split(string(b), "\n") {
			if ids, ok := parseExpect(l); ok {
				extra = append(extra, ids...)
			} else if !strings.HasPrefix(strings.TrimSpace(l), "#") {
				extra = append(extra, strings.Fields(strings.ReplaceAll(l, ",", " "))...)
			}
		}
	} else if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for _, id := range extra {
		set[id] = true
	}
	return sortedSet(set)
}

func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// configSuffix names a scenario's config file: pos_x.vpclint.yaml.
const configSuffix = ".vpclint.yaml"

func findFixtures(t *testing.T) []fixture {
	rules, err := os.ReadDir(fixturesRoot)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []fixture
	for _, r := range rules {
		if !r.IsDir() {
			continue
		}
		dir := filepath.Join(fixturesRoot, r.Name())
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if !strings.HasPrefix(name, "pos") && !strings.HasPrefix(name, "neg") || strings.HasSuffix(name, configSuffix) {
				continue
			}
			scenario, format, ok := fixtureFormat(filepath.Join(dir, name), e.IsDir())
			if !ok {
				continue
			}
			out = append(out, fixture{
				rule: r.Name(), scenario: scenario, format: format,
				path:   filepath.Join(dir, name),
				expect: expectedIDs(t, dir, name, scenario, format, e.IsDir()),
			})
		}
	}
	return out
}

// notImplemented fails a fixture that loaded nothing and said nothing.
func notImplemented(t *testing.T, format string) {
	t.Helper()
	t.Fatal("loader " + format + " loaded no unit and reported no error")
}

// TestRuleFixtures scans every fixture alone through the whole pipeline
// and checks that exactly the expected rule ids fire; then, for scenarios
// written in several formats, that every format fires the same ids.
func TestRuleFixtures(t *testing.T) {
	fixtures := findFixtures(t)
	if len(fixtures) == 0 {
		t.Skip("no fixtures under " + fixturesRoot + " yet")
	}
	eng, err := evaluator.New(context.Background(), evaluator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A fixture is scanned as a default run with its own rule enabled (an
	// opt-in rule fires on its pos fixtures; other opt-in rules stay off).
	// A scenario may have a <scenario>.vpclint.yaml beside it whose params
	// and rule settings apply to all its formats: rules such as EP009 fire
	// only when trusted_accounts is set.
	engines := map[string]*evaluator.Engine{}
	engineFor := func(t *testing.T, fx fixture) *evaluator.Engine {
		cfgPath := filepath.Join(filepath.Dir(fx.path), fx.scenario+configSuffix)
		_, err := os.Stat(cfgPath)
		hasConfig := err == nil
		ri, known := eng.Rule(fx.rule)
		optIn := known && ri.OptIn
		if !hasConfig && !optIn {
			return eng
		}
		key := fx.rule
		if hasConfig {
			key += "|" + cfgPath
		}
		if e, ok := engines[key]; ok {
			return e
		}
		opts := evaluator.Options{}
		if hasConfig {
			cfg, err := config.Load(cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			opts.Params, opts.Severity = cfg.Params, cfg.Rules.Severity
			opts.Select = append(opts.Select, evaluator.Selection{Only: cfg.Rules.Only, Enable: cfg.Rules.Enable, Disable: cfg.Rules.Disable})
		}
		if optIn {
			opts.Select = append(opts.Select, evaluator.Selection{Enable: []string{fx.rule}})
		}
		e, err := evaluator.New(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		engines[key] = e
		return e
	}
	wd, err := filepath.Abs("..") // paths in messages relative to the repository
	if err != nil {
		t.Fatal(err)
	}
	fired := map[string]map[string][]string{} // rule/scenario -> format -> ids
	for _, fx := range fixtures {
		t.Run(fx.rule+"/"+filepath.Base(fx.path), func(t *testing.T) {
			eng := engineFor(t, fx)
			res, err := Run(context.Background(), Options{
				Paths:     []string{fx.path},
				Engine:    eng,
				Loader:    loader.Options{WorkDir: wd},
				KeepUnits: true,
			})
			if err != nil {
				t.Fatal(err)
			}
			if res.Checked() == 0 {
				if len(res.Errors) == 0 {
					notImplemented(t, fx.format)
				}
				t.Fatalf("no unit loaded: %v", res.Errors)
			}
			for _, e := range res.Errors {
				if e.Level == model.LevelError || e.Level == "" {
					t.Errorf("load error: %s", e.Error())
				} else {
					t.Logf("%s: %s", e.Level, e.Error())
				}
			}
			set := map[string]bool{}
			for _, f := range res.Findings {
				if f.Suppression == nil {
					set[f.RuleID] = true
				}
			}
			// One finding per problem: never the same rule on the same
			// resource at the same place twice (a nested template read
			// again on its own, or once per including path).
			type place struct {
				rule, file, address string
				line                int
			}
			seen := map[place]bool{}
			for _, f := range res.Findings {
				p := place{f.RuleID, f.Location.File, f.Resource.Address, f.Location.StartLine}
				if i := strings.LastIndexByte(p.address, '/'); i >= 0 && f.Resource.Type != "" && strings.HasPrefix(f.Resource.Type, "AWS::") {
					p.address = p.address[i+1:]
				}
				if seen[p] {
					t.Errorf("%s reported twice on %s at %s:%d", f.RuleID, p.address, p.file, p.line)
				}
				seen[p] = true
			}
			checkSubjects(t, eng, res)
			got := sortedSet(set)
			if strings.Join(got, " ") != strings.Join(fx.expect, " ") {
				var lines []string
				for _, f := range res.Findings {
					lines = append(lines, "  "+f.RuleID+" "+f.Location.File+":"+strconv.Itoa(f.Location.StartLine)+" "+f.Resource.Address+": "+f.Message)
				}
				t.Errorf("fired %v, want exactly %v\n%s", got, fx.expect, strings.Join(lines, "\n"))
			}
			key := fx.rule + "/" + fx.scenario
			if fired[key] == nil {
				fired[key] = map[string][]string{}
			}
			fired[key][fx.format] = got
		})
	}
	t.Run("parity", func(t *testing.T) {
		keys := make([]string, 0, len(fired))
		for k := range fired {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			byFormat := fired[k]
			if len(byFormat) < 2 {
				continue
			}
			var ref, refFormat string
			formats := make([]string, 0, len(byFormat))
			for f := range byFormat {
				formats = append(formats, f)
			}
			sort.Strings(formats)
			for _, f := range formats {
				ids := strings.Join(byFormat[f], " ")
				if refFormat == "" {
					ref, refFormat = ids, f
					continue
				}
				if ids != ref {
					t.Errorf("%s: %s fires [%s] but %s fires [%s]", k, f, ids, refFormat, ref)
				}
			}
		}
	})
}

// checkSubjects checks each finding against its rule's subjects (METADATA
// custom.subjects): the resource it is about must be in one of them, or
// the rule, which the evaluator skips on a unit without its subjects,
// could miss a finding.
func checkSubjects(t *testing.T, eng *evaluator.Engine, res *Result) {
	t.Helper()
	units := map[string]map[string]any{}
	for _, u := range res.Units {
		b, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		units[u.Unit] = doc
	}
	for _, f := range res.Findings {
		ri, ok := eng.Rule(f.RuleID)
		if !ok || len(ri.Subjects) == 0 {
			continue
		}
		doc := units[f.Unit]
		if doc == nil {
			t.Errorf("%s: finding on %s from unit %q, not among the units checked", f.RuleID, f.Resource.Address, f.Unit)
			continue
		}
		found := false
		for _, c := range ri.Subjects {
			list, _ := doc[c].([]any)
			for _, r := range list {
				if r, _ := r.(map[string]any); r["address"] == f.Resource.Address {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s reports on %s, which is in none of its subjects %v: add its collection to custom.subjects", f.RuleID, f.Resource.Address, ri.Subjects)
		}
	}
}
