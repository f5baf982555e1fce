package terraform

import (
	"slices"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// twoTables is a module with two route tables of two resources and two
// subnets, the targets of the associations below.
const twoTables = `
variable "single" {
  type = bool
}
variable "n" {
  type = number
}
variable "table_id" {
  type = string
}
resource "aws_route_table" "private" {
  count  = 2
  vpc_id = "vpc-1"
}
resource "aws_route_table" "public" {
  vpc_id = "vpc-1"
}
resource "aws_subnet" "a" {
  vpc_id            = "vpc-1"
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = "vpc-1"
  cidr_block        = "10.0.2.0/24"
  availability_zone = "eu-west-1b"
}
`

// TestUncertainTargets: an association whose target the loader cannot
// resolve to one resource, or whose count is unknown, makes what it sets
// unknown on the resources it may target, and only on those.
func TestUncertainTargets(t *testing.T) {
	tests := []struct {
		name, assoc string
		unknown     []string // address:path
		known       []string
	}{
		{"resolved", `
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.public.id
}`, nil, []string{"aws_route_table.public:subnet_ids", "aws_subnet.a:route_table_id"}},
		{"both branches one table", `
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = var.single ? aws_route_table.public.id : aws_route_table.public.id
}`, nil, []string{"aws_route_table.public:subnet_ids", "aws_subnet.a:route_table_id"}},
		{"an index the loader cannot compute", `
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = element(aws_route_table.private[*].id, var.single ? 0 : 1)
}`, []string{"aws_route_table.private[0]:subnet_ids", "aws_route_table.private[1]:subnet_ids", "aws_subnet.a:route_table_id"},
			[]string{"aws_route_table.public:subnet_ids", "aws_subnet.b:route_table_id"}},
		{"an id from outside", `
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = var.table_id
}`, []string{"aws_route_table.private[0]:subnet_ids", "aws_route_table.public:subnet_ids", "aws_subnet.a:route_table_id"},
			[]string{"aws_subnet.b:route_table_id"}},
		{"unknown count", `
resource "aws_route_table_association" "a" {
  count          = var.n
  subnet_id      = aws_subnet.b.id
  route_table_id = aws_route_table.public.id
}`, []string{"aws_route_table.public:subnet_ids", "aws_subnet.b:route_table_id"},
			[]string{"aws_route_table.private[0]:subnet_ids", "aws_subnet.a:route_table_id"}},
		{"a resource not declared", `
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.gone.id
}`, nil, []string{"aws_route_table.public:subnet_ids", "aws_route_table.private[0]:subnet_ids"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, errs := loadSource(t, map[string]string{"main.tf": twoTables + tt.assoc}, loader.Options{})
			noPanics(t, errs)
			check := func(list []string, want bool) {
				for _, w := range list {
					addr, path, _ := strings.Cut(w, ":")
					meta := metaOf(t, m, addr)
					if slices.Contains(meta.Unknown, path) != want {
						t.Errorf("%s: %s unknown = %v, want %v (%v)", addr, path, !want, want, meta.Unknown)
					}
				}
			}
			check(tt.unknown, true)
			check(tt.known, false)
		})
	}
}

func metaOf(t *testing.T, m *model.Model, addr string) *model.Meta {
	t.Helper()
	for _, r := range m.Resources() {
		if r.GetMeta().Address == addr {
			return r.GetMeta()
		}
	}
	t.Fatalf("%s not in the model", addr)
	return nil
}

// TestModulesTheScanCannotSee: a module that is not installed, or whose
// count is unknown, may change what it is given: a VPC's flow logs, an
// endpoint's associations and policy. What it is not given is unchanged.
func TestModulesTheScanCannotSee(t *testing.T) {
	m, errs := loadSource(t, map[string]string{
		"main.tf": `
variable "n" {
  type = number
}
resource "aws_vpc" "given" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_vpc" "kept" {
  cidr_block = "10.1.0.0/16"
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.given.id
  service_name = "com.amazonaws.eu-west-1.s3"
}
module "remote" {
  source = "terraform-aws-modules/vpc/aws//modules/flow-log"
  vpc_id = aws_vpc.given.id
}
module "local" {
  source    = "./m"
  count     = var.n
  endpoints = { s3 = aws_vpc_endpoint.s3 }
}
module "off" {
  source = "./m"
  count  = 0
  vpc    = aws_vpc.kept.id
}`,
		"m/main.tf": `
variable "endpoints" {
  default = {}
}
variable "vpc" {
  default = ""
}`}, loader.Options{})
	noPanics(t, errs)
	if u := metaOf(t, m, "aws_vpc.given").Unknown; !slices.Contains(u, "flow_logs") {
		t.Errorf("given VPC: %v", u)
	}
	if u := metaOf(t, m, "aws_vpc.kept").Unknown; slices.Contains(u, "flow_logs") {
		t.Errorf("a module with count 0 creates nothing: %v", u)
	}
	e := metaOf(t, m, "aws_vpc_endpoint.s3")
	for _, p := range []string{"route_table_ids", "policy", "subnet_ids", "security_group_ids", "private_dns_enabled"} {
		if !slices.Contains(e.Unknown, p) {
			t.Errorf("endpoint given to a module of unknown count: %s not unknown: %v", p, e.Unknown)
		}
	}
	if slices.Contains(e.Defaulted, "private_dns_enabled") {
		t.Errorf("an unknown value is not a default: %v", e.Defaulted)
	}
}
