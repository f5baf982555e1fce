package boxset

import (
	"testing"

	"github.com/vpclint/vpclint/analysis/interval"
	"pgregory.net/rapid"
)

// Brute force on a 16 × 16 universe: keys and addresses 0..15 (keys are
// shifted to also exercise the top of the key range).

const n = 16

type grid [n][n]bool

func keyAt(i int, top bool) Key {
	if top {
		return Key(^uint32(0) - n + 1 + uint32(i))
	}
	return Key(i)
}

func genBoxes(t *rapid.T, label string, top bool) (Set[interval.U32], grid) {
	var g grid
	var s Set[interval.U32]
	var b Builder[interval.U32]
	var viaBuilder Set[interval.U32]
	k := rapid.IntRange(0, 5).Draw(t, label+"_n")
	for range k {
		k1 := rapid.IntRange(0, n-1).Draw(t, label+"_k1")
		k2 := rapid.IntRange(k1, n-1).Draw(t, label+"_k2")
		a1 := rapid.IntRange(0, n-1).Draw(t, label+"_a1")
		a2 := rapid.IntRange(a1, n-1).Draw(t, label+"_a2")
		kr := KeyRange{Lo: keyAt(k1, top), Hi: keyAt(k2, top)}
		as := interval.Of(interval.U32(a1), interval.U32(a2))
		s = s.Union(Box(kr, as))
		b.Add(kr, as)
		for x := k1; x <= k2; x++ {
			for y := a1; y <= a2; y++ {
				g[x][y] = true
			}
		}
	}
	viaBuilder = b.Build()
	if !viaBuilder.Equal(s) {
		t.Fatalf("builder %v != union %v", viaBuilder.segs, s.segs)
	}
	// CoveredKeys over a sub-universe of the addresses.
	full := interval.Range[interval.U32]{Lo: 2, Hi: 12}
	want := s.KeysWhere(func(a interval.Set[interval.U32]) bool { return a.CoversRange(full) })
	if got := b.CoveredKeys(full); !got.Equal(want) {
		t.Fatalf("covered keys %v, want %v", got.Ranges(), want.Ranges())
	}
	return s, g
}

func check(t *rapid.T, s Set[interval.U32], g grid, top bool, what string) {
	for x := range n {
		for y := range n {
			if s.Contains(keyAt(x, top), interval.U32(y)) != g[x][y] {
				t.Fatalf("%s: (%d,%d) want %v; set %v", what, x, y, g[x][y], s.segs)
			}
		}
	}
	for i, sg := range s.segs {
		if sg.Addrs.IsEmpty() {
			t.Fatalf("%s: empty segment", what)
		}
		if i > 0 {
			p := s.segs[i-1]
			if p.Keys.Hi >= sg.Keys.Lo {
				t.Fatalf("%s: overlapping segments %v", what, s.segs)
			}
			if p.Keys.Hi+1 == sg.Keys.Lo && p.Addrs.Equal(sg.Addrs) {
				t.Fatalf("%s: unmerged segments %v", what, s.segs)
			}
		}
	}
}

func TestBoxSetOps(t *testing.T) {
	for _, top := range []bool{false, true} {
		rapid.Check(t, func(t *rapid.T) {
			a, ag := genBoxes(t, "a", top)
			b, bg := genBoxes(t, "b", top)
			var un, in, df grid
			covers, overlaps, eq := true, false, true
			keys := map[int]bool{}
			for x := range n {
				for y := range n {
					un[x][y] = ag[x][y] || bg[x][y]
					in[x][y] = ag[x][y] && bg[x][y]
					df[x][y] = ag[x][y] && !bg[x][y]
					covers = covers && (!bg[x][y] || ag[x][y])
					overlaps = overlaps || in[x][y]
					eq = eq && ag[x][y] == bg[x][y]
					if ag[x][y] {
						keys[x] = true
					}
				}
			}
			check(t, a, ag, top, "a")
			check(t, a.Union(b), un, top, "union")
			check(t, a.Intersect(b), in, top, "intersect")
			check(t, a.Subtract(b), df, top, "subtract")
			if a.Covers(b) != covers || a.Overlaps(b) != overlaps || a.Equal(b) != eq {
				t.Fatalf("covers/overlaps/equal = %v %v %v, want %v %v %v",
					a.Covers(b), a.Overlaps(b), a.Equal(b), covers, overlaps, eq)
			}
			ks := a.Keys()
			for x := range n {
				if ks.Contains(keyAt(x, top)) != keys[x] {
					t.Fatalf("keys: %d", x)
				}
			}
			// RestrictKeys on b's keys equals intersection with b's keys × all.
			bk := b.Keys()
			r := a.RestrictKeys(bk)
			var rg grid
			for x := range n {
				for y := range n {
					rg[x][y] = ag[x][y] && bk.Contains(keyAt(x, top))
				}
			}
			check(t, r, rg, top, "restrict")
		})
	}
}
