package analysis

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vpclint/vpclint/analysis/boxset"
	"github.com/vpclint/vpclint/model"
)

// The key dimension encodes a protocol number and a port in one 24-bit
// value: protocol<<16 | port. For ICMP and ICMPv6 the "port" is
// type<<8 | code, which fits the same 16 bits exactly. A protocol without
// ports (all but TCP, UDP, ICMP, ICMPv6) always covers its 65536 keys, so
// "protocol 50" and "every protocol" are plain key ranges.
const (
	protoICMP   = 1
	protoTCP    = 6
	protoUDP    = 17
	protoICMPv6 = 58
	maxKey      = 0xFFFFFF
)

type (
	key      = boxset.Key
	keyRange = boxset.KeyRange
	keySet   = boxset.KeySet
)

func allKeys() keyRange { return keyRange{Lo: 0, Hi: maxKey} }

func protoKeys(p int) keyRange {
	return keyRange{Lo: key(p << 16), Hi: key(p<<16 | 0xFFFF)}
}

func portKeys(p, from, to int) keyRange {
	return keyRange{Lo: key(p<<16 | from), Hi: key(p<<16 | to)}
}

// icmpKeys is the key range of ICMP type t and code c, where -1 means all.
func icmpKeys(p, t, c int) (keyRange, bool) {
	switch {
	case t == -1:
		return protoKeys(p), true
	case t < 0 || t > 255 || c < -1 || c > 255:
		return keyRange{}, false
	case c == -1:
		return portKeys(p, t<<8, t<<8|0xFF), true
	}
	return portKeys(p, t<<8|c, t<<8|c), true
}

// protoNumber maps a normalized protocol to its number, -1 for all.
func protoNumber(p string) (int, bool) {
	n, err := model.NormalizeProtocol(p)
	if err != nil {
		return 0, false
	}
	switch n {
	case model.ProtoAll:
		return -1, true
	case model.ProtoTCP:
		return protoTCP, true
	case model.ProtoUDP:
		return protoUDP, true
	case model.ProtoICMP:
		return protoICMP, true
	case model.ProtoICMPv6:
		return protoICMPv6, true
	}
	v, err := strconv.Atoi(n)
	return v, err == nil
}

// portSet converts a key set to the model's PortSet. When every protocol
// is covered, TCP and UDP are also given as 0-65535 and ICMP/ICMPv6 as
// true, so rules may test either form; Other is then empty.
func portSet(ks keySet) model.PortSet {
	ps := model.PortSet{TCP: []model.PortRange{}, UDP: []model.PortRange{}, Other: []string{}}
	if ks.IsEmpty() {
		ps.Empty = true
		return ps
	}
	ps.TCP = portsOf(ks, protoTCP)
	ps.UDP = portsOf(ks, protoUDP)
	ps.ICMP = ks.OverlapsRange(protoKeys(protoICMP))
	ps.ICMPv6 = ks.OverlapsRange(protoKeys(protoICMPv6))
	if ks.CoversRange(allKeys()) {
		ps.AllProtocols = true
		return ps
	}
	last := -1
	for _, r := range ks.Ranges() {
		for p := int(r.Lo >> 16); p <= int(r.Hi>>16); p++ {
			if p == last || p == protoICMP || p == protoTCP || p == protoUDP || p == protoICMPv6 {
				continue
			}
			ps.Other = append(ps.Other, strconv.Itoa(p))
			last = p
		}
	}
	return ps
}

// portsOf lists the ports of protocol p in ks.
func portsOf(ks keySet, p int) []model.PortRange {
	pr := protoKeys(p)
	var out []model.PortRange
	for _, r := range ks.Ranges() {
		if r.Hi < pr.Lo {
			continue
		}
		if r.Lo > pr.Hi {
			break
		}
		out = append(out, model.PortRange{From: int(max(r.Lo, pr.Lo) & 0xFFFF), To: int(min(r.Hi, pr.Hi) & 0xFFFF)})
	}
	if out == nil {
		return []model.PortRange{}
	}
	return out
}

// describeKeys renders a key set for messages: "all traffic", "all TCP",
// "tcp/22", "tcp/1024-65535", "icmp type 8", "protocol 50".
func describeKeys(ks keySet) string {
	if ks.IsEmpty() {
		return "nothing"
	}
	if ks.CoversRange(allKeys()) {
		return "all traffic"
	}
	var parts []string
	for _, r := range ks.Ranges() {
		for p := int(r.Lo >> 16); p <= int(r.Hi>>16); p++ {
			lo, hi := max(int(r.Lo), p<<16), min(int(r.Hi), p<<16|0xFFFF)
			parts = append(parts, describeProtoRange(p, lo&0xFFFF, hi&0xFFFF))
		}
	}
	if len(parts) > 6 {
		parts = append(parts[:6], fmt.Sprintf("and %d more", len(parts)-6))
	}
	return strings.Join(parts, ", ")
}

func describeProtoRange(p, lo, hi int) string {
	full := lo == 0 && hi == 0xFFFF
	switch p {
	case protoTCP, protoUDP:
		name := "tcp"
		if p == protoUDP {
			name = "udp"
		}
		switch {
		case full:
			return "all " + strings.ToUpper(name)
		case lo == hi:
			return fmt.Sprintf("%s/%d", name, lo)
		}
		return fmt.Sprintf("%s/%d-%d", name, lo, hi)
	case protoICMP, protoICMPv6:
		name := "icmp"
		if p == protoICMPv6 {
			name = "icmpv6"
		}
		switch {
		case full:
			return "all " + strings.ToUpper(name)
		case lo == hi:
			return fmt.Sprintf("%s type %d code %d", name, lo>>8, lo&0xFF)
		case lo&0xFF == 0 && hi&0xFF == 0xFF && lo>>8 == hi>>8:
			return fmt.Sprintf("%s type %d", name, lo>>8)
		}
		return fmt.Sprintf("%s types %d-%d", name, lo>>8, hi>>8)
	}
	return fmt.Sprintf("protocol %d", p)
}
