package cloudformation

import (
	"fmt"
	"strings"
	"testing"
)

// intrinsicsTemplate gives the expressions under test something to refer to.
const intrinsicsTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
  NoDefault:
    Type: String
  Zones:
    Type: List<AWS::EC2::AvailabilityZone::Name>
  Names:
    Type: CommaDelimitedList
    Default: "a, b,c"
  Latest:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /aws/service/ami
Mappings:
  RegionMap:
    us-east-1:
      Cidr: 10.1.0.0/16
    prod:
      Cidr: 10.2.0.0/16
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Unknown: !Equals [!Ref NoDefault, x]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, !Condition Unknown]
  EitherTrue: !Or [!Condition IsProd, !Condition Unknown]
  Loop: !Not [!Condition Loop]
  Ping: !And [!Condition Pong, !Equals [a, a]]
  Pong: !Or [!Condition Ping, !Equals [a, b]]
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  SG:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      VpcId: !Ref VPC
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      AvailabilityZone: !Select [2, !GetAZs ""]
  Skipped:
    Type: AWS::EC2::VPC
    Condition: IsDev
    Properties:
      CidrBlock: 10.9.0.0/16
  Holder:
    Type: Custom::Holder
    Properties:
      Value: EXPR
`

// render shows a resolved value compactly: scalars as text, lists in
// brackets, unknown as ?pattern, AZ refs as az:ref, NoValue as <novalue>.
func render(n *node) string {
	if n == nil {
		return "<novalue>"
	}
	switch n.kind {
	case kindScalar:
		if n.info().azRef != "" && n.info().azRef != n.value {
			return n.value + "@" + n.info().azRef
		}
		return n.value
	case kindNull:
		return "null"
	case kindList:
		parts := make([]string, 0, len(n.vals))
		for _, it := range n.vals {
			parts = append(parts, render(it))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case kindMap:
		parts := make([]string, 0, len(n.keys))
		for i, k := range n.keys {
			parts = append(parts, k.value+":"+render(n.vals[i]))
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	if n.info().azRef != "" {
		return "az:" + n.info().azRef
	}
	if n.sym != nil && len(n.sym.alts) > 0 {
		alts := make([]string, 0, len(n.sym.alts))
		for _, a := range n.sym.alts {
			alts = append(alts, render(a))
		}
		return "?(" + strings.Join(alts, "|") + ")"
	}
	return "?" + n.pattern()
}

// resolveExpr resolves one YAML expression in intrinsicsTemplate.
func resolveExpr(t testing.TB, expr, region, account string, overrides map[string]string) (string, []string) {
	t.Helper()
	src := strings.Replace(intrinsicsTemplate, "EXPR", expr, 1)
	root, err := parseTemplate([]byte(src))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	tpl, err := newTemplate(root)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	r := newResolver(tpl)
	r.region, r.account = region, account
	for k, v := range overrides {
		r.overrides[k] = scalar(0, v)
	}
	var warnings []string
	r.warn = func(line int, format string, args ...any) {
		warnings = append(warnings, fmt.Sprintf(format, args...))
	}
	v := r.resolve(tpl.byID["Holder"].props.val("Value"))
	return render(v), warnings
}

func TestIntrinsics(t *testing.T) {
	tests := []struct {
		name, expr string
		region     string
		account    string
		params     map[string]string
		want       string
		// warn is a part of the one warning expected, if any.
		warn string
	}{
		{name: "literal", expr: "plain", want: "plain"},
		{name: "Ref parameter default", expr: "!Ref Env", want: "prod"},
		{name: "Ref long form", expr: "{Ref: Env}", want: "prod"},
		{name: "Ref parameter override", expr: "!Ref Env", params: map[string]string{"Env": "dev"}, want: "dev"},
		{name: "Ref parameter without value", expr: "!Ref NoDefault", want: "?${NoDefault}"},
		{name: "Ref list parameter", expr: "!Ref Names", want: "[a b c]"},
		{name: "Ref SSM parameter is unknown", expr: "!Ref Latest", want: "?${Latest}"},
		{name: "Ref resource", expr: "!Ref VPC", want: "VPC"},
		{name: "Ref resource with false condition", expr: "!Ref Skipped", want: "?${Skipped}"},
		{name: "Ref undefined", expr: "!Ref Nowhere", want: "?${Nowhere}", warn: "Ref Nowhere: no parameter or resource is named Nowhere"},
		{name: "Ref undefined pseudo parameter", expr: "!Ref AWS::Nothing", want: "?${AWS::Nothing}", warn: "there is no such pseudo parameter"},
		{name: "GetAtt undefined", expr: "!GetAtt Ghost.Arn", want: "?${Ghost.Arn}", warn: "Fn::GetAtt Ghost.Arn: no resource is named Ghost"},
		{name: "Sub undefined", expr: "!Sub '${Nope}-x'", want: "?${Nope}-x", warn: "Ref Nope: no parameter or resource is named Nope"},
		{name: "Sub undefined attribute", expr: "!Sub '${Ghost.Arn}'", want: "?${Ghost.Arn}", warn: "no resource is named Ghost"},
		{name: "Region unknown", expr: "!Ref AWS::Region", want: "?${AWS::Region}"},
		{name: "Region", expr: "!Ref AWS::Region", region: "eu-west-1", want: "eu-west-1"},
		{name: "AccountId", expr: "!Ref AWS::AccountId", account: "123456789012", want: "123456789012"},
		{name: "AccountId unknown", expr: "!Ref AWS::AccountId", want: "?${AWS::AccountId}"},
		{name: "Partition", expr: "!Ref AWS::Partition", region: "cn-north-1", want: "aws-cn"},
		{name: "Partition unknown", expr: "!Ref AWS::Partition", want: "?${AWS::Partition}"},
		{name: "URLSuffix", expr: "!Ref AWS::URLSuffix", region: "us-east-1", want: "amazonaws.com"},
		{name: "URLSuffix China", expr: "!Ref AWS::URLSuffix", region: "cn-north-1", want: "amazonaws.com.cn"},
		{name: "URLSuffix ISO", expr: "!Ref AWS::URLSuffix", region: "us-iso-east-1", want: "c2s.ic.gov"},
		{name: "Partition EU sovereign", expr: "!Ref AWS::Partition", region: "eusc-de-east-1", want: "aws-eusc"},
		{name: "StackName", expr: "!Ref AWS::StackName", region: "us-east-1", want: "?${AWS::StackName}"},
		{name: "NoValue", expr: "!Ref AWS::NoValue", want: "<novalue>"},
		{name: "NoValue in list", expr: "[a, !Ref AWS::NoValue, b]", want: "[a b]"},
		{name: "NoValue in map", expr: "{A: x, B: !Ref AWS::NoValue}", want: "{A:x}"},
		{name: "GetAtt configured value", expr: "!GetAtt VPC.CidrBlock", want: "10.0.0.0/16"},
		{name: "GetAtt list form", expr: "{'Fn::GetAtt': [VPC, CidrBlock]}", want: "10.0.0.0/16"},
		{name: "GetAtt id", expr: "!GetAtt SG.GroupId", want: "SG"},
		{name: "GetAtt property reference", expr: "!GetAtt SG.VpcId", want: "VPC"},
		{name: "GetAtt default group", expr: "!GetAtt VPC.DefaultSecurityGroup", want: "VPC.DefaultSecurityGroup"},
		{name: "GetAtt default ACL", expr: "!GetAtt VPC.DefaultNetworkAcl", want: "VPC.DefaultNetworkAcl"},
		{name: "GetAtt computed", expr: "!GetAtt VPC.Ipv6CidrBlocks", want: "?${VPC.Ipv6CidrBlocks}"},
		{name: "GetAtt subnet AZ keeps identity", expr: "!GetAtt Subnet.AvailabilityZone", want: "az:GetAZs[2]"},
		{name: "Sub string", expr: "!Sub '${Env}-net'", want: "prod-net"},
		{name: "Sub list form", expr: "!Sub ['${A}-${Env}', {A: !Ref VPC}]", want: "VPC-prod"},
		{name: "Sub literal", expr: "!Sub '${!Literal}-${Env}'", want: "${Literal}-prod"},
		{name: "Sub attribute", expr: "!Sub '${VPC.CidrBlock}'", want: "10.0.0.0/16"},
		{name: "Sub pseudo", expr: "!Sub 'arn:${AWS::Partition}:s3:::b'", region: "us-gov-west-1", want: "arn:aws-us-gov:s3:::b"},
		{name: "Sub unknown keeps pattern", expr: "!Sub 'com.amazonaws.${AWS::Region}.s3'", want: "?com.amazonaws.${AWS::Region}.s3"},
		{name: "Sub unterminated", expr: "!Sub 'a${Env'", want: "?", warn: "?"},
		{name: "Join", expr: "!Join ['-', [a, !Ref Env]]", want: "a-prod"},
		{name: "Join long form", expr: "{'Fn::Join': ['', [com.amazonaws., !Ref AWS::Region, .s3]]}", region: "us-east-1", want: "com.amazonaws.us-east-1.s3"},
		{name: "Join unknown keeps pattern", expr: "!Join ['', [com.amazonaws., !Ref AWS::Region, .s3]]", want: "?com.amazonaws.${AWS::Region}.s3"},
		{name: "Join list parameter", expr: "!Join [',', !Ref Names]", want: "a,b,c"},
		{name: "Split", expr: "!Split [',', 'x,y']", want: "[x y]"},
		{name: "Select", expr: "!Select [1, [a, b, c]]", want: "b"},
		{name: "Select from Split", expr: "!Select [0, !Split ['/', '10.0.0.0/16']]", want: "10.0.0.0"},
		{name: "Select out of range", expr: "!Select [5, [a]]", want: "?", warn: "?"},
		{name: "Select bad index", expr: "!Select [x, [a]]", want: "?", warn: "?"},
		{name: "FindInMap", expr: "!FindInMap [RegionMap, !Ref Env, Cidr]", want: "10.2.0.0/16"},
		{name: "FindInMap missing key", expr: "!FindInMap [RegionMap, nowhere, Cidr]", want: "?", warn: "mapping RegionMap has no key nowhere"},
		{name: "FindInMap missing second key", expr: "!FindInMap [RegionMap, prod, Nope]", want: "?", warn: "mapping RegionMap has no key Nope under prod"},
		{name: "FindInMap missing map", expr: "!FindInMap [Nowhere, prod, Cidr]", want: "?", warn: "no mapping is named Nowhere"},
		{name: "FindInMap default value", expr: "!FindInMap [RegionMap, nowhere, Cidr, {DefaultValue: 10.3.0.0/16}]", want: "10.3.0.0/16"},
		{name: "FindInMap unknown key", expr: "!FindInMap [RegionMap, !Ref AWS::Region, Cidr]", want: "?"},
		{name: "GetAZs unknown", expr: "!Select [0, !GetAZs '']", want: "az:GetAZs[0]"},
		{name: "GetAZs distinct per index", expr: "[!Select [0, !GetAZs ''], !Select [1, {'Fn::GetAZs': {Ref: 'AWS::Region'}}]]", want: "[az:GetAZs[0] az:GetAZs[1]]"},
		{name: "GetAZs with region", expr: "!Select [1, !GetAZs '']", region: "eu-west-1", want: "eu-west-1b"},
		{name: "GetAZs explicit region", expr: "!Select [0, !GetAZs us-east-2]", want: "us-east-2a"},
		{name: "AZ list parameter", expr: "[!Select [0, !Ref Zones], !Select [1, !Ref Zones]]", want: "[az:Zones[0] az:Zones[1]]"},
		{name: "Cidr", expr: "!Cidr [10.0.0.0/16, 3, 8]", want: "[10.0.0.0/24 10.0.1.0/24 10.0.2.0/24]"},
		{name: "Cidr of GetAtt", expr: "!Select [2, !Cidr [!GetAtt VPC.CidrBlock, 4, 12]]", want: "10.0.32.0/20"},
		{name: "Cidr IPv6", expr: "!Cidr ['2001:db8::/56', 2, 64]", want: "[2001:db8::/64 2001:db8:0:1::/64]"},
		{name: "Cidr too many", expr: "!Cidr [10.0.0.0/24, 3, 7]", want: "?", warn: "?"},
		{name: "Cidr invalid block", expr: "!Cidr [nope, 3, 8]", want: "?", warn: "?"},
		{name: "ImportValue", expr: "!ImportValue shared-vpc", want: "?${ImportValue:shared-vpc}"},
		{name: "Base64", expr: "!Base64 abc", want: "YWJj"},
		{name: "If true", expr: "!If [IsProd, a, b]", want: "a"},
		{name: "If false", expr: "!If [IsDev, a, b]", want: "b"},
		{name: "If NoValue", expr: "!If [IsProd, !Ref AWS::NoValue, b]", want: "<novalue>"},
		{name: "If unknown condition", expr: "!If [Unknown, a, b]", want: "?(a|b)"},
		{name: "If undefined condition", expr: "!If [Nope, a, b]", want: "?(a|b)", warn: "no condition is named Nope"},
		{name: "If recursive condition", expr: "!If [Loop, a, b]", want: "?(a|b)", warn: "Conditions Loop form a cycle (Loop -> Loop)"},
		{name: "If cycle of two conditions", expr: "!If [Ping, a, b]", want: "?(a|b)", warn: "Conditions Ping, Pong form a cycle (Ping -> Pong -> Ping)"},
		{name: "If unknown condition, same value", expr: "!If [Unknown, !Ref VPC, !Ref VPC]", want: "VPC"},
		{name: "If unknown condition keeps both values", expr: "!If [Unknown, !Ref VPC, !Ref SG]", want: "?(VPC|SG)"},
		{name: "Equals", expr: "!Equals [!Ref Env, prod]", want: "true"},
		{name: "Equals lists", expr: "!Equals [[a, b], !Split [',', 'a,b']]", want: "true"},
		{name: "Equals different lists", expr: "!Equals [[a], [a, b]]", want: "false"},
		{name: "Equals maps", expr: "!Equals [{x: 1, y: [2]}, {y: [2], x: 1}]", want: "true"},
		{name: "Equals different maps", expr: "!Equals [{x: 1}, {x: 2}]", want: "false"},
		{name: "Equals kinds", expr: "!Equals [[a], a]", want: "false"},
		{name: "Equals unknown", expr: "!Equals [!Ref NoDefault, prod]", want: "?"},
		{name: "And", expr: "!If [Both, yes, no]", want: "yes"},
		{name: "Or with unknown", expr: "!If [Either, yes, no]", want: "?(yes|no)"},
		{name: "Or short-circuits", expr: "!If [EitherTrue, yes, no]", want: "yes"},
		{name: "Not", expr: "!Not [!Equals [a, b]]", want: "true"},
		{name: "ToJsonString", expr: "{'Fn::ToJsonString': {a: [1, x]}}", want: `{"a":[1,"x"]}`},
		{name: "Length", expr: "{'Fn::Length': [a, b]}", want: "2"},
		{name: "unsupported function", expr: "{'Fn::Transform': {Name: x}}", want: "?"},
		{name: "dynamic reference", expr: "'{{resolve:ssm:/cidr}}'", want: "?{{resolve:ssm:/cidr}}"},
		{name: "nested map", expr: "{A: !Ref Env, B: [!Ref VPC]}", want: "{A:prod B:[VPC]}"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, warnings := resolveExpr(t, tc.expr, tc.region, tc.account, tc.params)
			if got != tc.want {
				t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
			}
			switch {
			case tc.warn == "" && len(warnings) > 0:
				t.Errorf("%s: unexpected warnings %q", tc.expr, warnings)
			case tc.warn != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], tc.warn) && tc.warn != "?"):
				t.Errorf("%s: warnings %q, want one with %q", tc.expr, warnings, tc.warn)
			}
		})
	}
}

func TestCidrSubnets(t *testing.T) {
	got, err := cidrSubnets("192.168.0.0/24", "4", "6")
	if err != nil {
		t.Fatal(err)
	}
	want := "192.168.0.0/26 192.168.0.64/26 192.168.0.128/26 192.168.0.192/26"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	for _, bad := range [][3]string{{"10.0.0.0/16", "0", "8"}, {"10.0.0.0/16", "1", "17"}, {"10.0.0.0/16", "300", "8"}, {"10.0.0.0/16", "1", "x"}} {
		if _, err := cidrSubnets(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("cidrSubnets%v: no error", bad)
		}
	}
}
