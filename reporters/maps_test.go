package reporters

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/model"
)

// TestVPCDiagram: what the SVG diagram draws for each shape of a map, and
// how findings colour it.
func TestVPCDiagram(t *testing.T) {
	subnet := func(id, az, acl string, known bool) model.MapSubnet {
		return model.MapSubnet{MapNode: model.MapNode{ID: id, Address: id}, AZ: az, CIDR: "10.0.0.0/24", NACL: acl, NACLKnown: known}
	}
	ssm := model.MapEndpoint{MapNode: model.MapNode{ID: "ssm", Address: "aws_vpc_endpoint.ssm"}, Type: model.EndpointInterface,
		Service: "ssm", Subnets: []string{"a"}, AZs: []string{"az-a"}, MissingAZs: []string{"az-b"}, AZsKnown: true, SubnetsKnown: true}
	finding := func(addr string, sev model.Severity, suppressed bool) model.Finding {
		f := model.Finding{RuleID: "AZ001", Severity: sev, Resource: model.FindingResource{Address: addr, Root: "infra"}}
		if suppressed {
			f.Suppression = &model.AppliedSuppression{Kind: "inSource"}
		}
		return f
	}
	tests := []struct {
		name     string
		m        model.VPCMap
		findings []model.Finding
		want     []string
		not      []string
	}{
		{
			name: "an AZ an endpoint misses is marked in its column, coloured by the endpoint's finding",
			m: model.VPCMap{AZs: []string{"az-a", "az-b"}, Subnets: []model.MapSubnet{subnet("a", "az-a", "", true), subnet("b", "az-b", "", true)},
				Endpoints: []model.MapEndpoint{ssm}},
			findings: []model.Finding{finding("aws_vpc_endpoint.ssm", model.SeverityMedium, false)},
			want:     []string{`class="el medium chip missing"`, ">no ENI of ssm<", "ACL: AWS default (allows all)", ">ENI ssm<"},
		},
		{
			name:     "a suppressed finding does not colour",
			m:        model.VPCMap{AZs: []string{"az-a"}, Subnets: []model.MapSubnet{subnet("a", "az-a", "", true)}, Endpoints: []model.MapEndpoint{ssm}},
			findings: []model.Finding{finding("aws_vpc_endpoint.ssm", model.SeverityHigh, true)},
			want:     []string{`class="el ok chip"`},
			not:      []string{"el high"},
		},
		{
			name: "an undecided ACL, a subnet of unknown AZ, an open subnet list, an endpoint in no known subnet, a gateway without table",
			m: model.VPCMap{AZs: []string{""}, Subnets: []model.MapSubnet{subnet("x", "", "", false)},
				Endpoints: []model.MapEndpoint{
					{MapNode: model.MapNode{ID: "kms", Address: "kms"}, Type: model.EndpointInterface, Service: "kms", Subnets: []string{"x"}},
					{MapNode: model.MapNode{ID: "logs", Address: "logs"}, Type: model.EndpointInterface, Service: "logs"},
					{MapNode: model.MapNode{ID: "s3", Address: "s3"}, Type: model.EndpointGateway, Service: "s3", SubnetsKnown: true},
				}},
			want: []string{">AZ unknown<", ">ACL unknown<", ">ENI kms +?<", "Endpoints in no known subnet", ">logs<", ">s3 (gateway): no known route tab…<"},
		},
		{
			name: "a VPC not in the scan with no subnet",
			m:    model.VPCMap{MapNode: model.MapNode{ID: "vpc-1", Address: "vpc-1", Placeholder: true}, Endpoints: []model.MapEndpoint{}},
			want: []string{"VPC vpc-1 — not in the scan", "No subnet of this VPC is in the scan.", `class="el frame ok placeholder"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.m.Root = "infra"
			if tt.m.Address == "" {
				tt.m.MapNode = model.MapNode{ID: "vpc", Address: "aws_vpc.main"}
				tt.m.InScan = true
			}
			r := &Report{Findings: tt.findings, Topology: []model.VPCMap{tt.m}}
			ds := diagrams(r)
			if len(ds) != 1 {
				t.Fatalf("%d diagrams", len(ds))
			}
			svg := vpcSVG(ds[0])
			for _, w := range tt.want {
				if !strings.Contains(svg, w) {
					t.Errorf("no %q in\n%s", w, svg)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(svg, n) {
					t.Errorf("%q in\n%s", n, svg)
				}
			}
			// The HTML and DOT reports draw the same map.
			for _, format := range []string{"html", "dot"} {
				var buf bytes.Buffer
				if err := Write(&buf, format, r); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
