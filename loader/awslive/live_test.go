package awslive

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpclint/vpclint/internal/modeltest"
	"github.com/vpclint/vpclint/loader/awslive/mototest"
	"github.com/vpclint/vpclint/model"
)

// recorder is an HTTP client that records the API actions called.
type recorder struct {
	mu      sync.Mutex
	actions []string
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	action := req.Header.Get("X-Amz-Target")
	if action == "" && req.Body == nil {
		// A REST API (Route 53): the method and path say what it is.
		action = req.Method + " " + req.URL.Path
	}
	if action == "" && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		if v, err := url.ParseQuery(string(body)); err == nil {
			action = v.Get("Action")
		}
	}
	r.mu.Lock()
	r.actions = append(r.actions, action)
	r.mu.Unlock()
	return http.DefaultClient.Do(req)
}

func TestMotoAccount(t *testing.T) {
	base := requireMoto(t)
	moto.Reset(t)
	fakeEnv(t)
	t0 := time.Now()
	s, err := mototest.Seed(context.Background(), base, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded moto in %s (its first EC2 call loads its EC2 data)", time.Since(t0))
	rec := &recorder{}
	units, errs, err := Load(context.Background(), Options{Regions: []string{"us-east-1", "us-west-2"}, EndpointURL: base, HTTPClient: rec})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, e := range errs {
		t.Errorf("load error: %v", e)
	}
	if len(units) != 2 {
		t.Fatalf("got %d units, want 2 (us-east-1 and the empty us-west-2)", len(units))
	}
	const acct = mototest.Account
	m := units[0]
	if m.Unit != "aws:"+acct+"/us-east-1" || m.Format != model.FormatAWS || !m.Inventory.Complete {
		t.Errorf("unit %q format %q complete %v", m.Unit, m.Format, m.Inventory.Complete)
	}
	if m.Context != (model.Context{Account: acct, Region: "us-east-1", Partition: "aws"}) {
		t.Errorf("context = %+v", m.Context)
	}

	vpc := modeltest.ByID(t, m.VPCs, s.VPC)
	if !slices.Equal(vpc.CIDRBlocks, []string{"10.0.0.0/16"}) || vpc.EnableDNSSupport == nil || !*vpc.EnableDNSSupport ||
		vpc.EnableDNSHostnames == nil || !*vpc.EnableDNSHostnames || vpc.IsDefault || vpc.Tags["Name"] != "main" {
		t.Errorf("vpc = %+v", vpc)
	}
	if vpc.ARN != "arn:aws:ec2:us-east-1:"+acct+":vpc/"+s.VPC || vpc.Address != s.VPC ||
		vpc.Source != (model.Source{Format: "aws", Account: acct, Region: "us-east-1"}) {
		t.Errorf("vpc identity = %q %q %+v", vpc.ARN, vpc.Address, vpc.Source)
	}
	a, b := modeltest.ByID(t, m.Subnets, s.SubnetA), modeltest.ByID(t, m.Subnets, s.SubnetB)
	if a.AvailabilityZone != "us-east-1a" || b.AvailabilityZone != "us-east-1b" || a.AvailabilityZoneID == "" || a.AvailabilityZoneID == b.AvailabilityZoneID {
		t.Errorf("AZs: %q/%q %q/%q", a.AvailabilityZone, a.AvailabilityZoneID, b.AvailabilityZone, b.AvailabilityZoneID)
	}
	if a.NetworkACLID != s.NetworkACL || b.NetworkACLID == "" || b.NetworkACLID == s.NetworkACL || a.CIDRBlock != "10.0.1.0/24" || a.VPCID != s.VPC {
		t.Errorf("subnet ACLs: a=%q b=%q (custom %s)", a.NetworkACLID, b.NetworkACLID, s.NetworkACL)
	}
	if a.RouteTableID != s.MainRouteTable {
		t.Errorf("subnet a route table %q, want the main table %s", a.RouteTableID, s.MainRouteTable)
	}

	sg := modeltest.ByID(t, m.SecurityGroups, s.SecurityGroup)
	if sg.Name != "admin" || sg.IsDefault || sg.VPCID != s.VPC || sg.Description == nil || *sg.Description != "admin access" {
		t.Errorf("group = %+v", sg)
	}
	var ssh *model.SGRule
	for _, r := range sg.Ingress {
		if r.FromPort != nil && *r.FromPort == 22 {
			ssh = r
		}
	}
	if len(sg.Ingress) != 2 || ssh == nil || ssh.Protocol != "tcp" || *ssh.ToPort != 22 || !slices.Equal(ssh.CIDRBlocks, []string{"0.0.0.0/0"}) ||
		ssh.Description == nil || *ssh.Description != "ssh from anywhere" || !strings.HasPrefix(ssh.RuleID, "sgr-") {
		t.Errorf("ingress = %s", jsonOf(sg.Ingress))
	}
	if len(sg.Egress) != 1 || sg.Egress[0].Protocol != "all" || !slices.Equal(sg.Egress[0].CIDRBlocks, []string{"0.0.0.0/0"}) {
		t.Errorf("egress = %s", jsonOf(sg.Egress))
	}
	want := []model.Suppression{{Kind: "tag", RuleIDs: []string{"SG004", "SG009"}, Reason: "bastion, reviewed"}}
	if !equalJSON(sg.Suppressions, want) {
		t.Errorf("suppressions = %s", jsonOf(sg.Suppressions))
	}
	var def *model.SecurityGroup
	for _, g := range m.SecurityGroups {
		if g.VPCID == s.VPC && g.Name == "default" {
			def = g
		}
	}
	// moto gives the default group no self-referencing ingress rule
	// (AWS does), so only its identity is checked here; the fakes check
	// self references.
	if def == nil || !def.IsDefault {
		t.Errorf("default group = %s", jsonOf(def))
	}

	acl := modeltest.ByID(t, m.NetworkACLs, s.NetworkACL)
	if acl.IsDefault || !slices.Equal(acl.SubnetIDs, []string{s.SubnetA}) || len(acl.Entries) != 3 {
		t.Fatalf("acl = %s", jsonOf(acl))
	}
	e0, e1, e2 := acl.Entries[0], acl.Entries[1], acl.Entries[2]
	if e0.Egress || *e0.RuleNumber != 100 || e0.Protocol != "tcp" || e0.Action != "allow" || *e0.FromPort != 443 || e0.CIDRBlock != "10.0.0.0/16" ||
		e1.Egress || *e1.RuleNumber != 200 || e1.Protocol != "all" || e1.Action != "deny" ||
		!e2.Egress || *e2.FromPort != 1024 || *e2.ToPort != 65535 {
		t.Errorf("entries = %s", jsonOf(acl.Entries))
	}
	var defACL *model.NetworkACL
	for _, n := range m.NetworkACLs {
		if n.VPCID == s.VPC && n.IsDefault {
			defACL = n
		}
	}
	if defACL == nil || !slices.Contains(defACL.SubnetIDs, s.SubnetB) || len(defACL.Entries) == 0 {
		t.Errorf("default acl = %s", jsonOf(defACL))
	}
	for _, n := range m.NetworkACLs {
		for _, e := range n.Entries {
			if *e.RuleNumber >= 32767 {
				t.Errorf("acl %s keeps AWS's final deny entry %d", n.ID, *e.RuleNumber)
			}
		}
	}

	ep := modeltest.ByID(t, m.VPCEndpoints, s.InterfaceEndpoint)
	if ep.Type != "Interface" || ep.Service != "sts" || !slices.Equal(ep.SubnetIDs, sortedUnique([]string{s.SubnetA, s.SubnetB})) ||
		!slices.Equal(ep.SecurityGroupIDs, []string{s.SecurityGroup}) || ep.PrivateDNSEnabled == nil || !*ep.PrivateDNSEnabled || ep.VPCID != s.VPC {
		t.Errorf("interface endpoint = %s", jsonOf(ep))
	}
	// moto, like AWS, returns the default full-access policy for an
	// endpoint created without one: it reads as no policy, defaulted.
	if ep.Policy != nil || ep.PolicyRaw != nil || !slices.Contains(ep.Defaulted, "policy") {
		t.Errorf("interface endpoint policy (moto's default full access) = %s, defaulted %v", jsonOf(ep.Policy), ep.Defaulted)
	}
	hz := modeltest.ByID(t, m.HostedZones, s.HostedZone)
	if hz.Name != "sts.us-east-1.amazonaws.com" || hz.Private == nil || !*hz.Private {
		t.Errorf("hosted zone = %s", jsonOf(hz))
	}
	gw := modeltest.ByID(t, m.VPCEndpoints, s.GatewayEndpoint)
	if gw.Type != "Gateway" || gw.Service != "s3" || !slices.Equal(gw.RouteTableIDs, []string{s.MainRouteTable}) || gw.Policy != nil || !slices.Contains(gw.Defaulted, "policy") {
		t.Errorf("gateway endpoint = %s", jsonOf(gw))
	}

	if s.ServiceErr != nil {
		t.Logf("endpoint service not seeded (moto): %v", s.ServiceErr)
	} else {
		svc := modeltest.ByID(t, m.EndpointServices, s.Service)
		if svc.AcceptanceRequired == nil || *svc.AcceptanceRequired || !slices.Equal(svc.NetworkLoadBalancerARNs, []string{s.NLB}) ||
			!slices.Equal(svc.AllowedPrincipals, []string{"arn:aws:iam::111122223333:root"}) || !strings.HasPrefix(svc.ServiceName, "com.amazonaws.vpce.us-east-1.") {
			t.Errorf("endpoint service = %s", jsonOf(svc))
		}
	}
	pl := modeltest.ByID(t, m.PrefixLists, s.PrefixList)
	if pl.AWSManaged || pl.Name != "office" || !slices.Equal(pl.CIDRs, []string{"192.0.2.0/24", "198.51.100.7/32"}) || pl.MaxEntries == nil || *pl.MaxEntries != 5 {
		t.Errorf("prefix list = %s", jsonOf(pl))
	}
	for _, p := range m.PrefixLists {
		if p.AWSManaged && (p.CIDRs != nil || !slices.Contains(p.Unknown, "cidrs")) {
			t.Errorf("AWS-managed list %s: cidrs should be unknown", p.ID)
		}
	}
	rt := modeltest.ByID(t, m.RouteTables, s.MainRouteTable)
	if !rt.IsMain || rt.VPCID != s.VPC {
		t.Errorf("main route table = %s", jsonOf(rt))
	}

	// The second region holds only moto's default VPC.
	w := units[1]
	if w.Unit != "aws:"+acct+"/us-west-2" || !w.Inventory.Complete || len(w.VPCEndpoints) != 0 {
		t.Errorf("us-west-2 unit = %s %v, %d endpoints", w.Unit, w.Inventory.Complete, len(w.VPCEndpoints))
	}
	for _, v := range w.VPCs {
		if !v.IsDefault {
			t.Errorf("us-west-2 has a non-default VPC %s", v.ID)
		}
		if v.Source.Region != "us-west-2" {
			t.Errorf("us-west-2 VPC with source %+v", v.Source)
		}
	}

	// Read-only: only Describe*, Get* (sts:GetCallerIdentity included)
	// and, for a REST API, GET requests.
	seen := map[string]bool{}
	for _, a := range rec.actions {
		seen[a] = true
		if !strings.HasPrefix(a, "Describe") && !strings.HasPrefix(a, "Get") && !strings.HasPrefix(a, "GET /") {
			t.Errorf("the read called %q, which is not a read-only action", a)
		}
	}
	var calls []string
	for a := range seen {
		calls = append(calls, a)
	}
	sort.Strings(calls)
	t.Logf("actions called: %s", strings.Join(calls, " "))
}
