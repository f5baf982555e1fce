package analysis

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// epModel: VPC 10.0.0.0/16 with subnets app (10.0.1.0/24, us-east-1a) and
// ep (10.0.2.0/24, us-east-1b), an interface endpoint in ep with group sg
// allowing TCP 443 from the VPC.
func epModel() *model.Model {
	m := model.New("test", model.FormatTerraform)
	m.VPCs = []*model.VPC{{Meta: model.Meta{ID: "vpc-1"}, CIDRBlocks: []string{"10.0.0.0/16"}}}
	m.Subnets = []*model.Subnet{
		{Meta: model.Meta{ID: "app", Address: "aws_subnet.app"}, VPCID: "vpc-1", CIDRBlock: "10.0.1.0/24", AvailabilityZone: "us-east-1a"},
		{Meta: model.Meta{ID: "ep", Address: "aws_subnet.ep"}, VPCID: "vpc-1", CIDRBlock: "10.0.2.0/24", AvailabilityZone: "us-east-1b"},
	}
	m.SecurityGroups = []*model.SecurityGroup{
		{Meta: model.Meta{ID: "sg"}, VPCID: "vpc-1", Ingress: []*model.SGRule{ip("tcp", 443, 443, "10.0.0.0/16")}, Egress: []*model.SGRule{}},
	}
	m.VPCEndpoints = []*model.VPCEndpoint{
		{Meta: model.Meta{ID: "vpce"}, VPCID: "vpc-1", Type: model.EndpointInterface, SubnetIDs: []string{"ep"}, SecurityGroupIDs: []string{"sg"}},
	}
	return m
}

func epFacts(t *testing.T, m *model.Model) *model.EndpointFacts {
	t.Helper()
	Analyze(m)
	return m.Facts.Endpoints["vpce"]
}

func findPath(t *testing.T, f *model.EndpointFacts, client, ep string) *model.PathCheck {
	t.Helper()
	for _, p := range f.Reachability {
		if p.ClientSubnet == client && p.EndpointSubnet == ep {
			return p
		}
	}
	t.Fatalf("no path %s -> %s in %+v", client, ep, f.Reachability)
	return nil
}

func allowAllEntries() []*model.NACLEntry {
	return []*model.NACLEntry{ent(100, "allow", "-1", "0.0.0.0/0", 0, 0), egress(ent(100, "allow", "-1", "0.0.0.0/0", 0, 0))}
}

func TestEndpointGroups(t *testing.T) {
	// No group listed: the VPC's default group from the model.
	m := epModel()
	m.VPCEndpoints[0].SecurityGroupIDs = []string{}
	m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{Meta: model.Meta{ID: "sg-default"}, VPCID: "vpc-1", IsDefault: true})
	f := epFacts(t, m)
	if !f.UsesDefaultGroup || !reflect.DeepEqual(f.SecurityGroupIDs, []string{"sg-default"}) {
		t.Errorf("groups = %v default=%v", f.SecurityGroupIDs, f.UsesDefaultGroup)
	}
	// Default group not in the model: a synthetic id.
	m = epModel()
	m.VPCEndpoints[0].SecurityGroupIDs = nil
	f = epFacts(t, m)
	if !f.UsesDefaultGroup || !reflect.DeepEqual(f.SecurityGroupIDs, []string{"vpc-1.default_security_group"}) {
		t.Errorf("groups = %v default=%v", f.SecurityGroupIDs, f.UsesDefaultGroup)
	}
	// The synthetic default group's self rule cannot be proven: unknown.
	if p := findPath(t, f, "app", "ep"); p.Request.Known {
		t.Errorf("request through the default group = %+v", p.Request)
	}
	// Unknown list: no default group.
	m = epModel()
	m.VPCEndpoints[0].SecurityGroupIDs = nil
	m.VPCEndpoints[0].Unknown = []string{"security_group_ids"}
	if f = epFacts(t, m); f.UsesDefaultGroup || len(f.SecurityGroupIDs) != 0 {
		t.Errorf("unknown groups = %v", f.SecurityGroupIDs)
	}
	// Foreign and missing groups.
	m = epModel()
	m.SecurityGroups = append(m.SecurityGroups, &model.SecurityGroup{Meta: model.Meta{ID: "sg-other"}, VPCID: "vpc-2"})
	m.VPCEndpoints[0].SecurityGroupIDs = []string{"sg", "sg-other", "sg-gone"}
	f = epFacts(t, m)
	if !reflect.DeepEqual(f.ForeignGroups, []string{"sg-other"}) || len(f.MissingGroups) != 0 {
		t.Errorf("foreign = %v missing = %v", f.ForeignGroups, f.MissingGroups)
	}
	m.Inventory.Complete = true
	if f = epFacts(t, m); !reflect.DeepEqual(f.MissingGroups, []string{"sg-gone"}) {
		t.Errorf("missing = %v", f.MissingGroups)
	}
}

func TestEndpointAZs(t *testing.T) {
	m := epModel()
	m.Subnets = append(m.Subnets,
		&model.Subnet{Meta: model.Meta{ID: "ep2"}, VPCID: "vpc-1", CIDRBlock: "10.0.3.0/24", AvailabilityZone: "us-east-1b"},
		&model.Subnet{Meta: model.Meta{ID: "c"}, VPCID: "vpc-1", CIDRBlock: "10.0.4.0/24", AvailabilityZone: "us-east-1c"})
	m.VPCEndpoints[0].SubnetIDs = []string{"ep", "ep2"}
	f := epFacts(t, m)
	if !reflect.DeepEqual(f.AZs, []string{"us-east-1b"}) || !reflect.DeepEqual(f.VPCAZs, []string{"us-east-1a", "us-east-1b", "us-east-1c"}) ||
		!reflect.DeepEqual(f.MissingAZs, []string{"us-east-1a", "us-east-1c"}) || !f.AZsKnown || !f.EndpointAZsKnown {
		t.Errorf("azs = %v vpc = %v missing = %v known = %v", f.AZs, f.VPCAZs, f.MissingAZs, f.AZsKnown)
	}
	if len(f.DuplicateAZs) != 1 || f.DuplicateAZs[0].AZ != "us-east-1b" || !reflect.DeepEqual(f.DuplicateAZs[0].SubnetIDs, []string{"ep", "ep2"}) {
		t.Errorf("duplicates = %+v", f.DuplicateAZs)
	}
	// Symbolic refs compare; an unknown AZ elsewhere in the VPC keeps the
	// endpoint's own AZs known.
	m = epModel()
	m.Subnets[0].AvailabilityZone = ""
	m.Subnets[1].AvailabilityZone, m.Subnets[1].AZRef = "", "azs[0]"
	f = epFacts(t, m)
	if f.AZsKnown || !f.EndpointAZsKnown || !reflect.DeepEqual(f.AZs, []string{"azs[0]"}) {
		t.Errorf("azs = %v known = %v/%v", f.AZs, f.AZsKnown, f.EndpointAZsKnown)
	}
}

func TestEndpointReachability(t *testing.T) {
	tests := []struct {
		name  string
		setup func(m *model.Model)
		// want for app -> ep
		reqKnown, reqAllowed     bool
		replyKnown, replyAllowed bool
		blockedBy, direction     string
		entry                    int
		ports                    []model.PortRange
		reason                   string
	}{
		{
			name:     "no ACL in the model: the default ACL allows all",
			setup:    func(m *model.Model) {},
			reqKnown: true, reqAllowed: true, replyKnown: true, replyAllowed: true,
		},
		{
			name: "subnet without association uses the default ACL in the model",
			setup: func(m *model.Model) {
				m.NetworkACLs = []*model.NetworkACL{{Meta: model.Meta{ID: "dacl", Address: "aws_default_network_acl.d"}, VPCID: "vpc-1", IsDefault: true, Entries: []*model.NACLEntry{}}}
			},
			reqKnown: true, replyKnown: true, blockedBy: "dacl", direction: "egress", entry: -1,
			reason: "no rule of network ACL aws_default_network_acl.d allows outbound tcp/443 to 10.0.2.0/24 (the final * entry denies it)",
		},
		{
			name: "reply blocked by missing ephemeral allow",
			setup: func(m *model.Model) {
				m.Subnets[1].NetworkACLID = "epacl"
				m.NetworkACLs = []*model.NetworkACL{{Meta: model.Meta{ID: "epacl", Address: "aws_network_acl.ep"}, VPCID: "vpc-1", Entries: []*model.NACLEntry{
					ent(100, "allow", "tcp", "10.0.0.0/16", 443, 443),
					egress(ent(100, "allow", "tcp", "10.0.0.0/16", 443, 443)),
					egress(ent(110, "allow", "tcp", "10.0.0.0/16", 32768, 65535)),
				}}}
			},
			reqKnown: true, reqAllowed: true, replyKnown: true,
			blockedBy: "epacl", direction: "egress", entry: -1, ports: []model.PortRange{pr(1024, 32767)},
			reason: "replies from the endpoint in subnet aws_subnet.ep (10.0.2.0/24) cannot return to subnet aws_subnet.app (10.0.1.0/24)",
		},
		{
			name: "request denied by an entry",
			setup: func(m *model.Model) {
				m.Subnets[1].NetworkACLID = "epacl"
				m.NetworkACLs = []*model.NetworkACL{{Meta: model.Meta{ID: "epacl", Address: "aws_network_acl.ep"}, VPCID: "vpc-1", Entries: append([]*model.NACLEntry{
					ent(90, "deny", "tcp", "10.0.0.0/16", 0, 1023)}, allowAllEntries()...)}}
			},
			reqKnown: true, replyKnown: true, replyAllowed: true,
			blockedBy: "epacl", direction: "ingress", entry: 0, ports: []model.PortRange{pr(443, 443)},
			reason: "rule 90 of network ACL aws_network_acl.ep denies tcp/0-1023 from 10.0.0.0/16 (inbound), so TCP 443 from subnet aws_subnet.app (10.0.1.0/24) cannot reach the endpoint in subnet aws_subnet.ep (10.0.2.0/24)",
		},
		{
			name: "security group does not allow the client subnet",
			setup: func(m *model.Model) {
				m.SecurityGroups[0].Ingress = []*model.SGRule{ip("tcp", 443, 443, "10.0.2.0/24")}
			},
			reqKnown: true, replyKnown: true, replyAllowed: true,
			reason: "no ingress rule of security group sg allows TCP 443 from subnet aws_subnet.app (10.0.1.0/24)",
		},
		{
			name: "security group referencing a group: unknown, not blocked",
			setup: func(m *model.Model) {
				m.SecurityGroups[0].Ingress = []*model.SGRule{{Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443), SecurityGroupIDs: []string{"sg-clients"}}}
			},
			reqKnown: false, replyKnown: true, replyAllowed: true,
		},
		{
			name: "security group that may hold more rules: unknown, not blocked",
			setup: func(m *model.Model) {
				m.SecurityGroups[0].Ingress = []*model.SGRule{ip("tcp", 443, 443, "10.0.2.0/24")}
				m.SecurityGroups[0].Unknown = []string{"ingress"}
			},
			reqKnown: false, replyKnown: true, replyAllowed: true,
		},
		{
			name: "security group that may hold more rules, one of them allowing the client",
			setup: func(m *model.Model) {
				m.SecurityGroups[0].Unknown = []string{"ingress"}
			},
			reqKnown: true, reqAllowed: true, replyKnown: true, replyAllowed: true,
		},
		{
			name: "unknown client CIDR",
			setup: func(m *model.Model) {
				m.Subnets[0].CIDRBlock = ""
				m.Subnets[0].Unknown = []string{"cidr_block"}
			},
			reqKnown: false, replyKnown: false,
		},
		{
			name: "unknown ACL entry after the deciding ones does not matter",
			setup: func(m *model.Model) {
				m.Subnets[1].NetworkACLID = "epacl"
				m.NetworkACLs = []*model.NetworkACL{{Meta: model.Meta{ID: "epacl", Unknown: []string{"entries[2].cidr_block"}}, VPCID: "vpc-1", Entries: append(allowAllEntries(),
					&model.NACLEntry{RuleNumber: model.Int(200), Action: "deny", Protocol: "-1"})}}
			},
			reqKnown: true, reqAllowed: true, replyKnown: true, replyAllowed: true,
		},
		{
			name: "unknown ACL entry before: unknown",
			setup: func(m *model.Model) {
				m.Subnets[1].NetworkACLID = "epacl"
				m.NetworkACLs = []*model.NetworkACL{{Meta: model.Meta{ID: "epacl", Unknown: []string{"entries[2].cidr_block"}}, VPCID: "vpc-1", Entries: append(allowAllEntries(),
					&model.NACLEntry{RuleNumber: model.Int(50), Action: "deny", Protocol: "-1"})}}
			},
			// The unknown entry is inbound: the replies leave through the
			// known outbound entries.
			reqKnown: false, replyKnown: true, replyAllowed: true,
		},
		{
			name: "unknown allow before the final deny: unknown",
			setup: func(m *model.Model) {
				m.Subnets[1].NetworkACLID = "epacl"
				m.NetworkACLs = []*model.NetworkACL{{Meta: model.Meta{ID: "epacl", Unknown: []string{"entries[0].cidr_block"}}, VPCID: "vpc-1", Entries: []*model.NACLEntry{
					{RuleNumber: model.Int(100), Action: "allow", Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443)},
					egress(ent(100, "allow", "-1", "0.0.0.0/0", 0, 0))}}}
			},
			reqKnown: false, replyKnown: true, replyAllowed: true,
		},
		{
			name: "unknown allow before a known allow: allowed whatever it is",
			setup: func(m *model.Model) {
				m.Subnets[1].NetworkACLID = "epacl"
				m.NetworkACLs = []*model.NetworkACL{{Meta: model.Meta{ID: "epacl", Unknown: []string{"entries[0].cidr_block"}}, VPCID: "vpc-1", Entries: append([]*model.NACLEntry{
					{RuleNumber: model.Int(50), Action: "allow", Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443)}}, allowAllEntries()...)}}
			},
			reqKnown: true, reqAllowed: true, replyKnown: true, replyAllowed: true,
		},
		{
			name: "unknown deny and no allow: blocked whatever it is",
			setup: func(m *model.Model) {
				m.Subnets[1].NetworkACLID = "epacl"
				m.NetworkACLs = []*model.NetworkACL{{Meta: model.Meta{ID: "epacl", Address: "aws_network_acl.ep", Unknown: []string{"entries[0].cidr_block"}}, VPCID: "vpc-1", Entries: []*model.NACLEntry{
					{RuleNumber: model.Int(50), Action: "deny", Protocol: "tcp", FromPort: model.Int(443), ToPort: model.Int(443)},
					egress(ent(100, "allow", "-1", "0.0.0.0/0", 0, 0))}}}
			},
			reqKnown: true, replyKnown: true, replyAllowed: true,
			blockedBy: "epacl", direction: "ingress", entry: -1,
			reason: "no rule of network ACL aws_network_acl.ep allows inbound tcp/443 from 10.0.1.0/24",
		},
		{
			name: "unknown action before the allow: unknown",
			setup: func(m *model.Model) {
				m.Subnets[1].NetworkACLID = "epacl"
				m.NetworkACLs = []*model.NetworkACL{{Meta: model.Meta{ID: "epacl", Unknown: []string{"entries[0].action"}}, VPCID: "vpc-1", Entries: append([]*model.NACLEntry{
					{RuleNumber: model.Int(50), Protocol: "tcp", CIDRBlock: "10.0.0.0/16", FromPort: model.Int(443), ToPort: model.Int(443)}}, allowAllEntries()...)}}
			},
			reqKnown: false, replyKnown: true, replyAllowed: true,
		},
		{
			name: "association unknown",
			setup: func(m *model.Model) {
				m.Subnets[1].Unknown = []string{"network_acl_id"}
			},
			reqKnown: false, replyKnown: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := epModel()
			tt.setup(m)
			f := epFacts(t, m)
			if len(f.Reachability) != 2 {
				t.Fatalf("paths = %d", len(f.Reachability))
			}
			p := findPath(t, f, "app", "ep")
			if p.Request.Known != tt.reqKnown || p.Request.Allowed != tt.reqAllowed {
				t.Errorf("request = %+v", p.Request)
			}
			if p.Reply.Known != tt.replyKnown || p.Reply.Allowed != tt.replyAllowed {
				t.Errorf("reply = %+v", p.Reply)
			}
			v := p.Request
			if v.Known && v.Allowed {
				v = p.Reply
			}
			if tt.blockedBy != "" {
				if v.BlockedBy != tt.blockedBy || v.BlockedDirection != tt.direction || v.BlockingEntry != tt.entry {
					t.Errorf("blocked = %+v", v)
				}
			}
			if tt.ports != nil && !reflect.DeepEqual(v.BlockedPorts, tt.ports) {
				t.Errorf("ports = %v", v.BlockedPorts)
			}
			if tt.reason != "" && !strings.Contains(v.Reason, tt.reason) {
				t.Errorf("reason = %q, want %q", v.Reason, tt.reason)
			}
			// Same subnet: no ACL on the way, replies always return.
			same := findPath(t, f, "ep", "ep")
			if !same.Reply.Known || !same.Reply.Allowed {
				t.Errorf("same-subnet reply = %+v", same.Reply)
			}
		})
	}
}

func TestEndpointReachabilityIPv6(t *testing.T) {
	m := epModel()
	m.VPCEndpoints[0].IPAddressType = "dualstack"
	m.Subnets[0].IPv6CIDRBlock = "2600:1f18:1:100::/64"
	m.Subnets[1].IPv6CIDRBlock = "2600:1f18:1:200::/64"
	m.SecurityGroups[0].Ingress = append(m.SecurityGroups[0].Ingress, ip("tcp", 443, 443, "2600:1f18:1::/56"))
	m.Subnets[1].NetworkACLID = "epacl"
	// IPv4 allowed both ways; IPv6 only has the final * deny.
	m.NetworkACLs = []*model.NetworkACL{{Meta: model.Meta{ID: "epacl"}, VPCID: "vpc-1", Entries: allowAllEntries()}}
	f := epFacts(t, m)
	p := findPath(t, f, "app", "ep")
	if !p.Request.Known || p.Request.Allowed || p.Request.BlockedDirection != "ingress" || p.Request.BlockingEntry != -1 ||
		!strings.Contains(p.Request.Reason, "from 2600:1f18:1:100::/64") {
		t.Errorf("request = %+v", p.Request)
	}
	// IPv4 only: the same ACL lets everything through.
	m.VPCEndpoints[0].IPAddressType = "ipv4"
	f = epFacts(t, m)
	if p := findPath(t, f, "app", "ep"); !p.Request.Known || !p.Request.Allowed || !p.Reply.Known || !p.Reply.Allowed {
		t.Errorf("ipv4 only: %+v %+v", p.Request, p.Reply)
	}
}

func TestEndpointAZKindsDoNotMix(t *testing.T) {
	m := epModel()
	// The endpoint's subnet has a symbolic AZ, the other subnet a name:
	// they cannot be compared.
	m.Subnets[1].AvailabilityZone, m.Subnets[1].AZRef = "", "azs[1]"
	f := epFacts(t, m)
	if f.AZsKnown || !f.EndpointAZsKnown || !reflect.DeepEqual(f.VPCAZs, []string{"azs[1]", "us-east-1a"}) {
		t.Errorf("azs = %v vpc = %v known = %v/%v", f.AZs, f.VPCAZs, f.AZsKnown, f.EndpointAZsKnown)
	}
	// A subnet the model does not have: the endpoint's AZs are unknown.
	m = epModel()
	m.VPCEndpoints[0].SubnetIDs = []string{"ep", "subnet-elsewhere"}
	if f = epFacts(t, m); f.AZsKnown || f.EndpointAZsKnown {
		t.Errorf("unknown subnet: known = %v/%v", f.AZsKnown, f.EndpointAZsKnown)
	}
	if p := findPath(t, f, "app", "subnet-elsewhere"); p.Request.Known || p.Reply.Known {
		t.Errorf("path to an unknown subnet = %+v %+v", p.Request, p.Reply)
	}
}
