package cloudformation

import (
	"fmt"
	"strings"

	"github.com/vpclint/vpclint/model"
)

func (b *build) endpoint(res *resource) {
	e := &model.VPCEndpoint{Meta: b.meta(res)}
	x := b.reader(res, &e.Meta, "")
	e.VPCID, _ = x.str(x.props, "VpcId", "vpc_id")
	if t, ok := x.str(x.props, "VpcEndpointType", "type"); ok {
		e.Type = t
	} else if x.props.val("VpcEndpointType") == nil {
		e.Type = model.EndpointGateway
		x.defaulted("type")
	}
	sn := x.prop(x.props, "ServiceName", "service_name")
	switch {
	case sn != nil && sn.kind == kindScalar:
		e.ServiceName = sn.value
		e.Service = model.EndpointServiceOf(sn.value)
	case sn != nil && sn.kind == kindUnknown:
		x.unknown("service_name")
		// com.amazonaws.${AWS::Region}.s3 still names S3: its pattern is
		// com.amazonaws.*.s3 (docs/model.md).
		if g := patternGlob(sn.pattern()); strings.Trim(g, "*") != "" {
			e.ServiceNamePattern = g
			e.Service = model.EndpointServiceOf(g)
		}
	case sn != nil:
		x.scalarOf(sn, "service_name")
	}
	e.SubnetIDs = x.idList("SubnetIds", "subnet_ids")
	e.SecurityGroupIDs = x.idList("SecurityGroupIds", "security_group_ids")
	e.RouteTableIDs = x.idList("RouteTableIds", "route_table_ids")
	e.PrivateDNSEnabled = x.boolean(x.props, "PrivateDnsEnabled", "private_dns_enabled", model.Bool(false))
	e.IPAddressType, _ = x.str(x.props, "IpAddressType", "ip_address_type")
	x.endpointPolicy(e)
	if d := x.prop(x.props, "DnsOptions", "dns_options"); d != nil {
		switch d.kind {
		case kindMap:
			o := &model.DNSOptions{}
			o.DNSRecordIPType, _ = x.str(d, "DnsRecordIpType", "dns_options.dns_record_ip_type")
			p := "dns_options.private_dns_only_for_inbound_resolver_endpoint"
			if s, ok := x.str(d, "PrivateDnsOnlyForInboundResolverEndpoint", p); ok {
				only, valid := map[string]*bool{"OnlyInboundResolver": model.Bool(true), "AllResolvers": model.Bool(false), "NotSpecified": nil}[s]
				o.PrivateDNSOnlyForInboundResolverEndpoint = only
				if !valid {
					x.warn(p, d.val("PrivateDnsOnlyForInboundResolverEndpoint"), "PrivateDnsOnlyForInboundResolverEndpoint %q is not OnlyInboundResolver, AllResolvers or NotSpecified", s)
				}
			}
			e.DNSOptions = o
		case kindUnknown:
			x.unknown("dns_options")
		}
	}
	b.tagsAndSuppressions(x)
	b.m.VPCEndpoints = append(b.m.VPCEndpoints, e)
}

// idList reads a list of ids; an absent list is a known empty one.
func (x *rb) idList(prop, p string) []string {
	l, present := x.strList(x.props, prop, p)
	if !present {
		return []string{}
	}
	return l
}

// endpointPolicy reads PolicyDocument: a JSON string or a mapping.
func (x *rb) endpointPolicy(e *model.VPCEndpoint) {
	v := x.prop(x.props, "PolicyDocument", "policy")
	if v == nil || v.kind == kindNull {
		return
	}
	switch v.kind {
	case kindScalar, kindUnknown:
		text := v.value
		if v.kind == kindUnknown {
			// A Sub'd document whose unknown parts are kept as
			// ${Name}: its structure is known.
			if v.pattern() == "" {
				x.unknown("policy")
				return
			}
			text = v.pattern()
		}
		p, err := model.ParsePolicy(text)
		if err != nil {
			if v.kind == kindUnknown {
				x.unknown("policy")
				return
			}
			e.PolicyRaw = model.String(text)
			e.PolicyError = err.Error()
			return
		}
		e.Policy = p
	case kindMap:
		if unknownWithoutPattern(v) {
			x.unknown("policy")
			return
		}
		raw, _ := toGo(v).(map[string]any)
		p, err := model.NormalizePolicy(raw, 0)
		if err != nil {
			e.PolicyError = err.Error()
			return
		}
		e.Policy = p
		if st := v.val("Statement"); st != nil && st.kind == kindList {
			for i, it := range st.vals {
				x.at(fmt.Sprintf("policy.Statement[%d]", i), it)
			}
		}
	default:
		x.warn("policy", v, "PolicyDocument is %s, not a document", v.kindName())
	}
}

// unknownWithoutPattern reports an unknown part that has no readable
// form (a whole statement or list from an unresolved function).
func unknownWithoutPattern(v *node) bool {
	return anyPart(v, func(n *node) bool { return n.kind == kindUnknown && n.pattern() == "" })
}

func (b *build) endpointService(res *resource) {
	s := &model.EndpointService{Meta: b.meta(res), AllowedPrincipals: []string{}}
	x := b.reader(res, &s.Meta, "")
	// The API creates a service that does not require acceptance when
	// AcceptanceRequired is not given.
	s.AcceptanceRequired = x.boolean(x.props, "AcceptanceRequired", "acceptance_required", model.Bool(false))
	s.NetworkLoadBalancerARNs = x.idList("NetworkLoadBalancerArns", "network_load_balancer_arns")
	s.GatewayLoadBalancerARNs = x.idList("GatewayLoadBalancerArns", "gateway_load_balancer_arns")
	s.SupportedRegions = x.idList("SupportedRegions", "supported_regions")
	s.SupportedIPAddressTypes = x.idList("SupportedIpAddressTypes", "supported_ip_address_types")
	s.PrivateDNSName, _ = x.str(x.props, "PrivateDnsName", "private_dns_name")
	b.tagsAndSuppressions(x)
	b.services[s.ID] = s
	b.m.EndpointServices = append(b.m.EndpointServices, s)
}

// servicePermissions folds AllowedPrincipals into the service.
func (b *build) servicePermissions(res *resource) {
	props := b.props(res)
	idNode := props.val("ServiceId")
	if idNode == nil || idNode.kind != kindScalar {
		b.addError(model.LevelInfo, res.key.line, "%s names no endpoint service that can be resolved; its principals are not attached", res.logicalID)
		b.mayAttach(idNode, attachmentOf(typeServicePerms, "ServiceId"))
		return
	}
	s, ok := b.services[idNode.value]
	if !ok {
		meta, _ := b.stubMeta(idNode.value, typeEndpointService, "", res)
		s = &model.EndpointService{Meta: meta, AllowedPrincipals: []string{}}
		b.services[s.ID] = s
		b.m.EndpointServices = append(b.m.EndpointServices, s)
	}
	x := &rb{b: b, res: res, meta: &s.Meta, props: props}
	v := props.val("AllowedPrincipals")
	if v == nil {
		return
	}
	if v.kind == kindList {
		x.at("allowed_principals", v)
	}
	for _, it := range v.listOrOne() {
		if it.kind != kindScalar {
			s.AllowedPrincipals = nil
			s.Unknown = append(s.Unknown, "allowed_principals")
			break
		}
		if s.AllowedPrincipals == nil {
			continue
		}
		p := fmt.Sprintf("allowed_principals[%d]", len(s.AllowedPrincipals))
		b.foldedAt(&s.Meta, p, it.line)
		s.AllowedPrincipals = append(s.AllowedPrincipals, it.value)
	}
	b.suppressions(x, "allowed_principals")
}
