package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/reporters"
)

// liveFinding is an SG001 finding on a group of account/region.
func liveFinding(account, region string, i int) model.Finding {
	id := fmt.Sprintf("sg-%s%d", account[:4], i)
	return model.Finding{RuleID: "SG001", Severity: model.SeverityCritical, Title: "Security group allows SSH or RDP from the internet",
		Message:     fmt.Sprintf("Security group %s lets the internet reach admin port 22 (SSH).", id),
		Resource:    model.FindingResource{Address: id, ID: id, Type: "ec2:security-group", ARN: "arn:aws:ec2:" + region + ":" + account + ":security-group/" + id},
		Source:      model.Source{Format: model.FormatAWS, Account: account, Region: region},
		Fingerprint: fmt.Sprintf("%x", []byte(id+region))}
}

// shardFile writes one shard's report: the findings of its units, in
// JSON Lines (cut short when unfinished) or JSON.
func shardFile(t *testing.T, dir string, shard *reporters.Shard, units []model.UnitStatus, format string, unfinished bool) string {
	t.Helper()
	r := &reporters.Report{Tool: reporters.DefaultTool("test"), Shard: shard, Units: units}
	for _, u := range units {
		for i := range 3 {
			r.Findings = append(r.Findings, liveFinding(u.Account, u.Region, i))
			r.Summary.Findings.Add(model.SeverityCritical)
		}
		r.Summary.Resources += u.Resources
	}
	var buf bytes.Buffer
	if err := reporters.Write(&buf, format, r); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if unfinished { // cut in the middle of its last finding
		i := bytes.LastIndex(b, []byte(`{"type":"summary"`))
		b = b[:i-40]
	}
	name := "plain"
	if shard != nil {
		name = fmt.Sprintf("shard-%d", shard.Index)
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%d.%s", name, len(units), format))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func units(accounts []string, status string) []model.UnitStatus {
	var out []model.UnitStatus
	for _, a := range accounts {
		st := model.UnitStatus{Unit: "aws:" + a + "/eu-west-1", Account: a, Region: "eu-west-1", Resources: 4, Status: status}
		if status == model.UnitPartial {
			st.ListsNotRead = []string{"flow_logs"}
		}
		out = append(out, st)
	}
	return out
}

func accountIDs(from, n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("%012d", from+i))
	}
	return out
}

// TestMerge: what merge makes of the shards it is given.
func TestMerge(t *testing.T) {
	sel := "sha256:0123456789abcdef"
	sh := func(i, n int) *reporters.Shard {
		return &reporters.Shard{Index: i, Count: n, Selection: sel, Units: 2, Total: 2 * n}
	}
	tests := []struct {
		name   string
		files  func(dir string) []string
		args   []string
		code   int
		stderr string
		shards []string // statuses
	}{
		{"two shards", func(dir string) []string {
			return []string{shardFile(t, dir, sh(0, 2), units(accountIDs(100, 2), model.UnitComplete), "jsonl", false),
				shardFile(t, dir, sh(1, 2), units(accountIDs(200, 2), model.UnitComplete), "json", false)}
		}, nil, 0, "", []string{"merged", "merged"}},
		{"findings fail", func(dir string) []string {
			return []string{shardFile(t, dir, sh(0, 1), units(accountIDs(100, 2), model.UnitComplete), "jsonl", false)}
		}, []string{"--fail-on", "high"}, 1, "", []string{"merged"}},
		{"a shard missing", func(dir string) []string {
			return []string{shardFile(t, dir, sh(0, 3), units(accountIDs(100, 2), model.UnitComplete), "jsonl", false),
				shardFile(t, dir, sh(2, 3), units(accountIDs(300, 2), model.UnitComplete), "jsonl", false)}
		}, nil, 2, "shard 1/3: missing", []string{"merged", "missing", "merged"}},
		{"--shards says more", func(dir string) []string {
			return []string{shardFile(t, dir, sh(0, 1), units(accountIDs(100, 2), model.UnitComplete), "jsonl", false)}
		}, []string{"--shards", "2"}, 2, "not of 2", nil},
		{"a run cut short", func(dir string) []string {
			return []string{shardFile(t, dir, sh(0, 2), units(accountIDs(100, 2), model.UnitComplete), "jsonl", false),
				shardFile(t, dir, sh(1, 2), units(accountIDs(200, 2), model.UnitComplete), "jsonl", true)}
		}, nil, 2, "shard 1/2 (", []string{"merged", "failed"}},
		{"an unreadable report", func(dir string) []string {
			bad := filepath.Join(dir, "bad.jsonl")
			os.WriteFile(bad, []byte("not json\n"), 0o644)
			return []string{shardFile(t, dir, sh(0, 2), units(accountIDs(100, 2), model.UnitComplete), "jsonl", false), bad}
		}, nil, 2, "bad.jsonl: cannot be read", []string{"merged", "missing"}},
		{"a shard incomplete", func(dir string) []string {
			return []string{shardFile(t, dir, sh(0, 1), units(accountIDs(100, 2), model.UnitPartial), "jsonl", false)}
		}, nil, 2, "incomplete: 2 of 2", []string{"incomplete"}},
		{"a shard incomplete, allowed", func(dir string) []string {
			return []string{shardFile(t, dir, sh(0, 1), units(accountIDs(100, 2), model.UnitPartial), "jsonl", false)}
		}, []string{"--allow-incomplete"}, 0, "", []string{"incomplete"}},
		{"another audit", func(dir string) []string {
			other := sh(1, 2)
			other.Selection = "sha256:ffffffffffffffff"
			return []string{shardFile(t, dir, sh(0, 2), units(accountIDs(100, 2), model.UnitComplete), "jsonl", false),
				shardFile(t, dir, other, units(accountIDs(200, 2), model.UnitComplete), "jsonl", false)}
		}, nil, 2, "another selection", nil},
		{"a shard twice", func(dir string) []string {
			return []string{shardFile(t, dir, sh(0, 2), units(accountIDs(100, 2), model.UnitComplete), "jsonl", false),
				shardFile(t, dir, sh(0, 2), units(accountIDs(100, 3), model.UnitComplete), "json", false)}
		}, nil, 2, "are both shard 0/2", nil},
		{"shards and not", func(dir string) []string {
			return []string{shardFile(t, dir, sh(0, 2), units(accountIDs(100, 2), model.UnitComplete), "jsonl", false),
				shardFile(t, dir, nil, units(accountIDs(200, 2), model.UnitComplete), "jsonl", false)}
		}, nil, 2, "some reports are of shards", nil},
		{"reports of separate runs", func(dir string) []string {
			return []string{shardFile(t, dir, nil, units(accountIDs(100, 2), model.UnitComplete), "jsonl", false),
				shardFile(t, dir, nil, units(accountIDs(200, 1), model.UnitComplete), "json", false)}
		}, nil, 0, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "merged.json")
			args := append([]string{"merge", "--format", "json", "--output", out}, tt.args...)
			code, _, stderr := vpclint(t, append(args, tt.files(dir)...)...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, want %d; stderr:\n%s\nwant %q", code, tt.code, stderr, tt.stderr)
			}
			if _, err := os.Stat(out); err != nil {
				if tt.shards != nil {
					t.Fatalf("no merged report: %v", err)
				}
				return
			}
			r := readJSONReport(t, out)
			var got []string
			for _, s := range r.Shards {
				got = append(got, s.Status)
			}
			if !slices.Equal(got, tt.shards) {
				t.Errorf("shards %v, want %v", got, tt.shards)
			}
			n := 0
			for _, u := range r.Units {
				n += 3
				if !slices.ContainsFunc(r.Findings, func(f reportFinding) bool {
					return f.Source.Account == u.Account
				}) {
					t.Errorf("no finding of %s", u.Account)
				}
			}
			// A run cut short loses the finding it was writing.
			if cut := strings.Contains(tt.name, "cut short"); len(r.Findings) != n && !(cut && len(r.Findings) == n-1) || r.Summary.Findings.Critical != len(r.Findings) {
				t.Errorf("%d findings for %d units, summary %+v", len(r.Findings), len(r.Units), r.Summary)
			}
		})
	}
}

// TestMergeSplitsSARIF: the merged SARIF has one run per account, in
// files of at most 20 runs, and more files when one would weigh too much.
func TestMergeSplitsSARIF(t *testing.T) {
	dir := t.TempDir()
	a := shardFile(t, dir, nil, units(accountIDs(100, 30), model.UnitComplete), "jsonl", false)
	b := shardFile(t, dir, nil, units(accountIDs(500, 15), model.UnitComplete), "json", false)
	sarifDir := filepath.Join(dir, "sarif")
	code, _, stderr := vpclint(t, "merge", "--sarif-dir", sarifDir, a, b)
	if code != 0 || !strings.Contains(stderr, "wrote 3 SARIF file(s) for 45 account(s)") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(sarifDir, "*.sarif"))
	seen := map[string]bool{}
	var runs []int
	for _, f := range files {
		validateSARIF(t, f)
		cats := sarifCategories(t, f)
		runs = append(runs, len(cats))
		for _, c := range cats {
			if seen[c] || !strings.HasPrefix(c, "vpclint/aws/") {
				t.Errorf("category %q twice or not an account's", c)
			}
			seen[c] = true
		}
	}
	if !slices.Equal(runs, []int{20, 20, 5}) || len(seen) != 45 {
		t.Errorf("runs per file %v, %d categories", runs, len(seen))
	}

	// By size: with a limit of 2 KB compressed, the 45 runs need more
	// files, each under the limit or of a single run.
	rep, _, err := mergeReports([]shardReport{readShardReport(a), readShardReport(b)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small")
	written, err := writeSARIFFiles(small, rep, sarifLimits{runs: 20, gzip: 2 << 10})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, f := range written {
		content, _ := os.ReadFile(f)
		n := len(sarifCategories(t, f))
		total += n
		if gzipSize(content) > 2<<10 && n > 1 {
			t.Errorf("%s: %d bytes compressed, %d runs", f, gzipSize(content), n)
		}
	}
	if len(written) <= 3 || total != 45 {
		t.Errorf("%d files, %d runs", len(written), total)
	}
}

// TestAccountsFile: the accounts file is ids, one per line or separated by
// commas or spaces, with # comments; anything else is an error naming the
// line.
func TestAccountsFile(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		content string
		want    []string
		err     string
	}{
		{"111122223333\n444455556666 # prod\n\n# all of dev:\n777788889999, 000011112222\n", []string{"111122223333", "444455556666", "777788889999", "000011112222"}, ""},
		{"111122223333\n12345\n", nil, ":2: \"12345\" is not an account id"},
		{"# nobody\n", nil, "no account id"},
	} {
		p := filepath.Join(dir, "accounts.txt")
		if err := os.WriteFile(p, []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := readAccountsFile(p)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err %v, want %q", c.content, err, c.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%q: %v, %v", c.content, got, err)
		}
	}
	_, aws := awsFlagsOf(t, "--aws", "--accounts", "111122223333", "--accounts-file", filepath.Join(dir, "missing.txt"), "--role-name", "r")
	if _, err := aws.options(true); err == nil || !strings.Contains(err.Error(), "--accounts-file") {
		t.Errorf("missing file: %v", err)
	}
	_, aws = awsFlagsOf(t, "--aws", "--shard", "3/3")
	if _, err := aws.options(true); err == nil || !strings.Contains(err.Error(), "--shard") {
		t.Errorf("--shard 3/3: %v", err)
	}
}

// TestMergeWaits: given a directory, merge reads its reports, and with
// --wait waits for the shards still running.
func TestMergeWaits(t *testing.T) {
	sel := "sha256:0123456789abcdef"
	dir, work := t.TempDir(), t.TempDir()
	shardFile(t, dir, &reporters.Shard{Index: 0, Count: 2, Selection: sel, Units: 2, Total: 4}, units(accountIDs(100, 2), model.UnitComplete), "jsonl", false)
	late := shardFile(t, work, &reporters.Shard{Index: 1, Count: 2, Selection: sel, Units: 2, Total: 4}, units(accountIDs(200, 2), model.UnitComplete), "jsonl", false)
	go func() {
		time.Sleep(300 * time.Millisecond)
		os.Rename(late, filepath.Join(dir, filepath.Base(late)))
	}()
	out := filepath.Join(work, "merged.json")
	code, _, stderr := vpclint(t, "merge", "--shards", "2", "--wait", "1m", "--format", "json", "--output", out, dir)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if r := readJSONReport(t, out); len(r.Units) != 4 || len(r.Shards) != 2 {
		t.Errorf("merged %d units, shards %+v", len(r.Units), r.Shards)
	}
	// An earlier run's report is left out with --max-age: the shard that
	// did not run this time is missing.
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(filepath.Join(dir, filepath.Base(late)), old, old)
	code, _, stderr = vpclint(t, "merge", "--shards", "2", "--max-age", "24h", "--format", "json", "--output", out, dir)
	if code != 2 || !strings.Contains(stderr, "shard 1/2: missing") {
		t.Errorf("--max-age: exit %d:\n%s", code, stderr)
	}
	// Without --wait, what is there is merged and the rest named missing.
	os.Remove(filepath.Join(dir, filepath.Base(late)))
	code, _, stderr = vpclint(t, "merge", "--shards", "2", "--format", "json", "--output", out, dir)
	if code != 2 || !strings.Contains(stderr, "shard 1/2: missing") {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
}

// TestSARIFLeavesOutIncompleteAccounts: code scanning closes what a run
// does not report, so an account not read completely gets no run (its
// alerts stay as they were), unless --allow-incomplete.
func TestSARIFLeavesOutIncompleteAccounts(t *testing.T) {
	dir := t.TempDir()
	whole := shardFile(t, dir, nil, units(accountIDs(100, 2), model.UnitComplete), "jsonl", false)
	part := shardFile(t, dir, nil, units(accountIDs(200, 1), model.UnitPartial), "json", false)
	for _, c := range []struct {
		allow bool
		code  int
		want  []string
	}{
		{false, 2, []string{"vpclint/aws/000000000100/", "vpclint/aws/000000000101/"}},
		{true, 0, []string{"vpclint/aws/000000000100/", "vpclint/aws/000000000101/", "vpclint/aws/000000000200/"}},
	} {
		out := filepath.Join(dir, fmt.Sprint(c.allow))
		args := []string{"merge", "--sarif-dir", out, whole, part}
		if c.allow {
			args = append(args, "--allow-incomplete")
		}
		code, _, stderr := vpclint(t, args...)
		if code != c.code || !c.allow && !strings.Contains(stderr, "left out account(s) 000000000200") {
			t.Errorf("allow %v: exit %d:\n%s", c.allow, code, stderr)
		}
		files, _ := filepath.Glob(filepath.Join(out, "*.sarif"))
		var got []string
		for _, f := range files {
			got = append(got, sarifCategories(t, f)...)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("allow %v: categories %v, want %v", c.allow, got, c.want)
		}
	}
}

// TestMergeSummaries: the merged Markdown summary and JUnit report of an
// audit with a shard missing say so, and cover the shards that came.
func TestMergeSummaries(t *testing.T) {
	dir := t.TempDir()
	sh := func(i int) *reporters.Shard {
		return &reporters.Shard{Index: i, Count: 3, Selection: "sha256:0123456789abcdef", Units: 2, Total: 6}
	}
	files := []string{shardFile(t, dir, sh(0), units(accountIDs(100, 2), model.UnitComplete), "jsonl", false),
		shardFile(t, dir, sh(2), units(accountIDs(300, 2), model.UnitComplete), "json", false)}
	md, junit := filepath.Join(dir, "summary.md"), filepath.Join(dir, "junit.xml")
	code, _, stderr := vpclint(t, append([]string{"merge", "--format", "markdown", "--output", "markdown=" + md, "--format", "junit", "--output", "junit=" + junit}, files...)...)
	if code != 2 || !strings.Contains(stderr, "shard 1/3: missing") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for file, wants := range map[string][]string{
		md:    {"## ❌ vpclint: 12 findings", "Audited 4 account×regions of 4 accounts, every one read completely.", "2 of 3 shards merged whole; shard 1/3: missing (no report)."},
		junit: {`<testsuite name="vpclint/shards" tests="3" failures="0" errors="1"`, `<testcase name="shard 1/3" classname="vpclint.shards">`},
	} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range wants {
			if !strings.Contains(string(b), want) {
				t.Errorf("%s lacks %q:\n%s", filepath.Base(file), want, b)
			}
		}
	}
}
