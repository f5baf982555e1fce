package tfaws

import (
	"strings"

	"github.com/vpclint/vpclint/model"
)

// VPC endpoints and endpoint services.

func (b *Builder) endpoint(r *Resource) {
	e := &model.VPCEndpoint{Meta: b.meta(r)}
	f := b.reader(r, &e.Meta, r.Body, "")
	e.VPCID, _ = f.ref("vpc_id", "vpc_id")
	switch t, st := f.str("vpc_endpoint_type", "type"); st {
	case Known:
		e.Type = model.NormalizeEndpointType(t)
	case Unset:
		e.Type = model.EndpointGateway
		f.defaulted("type")
	}
	switch s, st := f.str("service_name", "service_name"); st {
	case Known:
		e.ServiceName = s
		e.Service = model.EndpointServiceOf(s)
	case Unknown:
		// com.amazonaws.${region}.kms still names KMS.
		if p, ok := r.Body.Pattern("service_name"); ok {
			e.ServiceNamePattern = p
			e.Service = model.EndpointServiceOf(p)
		}
	}
	e.PrivateDNSEnabled = f.boolDefault("private_dns_enabled", "private_dns_enabled", false)
	readPolicy(f, e)
	e.SubnetIDs = f.refs("subnet_ids", "subnet_ids")
	e.SecurityGroupIDs = f.refs("security_group_ids", "security_group_ids")
	e.RouteTableIDs = f.refs("route_table_ids", "route_table_ids")
	e.IPAddressType, _ = f.str("ip_address_type", "ip_address_type")
	if opts, known := r.Body.Blocks("dns_options"); !known {
		f.unknown("dns_options")
	} else if len(opts) > 0 {
		of := b.reader(r, &e.Meta, opts[0], "dns_options.")
		f.line("dns_options", opts[0].Line())
		d := &model.DNSOptions{}
		d.DNSRecordIPType, _ = of.str("dns_record_ip_type", "dns_record_ip_type")
		d.PrivateDNSOnlyForInboundResolverEndpoint, _ = of.boolean("private_dns_only_for_inbound_resolver_endpoint", "private_dns_only_for_inbound_resolver_endpoint")
		e.DNSOptions = d
	}
	b.common(f)
	b.m.VPCEndpoints = append(b.m.VPCEndpoints, e)
	b.put(kindEndpoint, e)
}

// readPolicy reads an endpoint policy (inline, or an
// aws_vpc_endpoint_policy, which replaces it): parsed when it is JSON,
// kept raw with the parse error when not, unknown when its value is.
func readPolicy(f *reader, e *model.VPCEndpoint) {
	s, st := f.str("policy", "policy")
	if st == Unset {
		return
	}
	e.Policy, e.PolicyRaw, e.PolicyError = nil, nil, ""
	if st == Unknown || strings.TrimSpace(s) == "" {
		return
	}
	e.PolicyRaw = &s
	p, err := model.ParsePolicy(s)
	if err != nil {
		e.PolicyError = err.Error()
		return
	}
	e.Policy = p
}

func (b *Builder) endpointService(r *Resource) {
	s := &model.EndpointService{Meta: b.meta(r)}
	f := b.reader(r, &s.Meta, r.Body, "")
	s.AcceptanceRequired, _ = f.boolean("acceptance_required", "acceptance_required")
	s.AllowedPrincipals = f.list("allowed_principals", "allowed_principals")
	s.PrivateDNSName, _ = f.str("private_dns_name", "private_dns_name")
	s.NetworkLoadBalancerARNs = f.list("network_load_balancer_arns", "network_load_balancer_arns")
	s.GatewayLoadBalancerARNs = f.list("gateway_load_balancer_arns", "gateway_load_balancer_arns")
	s.SupportedRegions = f.list("supported_regions", "supported_regions")
	s.SupportedIPAddressTypes = f.list("supported_ip_address_types", "supported_ip_address_types")
	if name, st := f.str("service_name", "service_name"); st == Known {
		s.ServiceName = name
	} else if st == Unset {
		f.unknown("service_name") // AWS names the service at creation
	}
	b.common(f)
	b.m.EndpointServices = append(b.m.EndpointServices, s)
	b.put(kindService, s)
}
