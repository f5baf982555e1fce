package tfplan

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// TestPartsFixture: a real plan of resources assembled from separate
// parts (associations, a separate policy, an allowed principal, the VPC's
// default group and ACL) folds every part into its owner.
func TestPartsFixture(t *testing.T) {
	ok, units, errs := loadFile(t, filepath.Join(repoRoot(t), "testdata", "loader", "tfplan", "parts", "plan.json"), loader.Options{})
	if !ok || len(units) != 1 || len(errs) > 0 {
		t.Fatalf("units %d errors %v", len(units), errs)
	}
	m := units[0]
	const tf = "testdata/loader/tfplan/parts/main.tf"
	subnets := `["aws_subnet.app[\"eu-west-1a\"]","aws_subnet.app[\"eu-west-1b\"]"]`

	ssm := findEndpoint(t, m, "aws_vpc_endpoint.ssm")
	if asJSON(ssm.SubnetIDs) != subnets || asJSON(ssm.SecurityGroupIDs) != `["aws_security_group.endpoint"]` {
		t.Errorf("ssm associations: %s", asJSON(ssm))
	}
	if ssm.Policy == nil || ssm.Policy.Statement[0].Principal["AWS"][0] != "arn:aws:iam::111122223333:root" || slices.Contains(ssm.Unknown, "policy") {
		t.Errorf("ssm policy: %s", asJSON(ssm))
	}
	if ssm.AttributeLines["policy"] != 122 || ssm.AttributeLines["subnet_ids[0]"] != 112 || ssm.AttributeLines["security_group_ids[0]"] != 117 {
		t.Errorf("ssm lines: %v", ssm.AttributeLines)
	}
	if len(ssm.Unknown) > 0 {
		t.Errorf("ssm unknown: %v", ssm.Unknown)
	}
	s3 := findEndpoint(t, m, "aws_vpc_endpoint.s3")
	if s3.Type != model.EndpointGateway || asJSON(s3.RouteTableIDs) != `["aws_route_table.app"]` || s3.Policy != nil || len(s3.Unknown) > 0 {
		t.Errorf("s3: %s", asJSON(s3))
	}

	for _, acl := range m.NetworkACLs {
		switch acl.Address {
		case "aws_network_acl.app":
			if asJSON(acl.SubnetIDs) != subnets || len(acl.Entries) != 2 || !acl.Entries[1].Egress || len(acl.Unknown) > 0 {
				t.Errorf("app acl: %s", asJSON(acl))
			}
		case "aws_default_network_acl.default":
			if !acl.IsDefault || acl.VPCID != "aws_vpc.main" || len(acl.Entries) != 1 || acl.Entries[0].Protocol != model.ProtoAll {
				t.Errorf("default acl: %s", asJSON(acl))
			}
		default:
			t.Errorf("unexpected acl %s", acl.Address)
		}
	}
	for _, sn := range m.Subnets {
		if sn.NetworkACLID != "aws_network_acl.app" || sn.RouteTableID != "aws_route_table.app" {
			t.Errorf("subnet %s: acl %q route table %q", sn.Address, sn.NetworkACLID, sn.RouteTableID)
		}
	}
	if rt := m.RouteTables[0]; asJSON(rt.SubnetIDs) != subnets || len(rt.Unknown) > 0 {
		t.Errorf("route table: %s", asJSON(rt))
	}
	svc := m.EndpointServices[0]
	if svc.AcceptanceRequired == nil || *svc.AcceptanceRequired || asJSON(svc.AllowedPrincipals) != `["arn:aws:iam::444455556666:root"]` || svc.AttributeLines["allowed_principals[0]"] != 150 {
		t.Errorf("service: %s", asJSON(svc))
	}
	if fl := m.FlowLogs[0]; fl.ResourceID != "aws_vpc.main" || fl.ResourceType != "VPC" || fl.TrafficType != "ALL" {
		t.Errorf("flow log: %s", asJSON(fl))
	}
	for _, g := range m.SecurityGroups {
		if g.IsDefault && (g.Address != "aws_default_security_group.default" || len(g.Ingress) != 0 || g.Egress == nil) {
			t.Errorf("default group: %s", asJSON(g))
		}
	}
	for _, r := range m.Resources() {
		if meta := r.GetMeta(); meta.Source.File != tf || meta.Placeholder {
			t.Errorf("%s: %+v placeholder %v", meta.Address, meta.Source, meta.Placeholder)
		}
	}
}

// TestModulesFixture: a real plan of a module called once per service
// (for_each), with its arguments bound from the call, and a group whose
// ingress comes from a dynamic block.
func TestModulesFixture(t *testing.T) {
	ok, units, errs := loadFile(t, filepath.Join(repoRoot(t), "testdata", "loader", "tfplan", "modules", "plan.json"), loader.Options{})
	if !ok || len(units) != 1 || len(errs) > 0 {
		t.Fatalf("units %d errors %v", len(units), errs)
	}
	m := units[0]
	for _, svc := range []string{"ssm", "ec2messages"} {
		mod := `module.endpoint["` + svc + `"]`
		e := findEndpoint(t, m, mod+".aws_vpc_endpoint.this")
		if e.Service != svc || e.VPCID != "aws_vpc.main" || asJSON(e.SubnetIDs) != `["aws_subnet.private[0]","aws_subnet.private[1]"]` ||
			asJSON(e.SecurityGroupIDs) != asJSON([]string{mod + ".aws_security_group.this"}) || e.Source.Module != mod {
			t.Errorf("%s: %s", svc, asJSON(e))
		}
		g := findGroup(t, m, mod+".aws_security_group.this")
		if len(g.Ingress) != 1 || g.Ingress[0].CIDRBlocks[0] != "10.2.0.0/16" || g.Source.File != "testdata/loader/tfplan/modules/modules/endpoint/main.tf" {
			t.Errorf("%s group: %s", svc, asJSON(g))
		}
	}
	b := findGroup(t, m, "aws_security_group.bastion")
	if len(b.Ingress) != 2 {
		t.Fatalf("bastion: %s", asJSON(b))
	}
	for i := range b.Ingress {
		p := "ingress[" + itoa(i) + "]"
		if b.AttributeLines[p] != 36 || b.AttributeLines[p+".cidr_blocks[0]"] != 41 {
			t.Errorf("dynamic lines: %v", b.AttributeLines)
		}
	}
}

// TestNestedBlockReferences: an inline rule naming a group known only
// after apply is resolved through the source, which the plan's
// configuration does not show for nested blocks.
func TestNestedBlockReferences(t *testing.T) {
	_, units, errs := loadFile(t, filepath.Join(repoRoot(t), "testdata", "loader", "tfplan", "modules", "plan.json"), loader.Options{})
	if len(units) != 1 {
		t.Fatalf("errors %v", errs)
	}
	g := findGroup(t, units[0], "aws_security_group.app")
	if len(g.Ingress) != 1 || asJSON(g.Ingress[0].SecurityGroupIDs) != `["aws_security_group.bastion"]` || len(g.Unknown) > 0 {
		t.Errorf("app: %s", asJSON(g))
	}
	if g.AttributeLines["ingress[0].security_group_ids[0]"] != 66 {
		t.Errorf("lines %v", g.AttributeLines)
	}

	// Without the source the group stays unknown.
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "testdata", "loader", "tfplan", "modules", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := loadText(t, "plan.json", string(b), loader.Options{})
	g = findGroup(t, m, "aws_security_group.app")
	if g.Ingress[0].SecurityGroupIDs != nil || !slices.Contains(g.Unknown, "ingress[0].security_group_ids") {
		t.Errorf("without source: %s", asJSON(g))
	}
}
