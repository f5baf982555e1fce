package tfaws

import (
	"slices"
	"sort"
	"testing"
)

// TestEveryPartUncertain: every separate resource type the adapter folds
// (rules, entries, associations, policies, private DNS, routes, CIDR
// blocks, zone associations) makes what it would set unknown on its
// target when it may not exist (unknown count or for_each), and on every
// resource of the kind when its target cannot be resolved; known values
// the target holds stay. Two targets of the kind tell "its target" from
// "every one".
func TestEveryPartUncertain(t *testing.T) {
	primary := map[kind]string{
		kindVPC: "aws_vpc", kindSubnet: "aws_subnet", kindSG: "aws_security_group", kindACL: "aws_network_acl",
		kindEndpoint: "aws_vpc_endpoint", kindService: "aws_vpc_endpoint_service", kindRouteTable: "aws_route_table",
		kindZone: "aws_route53_zone",
	}
	target := func(k kind, name string) *Resource {
		if k == kindEndpoint {
			return endpoint(name, nil)
		}
		attrs := map[string]Value{"vpc_id": known("aws_vpc.main"), "cidr_block": known("10.0.0.0/16")}
		if k == kindZone {
			attrs = map[string]Value{"name": known("example.internal")}
		}
		return res(primary[k], name, attrs, nil)
	}
	types := make([]string, 0, len(parts))
	for typ := range parts {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		p := parts[typ]
		paths := p.paths
		attrs := map[string]Value{}
		if typ == "aws_security_group_rule" {
			attrs["type"], paths = known("ingress"), []string{"ingress"}
		}
		for _, tc := range []struct {
			name  string
			maybe bool
			ref   Ref
			both  bool // every resource of the kind, not only "a"
		}{
			{"unknown count", true, Ref{State: Known, ID: primary[p.kind] + ".a"}, false},
			{"unresolved target", false, Ref{State: Unknown, Name: "var.target_id"}, true},
		} {
			t.Run(typ+"/"+tc.name, func(t *testing.T) {
				part := res(typ, "part", attrs, map[string]Ref{p.target: tc.ref})
				part.Maybe = tc.maybe
				rs := []*Resource{target(p.kind, "a"), target(p.kind, "b"), part}
				if p.kind != kindVPC {
					rs = append(rs, res("aws_vpc", "main", map[string]Value{"cidr_block": known("10.0.0.0/16")}, nil))
				}
				m := build(t, nil, rs...)
				for _, name := range []string{"a", "b"} {
					addr := primary[p.kind] + "." + name
					var unknown []string
					for _, r := range m.Resources() {
						if r.GetMeta().Address == addr {
							unknown = r.GetMeta().Unknown
						}
					}
					want := name == "a" || tc.both
					for _, path := range paths {
						if slices.Contains(unknown, path) != want {
							t.Errorf("%s: %s unknown = %v, want %v (unknown %v)", addr, path, !want, want, unknown)
						}
					}
				}
			})
		}
	}
}
