package tfplan

import (
	"reflect"
	"testing"
)

// TestSplitAddress: addresses and references as Terraform writes them in
// a plan split into steps with their first instance key.
func TestSplitAddress(t *testing.T) {
	tests := []struct {
		in      string
		want    []step
		wantErr bool
	}{
		{in: "aws_vpc.main.id", want: []step{{name: "aws_vpc"}, {name: "main"}, {name: "id"}}},
		{in: `module.a["k"].aws_x.y[0]`, want: []step{{name: "module"}, {name: "a", key: "k", hasKey: true}, {name: "aws_x"}, {name: "y", key: 0, hasKey: true}}},
		{in: `module.a["b.c[0]"].module.d`, want: []step{{name: "module"}, {name: "a", key: "b.c[0]", hasKey: true}, {name: "module"}, {name: "d"}}},
		{in: `aws_x.y["say \"hi\""]`, want: []step{{name: "aws_x"}, {name: "y", key: `say "hi"`, hasKey: true}}},
		{in: "aws_security_group.g.ingress[0][1]", want: []step{{name: "aws_security_group"}, {name: "g"}, {name: "ingress", key: 0, hasKey: true}}},
		{in: "data.aws_region.current", want: []step{{name: "data"}, {name: "aws_region"}, {name: "current"}}},
		{in: "each.value", want: []step{{name: "each"}, {name: "value"}}},
		{in: "my-name_1.x", want: []step{{name: "my-name_1"}, {name: "x"}}},
		{in: "a.", wantErr: true},
		{in: "a[", wantErr: true},
		{in: `a["k`, wantErr: true},
		{in: "a b", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := splitAddress(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("splitAddress = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestParseResourceAddress(t *testing.T) {
	tests := []struct {
		in   string
		want resAddr
	}{
		{"aws_vpc.main", resAddr{mode: "managed", typ: "aws_vpc", name: "main"}},
		{`module.a["k"].module.b.data.aws_x.y[2]`, resAddr{module: `module.a["k"].module.b`, modPath: "module.a.module.b", mode: "data", typ: "aws_x", name: "y", key: 2, hasKey: true}},
		{`module.m[0].aws_x.y["z"]`, resAddr{module: "module.m[0]", modPath: "module.m", mode: "managed", typ: "aws_x", name: "y", key: "z", hasKey: true}},
	}
	for _, tt := range tests {
		got, err := parseResourceAddress(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseResourceAddress(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"aws_vpc", "aws_vpc.main.id", "module.a"} {
		if _, err := parseResourceAddress(bad); err == nil {
			t.Errorf("parseResourceAddress(%q): no error", bad)
		}
	}
	if got := modulePathOf(`module.a["x.y"].module.b[1]`); got != "module.a.module.b" {
		t.Errorf("modulePathOf = %q", got)
	}
}
