package cloudformation

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vpclint/vpclint/loader"
)

// slowInput is longer than any input of a fuzz run may take.
const slowInput = 2 * time.Second

// FuzzParseTemplate feeds arbitrary text to the parser and the whole
// loader: nothing may panic, and a model comes only with a parsed template.
func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{
		"Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n",
		`{"Resources": {"G": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 1, "ToPort": 0}]}}}}`,
		"a: &a [x]\nb: [*a, *a]\nResources: {}\n",
		"Resources:\n  E:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: {NetworkAclId: !GetAtt V.DefaultNetworkAcl, PortRange: !Ref X}\n",
		"Resources:\n  <<: {A: {Type: AWS::EC2::VPC}}\n",
		"Resources: !Ref X\n",
		"- [",
		"# c\n---\nResources:\n  A:\n  - 1\n  B: &b x\nOutputs:\n  O: {Value: !Ref A}\n",
		"Resources:\n  A: \"x\n  B: 1\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan bool, 1)
		go func() {
			root, err := parseTemplate(data)
			if err == nil {
				_, _ = newTemplate(root)
			}
			// Parsed in the smallest pieces, a template gives the tree
			// of the whole file, or is parsed whole.
			if pieces, ok := parseYAMLChunked(data, 1); ok {
				whole, err := parseYAMLWhole(data)
				if err != nil || !reflect.DeepEqual(pieces, whole) {
					t.Errorf("parsed in pieces, not the whole file's tree (whole: %v)", err)
				}
			}
			ms, errs := New().Load(context.Background(), loader.Input{Path: "f.yaml", Rel: "f.yaml", Content: data}, loader.Options{})
			done <- len(ms) > 0 || len(errs) > 0
		}()
		select {
		case ok := <-done:
			if !ok {
				t.Fatal("no model and no error")
			}
		case <-time.After(slowInput):
			t.Fatalf("no result after %v", slowInput)
		}
	})
}

// FuzzResolve resolves arbitrary expressions in a template with
// parameters, mappings, conditions and resources to refer to.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"!Ref Env",
		"!Sub '${Env}-${VPC.CidrBlock}-${!x}'",
		"!Select [1, !Cidr [!GetAtt VPC.CidrBlock, 4, 8]]",
		"!If [IsProd, !Ref AWS::NoValue, [a]]",
		"!FindInMap [RegionMap, !Ref Env, Cidr]",
		"!Join ['', [!Select [0, !GetAZs ''], x]]",
		"{'Fn::Sub': ['${A}', {A: !Split [',', 'a,b']}]}",
		"!Equals [!Condition Loop, true]",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		if strings.ContainsAny(expr, "\n\r") {
			// One line, so that it stays the Value property.
			return
		}
		src := strings.Replace(intrinsicsTemplate, "EXPR", expr, 1)
		root, err := parseTemplate([]byte(src))
		if err != nil {
			return
		}
		tpl, err := newTemplate(root)
		if err != nil {
			return
		}
		holder := tpl.byID["Holder"]
		if holder == nil {
			return
		}
		for _, region := range []string{"", "eu-west-1"} {
			r := newResolver(tpl)
			r.region = region
			_ = render(r.resolve(holder.props.val("Value")))
		}
		_, _ = New().Load(context.Background(), loader.Input{Path: "f.yaml", Rel: "f.yaml", Content: []byte(src)}, loader.Options{Region: "us-east-1"})
	})
}
