package interval

import "math/bits"

// U32 is a 32-bit point: a port, a protocol key or an IPv4 address.
type U32 uint32

// Less reports whether u < o.
func (u U32) Less(o U32) bool { return u < o }

// Succ returns u+1 (wrapping).
func (u U32) Succ() U32 { return u + 1 }

// Pred returns u-1 (wrapping).
func (u U32) Pred() U32 { return u - 1 }

// U128 is a 128-bit point, an IPv6 address: Hi holds the first 64 bits.
type U128 struct {
	Hi, Lo uint64
}

// Less reports whether u < o.
func (u U128) Less(o U128) bool {
	return u.Hi < o.Hi || (u.Hi == o.Hi && u.Lo < o.Lo)
}

// Succ returns u+1 (wrapping).
func (u U128) Succ() U128 {
	lo, c := bits.Add64(u.Lo, 1, 0)
	return U128{u.Hi + c, lo}
}

// Pred returns u-1 (wrapping).
func (u U128) Pred() U128 {
	lo, b := bits.Sub64(u.Lo, 1, 0)
	return U128{u.Hi - b, lo}
}
