package cloudformation

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/modeltest"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// loadDir scans a directory with the loader's walk, as the command does,
// from the directory itself. Units are returned by name.
func loadDir(t *testing.T, dir string, opts loader.Options) (map[string]*model.Model, []model.LoadError) {
	t.Helper()
	if opts.WorkDir == "" {
		opts.WorkDir = dir
	}
	l := &loader.Loader{Files: []loader.FileFormat{New()}}
	res, err := l.Load(context.Background(), []string{dir}, opts)
	if err != nil {
		t.Fatal(err)
	}
	units := map[string]*model.Model{}
	for _, u := range res.Units {
		if units[u.Unit] != nil {
			t.Fatalf("two units named %s", u.Unit)
		}
		units[u.Unit] = u
	}
	return units, res.Errors
}

// sortedAddresses lists a unit's resource addresses in order.
func sortedAddresses(m *model.Model) []string {
	out := modeltest.Addresses(m)
	slices.Sort(out)
	return out
}

func unitNames(units map[string]*model.Model) []string {
	var out []string
	for k := range units {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestNestedStacksReadOnceInContext: a template that a scanned template
// includes is read only inside it, with the parameters it is given, not
// again on its own nor once per including path.
func TestNestedStacksReadOnceInContext(t *testing.T) {
	units, errs := loadDir(t, filepath.Join(testdataDir, "stacks"), loader.Options{})
	for _, e := range errs {
		t.Errorf("unexpected problem: %v", e)
	}
	if got, want := unitNames(units), []string{"grand.yaml", "standalone.yaml"}; !slices.Equal(got, want) {
		t.Fatalf("units = %v, want %v (nested templates are not units)", got, want)
	}
	m := units["grand.yaml"]
	if got := sortedAddresses(m); !slices.Equal(got, []string{"Platform/Network/Admin", "Platform/Vpc"}) {
		t.Errorf("resources = %v", got)
	}
	g := findSG(t, m, "Platform/Network/Admin")
	if g.Source.File != "nested/child.yaml" || g.Source.Module != "Platform/Network" || g.VPCID != "Platform/Vpc" {
		t.Errorf("group source %+v vpc %q", g.Source, g.VPCID)
	}
	// The grandparent's parameter reaches the child through the parent.
	if len(g.Ingress) != 1 || !slices.Equal(g.Ingress[0].CIDRBlocks, []string{"203.0.113.0/24"}) {
		t.Errorf("ingress = %+v", g.Ingress[0])
	}
}

// TestNestedStackOrder: whichever order the files come in, and whether
// the root is named first or last, the nested templates are read in the
// root only; a cycle of templates is broken at its first file.
func TestNestedStackOrder(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stackOf := func(id, url string) string {
		return "  " + id + ":\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: " + url + "\n"
	}
	vpc := "  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n"
	// z_root.yaml sorts after the templates it includes (a.yaml through
	// b.yaml), so the order must come from the includes.
	write("z_root.yaml", "Resources:\n"+stackOf("A", "a.yaml")+stackOf("B", "b.yaml"))
	write("a.yaml", "Resources:\n"+vpc+stackOf("C", "sub/c.yaml"))
	write("b.yaml", "Resources:\n"+vpc+stackOf("C", "sub/c.yaml"))
	write("sub/c.yaml", "Resources:\n"+vpc)
	// A cycle with no root: read once, from its first file.
	write("cycle/p.yaml", "Resources:\n"+vpc+stackOf("Q", "q.yaml"))
	write("cycle/q.yaml", "Resources:\n"+vpc+stackOf("P", "p.yaml"))
	units, errs := loadDir(t, dir, loader.Options{})
	if got, want := unitNames(units), []string{"cycle/p.yaml", "z_root.yaml"}; !slices.Equal(got, want) {
		t.Fatalf("units = %v, want %v", got, want)
	}
	// c.yaml is included twice, by two stacks: two instances, one each.
	if got := sortedAddresses(units["z_root.yaml"]); !slices.Equal(got, []string{"A/C/Vpc", "A/Vpc", "B/C/Vpc", "B/Vpc"}) {
		t.Errorf("root resources = %v", got)
	}
	if got := sortedAddresses(units["cycle/p.yaml"]); !slices.Equal(got, []string{"Q/Vpc", "Vpc"}) {
		t.Errorf("cycle resources = %v", got)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "nested stack P: cycle/p.yaml includes itself") || errs[0].File != "cycle/q.yaml" {
		t.Errorf("errors = %v", errs)
	}
}

// TestS3TemplateURLs: TemplateURLs on S3, built with Fn::Sub or Fn::Join
// from a bucket and a key prefix, name the one template of the scan root
// whose path ends like the key.
func TestS3TemplateURLs(t *testing.T) {
	units, errs := loadDir(t, filepath.Join(testdataDir, "quickstart"), loader.Options{})
	if got, want := unitNames(units), []string{
		"submodules/quickstart-aws-vpc/templates/shared.yaml", "templates/main.template.yaml", "templates/shared.yaml",
	}; !slices.Equal(got, want) {
		t.Fatalf("units = %v, want %v", got, want)
	}
	m := units["templates/main.template.yaml"]
	want := map[string]string{
		"VpcStack/Vpc":       "templates/vpc.template.yaml",
		"SubmoduleStack/Vpc": "submodules/quickstart-aws-vpc/templates/aws-vpc.template.yaml",
		"PathStyleStack/Vpc": "templates/endpoints.yaml",
		"DashedStack/Vpc":    "templates/acl.yaml",
	}
	if got := sortedAddresses(m); len(got) != len(want) {
		t.Errorf("resources = %v", got)
	}
	for addr, file := range want {
		if v := modeltest.ByAddress(t, m, m.VPCs, addr); v.Source.File != file {
			t.Errorf("%s read from %s, want %s", addr, v.Source.File, file)
		}
	}
	notes := map[string]string{
		"SharedStack":    "2 templates under the scan root match its key (submodules/quickstart-aws-vpc/templates/shared.yaml, templates/shared.yaml)",
		"MissingStack":   "no template under the scan root has a path ending like its key",
		"ElsewhereStack": "remote template https://example.com/... is not read: it is not on S3",
	}
	for stack, text := range notes {
		found := false
		for _, e := range errs {
			if strings.Contains(e.Message, "nested stack "+stack+": ") && strings.Contains(e.Message, text) {
				found = e.Level == model.LevelInfo && e.File == "templates/main.template.yaml"
			}
		}
		if !found {
			t.Errorf("%s: no info note with %q in %v", stack, text, errs)
		}
	}
	if len(errs) != len(notes) {
		t.Errorf("errors = %v", errs)
	}
}

func TestS3Key(t *testing.T) {
	tests := []struct {
		url         string
		key         string
		isURL, onS3 bool
	}{
		{"https://*.s3.*.*/*templates/vpc.yaml", "*templates/vpc.yaml", true, true},
		{"https://bucket.s3.amazonaws.com/a/b.yaml", "a/b.yaml", true, true},
		{"https://bucket.s3-us-west-2.amazonaws.com/a/b.yaml", "a/b.yaml", true, true},
		{"https://bucket.s3.dualstack.eu-west-1.amazonaws.com/a/b.yaml", "a/b.yaml", true, true},
		{"https://s3.amazonaws.com/bucket/a/b.yaml", "a/b.yaml", true, true},
		{"https://s3-eu-west-1.amazonaws.com/bucket/a/b.yaml", "a/b.yaml", true, true},
		{"HTTPS://s3.cn-north-1.amazonaws.com.cn/bucket/a.yaml", "a.yaml", true, true},
		{"s3://bucket/a/b.yaml", "a/b.yaml", true, true},
		{"*templates/b.yaml", "*templates/b.yaml", true, true},
		{"https://*/a.yaml", "a.yaml", true, true},
		{"https://example.com/a.yaml", "", true, false},
		{"ftp://host/a.yaml", "", true, false},
		{"nested/child.yaml", "", false, false},
	}
	for _, tc := range tests {
		key, isURL, onS3 := s3Key(tc.url)
		if key != tc.key || isURL != tc.isURL || onS3 != tc.onS3 {
			t.Errorf("s3Key(%q) = %q %v %v, want %q %v %v", tc.url, key, isURL, onS3, tc.key, tc.isURL, tc.onS3)
		}
	}
}

func TestMatchKey(t *testing.T) {
	paths := []string{"templates/vpc.yaml", "sub/templates/vpc.yaml", "templates/app/vpc.yaml", "ci/vpc.yaml", "x/templates/acl.yaml"}
	tests := []struct {
		key  string
		want []string
	}{
		// A glob prefix absorbs any leading directories.
		{"*templates/vpc.yaml", []string{"templates/vpc.yaml", "sub/templates/vpc.yaml"}},
		{"*sub/templates/vpc.yaml", []string{"sub/templates/vpc.yaml"}},
		// A written-out prefix is dropped one element at a time.
		{"quickstart-x/templates/acl.yaml", []string{"x/templates/acl.yaml"}},
		{"quickstart-x/templates/app/vpc.yaml", []string{"templates/app/vpc.yaml"}},
		// Never down to the file name alone.
		{"quickstart-x/ci2/vpc.yaml", nil},
		{"*ci/vpc.yaml", []string{"ci/vpc.yaml"}},
		{"*vpc.yaml", paths[:4]},
	}
	for _, tc := range tests {
		budget := 1000
		got := newCandidates(paths, func(s string) string { return s }).match(tc.key, &budget)
		if !slices.Equal(got, tc.want) {
			t.Errorf("matchSuffixes(%q) = %v, want %v", tc.key, got, tc.want)
		}
	}
}

// TestNestedTemplateURLInContext: a TemplateURL that only the parent's
// parameters resolve names a template the first pass could not see; that
// template, read on its own first (its parse then dropped), is read again
// inside the parent.
func TestNestedTemplateURLInContext(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"z_grand.yaml": "Resources:\n  P:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: parent.yaml\n      Parameters: {Dir: b}\n",
		"parent.yaml":  "Parameters:\n  Dir: {Type: String, Default: a}\nResources:\n  C:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: !Sub ${Dir}/child.yaml\n",
		"a/child.yaml": "Resources:\n  VpcA:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n",
		"b/child.yaml": "Resources:\n  VpcB:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.1.0.0/16}\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	units, errs := loadDir(t, dir, loader.Options{})
	if len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}
	if got := sortedAddresses(units["z_grand.yaml"]); !slices.Equal(got, []string{"P/C/VpcB"}) {
		t.Errorf("grand resources = %v, want the child the parameter names", got)
	}
	// a/child.yaml is included by nothing in context: a unit of its own.
	// b/child.yaml, which the first pass could not see included, was read
	// on its own too before the grandparent named it (the limit of reading
	// TemplateURLs without their context first).
	if got := unitNames(units); !slices.Equal(got, []string{"a/child.yaml", "b/child.yaml", "z_grand.yaml"}) {
		t.Errorf("units = %v", got)
	}
}

// TestCleanErrors: problems are reported once, with what could change how
// a line is displayed (controls, bidirectional and invisible formatting
// characters, bytes that are not UTF-8) escaped as everywhere else.
func TestCleanErrors(t *testing.T) {
	in := []model.LoadError{
		{File: "a\x1b[2J.yaml", Line: 3, Message: "Ref to X\tY\u202eZ", Level: model.LevelWarning},
		{File: "a\x1b[2J.yaml", Line: 3, Message: "Ref to X\tY\u202eZ", Level: model.LevelWarning},
		{File: "b.yaml", Line: 1, Message: "bad \xff byte, zero\u200bwidth, C1 \u009b", Level: model.LevelError},
	}
	want := []model.LoadError{
		{File: `a\x1b[2J.yaml`, Line: 3, Message: `Ref to X\tY\u202eZ`, Level: model.LevelWarning},
		{File: "b.yaml", Line: 1, Message: `bad \xff byte, zero\u200bwidth, C1 \u009b`, Level: model.LevelError},
	}
	got := cleanErrors(in)
	if !slices.Equal(got, want) {
		t.Errorf("cleanErrors =\n%q\nwant\n%q", got, want)
	}
}
