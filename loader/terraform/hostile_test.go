package terraform_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/internal/hostilescan"
	"github.com/vpclint/vpclint/internal/hostiletest"
)

// TestHostile runs the Terraform part of the hostile suite: the cases of
// testdata/hostile/terraform and those generated below (hostilescan.Problems says
// what a case is and what its want.txt may say), with secrets in the
// format planted outside the scan root.
func TestHostile(t *testing.T) {
	outside := map[string]string{
		"secret.tf":     `resource "aws_vpc" "outside" { cidr_block = "` + hostiletest.OutsideSecret + `" }`,
		"secret.tfvars": `cidr = "` + hostiletest.OutsideSecret + `"`,
	}
	for _, c := range hostilescan.Cases(t, "../../testdata/hostile/terraform", generatedCases()) {
		t.Run(c.Name, func(t *testing.T) {
			for _, p := range hostilescan.Problems(t, c, outside) {
				t.Error(p)
			}
		})
	}
}

// generatedCases are the cases whose input is too large to commit.
func generatedCases() []hostiletest.Case {
	valid := `resource "aws_security_group" "ok" {
  description = "still read"
}
`
	nest := func(open, close, core string, n int) string {
		return strings.Repeat(open, n) + core + strings.Repeat(close, n)
	}
	doubling := func(step string) string {
		var b strings.Builder
		b.WriteString("locals {\n  a0 = \"x\"\n")
		for i := 1; i <= 40; i++ {
			b.WriteString(fmt.Sprintf("  a%d = %s\n", i, strings.ReplaceAll(step, "PREV", fmt.Sprintf("local.a%d", i-1))))
		}
		b.WriteString("}\nresource \"aws_security_group\" \"g\" {\n  description = local.a40\n}\n")
		return b.String()
	}
	chain := func(n int) string {
		var b strings.Builder
		b.WriteString("locals {\n  a0 = \"x\"\n")
		for i := 1; i <= n; i++ {
			b.WriteString(fmt.Sprintf("  a%d = [local.a%d]\n", i, i-1))
		}
		b.WriteString(fmt.Sprintf("}\nresource \"aws_security_group\" \"g\" {\n  description = jsonencode(local.a%d)\n}\n", n))
		return b.String()
	}
	return []hostiletest.Case{
		{
			// 1.6 KB asking for 2^40 bytes: each step is refused past 16 MiB.
			Name:  "string doubled 40 times by templates",
			Files: map[string]string{"main.tf": doubling(`"${PREV}${PREV}"`)},
			Want:  []string{"error main.tf:27 template: its value would exceed vpclint's limit of 16 MiB per value", "resource aws_security_group.g"},
		},
		{
			Name:  "string doubled 40 times by a function",
			Files: map[string]string{"main.tf": doubling(`join("", [PREV, PREV])`)},
			Want:  []string{"error main.tf:26 join(): its value would exceed vpclint's limit of 16 MiB per value", "resource aws_security_group.g"},
		},
		{
			Name:  "reference chain of 20000 locals",
			Files: map[string]string{"main.tf": chain(20000)},
			Want:  []string{"resource aws_security_group.g"},
		},
		{
			Name:  "104000 resource instances",
			Files: map[string]string{"main.tf": manyInstances(26, 4000)},
			Want:  []string{"warning main.tf:76 more than 100000 resource and module instances and dynamic blocks; the rest is taken as unknown"},
		},

		{
			Name:  "100000 nested parentheses",
			Files: map[string]string{"deep.tf": "locals {\n  x = " + nest("(", ")", "1", 100000) + "\n}\n", "ok.tf": valid},
			Want:  []string{"error deep.tf:2 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "100000 nested blocks",
			Files: map[string]string{"deep.tf": nest("a {\n", "}\n", "", 100000), "ok.tf": valid},
			Want:  []string{"error deep.tf:257 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "100000 nested interpolations",
			Files: map[string]string{"deep.tf": "locals {\n  x = " + nest(`"${`, `}"`, "1", 100000) + "\n}\n", "ok.tf": valid},
			Want:  []string{"error deep.tf:2 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "100000 nested conditionals",
			Files: map[string]string{"deep.tf": "locals {\n  x = " + strings.Repeat("true ? 1 : ", 100000) + "1\n}\n", "ok.tf": valid},
			Want:  []string{"error deep.tf:2 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "100000 unary operators",
			Files: map[string]string{"deep.tf": "locals {\n  x = " + strings.Repeat("!", 100000) + "true\n}\n", "ok.tf": valid},
			Want:  []string{"error deep.tf:2 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "chain of 20000 additions",
			Files: map[string]string{"deep.tf": "locals {\n  x = 1" + strings.Repeat("+1", 20000) + "\n}\n", "ok.tf": valid},
			Want:  []string{"error deep.tf:2 expression nested deeper than 1024 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "100000 nested JSON arrays",
			Files: map[string]string{"deep.tf.json": `{"locals": {"x": ` + nest("[", "]", "", 100000) + `}}`, "ok.tf": valid},
			Want:  []string{"error deep.tf.json:1 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "JSON string template of 20000 additions",
			Files: map[string]string{"deep.tf.json": "{\"locals\": {\n\"x\": \"${1" + strings.Repeat("+1", 20000) + "}\"}}", "ok.tf": valid},
			Want:  []string{"error deep.tf.json:2 expression nested deeper than 1024 levels", "resource aws_security_group.ok"},
		},
		{
			Name:  "only file too deep",
			Files: map[string]string{"deep.tf": "locals {\n  x = " + nest("[", "]", "", 100000) + "\n}\n"},
			Want:  []string{"error deep.tf:2 nested deeper than 256 levels", "failed", "units 0"},
		},
		{
			Name: "plan nested 100000 deep",
			Files: map[string]string{"plan.json": "{\"format_version\": \"1.2\",\n\"resource_changes\": [{\"address\": \"aws_vpc.v\", \"type\": \"aws_vpc\", \"name\": \"v\"," +
				"\"change\": {\"actions\": [\"create\"], \"after\": {\"tags\": " + nest("[", "]", "", 100000) + "}}}]}"},
			Want: []string{"error plan.json:2 nested deeper than 256 levels", "failed"},
		},
		{
			Name:  "variables file too deep",
			Files: map[string]string{"main.tf": "variable \"x\" {}\n" + valid, "terraform.tfvars": "x = " + nest("[", "]", "", 100000)},
			Want:  []string{"error terraform.tfvars:1 nested deeper than 256 levels", "resource aws_security_group.ok"},
		},
	}
}

// manyInstances is a module of n resources of count each (of a type the
// model does not keep, so that only evaluation is measured).
func manyInstances(n, count int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "resource \"null_resource\" \"r%d\" {\n  count = %d\n}\n", i, count)
	}
	return b.String()
}
