package scan

import (
	"context"
	"testing"

	"github.com/vpclint/vpclint/evaluator"
	"github.com/vpclint/vpclint/loader"
)

// Two root modules of one scan that produce the same address (two
// examples each calling module "endpoint") give findings a user can tell
// apart: each carries its root, and their fingerprints differ; a finding
// on an address unique in the scan keeps its plain fingerprint, so
// baselines recorded before keep matching.
func TestSharedAddressAcrossRoots(t *testing.T) {
	endpoint := `variable "vpc_id" {}
resource "aws_vpc_endpoint" "this" {
  vpc_id            = var.vpc_id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
}
`
	call := `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
module "endpoint" {
  source = "../../modules/endpoint"
  vpc_id = aws_vpc.main.id
}
`
	dir := writeFiles(t, map[string]string{
		"modules/endpoint/main.tf": endpoint,
		"examples/a/main.tf":       call,
		"examples/b/main.tf":       call,
		"other/main.tf":            "resource \"aws_vpc_endpoint\" \"unique\" {\n  vpc_id = \"vpc-1\"\n  service_name = \"com.amazonaws.eu-west-1.s3\"\n  vpc_endpoint_type = \"Gateway\"\n}\n",
	})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Loader: loader.Options{WorkDir: dir, Env: []string{}}})
	if err != nil {
		t.Fatal(err)
	}
	const addr = "module.endpoint.aws_vpc_endpoint.this"
	roots := map[string]string{} // root -> fingerprint
	unique := 0
	for _, f := range res.Findings {
		if f.RuleID != "EP001" {
			continue
		}
		switch f.Resource.Address {
		case addr:
			if !f.Resource.Ambiguous {
				t.Errorf("%s in %s: not marked ambiguous", addr, f.Resource.Root)
			}
			if f.Fingerprint != evaluator.WithRoot(evaluator.Fingerprint(f), f.Resource.Root) {
				t.Errorf("%s in %s: fingerprint %s does not include the root", addr, f.Resource.Root, f.Fingerprint)
			}
			roots[f.Resource.Root] = f.Fingerprint
		case "aws_vpc_endpoint.unique":
			unique++
			if f.Resource.Ambiguous || f.Resource.Root != "other" || f.Fingerprint != evaluator.Fingerprint(f) {
				t.Errorf("a unique address must keep its plain fingerprint: %+v", f.Resource)
			}
		}
	}
	if len(roots) != 2 || roots["examples/a"] == "" || roots["examples/b"] == "" || roots["examples/a"] == roots["examples/b"] {
		t.Errorf("EP001 on %s by root: %v, want examples/a and examples/b with different fingerprints", addr, roots)
	}
	if unique != 1 {
		t.Errorf("EP001 on the unique endpoint: %d findings", unique)
	}
}

// The summary counts the resources with undecided values.
func TestSummaryUndecided(t *testing.T) {
	dir := writeFiles(t, map[string]string{"main.tf": `variable "cidr" {}
resource "aws_security_group" "a" {
  name        = "a"
  description = "a"
  ingress {
    description = "https"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}
resource "aws_security_group" "b" {
  name        = "b"
  description = "b"
}
`})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Loader: loader.Options{WorkDir: dir, Env: []string{}}, KeepUnits: true})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, u := range res.Units {
		for _, r := range u.Resources() {
			if len(r.GetMeta().Unknown) > 0 {
				want++
			}
		}
	}
	if want == 0 || res.Summary.Undecided != want {
		t.Errorf("undecided = %d, want %d (> 0)", res.Summary.Undecided, want)
	}
}
