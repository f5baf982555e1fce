package tfplan

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// FuzzDetectLoad feeds arbitrary bytes to Detect and Load: neither may
// panic, and a plan that loads yields one unit whose resources are
// located.
func FuzzDetectLoad(f *testing.F) {
	seeds := []string{
		`{"format_version":"1.2","resource_changes":[]}`,
		`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"aws_vpc.a","type":"aws_vpc","name":"a","values":{"cidr_block":"10.0.0.0/16"}}]}}}`,
		`{"format_version":"1.2","resource_changes":[{"address":"module.m[\"k\"].aws_security_group_rule.r[0]","type":"aws_security_group_rule","name":"r","change":{"actions":["create"],"after":{"type":"ingress","protocol":"-1","from_port":0,"to_port":0,"cidr_blocks":["0.0.0.0/0"]},"after_unknown":{"security_group_id":true}}}],"configuration":{"root_module":{"module_calls":{"m":{"module":{"resources":[{"address":"aws_security_group_rule.r","type":"aws_security_group_rule","name":"r","expressions":{"security_group_id":{"references":["var.g"]}}}]}}}}}}`,
		"\ufeff{\"format_version\":\"1.1\",\"planned_values\":{\"root_module\":{\"child_modules\":[{\"resources\":[null]}]}}}",
		`{"format_version":"1.1","planned_values":{"root_module":{`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "loader", "tfplan", "basic", "plan.json")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := loader.Input{Rel: "fuzz.json", Content: data}
		fm := New()
		if !fm.Detect(in) {
			return
		}
		units, errs := fm.Load(context.Background(), in, loader.Options{})
		for _, e := range errs {
			if e.File != "fuzz.json" {
				t.Fatalf("error without the file: %+v", e)
			}
		}
		if len(units) > 1 {
			t.Fatalf("%d units", len(units))
		}
		for _, u := range units {
			for _, r := range u.Resources() {
				m := r.GetMeta()
				if m.Source.StartLine <= 0 || m.Source.Format != model.FormatTFPlan {
					t.Fatalf("%s: bad source %+v", m.Address, m.Source)
				}
			}
		}
	})
}

// BenchmarkCorpusPlans loads every plan of the corpus.
func BenchmarkCorpusPlans(b *testing.B) {
	dir := corpusDir(b, "plans")
	var inputs []loader.Input
	for _, p := range corpusPlans(b, dir) {
		c, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, loader.Input{Path: p, Rel: p[len(dir)+1:], Content: c})
	}
	fm := New()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	resources := 0
	for i := 0; i < b.N; i++ {
		resources = 0
		for _, in := range inputs {
			if !fm.Detect(in) {
				continue
			}
			units, _ := fm.Load(ctx, in, loader.Options{WorkDir: dir})
			for _, u := range units {
				resources += len(u.Resources())
			}
		}
	}
	b.ReportMetric(float64(len(inputs)), "plans/op")
	b.ReportMetric(float64(resources), "resources/op")
}
