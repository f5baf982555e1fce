// Package ipset converts between CIDR prefixes and exact IPv4 and IPv6
// address sets (interval.Set of U32 and U128), and names the address
// ranges vpclint treats as private.
//
// A set converts back to the minimal list of CIDR prefixes that covers
// exactly its addresses, for messages.
package ipset

import (
	"math/bits"
	"net/netip"

	"github.com/vpclint/vpclint/analysis/interval"
)

// V4 is a set of IPv4 addresses; V6 a set of IPv6 addresses.
type (
	V4 = interval.Set[interval.U32]
	V6 = interval.Set[interval.U128]
)

// V4Addr converts an IPv4 (or IPv4-mapped) address to its point.
func V4Addr(a netip.Addr) interval.U32 {
	b := a.Unmap().As4()
	return interval.U32(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]))
}

// V6Addr converts an IPv6 address to its point.
func V6Addr(a netip.Addr) interval.U128 {
	b := a.As16()
	var u interval.U128
	for i := 0; i < 8; i++ {
		u.Hi = u.Hi<<8 | uint64(b[i])
		u.Lo = u.Lo<<8 | uint64(b[8+i])
	}
	return u
}

// AddrV4 converts a point back to an IPv4 address.
func AddrV4(u interval.U32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)})
}

// AddrV6 converts a point back to an IPv6 address.
func AddrV6(u interval.U128) netip.Addr {
	var b [16]byte
	for i := 0; i < 8; i++ {
		b[7-i] = byte(u.Hi >> (8 * i))
		b[15-i] = byte(u.Lo >> (8 * i))
	}
	return netip.AddrFrom16(b)
}

// RangeV4 is the address range of an IPv4 prefix (host bits ignored).
func RangeV4(p netip.Prefix) interval.Range[interval.U32] {
	lo := uint32(V4Addr(p.Masked().Addr()))
	n := p.Bits()
	var host uint32
	if n < 32 {
		host = ^uint32(0) >> n
	}
	return interval.Range[interval.U32]{Lo: interval.U32(lo), Hi: interval.U32(lo | host)}
}

// RangeV6 is the address range of an IPv6 prefix (host bits ignored).
func RangeV6(p netip.Prefix) interval.Range[interval.U128] {
	lo := V6Addr(p.Masked().Addr())
	n := p.Bits()
	hi := lo
	switch {
	case n == 0:
		hi = interval.U128{Hi: ^uint64(0), Lo: ^uint64(0)}
	case n <= 64:
		hi.Hi |= ^uint64(0) >> n
		hi.Lo = ^uint64(0)
	case n < 128:
		hi.Lo |= ^uint64(0) >> (n - 64)
	}
	return interval.Range[interval.U128]{Lo: lo, Hi: hi}
}

// FromV4Prefixes is the union of IPv4 prefixes.
func FromV4Prefixes(ps ...netip.Prefix) V4 {
	rs := make([]interval.Range[interval.U32], len(ps))
	for i, p := range ps {
		rs[i] = RangeV4(p)
	}
	return interval.FromRanges(rs...)
}

// FromV6Prefixes is the union of IPv6 prefixes.
func FromV6Prefixes(ps ...netip.Prefix) V6 {
	rs := make([]interval.Range[interval.U128], len(ps))
	for i, p := range ps {
		rs[i] = RangeV6(p)
	}
	return interval.FromRanges(rs...)
}

// AllV4 is 0.0.0.0/0; AllV6 is ::/0.
func AllV4() V4 { return interval.Of[interval.U32](0, ^interval.U32(0)) }

// AllV6 is ::/0.
func AllV6() V6 {
	return interval.Of(interval.U128{}, interval.U128{Hi: ^uint64(0), Lo: ^uint64(0)})
}

// PrivateV4 is the IPv4 space that is not public: RFC 1918 (10/8,
// 172.16/12, 192.168/16), RFC 6598 shared space (100.64/10), loopback
// (127/8) and link-local (169.254/16). Everything else, 0.0.0.0/8 included,
// is public, as RULES.md defines it.
func PrivateV4() V4 {
	return FromV4Prefixes(
		netip.MustParsePrefix("10.0.0.0/8"),
		netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"),
		netip.MustParsePrefix("100.64.0.0/10"),
		netip.MustParsePrefix("127.0.0.0/8"),
		netip.MustParsePrefix("169.254.0.0/16"),
	)
}

// PrivateV6 is the IPv6 space that is not public: loopback (::1/128),
// unique local (fc00::/7) and link-local (fe80::/10).
func PrivateV6() V6 {
	return FromV6Prefixes(
		netip.MustParsePrefix("::1/128"),
		netip.MustParsePrefix("fc00::/7"),
		netip.MustParsePrefix("fe80::/10"),
	)
}

// PublicV4 is the complement of PrivateV4.
func PublicV4() V4 { return AllV4().Subtract(PrivateV4()) }

// PublicV6 is the complement of PrivateV6.
func PublicV6() V6 { return AllV6().Subtract(PrivateV6()) }

// PrefixesV4 returns the minimal list of prefixes whose union is s, in
// address order.
func PrefixesV4(s V4) []netip.Prefix {
	var out []netip.Prefix
	for _, r := range s.Ranges() {
		lo, hi := uint64(r.Lo), uint64(r.Hi)
		for lo <= hi {
			// Largest block aligned at lo that fits in [lo, hi].
			size := 32
			if lo != 0 {
				size = bits.TrailingZeros64(lo)
				if size > 32 {
					size = 32
				}
			}
			for size > 0 && lo+(uint64(1)<<size)-1 > hi {
				size--
			}
			out = append(out, netip.PrefixFrom(AddrV4(interval.U32(lo)), 32-size))
			lo += uint64(1) << size
		}
	}
	return out
}

// PrefixesV6 returns the minimal list of prefixes whose union is s, in
// address order.
func PrefixesV6(s V6) []netip.Prefix {
	var out []netip.Prefix
	for _, r := range s.Ranges() {
		lo, hi := r.Lo, r.Hi
		for {
			size := 128 - maxBits(lo, hi)
			out = append(out, netip.PrefixFrom(AddrV6(lo), size))
			end := blockEnd(lo, 128-size)
			if end == hi {
				break
			}
			lo = end.Succ()
		}
	}
	return out
}

// maxBits is the number of host bits of the largest block aligned at lo
// that ends at or before hi.
func maxBits(lo, hi interval.U128) int {
	tz := 128
	switch {
	case lo.Lo != 0:
		tz = bits.TrailingZeros64(lo.Lo)
	case lo.Hi != 0:
		tz = 64 + bits.TrailingZeros64(lo.Hi)
	}
	for tz > 0 && hi.Less(blockEnd(lo, tz)) {
		tz--
	}
	return tz
}

// blockEnd is lo with its n low bits set.
func blockEnd(lo interval.U128, n int) interval.U128 {
	switch {
	case n == 0:
		return lo
	case n < 64:
		lo.Lo |= ^uint64(0) >> (64 - n)
	case n == 64:
		lo.Lo = ^uint64(0)
	case n < 128:
		lo.Lo = ^uint64(0)
		lo.Hi |= ^uint64(0) >> (128 - n)
	default:
		lo.Lo, lo.Hi = ^uint64(0), ^uint64(0)
	}
	return lo
}
