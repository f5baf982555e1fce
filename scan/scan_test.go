package scan

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// fakeFormat loads "*.fake" files: each line "sg <address> <cidr>" adds a
// group open on port 22 from cidr; "broken" makes the file an error.
type fakeFormat struct{}

func (fakeFormat) Name() string                { return "fake" }
func (fakeFormat) Detect(in loader.Input) bool { return strings.HasPrefix(string(in.Content), "fake") }
func (fakeFormat) Load(_ context.Context, in loader.Input, _ loader.Options) ([]*model.Model, []model.LoadError) {
	if strings.Contains(string(in.Content), "broken") {
		return nil, []model.LoadError{{File: in.Rel, Line: 2, Message: "broken", Level: model.LevelError}}
	}
	m := model.New(in.Rel, model.FormatCloudFormation)
	for i, line := range strings.Split(string(in.Content), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[0] != "sg" {
			continue
		}
		m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{
			Meta: model.Meta{ID: f[1], Address: f[1], Type: "AWS::EC2::SecurityGroup",
				Source: model.Source{Format: model.FormatCloudFormation, File: in.Rel, StartLine: i + 1, EndLine: i + 1}},
			Ingress: []*model.SGRule{{Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22), CIDRBlocks: []string{f[2]}}},
		})
	}
	return []*model.Model{m}, nil
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for n, s := range files {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRun(t *testing.T) {
	ctx := context.Background()
	eng, err := evaluator.New(ctx, evaluator.Options{RuleDirs: []string{"../evaluator/testdata/rules"}, NoBuiltin: true, Select: []evaluator.Selection{{Only: []string{"TST001"}}}})
	if err != nil {
		t.Fatal(err)
	}
	fake := &loader.Loader{Files: []loader.FileFormat{fakeFormat{}}}
	tests := []struct {
		name      string
		files     map[string]string
		units     []*model.Model
		wantFind  []string // file:line rule
		wantErrs  int
		failed    bool
		resources int
	}{
		{
			name: "two files",
			files: map[string]string{
				"b.json": "fake\nsg b1 0.0.0.0/0\nsg b2 10.0.0.0/8\n",
				"a.json": "fake\n\n\nsg a1 0.0.0.0/0\n",
			},
			wantFind:  []string{"a.json:4 TST001", "b.json:2 TST001"},
			resources: 3,
		},
		{
			name:      "broken file is an error, others still scanned",
			files:     map[string]string{"a.json": "fake\nsg a1 0.0.0.0/0\n", "z.json": "fake broken\n"},
			wantFind:  []string{"a.json:2 TST001"},
			wantErrs:  1,
			resources: 1,
		},
		{
			name:     "every input failed",
			files:    map[string]string{"z.json": "fake broken\n"},
			wantErrs: 1,
			failed:   true,
		},
		{
			name:  "pre-loaded live unit",
			files: map[string]string{},
			units: func() []*model.Model {
				m := model.New("123456789012/eu-west-1", model.FormatAWS)
				m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{
					Meta:    model.Meta{ID: "sg-1", Address: "sg-1", Type: "ec2:security-group", Source: model.Source{Format: model.FormatAWS, Account: "123456789012", Region: "eu-west-1"}},
					Ingress: []*model.SGRule{{Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22), CIDRBlocks: []string{"0.0.0.0/0"}}},
				})
				return []*model.Model{m}
			}(),
			wantFind:  []string{":0 TST001"},
			resources: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			paths := []string{dir}
			if len(tt.files) == 0 {
				paths = nil // a live-only scan
			}
			res, err := Run(ctx, Options{Paths: paths, Engine: eng, Loaders: fake, Units: tt.units, Loader: loader.Options{WorkDir: dir}, Parallelism: 2})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Location.File+":"+strconv.Itoa(f.Location.StartLine)+" "+f.RuleID)
			}
			if strings.Join(got, ",") != strings.Join(tt.wantFind, ",") {
				t.Errorf("findings %v, want %v", got, tt.wantFind)
			}
			if len(res.Errors) != tt.wantErrs {
				t.Errorf("errors %v, want %d", res.Errors, tt.wantErrs)
			}
			if res.Failed() != tt.failed {
				t.Errorf("Failed() = %v", res.Failed())
			}
			if res.Summary.Resources != tt.resources || res.Summary.Findings.High != len(tt.wantFind) {
				t.Errorf("summary %+v", res.Summary)
			}
			// The test rules directory holds two rules; only the
			// selected one ran.
			if len(res.Catalogue) != 1 || res.Catalogue[0].ID != "TST001" {
				t.Errorf("catalogue %+v, want only TST001", res.Catalogue)
			}
		})
	}
	if _, err := Run(ctx, Options{Paths: []string{"does/not/exist"}, Engine: eng}); err == nil {
		t.Error("unreadable path: no error")
	}
}

func TestUnknownNotes(t *testing.T) {
	m := model.New("infra", model.FormatTerraform)
	m.SecurityGroups = append(m.SecurityGroups,
		&model.SecurityGroup{Meta: model.Meta{Address: "aws_security_group.a", Source: model.Source{File: "main.tf", StartLine: 4}, Unknown: []string{"ingress[0].cidr_blocks", "description"}}},
		&model.SecurityGroup{Meta: model.Meta{Address: "aws_security_group.b", Source: model.Source{File: "main.tf", StartLine: 20}}},
	)
	notes := UnknownNotes([]*model.Model{m})
	if len(notes) != 1 {
		t.Fatalf("notes = %v", notes)
	}
	n := notes[0]
	want := "aws_security_group.a: could not decide the values of description, ingress[0].cidr_blocks; rules reading them stayed silent"
	if n.File != "main.tf" || n.Line != 4 || n.Level != model.LevelInfo || n.Message != want {
		t.Errorf("note = %+v", n)
	}
}
