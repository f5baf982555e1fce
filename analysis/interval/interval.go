// Package interval implements exact sets of integers as sorted lists of
// disjoint closed ranges. A Set is generic over its point type, so one
// implementation serves ports and protocol keys (U32), IPv4 addresses (U32)
// and IPv6 addresses (U128). Sets are immutable values: every operation
// returns a new Set and never modifies its operands.
package interval

import "slices"

// Point is an integer type with a total order and a successor and
// predecessor. Succ of the largest value and Pred of the smallest may wrap:
// the set operations never call them at the ends of the type's range.
type Point[T any] interface {
	comparable
	// Less reports whether the receiver is strictly smaller than o.
	Less(o T) bool
	// Succ is the next larger value.
	Succ() T
	// Pred is the next smaller value.
	Pred() T
}

// Range is the closed range [Lo, Hi], Lo <= Hi.
type Range[T Point[T]] struct {
	Lo, Hi T
}

// Contains reports whether p lies in r.
func (r Range[T]) Contains(p T) bool { return !p.Less(r.Lo) && !r.Hi.Less(p) }

// Overlaps reports whether r and o share a point.
func (r Range[T]) Overlaps(o Range[T]) bool { return !o.Hi.Less(r.Lo) && !r.Hi.Less(o.Lo) }

// Covers reports whether every point of o lies in r.
func (r Range[T]) Covers(o Range[T]) bool { return !o.Lo.Less(r.Lo) && !r.Hi.Less(o.Hi) }

// Set is a finite union of ranges, kept sorted, disjoint and non-adjacent,
// so two equal sets have equal range lists. The zero Set is empty.
type Set[T Point[T]] struct {
	r []Range[T]
}

// Of returns the set [lo, hi]; it is empty when hi < lo.
func Of[T Point[T]](lo, hi T) Set[T] {
	if hi.Less(lo) {
		return Set[T]{}
	}
	return Set[T]{r: []Range[T]{{lo, hi}}}
}

// Single returns the set {p}.
func Single[T Point[T]](p T) Set[T] { return Set[T]{r: []Range[T]{{p, p}}} }

// FromRanges returns the union of the given ranges, in any order,
// overlapping or not. Ranges with Hi < Lo are ignored.
func FromRanges[T Point[T]](rs ...Range[T]) Set[T] {
	rs2 := make([]Range[T], 0, len(rs))
	for _, r := range rs {
		if !r.Hi.Less(r.Lo) {
			rs2 = append(rs2, r)
		}
	}
	sortRanges(rs2)
	return Set[T]{r: mergeSorted(rs2)}
}

// sortRanges sorts ranges by Lo.
func sortRanges[T Point[T]](rs []Range[T]) {
	slices.SortFunc(rs, func(a, b Range[T]) int {
		switch {
		case a.Lo.Less(b.Lo):
			return -1
		case b.Lo.Less(a.Lo):
			return 1
		}
		return 0
	})
}

// mergeSorted merges ranges sorted by Lo into a canonical list, in place.
func mergeSorted[T Point[T]](rs []Range[T]) []Range[T] {
	if len(rs) == 0 {
		return nil
	}
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if touches(*last, r) {
			if last.Hi.Less(r.Hi) {
				last.Hi = r.Hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// touches reports whether b (with b.Lo >= a.Lo) overlaps a or starts right
// after it.
func touches[T Point[T]](a, b Range[T]) bool {
	if !a.Hi.Less(b.Lo) {
		return true
	}
	return a.Hi.Succ() == b.Lo
}

// Ranges returns the set's canonical ranges (sorted, disjoint,
// non-adjacent). The caller must not modify the slice.
func (s Set[T]) Ranges() []Range[T] { return s.r }

// IsEmpty reports whether the set has no point.
func (s Set[T]) IsEmpty() bool { return len(s.r) == 0 }

// Equal reports whether s and o hold the same points.
func (s Set[T]) Equal(o Set[T]) bool {
	if len(s.r) != len(o.r) {
		return false
	}
	for i := range s.r {
		if s.r[i] != o.r[i] {
			return false
		}
	}
	return true
}

// Contains reports whether p is in s.
func (s Set[T]) Contains(p T) bool {
	lo, hi := 0, len(s.r)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case p.Less(s.r[m].Lo):
			hi = m
		case s.r[m].Hi.Less(p):
			lo = m + 1
		default:
			return true
		}
	}
	return false
}

// CoversRange reports whether every point of r is in s.
func (s Set[T]) CoversRange(r Range[T]) bool {
	for _, x := range s.r {
		if x.Covers(r) {
			return true
		}
		if r.Lo.Less(x.Lo) {
			return false
		}
	}
	return false
}

// OverlapsRange reports whether s and r share a point.
func (s Set[T]) OverlapsRange(r Range[T]) bool {
	for _, x := range s.r {
		if x.Overlaps(r) {
			return true
		}
		if r.Hi.Less(x.Lo) {
			return false
		}
	}
	return false
}

// Covers reports whether every point of o is in s.
func (s Set[T]) Covers(o Set[T]) bool {
	i := 0
	for _, r := range o.r {
		for i < len(s.r) && s.r[i].Hi.Less(r.Lo) {
			i++
		}
		if i == len(s.r) || !s.r[i].Covers(r) {
			return false
		}
	}
	return true
}

// Overlaps reports whether s and o share a point.
func (s Set[T]) Overlaps(o Set[T]) bool {
	i, j := 0, 0
	for i < len(s.r) && j < len(o.r) {
		if s.r[i].Overlaps(o.r[j]) {
			return true
		}
		if s.r[i].Hi.Less(o.r[j].Hi) {
			i++
		} else {
			j++
		}
	}
	return false
}

// Union returns s ∪ o.
func (s Set[T]) Union(o Set[T]) Set[T] {
	if len(o.r) == 0 {
		return s
	}
	if len(s.r) == 0 {
		return o
	}
	out := make([]Range[T], 0, len(s.r)+len(o.r))
	i, j := 0, 0
	for i < len(s.r) || j < len(o.r) {
		var r Range[T]
		if j == len(o.r) || (i < len(s.r) && !o.r[j].Lo.Less(s.r[i].Lo)) {
			r = s.r[i]
			i++
		} else {
			r = o.r[j]
			j++
		}
		if n := len(out); n > 0 && touches(out[n-1], r) {
			if out[n-1].Hi.Less(r.Hi) {
				out[n-1].Hi = r.Hi
			}
			continue
		}
		out = append(out, r)
	}
	return Set[T]{r: out}
}

// Intersect returns s ∩ o.
func (s Set[T]) Intersect(o Set[T]) Set[T] {
	var out []Range[T]
	i, j := 0, 0
	for i < len(s.r) && j < len(o.r) {
		a, b := s.r[i], o.r[j]
		lo, hi := a.Lo, a.Hi
		if lo.Less(b.Lo) {
			lo = b.Lo
		}
		if b.Hi.Less(hi) {
			hi = b.Hi
		}
		if !hi.Less(lo) {
			out = append(out, Range[T]{lo, hi})
		}
		if a.Hi.Less(b.Hi) {
			i++
		} else {
			j++
		}
	}
	return Set[T]{r: out}
}

// Subtract returns s \ o.
func (s Set[T]) Subtract(o Set[T]) Set[T] {
	if len(o.r) == 0 || len(s.r) == 0 {
		return s
	}
	var out []Range[T]
	j := 0
	for _, r := range s.r {
		lo := r.Lo
		done := false
		for j < len(o.r) && o.r[j].Hi.Less(lo) {
			j++
		}
		k := j
		for k < len(o.r) && !r.Hi.Less(o.r[k].Lo) {
			c := o.r[k]
			if lo.Less(c.Lo) {
				out = append(out, Range[T]{lo, c.Lo.Pred()})
			}
			if !c.Hi.Less(r.Hi) {
				done = true
				break
			}
			lo = c.Hi.Succ()
			k++
		}
		if !done {
			out = append(out, Range[T]{lo, r.Hi})
		}
	}
	return Set[T]{r: out}
}

// Clone returns a copy of s that shares no memory with it.
func (s Set[T]) Clone() Set[T] {
	if len(s.r) == 0 {
		return Set[T]{}
	}
	return Set[T]{r: append([]Range[T](nil), s.r...)}
}

// Own returns the union of rs like FromRanges, but sorts and merges rs in
// place and keeps it: the caller must not use rs afterwards.
func Own[T Point[T]](rs []Range[T]) Set[T] {
	n := 0
	for _, r := range rs {
		if !r.Hi.Less(r.Lo) {
			rs[n] = r
			n++
		}
	}
	rs = rs[:n]
	sortRanges(rs)
	return Set[T]{r: mergeSorted(rs)}
}
