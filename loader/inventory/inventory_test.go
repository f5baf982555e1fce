package inventory

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/loader"
	"github.com/vpclint/vpclint/model"
)

// Write, for tests, writes units as a snapshot, sorted by unit. The models are not
// changed: the copy written leaves out facts and the positions of an
// earlier snapshot (source file and lines, attribute lines), and sorts
// resources by id.
func Write(w io.Writer, units []*model.Model) error {
	sorted := append([]*model.Model(nil), units...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Unit < sorted[j].Unit })
	sw := NewWriter(w, "")
	for _, u := range sorted {
		c, err := clean(u)
		if err != nil {
			return err
		}
		if _, err := sw.Write(c); err != nil {
			return err
		}
	}
	return sw.Close()
}

// clean deep-copies a unit for writing (strip).
func clean(u *model.Model) (*model.Model, error) {
	b, err := json.Marshal(u)
	if err != nil {
		return nil, fmt.Errorf("encode unit %s: %w", u.Unit, err)
	}
	c := &model.Model{}
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("copy unit %s: %w", u.Unit, err)
	}
	strip(c)
	return c, nil
}

// liveUnit is a small account×region as the live loader reads it.
func liveUnit(region string) *model.Model {
	src := model.Source{Format: model.FormatAWS, Account: "123456789012", Region: region}
	meta := func(id, typ string) model.Meta {
		return model.Meta{ID: id, Address: id, Type: typ, Source: src, ARN: "arn:aws:ec2:" + region + ":123456789012:x/" + id}
	}
	pol, err := model.ParsePolicy(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`)
	if err != nil {
		panic(err)
	}
	m := model.New("aws:123456789012/"+region, model.FormatAWS)
	m.Inventory.Complete = true
	m.Context = model.Context{Account: "123456789012", Region: region, Partition: "aws"}
	m.VPCs = []*model.VPC{
		{Meta: meta("vpc-2", "ec2:vpc"), CIDRBlocks: []string{"10.1.0.0/16"}, IPv6CIDRBlocks: []string{}, EnableDNSSupport: model.Bool(true), EnableDNSHostnames: model.Bool(false)},
		{Meta: meta("vpc-1", "ec2:vpc"), CIDRBlocks: []string{"10.0.0.0/16"}, IPv6CIDRBlocks: []string{}, IsDefault: true, EnableDNSSupport: model.Bool(true), EnableDNSHostnames: model.Bool(true)},
	}
	m.Subnets = []*model.Subnet{{Meta: meta("subnet-1", "ec2:subnet"), VPCID: "vpc-1", AvailabilityZone: region + "a", AvailabilityZoneID: "use1-az1", CIDRBlock: "10.0.1.0/24", NetworkACLID: "acl-1", RouteTableID: "rtb-1"}}
	sg := &model.SecurityGroup{Meta: meta("sg-1", "ec2:security-group"), Name: "web", VPCID: "vpc-1", Description: model.String("web"),
		Ingress: []*model.SGRule{{Protocol: "tcp", FromPort: model.Int(22), ToPort: model.Int(22), CIDRBlocks: []string{"0.0.0.0/0"}, RuleID: "sgr-1", Description: model.String("ssh")}},
		Egress:  []*model.SGRule{{Protocol: "all", CIDRBlocks: []string{"0.0.0.0/0"}, RuleID: "sgr-2"}}}
	sg.Tags = map[string]string{"vpclint:ignore": "SG004", "Name": "web & co <x>"}
	sg.Suppressions = []model.Suppression{{Kind: "tag", RuleIDs: []string{"SG004"}}}
	m.SecurityGroups = []*model.SecurityGroup{sg}
	m.NetworkACLs = []*model.NetworkACL{{Meta: meta("acl-1", "ec2:network-acl"), VPCID: "vpc-1", IsDefault: true, SubnetIDs: []string{"subnet-1"},
		Entries: []*model.NACLEntry{{RuleNumber: model.Int(100), Protocol: "all", Action: "allow", CIDRBlock: "0.0.0.0/0"}}}}
	m.VPCEndpoints = []*model.VPCEndpoint{{Meta: meta("vpce-1", "ec2:vpc-endpoint"), VPCID: "vpc-1", Type: "Interface", ServiceName: "com.amazonaws." + region + ".sts", Service: "sts",
		SubnetIDs: []string{"subnet-1"}, SecurityGroupIDs: []string{"sg-1"}, RouteTableIDs: []string{}, PrivateDNSEnabled: model.Bool(true), Policy: pol,
		DNSOptions: &model.DNSOptions{DNSRecordIPType: "ipv4"}}}
	m.RouteTables = []*model.RouteTable{{Meta: meta("rtb-1", "ec2:route-table"), VPCID: "vpc-1", IsMain: true, SubnetIDs: []string{}, Routes: []*model.Route{{DestinationCIDRBlock: "10.0.0.0/16", Target: "local", TargetType: "gateway_id"}}}}
	m.PrefixLists = []*model.PrefixList{{Meta: meta("pl-1", "ec2:prefix-list"), Name: "com.amazonaws." + region + ".s3", AWSManaged: true}}
	m.PrefixLists[0].Unknown = []string{"cidrs"}
	return m
}

func TestRoundTrip(t *testing.T) {
	units := []*model.Model{liveUnit("us-west-2"), liveUnit("us-east-1")}
	units[0].Facts = &model.Facts{}
	var buf bytes.Buffer
	if err := Write(&buf, units); err != nil {
		t.Fatal(err)
	}
	if units[0].VPCs[0].ID != "vpc-2" || units[0].Facts == nil {
		t.Fatal("Write changed its input")
	}
	text := buf.String()
	if !strings.HasPrefix(text, "{\n  \"vpclint_inventory\": 1,\n  \"generated_by\": \"vpclint\",\n") || strings.Contains(text, `"facts"`) {
		t.Fatalf("snapshot header:\n%.300s", text)
	}
	if !strings.Contains(text, "web & co <x>") {
		t.Error("HTML characters were escaped")
	}
	in := loader.Input{Path: "audit/inventory.json", Rel: "audit/inventory.json", Content: buf.Bytes()}
	f := New()
	if !f.Detect(in) {
		t.Fatal("Detect does not recognise a snapshot")
	}
	got, errs := f.Load(context.Background(), in, loader.Options{})
	if len(errs) > 0 {
		t.Fatalf("Load: %v", errs)
	}
	if len(got) != 2 || got[0].Unit != "aws:123456789012/us-east-1" {
		t.Fatalf("units: %d, first %q", len(got), got[0].Unit)
	}
	lines := strings.Split(text, "\n")
	for _, u := range got {
		if !u.Inventory.Complete || u.Format != model.FormatAWS {
			t.Errorf("%s: complete %v format %q", u.Unit, u.Inventory.Complete, u.Format)
		}
		prevEnd := 0
		for _, r := range u.Resources() {
			m := r.GetMeta()
			if m.Source.File != "audit/inventory.json" || m.Source.Account != "123456789012" || m.Source.Region != u.Context.Region || m.Source.Format != "aws" {
				t.Errorf("%s: source %+v", m.ID, m.Source)
			}
			s, e := m.Source.StartLine, m.Source.EndLine
			if s < 1 || e <= s || e > len(lines) {
				t.Fatalf("%s: lines %d-%d", m.ID, s, e)
			}
			if strings.TrimSpace(lines[s-1]) != "{" || !strings.HasPrefix(strings.TrimSpace(lines[e-1]), "}") {
				t.Errorf("%s: lines %d-%d are %q .. %q", m.ID, s, e, lines[s-1], lines[e-1])
			}
			if l := m.AttributeLines["id"]; l == 0 || !strings.Contains(lines[l-1], `"id": "`+m.ID+`"`) {
				t.Errorf("%s: attribute line of id = %d", m.ID, l)
			}
			if s <= prevEnd && s > 0 && prevEnd > 0 && m.Type == "ec2:vpc" {
				t.Errorf("%s overlaps the previous resource", m.ID)
			}
			prevEnd = e
		}
		sg := u.SecurityGroups[0]
		if l := sg.AttributeLines["ingress[0].cidr_blocks[0]"]; l == 0 || !strings.Contains(lines[l-1], `"0.0.0.0/0"`) {
			t.Errorf("ingress[0].cidr_blocks[0] at line %d", l)
		}
	}
	// Equal to what was written, except positions and the sorting by id.
	want := []*model.Model{units[1], units[0]}
	for _, u := range want {
		c, err := clean(u)
		if err != nil {
			t.Fatal(err)
		}
		*u = *c
	}
	if su := got[0].SecurityGroups[0].Suppressions; len(su) != 1 || su[0].File != "audit/inventory.json" || !strings.Contains(lines[su[0].Line-1], `"vpclint:ignore": "SG004"`) {
		t.Errorf("tag suppression = %+v", su)
	}
	for _, u := range got {
		for _, r := range u.Resources() {
			m := r.GetMeta()
			m.Source.File, m.Source.StartLine, m.Source.EndLine, m.AttributeLines = "", 0, 0, nil
			for i := range m.Suppressions {
				m.Suppressions[i].File, m.Suppressions[i].Line = "", 0
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		a, _ := json.MarshalIndent(got, "", " ")
		b, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("round trip differs:\n got %s\nwant %s", a, b)
	}
	// Writing what was read gives the same bytes.
	var again bytes.Buffer
	if err := Write(&again, got); err != nil {
		t.Fatal(err)
	}
	if again.String() != text {
		t.Error("re-writing a snapshot is not stable")
	}
}

func TestDetect(t *testing.T) {
	f := New()
	for _, c := range []struct {
		text string
		want bool
	}{
		{`{"vpclint_inventory": 1, "units": []}`, true},
		{"\ufeff\n  {\"generated_by\":\"x\",\"vpclint_inventory\":1}", true},
		{`{"Resources": {"A": {"Type": "AWS::EC2::VPC"}}}`, false},
		{`["vpclint_inventory"]`, false},
		{`{"format_version": "1.2", "planned_values": {}}`, false},
	} {
		if got := f.Detect(loader.Input{Content: []byte(c.text)}); got != c.want {
			t.Errorf("Detect(%q) = %v", c.text, got)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	f := New()
	for _, c := range []struct{ text, want string }{
		{`{"vpclint_inventory": 2, "units": []}`, "version 2 is not supported"},
		{"{\"vpclint_inventory\": 1,\n \"units\": [\n {\"unit\": }]}", "not a valid vpclint inventory"},
		{`{"vpclint_inventory": 1, "units": [{"vpcs": [{"cidr_blocks": "x"}]}]}`, "not a valid vpclint inventory"},
	} {
		units, errs := f.Load(context.Background(), loader.Input{Rel: "inv.json", Content: []byte(c.text)}, loader.Options{})
		if len(units) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Message, c.want) || errs[0].File != "inv.json" {
			t.Errorf("Load(%q) = %d units, %v", c.text, len(units), errs)
		}
	}
	_, errs := f.Load(context.Background(), loader.Input{Rel: "inv.json", Content: []byte("{\"vpclint_inventory\": 1,\n \"units\": [\n {\"unit\": }]}")}, loader.Options{})
	if len(errs) == 1 && errs[0].Line != 3 {
		t.Errorf("syntax error at line %d, want 3", errs[0].Line)
	}
	// A null where a resource or a rule belongs is named, with the line
	// of its resource, instead of crashing the scan.
	for _, c := range []struct {
		text, want string
		line       int
	}{
		{"{\"vpclint_inventory\": 1, \"units\": [{\n\"security_groups\": [\n{\"id\": \"sg-1\"},\nnull]}]}", "units[0].security_groups[1] is null", 4},
		{"{\"vpclint_inventory\": 1, \"units\": [{\n\"security_groups\": [\n{\"id\": \"sg-1\", \"ingress\": [null]}]}]}", "units[0].security_groups[0].ingress[0] is null", 3},
	} {
		units, errs := f.Load(context.Background(), loader.Input{Rel: "inv.json", Content: []byte(c.text)}, loader.Options{})
		if len(units) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Message, c.want) || errs[0].Line != c.line {
			t.Errorf("Load(%q) = %d units, %+v; want %q at line %d", c.text, len(units), errs, c.want, c.line)
		}
	}
	// A null list is an empty one.
	units, errs := f.Load(context.Background(), loader.Input{Rel: "inv.json", Content: []byte(`{"vpclint_inventory": 1, "units": [{"unit": "u", "vpcs": null}, null]}`)}, loader.Options{})
	if len(units) != 1 || len(errs) != 0 {
		t.Errorf("null lists: %d units, %v", len(units), errs)
	}
}

// TestSavedSnapshot keeps a snapshot written by an earlier vpclint under
// testdata/loader/aws/ loadable: users re-scan snapshots they saved long
// ago, so a model change must not break reading them.
func TestSavedSnapshot(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "loader", "aws", "inventory.json")
	if os.Getenv("UPDATE_GOLDEN") != "" {
		var buf bytes.Buffer
		if err := Write(&buf, []*model.Model{liveUnit("us-east-1")}); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	in := loader.Input{Path: path, Rel: "testdata/loader/aws/inventory.json", Content: content}
	if !New().Detect(in) {
		t.Fatal("not detected")
	}
	units, errs := New().Load(context.Background(), in, loader.Options{})
	if len(errs) > 0 || len(units) != 1 {
		t.Fatalf("Load: %d units, %v", len(units), errs)
	}
	u := units[0]
	if u.Unit != "aws:123456789012/us-east-1" || !u.Inventory.Complete || len(u.VPCs) != 2 || len(u.SecurityGroups) != 1 || len(u.VPCEndpoints) != 1 {
		t.Fatalf("unit = %s %v, %d VPCs", u.Unit, u.Inventory.Complete, len(u.VPCs))
	}
	sg := u.SecurityGroups[0]
	if sg.Source.File != in.Rel || sg.Source.StartLine < 1 || sg.AttributeLines["ingress[0].from_port"] <= sg.Source.StartLine ||
		len(sg.Suppressions) != 1 || *sg.Ingress[0].FromPort != 22 {
		t.Errorf("group = %+v", sg)
	}
	if ep := u.VPCEndpoints[0]; ep.Policy == nil || !ep.Policy.Statement[0].PrincipalStar {
		t.Errorf("endpoint policy = %+v", ep.Policy)
	}
}

// FuzzRead feeds arbitrary bytes to the snapshot reader: it must not
// panic, and a snapshot it accepts must write back to text that reads and
// writes again unchanged.
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	if err := Write(&buf, []*model.Model{liveUnit("eu-west-1")}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"vpclint_inventory": 1, "units": [{"unit": "x", "security_groups": [null, {"id": "sg-1", "ingress": [null]}]}]}`))
	f.Add([]byte(`{"vpclint_inventory": 2}`))
	f.Fuzz(func(t *testing.T, content []byte) {
		units, err := Read(content, "inventory.json")
		if err != nil {
			return
		}
		var first bytes.Buffer
		if err := Write(&first, units); err != nil {
			t.Fatalf("accepted snapshot does not write: %v", err)
		}
		again, err := Read(first.Bytes(), "inventory.json")
		if err != nil {
			t.Fatalf("written snapshot does not read: %v\n%s", err, first.Bytes())
		}
		var second bytes.Buffer
		if err := Write(&second, again); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Fatalf("snapshot not stable:\n%s\n---\n%s", first.Bytes(), second.Bytes())
		}
	})
}

// TestWriter: a snapshot written unit by unit is the indented JSON of the
// whole document, the units Write returns are those the snapshot's loader
// reads (positions included), and failed or partly read units are kept and
// reported when the snapshot is scanned.
func TestWriter(t *testing.T) {
	failed := model.New("aws:123456789012/ap-south-1", model.FormatAWS)
	failed.Context = model.Context{Account: "123456789012", Region: "ap-south-1"}
	failed.Inventory = model.Inventory{Lists: map[string]bool{"vpcs": false, "flow_logs": false}, Error: "AccessDenied: not authorized"}
	partial := liveUnit("eu-west-1")
	partial.Inventory = model.Inventory{Lists: map[string]bool{"vpcs": true, "flow_logs": false}}
	for _, units := range [][]*model.Model{nil, {liveUnit("us-east-1")}, {failed, partial, liveUnit("us-east-1")}} {
		var buf bytes.Buffer
		w := NewWriter(&buf, "inv.json")
		var returned []*model.Model
		for _, u := range units {
			r, err := w.Write(u)
			if err != nil {
				t.Fatal(err)
			}
			returned = append(returned, r)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		doc := snapshot{Version: Version, GeneratedBy: GeneratedBy, Units: []*model.Model{}}
		for _, u := range units {
			c, err := clean(u)
			if err != nil {
				t.Fatal(err)
			}
			doc.Units = append(doc.Units, c)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		if buf.String() != want.String() {
			t.Errorf("%d units: streamed\n%s\nwant\n%s", len(units), buf.String(), want.String())
		}
		read, errs := New().Load(context.Background(), loader.Input{Path: "inv.json", Rel: "inv.json", Content: buf.Bytes()}, loader.Options{})
		if !reflect.DeepEqual(read, returned) {
			a, _ := json.Marshal(returned)
			b, _ := json.Marshal(read)
			t.Errorf("%d units: Write returned\n%s\nthe loader reads\n%s", len(units), a, b)
		}
		var msgs []string
		for _, e := range errs {
			msgs = append(msgs, e.Account+"/"+e.Region+": "+e.Message)
		}
		if len(units) == 3 {
			want := []string{
				"123456789012/ap-south-1: not read when the snapshot was taken: AccessDenied: not authorized",
				"123456789012/eu-west-1: lists not read when the snapshot was taken: flow_logs; the rules that need them were not checked",
			}
			if !reflect.DeepEqual(msgs, want) || errs[0].Level != model.LevelError || errs[0].File != "inv.json" {
				t.Errorf("errors %q, want %q", msgs, want)
			}
		} else if len(errs) > 0 {
			t.Errorf("errors %v", errs)
		}
	}
}
