package awslive

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Shard is one of Count shares of an audit's account×regions, numbered
// from 0 (as Kubernetes' JOB_COMPLETION_INDEX is). Shards need no
// coordinator: every shard computes the same selection (the accounts from
// the organization or the list given, times the regions) and keeps its
// share of it. The share is balanced by count (sizes differ by at most
// one) and depends only on the selection, never on the machine, the run
// or the order in which accounts were listed: the account×regions are
// ordered by a hash of their name and dealt out in turn.
type Shard struct {
	Index, Count int
}

// ParseShard reads "I/N" (0 <= I < N).
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want INDEX/COUNT, such as 0/4", s)
	}
	idx, err1 := strconv.Atoi(strings.TrimSpace(i))
	cnt, err2 := strconv.Atoi(strings.TrimSpace(n))
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q: want INDEX/COUNT, such as 0/4", s)
	}
	sh := Shard{Index: idx, Count: cnt}
	if err := sh.validate(); err != nil {
		return Shard{}, err
	}
	return sh, nil
}

// String is "I/N", or "" for the whole audit.
func (s Shard) String() string {
	if s.Count == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

func (s Shard) validate() error {
	if s.Count == 0 && s.Index == 0 {
		return nil
	}
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard %d/%d: want 0 <= INDEX < COUNT", s.Index, s.Count)
	}
	return nil
}

// pair is one account×region of a selection.
type pair struct{ account, region string }

func (p pair) name() string { return p.account + "/" + p.region }

// shardOf returns the pairs of one shard, sorted by account and region.
// The whole selection is ordered by the first 8 bytes of the SHA-256 of
// "account/region" (ties by name) and pair k goes to shard k mod Count.
func shardOf(all []pair, s Shard) []pair {
	if s.Count <= 1 {
		out := append([]pair(nil), all...)
		sortPairs(out)
		return out
	}
	type keyed struct {
		h uint64
		p pair
	}
	ks := make([]keyed, len(all))
	for i, p := range all {
		sum := sha256.Sum256([]byte(p.name()))
		ks[i] = keyed{binary.BigEndian.Uint64(sum[:8]), p}
	}
	slices.SortFunc(ks, func(a, b keyed) int { return cmp.Or(cmp.Compare(a.h, b.h), strings.Compare(a.p.name(), b.p.name())) })
	var out []pair
	for k := s.Index; k < len(ks); k += s.Count {
		out = append(out, ks[k].p)
	}
	sortPairs(out)
	return out
}

func sortPairs(ps []pair) {
	slices.SortFunc(ps, func(a, b pair) int {
		return cmp.Or(strings.Compare(a.account, b.account), strings.Compare(a.region, b.region))
	})
}

// selectionDigest identifies a whole selection: "sha256:" and the first
// 16 hex digits of the hash of its sorted names.
func selectionDigest(all []pair) string {
	names := make([]string, len(all))
	for i, p := range all {
		names[i] = p.name()
	}
	slices.Sort(names)
	sum := sha256.Sum256([]byte(strings.Join(names, "\n")))
	return "sha256:" + hex.EncodeToString(sum[:8])
}
