package scan

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpclint/vpclint/analysis"
	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/internal/benchgen"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/reporters"
)

// reportCPU reports the CPU time (user and system, all goroutines) per
// iteration since cpu0: the stages run on several cores.
func reportCPU(b *testing.B, cpu0 int64) {
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e9, "cpu-s/op")
}

// stagesN is the number of security groups of BenchmarkStages' inputs.
var stagesN = flag.Int("stages.n", 20000, "security groups in BenchmarkStages' generated inputs")

// stagesOut, when set, is a directory BenchmarkStages writes each report
// to (<format>-<input>-<n>.out), so that a writer's output can be compared
// byte for byte before and after a change to it.
var stagesOut = flag.String("stages.out", "", "directory to write BenchmarkStages' reports to")

// BenchmarkStages times each stage of the pipeline, apart, on the scaling
// benchmark's inputs (internal/benchgen: N security groups, N/2 interface
// endpoints with policies, their VPCs, subnets and ACLs; N = 20,000 unless
// -stages.n says otherwise), for Terraform and CloudFormation: load (bytes
// to model), analyse (facts), evaluate (model to findings: conversion and
// rules) and report (each output format of the findings).
//
//	go test ./scan -run '^$' -bench Stages -benchtime 1x
//	go test ./scan -run '^$' -bench 'Stages/terraform/load' -benchtime 1x -cpuprofile cpu.out -args -stages.n=5000
func BenchmarkStages(b *testing.B) {
	ctx := context.Background()
	n := *stagesN
	eng, err := evaluator.New(ctx, evaluator.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, format := range []string{"terraform", "cloudformation"} {
		dir := b.TempDir()
		// Only this format's input is generated: the other's would be
		// garbage the measured stages collect.
		var files map[string][]byte
		if format == "terraform" {
			files = benchgen.Terraform(n)
		} else {
			files = map[string][]byte{"template.yaml": benchgen.CloudFormation(n)}
		}
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		opts := loader.Options{WorkDir: dir, Root: dir, Env: []string{}}
		load := func(b *testing.B) *model.Model {
			lr, err := DefaultLoader().Load(ctx, []string{dir}, opts)
			if err != nil {
				b.Fatal(err)
			}
			if len(lr.Units) != 1 {
				b.Fatalf("%d units, %v", len(lr.Units), lr.Errors)
			}
			return lr.Units[0]
		}
		prefix := fmt.Sprintf("%s/%d/", format, n)
		b.Run(prefix+"load", func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				load(b)
			}
			reportCPU(b, cpu0)
			b.ReportMetric(float64(benchgen.Resources(n)), "resources")
		})
		// Each later stage starts from the output of the one before,
		// computed once, and only when a benchmark of that stage runs.
		var unit *model.Model
		analysed := func(b *testing.B) *model.Model {
			if unit == nil {
				unit = load(b)
				analysis.Analyze(unit)
			}
			return unit
		}
		b.Run(prefix+"analyse", func(b *testing.B) {
			u := analysed(b)
			cpu0 := cpuTime()
			for b.Loop() {
				analysis.Analyze(u)
			}
			reportCPU(b, cpu0)
		})
		var rep *reporters.Report
		report := func(b *testing.B) *reporters.Report {
			if rep == nil {
				u := analysed(b)
				findings, err := eng.Evaluate(ctx, u)
				if err != nil {
					b.Fatal(err)
				}
				rep = &reporters.Report{
					Tool: reporters.DefaultTool("bench"), Findings: findings, Catalogue: eng.Catalogue(),
					Summary: model.Summarize(findings, len(files), len(u.Resources())), WorkDir: dir, RepoDir: dir, CodeScanned: true,
					Topology: analysis.Topology(u),
				}
			}
			return rep
		}
		b.Run(prefix+"evaluate", func(b *testing.B) {
			u := analysed(b)
			var findings []model.Finding
			cpu0 := cpuTime()
			for b.Loop() {
				var err error
				if findings, err = eng.Evaluate(ctx, u); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu0)
			b.ReportMetric(float64(len(findings)), "findings")
		})
		for _, f := range reporters.Formats() {
			b.Run(prefix+"report/"+f, func(b *testing.B) {
				rep := report(b)
				if *stagesOut != "" {
					out, err := os.Create(filepath.Join(*stagesOut, fmt.Sprintf("%s-%s-%d.out", f, format, n)))
					if err != nil {
						b.Fatal(err)
					}
					err = reporters.Write(out, f, rep)
					if cerr := out.Close(); err == nil {
						err = cerr
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				cpu0 := cpuTime()
				for b.Loop() {
					if err := reporters.Write(io.Discard, f, rep); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu0)
			})
		}
	}
}
