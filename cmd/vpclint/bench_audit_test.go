package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vpclint/vpclint/loader/awslive"
	"github.com/vpclint/vpclint/loader/awslive/awstest"
	"github.com/vpclint/vpclint/loader/awslive/mototest"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/reporters"
)

// synthOrgVar, set with mainArgsVar, makes the child process audit a
// synthetic organization: "ACCOUNTS,GROUPS,ENDPOINTS,LATENCY".
const synthOrgVar = "VPCLINT_TEST_SYNTHETIC_ORG"

func parseSynthOrg(s string) (*awstest.Org, error) {
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return nil, fmt.Errorf("%s=%q: want ACCOUNTS,GROUPS,ENDPOINTS,LATENCY", synthOrgVar, s)
	}
	n := make([]int, 3)
	for i := range n {
		v, err := strconv.Atoi(f[i])
		if err != nil {
			return nil, fmt.Errorf("%s: %v", synthOrgVar, err)
		}
		n[i] = v
	}
	lat, err := time.ParseDuration(f[3])
	if err != nil {
		return nil, fmt.Errorf("%s: %v", synthOrgVar, err)
	}
	return &awstest.Org{Accounts: n[0], Groups: n[1], Endpoints: n[2], Latency: lat}, nil
}

// auditRun is one audit of a synthetic organization in a child process.
type auditRun struct {
	took    time.Duration
	cpu     time.Duration // user and system
	peakRSS int64         // bytes
	report  *reporters.Report
}

// auditSynthetic audits accounts×regions of a synthetic organization, in a
// process of its own (so that its peak RSS is the audit's), writing a JSON
// Lines report and an inventory snapshot.
func auditSynthetic(b testing.TB, accounts, regions, groups, endpoints int, latency time.Duration, extra ...string) auditRun {
	b.Helper()
	dir := b.TempDir()
	var regs []string
	for i := range regions {
		regs = append(regs, fmt.Sprintf("xx-region-%d", i+1))
	}
	report := filepath.Join(dir, "audit.jsonl")
	args := append([]string{"scan", "--aws", "--org", "--role-name", "vpclint-audit", "--region", strings.Join(regs, ","),
		"--format", "jsonl", "--output", "jsonl=" + report, "--save-inventory", filepath.Join(dir, "inventory.json"),
		"--fail-on", "none", "--no-config", "-q"}, extra...)
	a, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), mainArgsVar+"="+string(a),
		synthOrgVar+"="+fmt.Sprintf("%d,%d,%d,%s", accounts, groups, endpoints, latency),
		"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing", "AWS_REGION=xx-region-1", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	took := time.Since(start)
	if err != nil {
		b.Fatalf("audit: %v\n%s", err, stderr.String())
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	f, err := os.Open(report)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rep, err := reporters.ReadReport(f)
	if err != nil || !rep.Finished || len(rep.Units) != accounts*regions {
		b.Fatalf("report: %v, %d units of %d", err, len(rep.Units), accounts*regions)
	}
	run := auditRun{took: took, report: rep}
	if ru != nil {
		run.peakRSS = ru.Maxrss * 1024 // kilobytes on Linux
		run.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return run
}

// BenchmarkAuditOrganization streams a synthetic organization through the
// live audit, as vpclint scan --aws --org runs it: 250 to 2,000
// account×regions (10 regions per account) of 200 security groups and 20
// interface endpoints each (256 resources), read without latency,
// checked, and written to a JSON Lines report and an inventory snapshot.
// It reports the peak RSS of the audit's process and the time per
// account×region, which stays flat as the organization grows:
//
//	go test -run '^$' -bench AuditOrganization -benchtime 1x -timeout 2h ./cmd/vpclint
func BenchmarkAuditOrganization(b *testing.B) {
	for _, units := range []int{250, 500, 1000, 2000} {
		b.Run(fmt.Sprintf("units=%d", units), func(b *testing.B) {
			var last auditRun
			for b.Loop() {
				last = auditSynthetic(b, units/10, 10, 200, 20, 0)
			}
			b.ReportMetric(float64(last.peakRSS)/(1<<20), "peak-RSS-MB")
			b.ReportMetric(float64(last.took.Milliseconds())/float64(units), "ms/unit")
			b.ReportMetric(float64(last.cpu.Milliseconds())/float64(units), "cpu-ms/unit")
			b.ReportMetric(float64(last.report.Summary.Resources), "resources")
			if last.peakRSS > 500<<20 {
				b.Errorf("peak RSS %d MB, over 500 MB", last.peakRSS>>20)
			}
		})
	}
}

// BenchmarkAuditConcurrency measures how many account×regions an audit
// reads per second at each --concurrency, with every API call taking
// 50 ms (about what an EC2 Describe call takes from a runner in the same
// region; more from another): 64 account×regions of 200 groups and 20
// endpoints, about 20 calls each. The default concurrency is where the
// throughput stops growing:
//
//	go test -run '^$' -bench AuditConcurrency -benchtime 1x -timeout 1h ./cmd/vpclint
func BenchmarkAuditConcurrency(b *testing.B) {
	for _, c := range []int{1, 4, 8, 16, 32, 64} {
		b.Run(fmt.Sprintf("concurrency=%d", c), func(b *testing.B) {
			var last auditRun
			for b.Loop() {
				last = auditSynthetic(b, 8, 8, 200, 20, 50*time.Millisecond, "--concurrency", strconv.Itoa(c))
			}
			b.ReportMetric(64/last.took.Seconds(), "units/s")
			b.ReportMetric(float64(last.cpu.Milliseconds())/64, "cpu-ms/unit")
			b.ReportMetric(float64(last.peakRSS)/(1<<20), "peak-RSS-MB")
		})
	}
}

// TestAuditMemoryIsBounded: an organization audit's live heap does not
// grow with the organization. 160 account×regions stream through the
// audit as vpclint scan --aws --org runs it (read, written to a snapshot,
// checked, written to a JSON Lines report); as each read starts, the test
// collects the garbage and samples the live heap. From the 40th unit to
// the 160th it stays within a fraction of what keeping the 120 units in
// between would add (their models alone, measured by reading one).
func TestAuditMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("audits a synthetic organization of 160 account×regions")
	}
	// The heap is measured in a process of its own, away from the other
	// tests' allocations.
	if os.Getenv(memoryChildVar) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAuditMemoryIsBounded$", "-test.v")
		cmd.Env = append(os.Environ(), memoryChildVar+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if m := regexp.MustCompile(`live heap .*`).Find(out); m != nil {
			t.Logf("%s", m)
		}
		return
	}
	mototest.Env(t)
	const groups, endpoints, accounts, regions, concurrency = 40, 4, 16, 10, 2
	perUnit := unitHeapBytes(t, groups, endpoints)
	var (
		mu      sync.Mutex
		started int
		heap    = map[int]uint64{} // live heap when unit n starts
	)
	org := &awstest.Org{Accounts: accounts, Groups: groups, Endpoints: endpoints, OnUnit: func(string, string) {
		mu.Lock() // one sample at a time, the other readers wait
		defer mu.Unlock()
		started++
		if started%10 == 0 {
			var ms runtime.MemStats
			gc()
			runtime.ReadMemStats(&ms)
			heap[started] = ms.HeapAlloc
		}
	}}
	dir := t.TempDir()
	var regs []string
	for i := range regions {
		regs = append(regs, fmt.Sprintf("xx-region-%d", i+1))
	}
	report := filepath.Join(dir, "audit.jsonl")
	var stderr strings.Builder
	a := &app{stdout: io.Discard, stderr: &stderr, awsClients: org.Clients()}
	code := a.run(context.Background(), []string{"scan", "--aws", "--org", "--role-name", "audit", "--region", strings.Join(regs, ","),
		"--concurrency", strconv.Itoa(concurrency), "--format", "jsonl", "--output", "jsonl=" + report,
		"--save-inventory", filepath.Join(dir, "inventory.json"), "--fail-on", "none", "--no-config", "-q"})
	if code != 0 {
		t.Fatalf("audit: exit %d\n%s", code, stderr.String())
	}
	f, err := os.Open(report)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := reporters.ReadReport(f)
	if err != nil || !rep.Finished || len(rep.Units) != accounts*regions || len(rep.Findings) < 2*accounts*regions {
		t.Fatalf("report: %v, %d units, %d findings", err, len(rep.Units), len(rep.Findings))
	}
	// The floor of the live heap over a stretch of units is what the
	// audit keeps; the units in flight come on top of it.
	floor := func(from, to int) uint64 {
		m := uint64(0)
		for n := from; n <= to; n += 10 {
			if m == 0 || heap[n] < m {
				m = heap[n]
			}
		}
		return m
	}
	var samples []string
	for n := 10; n <= accounts*regions; n += 10 {
		samples = append(samples, fmt.Sprintf("%.1f", float64(heap[n])/(1<<20)))
	}
	t.Logf("live heap (MB) every 10 units: %s; one unit's model %.0f KB", strings.Join(samples, " "), float64(perUnit)/(1<<10))
	if len(heap) != accounts*regions/10 || perUnit <= 0 {
		t.Fatalf("%d samples, one unit %d bytes", len(heap), perUnit)
	}
	// Keeping units would raise the floor of the last 50 units above that
	// of units 20 to 70 by at least the 90 units in between.
	early, late := floor(20, 70), floor(accounts*regions-50, accounts*regions)
	held := 90 * perUnit
	if grew := int64(late) - int64(early); grew > held/3 {
		t.Errorf("the live heap's floor grew by %.1f MB from units 20-70 to the last 50; keeping the 90 units in between would add %.1f MB", float64(grew)/(1<<20), float64(held)/(1<<20))
	}
}

// memoryChildVar marks the child process that runs TestAuditMemoryIsBounded.
const memoryChildVar = "VPCLINT_TEST_MEMORY_CHILD"

// gc collects everything collectable, sync.Pool's caches included (they
// survive one collection).
func gc() {
	runtime.GC()
	runtime.GC()
}

// unitHeapBytes is the live heap one synthetic account×region's model
// takes once read.
func unitHeapBytes(t *testing.T, groups, endpoints int) int64 {
	t.Helper()
	org := &awstest.Org{Accounts: 1, Groups: groups, Endpoints: endpoints}
	var held []*model.Model
	var before, after runtime.MemStats
	gc()
	runtime.ReadMemStats(&before)
	_, err := awslive.Stream(context.Background(), awslive.Options{Regions: []string{"xx-region-1"}, Clients: org.Clients(), Concurrency: 1},
		func(u awslive.Unit) error {
			held = append(held, u.Model)
			return nil
		})
	if err != nil || len(held) != 1 {
		t.Fatalf("read one unit: %v, %d units", err, len(held))
	}
	gc()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(held)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}
