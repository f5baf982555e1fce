// Package boxset implements exact finite unions of two-dimensional boxes:
// a key dimension (vpclint encodes protocol and port, or ICMP type and
// code, in one 32-bit key) times an address dimension (IPv4 or IPv6).
//
// A Set is stored as a sorted list of disjoint key ranges, each carrying the
// address set allowed on every key of the range; adjacent ranges with equal
// address sets are merged, so the representation is canonical and the sets
// are closed under union, intersection and difference without
// approximation.
package boxset

import (
	"slices"

	"github.com/vpclint/vpclint/analysis/interval"
)

// Key is a point of the key dimension.
type Key = interval.U32

// KeySet is a set of keys.
type KeySet = interval.Set[Key]

// KeyRange is a closed range of keys.
type KeyRange = interval.Range[Key]

// Segment is one key range of a Set with the addresses allowed on it.
type Segment[A interval.Point[A]] struct {
	Keys  KeyRange
	Addrs interval.Set[A]
}

// Set is a finite union of key × address boxes. The zero Set is empty.
type Set[A interval.Point[A]] struct {
	segs []Segment[A]
}

// Box returns keys × addrs.
func Box[A interval.Point[A]](keys KeyRange, addrs interval.Set[A]) Set[A] {
	if addrs.IsEmpty() || keys.Hi < keys.Lo {
		return Set[A]{}
	}
	return Set[A]{segs: []Segment[A]{{keys, addrs}}}
}

// Product returns keys × addrs for a key set.
func Product[A interval.Point[A]](keys KeySet, addrs interval.Set[A]) Set[A] {
	if addrs.IsEmpty() {
		return Set[A]{}
	}
	var segs []Segment[A]
	for _, r := range keys.Ranges() {
		segs = append(segs, Segment[A]{r, addrs})
	}
	return Set[A]{segs: segs}
}

// Segments returns the canonical segments. The caller must not modify them.
func (s Set[A]) Segments() []Segment[A] { return s.segs }

// IsEmpty reports whether s holds no point.
func (s Set[A]) IsEmpty() bool { return len(s.segs) == 0 }

// Equal reports whether s and o hold the same points.
func (s Set[A]) Equal(o Set[A]) bool {
	if len(s.segs) != len(o.segs) {
		return false
	}
	for i := range s.segs {
		if s.segs[i].Keys != o.segs[i].Keys || !s.segs[i].Addrs.Equal(o.segs[i].Addrs) {
			return false
		}
	}
	return true
}

// Contains reports whether (k, a) is in s.
func (s Set[A]) Contains(k Key, a A) bool {
	for _, g := range s.segs {
		if g.Keys.Contains(k) {
			return g.Addrs.Contains(a)
		}
		if k < g.Keys.Lo {
			return false
		}
	}
	return false
}

// Keys is the projection of s on the key dimension: the keys allowed for
// at least one address.
func (s Set[A]) Keys() KeySet {
	rs := make([]KeyRange, len(s.segs))
	for i, g := range s.segs {
		rs[i] = g.Keys
	}
	return interval.FromRanges(rs...)
}

// KeysWhere is the set of keys whose address set satisfies pred.
func (s Set[A]) KeysWhere(pred func(interval.Set[A]) bool) KeySet {
	var rs []KeyRange
	for _, g := range s.segs {
		if pred(g.Addrs) {
			rs = append(rs, g.Keys)
		}
	}
	return interval.FromRanges(rs...)
}

// Addrs is the projection of s on the address dimension.
func (s Set[A]) Addrs() interval.Set[A] {
	var out interval.Set[A]
	for _, g := range s.segs {
		out = out.Union(g.Addrs)
	}
	return out
}

// RestrictKeys returns s ∩ (keys × every address).
func (s Set[A]) RestrictKeys(keys KeySet) Set[A] {
	var out []Segment[A]
	for _, g := range s.segs {
		for _, r := range keys.Ranges() {
			if r.Hi < g.Keys.Lo {
				continue
			}
			if g.Keys.Hi < r.Lo {
				break
			}
			out = appendSeg(out, KeyRange{Lo: max(r.Lo, g.Keys.Lo), Hi: min(r.Hi, g.Keys.Hi)}, g.Addrs)
		}
	}
	return Set[A]{segs: out}
}

// Overlaps reports whether s and o share a point.
func (s Set[A]) Overlaps(o Set[A]) bool {
	i, j := 0, 0
	for i < len(s.segs) && j < len(o.segs) {
		a, b := s.segs[i], o.segs[j]
		if a.Keys.Overlaps(b.Keys) && a.Addrs.Overlaps(b.Addrs) {
			return true
		}
		if a.Keys.Hi < b.Keys.Hi {
			i++
		} else {
			j++
		}
	}
	return false
}

// Covers reports whether every point of o is in s.
func (s Set[A]) Covers(o Set[A]) bool {
	i := 0
	for _, b := range o.segs {
		// Every key of b.Keys must lie in segments of s covering b.Addrs.
		lo := b.Keys.Lo
		for i < len(s.segs) && s.segs[i].Keys.Hi < lo {
			i++
		}
		j := i
		for {
			if j == len(s.segs) || lo < s.segs[j].Keys.Lo {
				return false
			}
			if !s.segs[j].Addrs.Covers(b.Addrs) {
				return false
			}
			if s.segs[j].Keys.Hi >= b.Keys.Hi {
				break
			}
			lo = s.segs[j].Keys.Hi + 1
			j++
		}
	}
	return true
}

// Union returns s ∪ o.
func (s Set[A]) Union(o Set[A]) Set[A] {
	if o.IsEmpty() {
		return s
	}
	if s.IsEmpty() {
		return o
	}
	return combine(s, o, func(a, b interval.Set[A]) interval.Set[A] { return a.Union(b) }, true, true)
}

// Intersect returns s ∩ o.
func (s Set[A]) Intersect(o Set[A]) Set[A] {
	if o.IsEmpty() || s.IsEmpty() {
		return Set[A]{}
	}
	return combine(s, o, func(a, b interval.Set[A]) interval.Set[A] { return a.Intersect(b) }, false, false)
}

// Subtract returns s \ o.
func (s Set[A]) Subtract(o Set[A]) Set[A] {
	if o.IsEmpty() || s.IsEmpty() {
		return s
	}
	return combine(s, o, func(a, b interval.Set[A]) interval.Set[A] { return a.Subtract(b) }, true, false)
}

// combine applies op on every elementary key range of s and o. keepA
// (keepB) says whether a range only in s (only in o) keeps s's (o's)
// addresses; otherwise it is dropped.
func combine[A interval.Point[A]](s, o Set[A], op func(a, b interval.Set[A]) interval.Set[A], keepA, keepB bool) Set[A] {
	var out []Segment[A]
	i, j := 0, 0
	// pos is the first key not yet emitted, as uint64 so that it can pass
	// the largest key.
	var pos uint64
	for i < len(s.segs) || j < len(o.segs) {
		var a, b *Segment[A]
		if i < len(s.segs) {
			a = &s.segs[i]
		}
		if j < len(o.segs) {
			b = &o.segs[j]
		}
		// Start of the next piece: the lowest start at or after pos.
		start := uint64(1) << 40
		if a != nil {
			start = min(start, max(pos, uint64(a.Keys.Lo)))
		}
		if b != nil {
			start = min(start, max(pos, uint64(b.Keys.Lo)))
		}
		inA := a != nil && uint64(a.Keys.Lo) <= start
		inB := b != nil && uint64(b.Keys.Lo) <= start
		// End of the piece: the first boundary after start.
		end := uint64(1) << 40
		if a != nil {
			if inA {
				end = min(end, uint64(a.Keys.Hi))
			} else {
				end = min(end, uint64(a.Keys.Lo)-1)
			}
		}
		if b != nil {
			if inB {
				end = min(end, uint64(b.Keys.Hi))
			} else {
				end = min(end, uint64(b.Keys.Lo)-1)
			}
		}
		kr := KeyRange{Lo: Key(start), Hi: Key(end)}
		switch {
		case inA && inB:
			out = appendSeg(out, kr, op(a.Addrs, b.Addrs))
		case inA && keepA:
			out = appendSeg(out, kr, a.Addrs)
		case inB && keepB:
			out = appendSeg(out, kr, b.Addrs)
		}
		pos = end + 1
		if a != nil && uint64(a.Keys.Hi) < pos {
			i++
		}
		if b != nil && uint64(b.Keys.Hi) < pos {
			j++
		}
	}
	return Set[A]{segs: out}
}

// appendSeg appends a segment, dropping it when empty and merging it into
// the previous one when adjacent with equal addresses.
func appendSeg[A interval.Point[A]](out []Segment[A], kr KeyRange, addrs interval.Set[A]) []Segment[A] {
	if addrs.IsEmpty() {
		return out
	}
	if n := len(out); n > 0 && out[n-1].Keys.Hi+1 == kr.Lo && out[n-1].Keys.Hi != ^Key(0) && out[n-1].Addrs.Equal(addrs) {
		out[n-1].Keys.Hi = kr.Hi
		return out
	}
	return append(out, Segment[A]{kr, addrs})
}

// Builder accumulates boxes and builds their union in one sweep, which is
// much cheaper than folding Union over many boxes.
type Builder[A interval.Point[A]] struct {
	keys  []KeyRange
	addrs [][]interval.Range[A]
}

// Add adds keys × addrs.
func (b *Builder[A]) Add(keys KeyRange, addrs interval.Set[A]) {
	if addrs.IsEmpty() || keys.Hi < keys.Lo {
		return
	}
	b.keys = append(b.keys, keys)
	b.addrs = append(b.addrs, addrs.Ranges())
}

// Build returns the union of the boxes added.
func (b *Builder[A]) Build() Set[A] {
	if len(b.keys) == 0 {
		return Set[A]{}
	}
	// Elementary key ranges: cut at every box start and after every end.
	cuts := make([]uint64, 0, 2*len(b.keys))
	for _, k := range b.keys {
		cuts = append(cuts, uint64(k.Lo), uint64(k.Hi)+1)
	}
	slices.Sort(cuts)
	cuts = uniqU64(cuts)
	var out []Segment[A]
	var buf []interval.Range[A]
	for c := 0; c+1 < len(cuts); c++ {
		lo, hi := Key(cuts[c]), Key(cuts[c+1]-1)
		buf = buf[:0]
		for i, k := range b.keys {
			if k.Lo <= lo && hi <= k.Hi {
				buf = append(buf, b.addrs[i]...)
			}
		}
		if len(buf) == 0 {
			continue
		}
		out = appendSeg(out, KeyRange{Lo: lo, Hi: hi}, interval.FromRanges(buf...))
	}
	return Set[A]{segs: out}
}

func uniqU64(a []uint64) []uint64 {
	if len(a) == 0 {
		return a
	}
	out := a[:1]
	for _, v := range a[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

// CoveredKeys returns the keys on which the boxes added cover every
// address of full: the keys k such that {k} × full lies in the union. It
// is the same as Build().KeysWhere(covers full) without building the set.
func (b *Builder[A]) CoveredKeys(full interval.Range[A]) KeySet {
	if len(b.keys) == 0 {
		return KeySet{}
	}
	// A key can only be covered where some box holds full.Lo and some box
	// holds full.Hi: only those key ranges are swept.
	var atLo, atHi []KeyRange
	for i, as := range b.addrs {
		for _, r := range as {
			if r.Contains(full.Lo) {
				atLo = append(atLo, b.keys[i])
			}
			if r.Contains(full.Hi) {
				atHi = append(atHi, b.keys[i])
			}
		}
	}
	cand := interval.FromRanges(atLo...).Intersect(interval.FromRanges(atHi...))
	if cand.IsEmpty() {
		return KeySet{}
	}
	cuts := make([]uint64, 0, 2*len(b.keys))
	for _, k := range b.keys {
		cuts = append(cuts, uint64(k.Lo), uint64(k.Hi)+1)
	}
	slices.Sort(cuts)
	cuts = uniqU64(cuts)
	var out []KeyRange
	var buf []interval.Range[A]
	for c := 0; c+1 < len(cuts); c++ {
		lo, hi := Key(cuts[c]), Key(cuts[c+1]-1)
		// Elementary ranges lie wholly inside or outside cand.
		if !cand.Contains(lo) {
			continue
		}
		buf = buf[:0]
		for i, k := range b.keys {
			if k.Lo <= lo && hi <= k.Hi {
				buf = append(buf, b.addrs[i]...)
			}
		}
		if covers(buf, full) {
			out = append(out, KeyRange{Lo: lo, Hi: hi})
		}
	}
	return interval.FromRanges(out...)
}

// covers reports whether the ranges (in any order) cover full; it sorts
// rs in place.
func covers[A interval.Point[A]](rs []interval.Range[A], full interval.Range[A]) bool {
	if len(rs) == 0 {
		return false
	}
	slices.SortFunc(rs, func(a, b interval.Range[A]) int {
		switch {
		case a.Lo.Less(b.Lo):
			return -1
		case b.Lo.Less(a.Lo):
			return 1
		}
		return 0
	})
	var reach A
	started := false
	for _, r := range rs {
		switch {
		case r.Hi.Less(full.Lo):
			continue
		case !started:
			if full.Lo.Less(r.Lo) {
				return false
			}
			reach, started = r.Hi, true
			continue
		case !reach.Less(full.Hi):
			return true
		case reach.Succ().Less(r.Lo):
			return false
		case reach.Less(r.Hi):
			reach = r.Hi
		}
	}
	return started && !reach.Less(full.Hi)
}
