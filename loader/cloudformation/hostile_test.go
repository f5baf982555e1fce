package cloudformation_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/hostilescan"
	"github.com/vpclint/vpclint/internal/hostiletest"
)

// TestHostile runs the CloudFormation part of the hostile suite: the cases of
// testdata/hostile/cloudformation and those generated below (hostilescan.Problems says
// what a case is and what its want.txt may say), with secrets in the
// format planted outside the scan root.
func TestHostile(t *testing.T) {
	outside := map[string]string{
		"secret.yaml": "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  " + hostiletest.OutsideSecret + ":\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: " + hostiletest.OutsideSecret + "}\n",
	}
	for _, c := range hostilescan.Cases(t, "../../testdata/hostile/cloudformation", generatedCases()) {
		t.Run(c.Name, func(t *testing.T) {
			for _, p := range hostilescan.Problems(t, c, outside) {
				t.Error(p)
			}
		})
	}
}

// generatedCases are the cases whose input is too large to commit.
func generatedCases() []hostiletest.Case {
	const valid = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Ok:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: still read}\n"
	nest := func(open, close, core string, n int) string {
		return strings.Repeat(open, n) + core + strings.Repeat(close, n)
	}
	// Ten templates each including the next ten times: 10^5 stacks.
	fanout := map[string]string{"main.yaml": valid}
	for level := 0; level < 6; level++ {
		var b strings.Builder
		b.WriteString("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n")
		for i := 0; level < 5 && i < 10; i++ {
			fmt.Fprintf(&b, "  S%d:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: t%d.yaml}\n", i, level+1)
		}
		fanout[fmt.Sprintf("t%d.yaml", level)] = b.String()
	}
	// 1,500 Refs to a parameter of 1,500 items: over two million values
	// from 110 KB.
	var expand strings.Builder
	expand.WriteString("Parameters:\n  Many:\n    Type: CommaDelimitedList\n    Default: \"" + strings.TrimSuffix(strings.Repeat("a,", 1500), ",") + "\"\nResources:\n")
	for i := 0; i < 1500; i++ {
		fmt.Fprintf(&expand, "  R%d:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: x, Tags: !Ref Many}\n", i)
	}
	// Many parameters, conditions and references (each found through an
	// index: BenchmarkLoad measures that the work stays linear).
	const n = 2000
	var wide strings.Builder
	wide.WriteString("Parameters:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&wide, "  P%d: {Type: String, Default: v%d}\n", i, i)
	}
	wide.WriteString("Conditions:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&wide, "  C%d: !Equals [!Ref P%d, v%d]\n", i, i, i)
	}
	wide.WriteString("Resources:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&wide, "  G%d:\n    Type: AWS::EC2::SecurityGroup\n    Condition: C%d\n    Properties: {GroupDescription: !Ref P%d}\n", i, n-1-i, i)
	}
	return []hostiletest.Case{
		{
			Name:  "100000 nested JSON arrays",
			Files: map[string]string{"deep.json": `{"Resources": {"A": {"Type": "AWS::EC2::VPC", "Properties": {"Tags": ` + nest("[", "]", "", 100000) + `}}}}`, "ok.yaml": valid},
			Want:  []string{"error deep.json:0 exceeded max depth", "resource Ok"},
		},
		{
			Name:  "100000 nested YAML flow mappings",
			Files: map[string]string{"deep.yaml": "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties: " + nest("{a: ", "}", "1", 100000) + "\n", "ok.yaml": valid},
			Want:  []string{"error deep.yaml:0 exceeded max depth", "resource Ok"},
		},
		{
			Name:  "300 nested YAML blocks",
			Files: map[string]string{"deep.yaml": "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n" + deepBlocks(300), "ok.yaml": valid},
			Want:  []string{"error deep.yaml:0 nesting deeper than 200 levels", "resource Ok"},
		},
		{
			Name:  "alias bomb",
			Files: map[string]string{"bomb.yaml": aliasBomb(), "ok.yaml": valid},
			Want:  []string{"error bomb.yaml:0 alias bomb", "resource Ok"},
		},
		{
			Name:  "nested stacks multiplying",
			Files: fanout,
			Want:  []string{"warning t4.yaml:0 reads more than 2500 nested stacks", "units 2", "resource Ok", "resource Vpc"},
		},
		{
			Name:  "references multiplying a list",
			Files: map[string]string{"expand.yaml": expand.String()},
			Want:  []string{"warning expand.yaml:0 references expand the template to too many values", "resource R1499"},
		},
		{
			Name:  "2000 parameters, conditions and groups",
			Files: map[string]string{"wide.yaml": wide.String()},
			Want:  []string{"resource G1999", "units 1"},
		},
		{
			Name:  "named pipe as a nested template",
			Files: map[string]string{"main.yaml": "Resources:\n  Pipe:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: pipe.yaml}\n  Ok:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: still read}\n"},
			Want:  []string{"fifo pipe.yaml", "warning main.yaml:2 nested stack Pipe: template pipe.yaml cannot be read (not a regular file", "resource Ok"},
		},
	}
}

// deepBlocks is n levels of YAML block mappings.
func deepBlocks(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	return b.String()
}

// aliasBomb is the billion laughs in YAML aliases.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("Resources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      Tags: *a9\n")
	return b.String()
}
