package interval

import (
	"math"
	"testing"

	"pgregory.net/rapid"
)

// universe maps the small universe 0..n-1 onto points of T, so a Set of T
// can be compared with a brute-force bitmap.
type universe[T Point[T]] struct {
	n  int
	at func(i int) T
}

func u32At(base uint32) func(int) U32 { return func(i int) U32 { return U32(base + uint32(i)) } }

func u128At(base U128) func(int) U128 {
	return func(i int) U128 {
		p := base
		for range i {
			p = p.Succ()
		}
		return p
	}
}

// genSet draws a random set as a union of random ranges of the universe,
// with the bitmap it denotes.
func genSet[T Point[T]](t *rapid.T, u universe[T], label string) (Set[T], []bool) {
	k := rapid.IntRange(0, 5).Draw(t, label+"_n")
	bm := make([]bool, u.n)
	var rs []Range[T]
	for i := range k {
		lo := rapid.IntRange(0, u.n-1).Draw(t, label+"_lo")
		hi := rapid.IntRange(lo, min(u.n-1, lo+rapid.IntRange(0, u.n).Draw(t, label+"_len"))).Draw(t, label+"_hi")
		_ = i
		rs = append(rs, Range[T]{u.at(lo), u.at(hi)})
		for x := lo; x <= hi; x++ {
			bm[x] = true
		}
	}
	return FromRanges(rs...), bm
}

func checkSet[T Point[T]](t *rapid.T, u universe[T], s Set[T], bm []bool, what string) {
	for i := range u.n {
		if s.Contains(u.at(i)) != bm[i] {
			t.Fatalf("%s: point %d: got %v want %v (set %v)", what, i, !bm[i], bm[i], s.Ranges())
		}
	}
	// Canonical form: sorted, disjoint, non-adjacent, inside the universe.
	rs := s.Ranges()
	for i, r := range rs {
		if r.Hi.Less(r.Lo) {
			t.Fatalf("%s: reversed range %v", what, r)
		}
		if i > 0 && (!rs[i-1].Hi.Less(r.Lo) || rs[i-1].Hi.Succ() == r.Lo) {
			t.Fatalf("%s: not canonical: %v", what, rs)
		}
	}
	// Equality is structural: rebuilding from the bitmap gives an Equal set.
	var want []Range[T]
	for i := 0; i < u.n; i++ {
		if bm[i] {
			j := i
			for j+1 < u.n && bm[j+1] {
				j++
			}
			want = append(want, Range[T]{u.at(i), u.at(j)})
			i = j
		}
	}
	if !s.Equal(Set[T]{r: want}) {
		t.Fatalf("%s: %v not equal to canonical %v", what, rs, want)
	}
}

func testOps[T Point[T]](t *testing.T, u universe[T]) {
	rapid.Check(t, func(t *rapid.T) {
		a, am := genSet(t, u, "a")
		b, bm := genSet(t, u, "b")
		un, in, df := make([]bool, u.n), make([]bool, u.n), make([]bool, u.n)
		covers, overlaps := true, false
		for i := range u.n {
			un[i] = am[i] || bm[i]
			in[i] = am[i] && bm[i]
			df[i] = am[i] && !bm[i]
			if bm[i] && !am[i] {
				covers = false
			}
			if in[i] {
				overlaps = true
			}
		}
		checkSet(t, u, a, am, "a")
		checkSet(t, u, a.Union(b), un, "union")
		checkSet(t, u, a.Intersect(b), in, "intersect")
		checkSet(t, u, a.Subtract(b), df, "subtract")
		if a.Covers(b) != covers {
			t.Fatalf("covers: got %v", !covers)
		}
		if a.Overlaps(b) != overlaps {
			t.Fatalf("overlaps: got %v", !overlaps)
		}
		for _, r := range b.Ranges() {
			if a.CoversRange(r) != a.Covers(Set[T]{r: []Range[T]{r}}) {
				t.Fatalf("CoversRange disagrees on %v", r)
			}
			if a.OverlapsRange(r) != a.Overlaps(Set[T]{r: []Range[T]{r}}) {
				t.Fatalf("OverlapsRange disagrees on %v", r)
			}
		}
		eq := true
		for i := range u.n {
			eq = eq && am[i] == bm[i]
		}
		if a.Equal(b) != eq {
			t.Fatalf("equal: got %v", !eq)
		}
	})
}

func TestSetOpsU32(t *testing.T) {
	testOps(t, universe[U32]{n: 64, at: u32At(0)})
}

func TestSetOpsU32AtTop(t *testing.T) {
	testOps(t, universe[U32]{n: 64, at: u32At(math.MaxUint32 - 63)})
}

func TestSetOpsU128AcrossWords(t *testing.T) {
	testOps(t, universe[U128]{n: 64, at: u128At(U128{Hi: 7, Lo: math.MaxUint64 - 31})})
}

func TestSetOpsU128AtTop(t *testing.T) {
	testOps(t, universe[U128]{n: 64, at: u128At(U128{Hi: math.MaxUint64, Lo: math.MaxUint64 - 63})})
}

func TestU128SuccPred(t *testing.T) {
	p := U128{Hi: 1, Lo: math.MaxUint64}
	if got := p.Succ(); got != (U128{Hi: 2}) {
		t.Fatalf("succ = %v", got)
	}
	if got := (U128{Hi: 2}).Pred(); got != p {
		t.Fatalf("pred = %v", got)
	}
}
