package cloudformation

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/vpclint/vpclint/internal/modeltest"
	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// TestImportsAcrossTemplates: what one template attaches through
// Fn::ImportValue to another's exports makes the attached attributes
// unknown on the exported resources, and only there.
func TestImportsAcrossTemplates(t *testing.T) {
	units, errs := loadDir(t, filepath.Join(testdataDir, "imports"), loader.Options{})
	for _, e := range errs {
		if e.Level != model.LevelInfo {
			t.Errorf("unexpected problem: %v", e)
		}
	}
	m := units["network.yaml"]
	if m == nil {
		t.Fatalf("units = %v", unitNames(units))
	}
	tests := []struct {
		addr    string
		meta    *model.Meta
		unknown []string
	}{
		{"Vpc", &modeltest.ByAddress(t, m, m.VPCs, "Vpc").Meta, []string{"flow_logs"}},
		{"Unexported", &modeltest.ByAddress(t, m, m.VPCs, "Unexported").Meta, nil},
		{"Subnet", &modeltest.ByAddress(t, m, m.Subnets, "Subnet").Meta, []string{"availability_zone", "network_acl_id"}},
		{"Group", &findSG(t, m, "Group").Meta, []string{"ingress"}},
		{"Acl", &findACL(t, m, "Acl").Meta, []string{"entries", "subnet_ids"}},
		{"Table", &modeltest.ByAddress(t, m, m.RouteTables, "Table").Meta, []string{"routes"}},
		{"Service", &modeltest.ByAddress(t, m, m.EndpointServices, "Service").Meta, []string{"allowed_principals"}},
	}
	for _, tc := range tests {
		if !slices.Equal(tc.meta.Unknown, tc.unknown) {
			t.Errorf("%s: unknown = %v, want %v", tc.addr, tc.meta.Unknown, tc.unknown)
		}
	}
	// Known parts stay: the group's egress, the ACL's (no) entries.
	if g := findSG(t, m, "Group"); g.Ingress == nil || len(g.Egress) != 1 {
		t.Errorf("group rules %+v %+v", g.Ingress, g.Egress)
	}
	// The importing template's own resources are unchanged: its flow logs
	// name no resource it can resolve.
	a := units["attachments.yaml"]
	for _, fl := range a.FlowLogs {
		if fl.ResourceID != "" || !slices.Contains(fl.Unknown, "resource_id") {
			t.Errorf("%s: resource_id %q unknown %v", fl.Address, fl.ResourceID, fl.Unknown)
		}
	}
}

// TestUndecidedAttachments: within one template, an attachment to one of
// two resources (an Fn::If on a parameter) or one that may not exist (a
// Condition on a parameter) makes the attributes unknown on each resource
// it may name; one whose branches agree is attached.
func TestUndecidedAttachments(t *testing.T) {
	units, _ := loadDir(t, filepath.Join(testdataDir, "imports"), loader.Options{})
	m := units["local.yaml"]
	for addr, want := range map[string][]string{"BlueVpc": {"flow_logs"}, "GreenVpc": {"flow_logs"}, "LoneVpc": nil} {
		if v := modeltest.ByAddress(t, m, m.VPCs, addr); !slices.Equal(v.Unknown, want) {
			t.Errorf("%s: unknown %v, want %v", addr, v.Unknown, want)
		}
	}
	g := findSG(t, m, "Group")
	if !slices.Equal(g.Unknown, []string{"ingress"}) {
		t.Errorf("group unknown %v", g.Unknown)
	}
	var ports []int
	for _, r := range g.Ingress {
		ports = append(ports, *r.FromPort)
	}
	if !slices.Equal(ports, []int{443, 8443}) {
		t.Errorf("group ingress ports %v, want the inline rule and SameRule, not MaybeRule", ports)
	}
}

func TestGlobsMeet(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"net-VpcId", "net-VpcId", true},
		{"net-VpcId", "net-SubnetId", false},
		{"*-VpcId", "net-VpcId", true},
		{"net-VpcId", "*-VpcId", true},
		{"*-VpcId", "*-VpcId", true},
		{"*-VpcId", "*-SubnetId", false},
		{"*:VpcId", "*-VpcId", false},
		{"prod-*", "*-VpcId", true},
		{"prod-*-a", "*-b", false},
		{"a*b*c", "*x*", true},
		{"a*c", "ab*", true},
		{"ab", "a*b*", true},
		{"ab", "a*c", false},
		{"*", "anything", true},
		{"x*y", "x*z", false},
	}
	for _, tc := range tests {
		if got := globsMeet(tc.a, tc.b); got != tc.want {
			t.Errorf("globsMeet(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := globsMeet(tc.b, tc.a); got != tc.want {
			t.Errorf("globsMeet(%q, %q) = %v, want %v", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestPatternGlob(t *testing.T) {
	for in, want := range map[string]string{
		"${AWS::StackName}-VpcId":  "*-VpcId",
		"${A}${B}-x":               "*-x",
		"plain":                    "plain",
		"${A}:${B}":                "*:*",
		"pre-${unterminated":       "pre-*",
		"${ImportValue:x}.${Name}": "*.*",
	} {
		if got := patternGlob(in); got != want {
			t.Errorf("patternGlob(%q) = %q, want %q", in, got, want)
		}
	}
}
