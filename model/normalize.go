package model

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// NormalizeProtocol reads a protocol as AWS does: names are
// case-insensitive, numbers and names are equal ("6" = "tcp"), and "-1" or
// "all" mean every protocol. It returns tcp, udp, icmp, icmpv6, all, or the
// decimal protocol number.
func NormalizeProtocol(p string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(p))
	switch s {
	case "-1", "all":
		return ProtoAll, nil
	case "tcp", "6":
		return ProtoTCP, nil
	case "udp", "17":
		return ProtoUDP, nil
	case "icmp", "1":
		return ProtoICMP, nil
	case "icmpv6", "58":
		return ProtoICMPv6, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 255 {
		return "", fmt.Errorf("unknown protocol %q", p)
	}
	return strconv.Itoa(n), nil
}

// CanonicalCIDR masks host bits as AWS does ("10.0.0.1/0" is "0.0.0.0/0")
// and reports whether the prefix is IPv6.
func CanonicalCIDR(c string) (string, bool, error) {
	pfx, err := netip.ParsePrefix(strings.TrimSpace(c))
	if err != nil {
		return "", false, fmt.Errorf("invalid CIDR %q", c)
	}
	pfx = pfx.Masked()
	return pfx.String(), pfx.Addr().Is6() && !pfx.Addr().Is4In6(), nil
}

// Int returns a pointer to v, for optional integer fields.
func Int(v int) *int { return &v }

// Bool returns a pointer to v, for optional boolean fields.
func Bool(v bool) *bool { return &v }

// String returns a pointer to v, for optional string fields.
func String(v string) *string { return &v }

// NormalizeEndpointType spells an endpoint type as the model does
// ("interface" -> "Interface"); an unknown future type is kept as written.
func NormalizeEndpointType(t string) string {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "interface":
		return EndpointInterface
	case "gateway":
		return EndpointGateway
	case "gatewayloadbalancer":
		return EndpointGatewayLoadBalancer
	case "resource":
		return "Resource"
	case "servicenetwork":
		return "ServiceNetwork"
	case "tunnel":
		return "Tunnel"
	}
	return t
}

// EndpointServiceOf derives the short AWS service of an endpoint service
// name: com.amazonaws.<region>.ecr.api and cn.com.amazonaws.<region>.ecr.api
// give "ecr.api", aws.api.<region>.<svc> and aws.sagemaker.<region>.<svc>
// give <svc>, a regionless com.amazonaws.<svc> gives <svc>. Endpoint
// services of customers and partners (com.amazonaws.vpce.<region>.vpce-svc-…)
// and names that are not AWS's give "". A region written as an unresolved
// placeholder ("${AWS::Region}") or as the "*" of a service name pattern
// (VPCEndpoint.ServiceNamePattern: com.amazonaws.*.kms gives "kms") is
// accepted; any other unknown part gives "". Every loader uses this one
// derivation, so the same name means the same service in every format.
func EndpointServiceOf(name string) string {
	parts := strings.Split(name, ".")
	if len(parts) > 0 && parts[0] == "cn" {
		parts = parts[1:] // China: cn.com.amazonaws.<region>.<svc>
	}
	svc := ""
	switch {
	case len(parts) > 3 && parts[0] == "com" && parts[1] == "amazonaws" && parts[2] != "vpce" && isRegionName(parts[2]):
		svc = strings.Join(parts[3:], ".")
	case len(parts) == 3 && parts[0] == "com" && parts[1] == "amazonaws" && parts[2] != "vpce" && parts[2] != "":
		svc = parts[2]
	case len(parts) > 3 && parts[0] == "aws" && (parts[1] == "api" || parts[1] == "sagemaker") && isRegionName(parts[2]):
		svc = strings.Join(parts[3:], ".")
	}
	if strings.Contains(svc, "*") {
		return ""
	}
	return svc
}

// isRegionName matches region names (us-east-1, us-gov-west-1,
// us-isob-east-1) and an unresolved placeholder for one.
func isRegionName(s string) bool {
	if s == "*" || strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") {
		return true
	}
	p := strings.Split(s, "-")
	if len(p) < 3 || len(p) > 4 || len(p[0]) != 2 {
		return false
	}
	if n, err := strconv.Atoi(p[len(p)-1]); err != nil || n < 0 {
		return false
	}
	for _, w := range p[:len(p)-1] {
		if w == "" {
			return false
		}
	}
	return true
}

// NormalizeZoneName gives a DNS zone name as the model holds it: lower
// case, without the final dot.
func NormalizeZoneName(name string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
}
