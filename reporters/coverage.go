package reporters

import (
	"fmt"
	"strings"

	"github.com/vpclint/vpclint/model"
)

// What a live audit covered, for the summaries of a merged organization
// audit: how many account×regions were read completely, and what became
// of each shard. A reader of a summary must see that part of the
// organization is missing without opening the full report.

// auditCoverage says how much of a live audit was read, or "" when the
// report has no live units.
func auditCoverage(r *Report) string {
	var complete, partial, failed int
	accounts := map[string]bool{}
	for _, u := range r.Units {
		if u.Account == "" {
			continue
		}
		accounts[u.Account] = true
		switch u.Status {
		case model.UnitComplete:
			complete++
		case model.UnitPartial:
			partial++
		default:
			failed++
		}
	}
	n := complete + partial + failed
	if n == 0 {
		return ""
	}
	s := fmt.Sprintf("Audited %d account×%s of %s", n, plural(n, "region", "regions"), count(len(accounts), "account"))
	if partial+failed == 0 {
		return s + ", every one read completely"
	}
	return fmt.Sprintf("%s: %d read completely, %d in part, %d not at all", s, complete, partial, failed)
}

// shardTrouble lists the shards of a merged report that were not merged
// whole ("shard 1/4: missing (no report)"); merged counts the others.
func shardTrouble(r *Report) (trouble []string, merged int) {
	for _, s := range r.Shards {
		if s.Status == ShardMerged {
			merged++
			continue
		}
		line := fmt.Sprintf("shard %d/%d: %s", s.Index, len(r.Shards), s.Status)
		if s.Error != "" {
			line += " (" + s.Error + ")"
		}
		trouble = append(trouble, line)
	}
	return trouble, merged
}

// shardsLine says what became of a merged report's shards, or "" when it
// is not a merge of shards.
func shardsLine(r *Report) string {
	if len(r.Shards) == 0 {
		return ""
	}
	trouble, merged := shardTrouble(r)
	s := fmt.Sprintf("%d of %d shards merged whole", merged, len(r.Shards))
	if len(trouble) > 0 {
		s += "; " + strings.Join(trouble, "; ")
	}
	return s
}
