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
