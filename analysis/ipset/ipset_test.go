package ipset

import (
	"net/netip"
	"reflect"
	"testing"

	"github.com/vpclint/vpclint/analysis/interval"
	"pgregory.net/rapid"
)

func TestPrefixesV4(t *testing.T) {
	s := FromV4Prefixes(netip.MustParsePrefix("0.0.0.0/1"), netip.MustParsePrefix("128.0.0.0/1"))
	if !s.Equal(AllV4()) {
		t.Fatalf("halves = %v", s.Ranges())
	}
	got := PrefixesV4(s)
	if !reflect.DeepEqual(got, []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}) {
		t.Fatalf("prefixes = %v", got)
	}
	s = interval.Of[interval.U32](V4Addr(netip.MustParseAddr("10.0.0.1")), V4Addr(netip.MustParseAddr("10.0.0.6")))
	want := []string{"10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"}
	var gs []string
	for _, p := range PrefixesV4(s) {
		gs = append(gs, p.String())
	}
	if !reflect.DeepEqual(gs, want) {
		t.Fatalf("prefixes = %v", gs)
	}
}

func TestPrivate(t *testing.T) {
	for _, c := range []struct {
		addr   string
		public bool
	}{
		{"10.1.2.3", false}, {"172.31.255.255", false}, {"172.32.0.0", true}, {"192.168.1.1", false},
		{"100.64.0.1", false}, {"100.128.0.0", true}, {"127.0.0.1", false}, {"169.254.169.254", false},
		{"8.8.8.8", true}, {"0.1.2.3", true},
		{"::1", false}, {"fd00::1", false}, {"fe80::1", false}, {"2001:db8::1", true}, {"::", true},
	} {
		a := netip.MustParseAddr(c.addr)
		var got bool
		if a.Is4() {
			got = PublicV4().Contains(V4Addr(a))
		} else {
			got = PublicV6().Contains(V6Addr(a))
		}
		if got != c.public {
			t.Errorf("%s public = %v", c.addr, got)
		}
	}
}

func TestAddrRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "b")
		a := netip.AddrFrom16([16]byte(b))
		if got := AddrV6(V6Addr(a)); got != a {
			t.Fatalf("%v -> %v", a, got)
		}
		a4 := netip.AddrFrom4([4]byte(b[:4]))
		if got := AddrV4(V4Addr(a4)); got != a4 {
			t.Fatalf("%v -> %v", a4, got)
		}
	})
}

// genV4 draws a few random prefixes; genV6 likewise, biased to short and
// long prefixes and to both 64-bit halves.
func genPrefixes(t *rapid.T, v6 bool) []netip.Prefix {
	n := rapid.IntRange(0, 6).Draw(t, "n")
	var ps []netip.Prefix
	for range n {
		if v6 {
			b := rapid.SliceOfN(rapid.Byte(), 16, 16).Draw(t, "addr")
			bits := rapid.IntRange(0, 128).Draw(t, "bits")
			ps = append(ps, netip.PrefixFrom(netip.AddrFrom16([16]byte(b)), bits).Masked())
		} else {
			b := rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "addr")
			bits := rapid.IntRange(0, 32).Draw(t, "bits")
			ps = append(ps, netip.PrefixFrom(netip.AddrFrom4([4]byte(b)), bits).Masked())
		}
	}
	return ps
}

func TestCIDRRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ps := genPrefixes(t, false)
		s := FromV4Prefixes(ps...)
		back := PrefixesV4(s)
		if !FromV4Prefixes(back...).Equal(s) {
			t.Fatalf("v4 %v -> %v", ps, back)
		}
		checkMinimal(t, back)
		ps6 := genPrefixes(t, true)
		s6 := FromV6Prefixes(ps6...)
		back6 := PrefixesV6(s6)
		if !FromV6Prefixes(back6...).Equal(s6) {
			t.Fatalf("v6 %v -> %v", ps6, back6)
		}
		checkMinimal(t, back6)
	})
}

// checkMinimal: the prefixes are disjoint, sorted, and no two siblings
// could merge into their parent.
func checkMinimal(t *rapid.T, ps []netip.Prefix) {
	for i := 1; i < len(ps); i++ {
		a, b := ps[i-1], ps[i]
		if a.Overlaps(b) || !a.Addr().Less(b.Addr()) {
			t.Fatalf("not disjoint/sorted: %v", ps)
		}
		if a.Bits() == b.Bits() && a.Bits() > 0 {
			pa, _ := a.Addr().Prefix(a.Bits() - 1)
			pb, _ := b.Addr().Prefix(b.Bits() - 1)
			if pa == pb {
				t.Fatalf("siblings not merged: %v", ps)
			}
		}
	}
}

func FuzzCIDRRoundTrip(f *testing.F) {
	f.Add([]byte{10, 0, 0, 0, 8, 128, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		var v4 []netip.Prefix
		var v6 []netip.Prefix
		for len(data) >= 5 {
			p := netip.PrefixFrom(netip.AddrFrom4([4]byte(data[:4])), int(data[4])%33).Masked()
			v4 = append(v4, p)
			var b [16]byte
			copy(b[:], data[:4])
			copy(b[12:], data[:4])
			v6 = append(v6, netip.PrefixFrom(netip.AddrFrom16(b), int(data[4])%129).Masked())
			data = data[5:]
		}
		s := FromV4Prefixes(v4...)
		if got := FromV4Prefixes(PrefixesV4(s)...); !got.Equal(s) {
			t.Fatalf("v4 round trip of %v", v4)
		}
		s6 := FromV6Prefixes(v6...)
		if got := FromV6Prefixes(PrefixesV6(s6)...); !got.Equal(s6) {
			t.Fatalf("v6 round trip of %v", v6)
		}
	})
}
