package model

import (
	"slices"
	"strings"
)

// Collection is one of the model's resource lists. The table of them is
// the one place that names the lists for code that goes through every
// one: the evaluator's rule subjects, the inventory reader, and the
// model's own Resources and SortByID.
type Collection struct {
	// Name is the list's JSON name, as rules, inventories and
	// Inventory.Lists know it.
	Name string
	// Len is the number of resources in the list.
	Len func(*Model) int
	// Append appends the list's resources to out.
	Append func(m *Model, out []Resource) []Resource
	// SortByID orders the list by id, keeping the order of equal ids.
	SortByID func(*Model)
}

// collections are the model's resource lists in the order of its fields;
// TestCollectionsAreTheModelsLists checks them against Model's JSON tags.
var collections = []Collection{
	collection("vpcs", func(m *Model) []*VPC { return m.VPCs }),
	collection("subnets", func(m *Model) []*Subnet { return m.Subnets }),
	collection("security_groups", func(m *Model) []*SecurityGroup { return m.SecurityGroups }),
	collection("network_acls", func(m *Model) []*NetworkACL { return m.NetworkACLs }),
	collection("vpc_endpoints", func(m *Model) []*VPCEndpoint { return m.VPCEndpoints }),
	collection("vpc_endpoint_services", func(m *Model) []*EndpointService { return m.EndpointServices }),
	collection("route_tables", func(m *Model) []*RouteTable { return m.RouteTables }),
	collection("flow_logs", func(m *Model) []*FlowLog { return m.FlowLogs }),
	collection("prefix_lists", func(m *Model) []*PrefixList { return m.PrefixLists }),
	collection("hosted_zones", func(m *Model) []*HostedZone { return m.HostedZones }),
}

// Collections returns the model's resource lists, in the order of its
// fields.
func Collections() []Collection { return slices.Clone(collections) }

func collection[R Resource](name string, list func(*Model) []R) Collection {
	return Collection{
		Name: name,
		Len:  func(m *Model) int { return len(list(m)) },
		Append: func(m *Model, out []Resource) []Resource {
			for _, r := range list(m) {
				out = append(out, r)
			}
			return out
		},
		SortByID: func(m *Model) {
			slices.SortStableFunc(list(m), func(a, b R) int { return strings.Compare(a.GetMeta().ID, b.GetMeta().ID) })
		},
	}
}
