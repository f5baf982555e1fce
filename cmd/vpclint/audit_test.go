package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpclint/vpclint/loader/awslive/mototest"
	"github.com/vpclint/vpclint/model"
	"github.com/vpclint/vpclint/reporters"
)

// moto is the moto_server the package's live tests share: it starts on
// first use and TestMain stops it.
var moto mototest.Server

// mainArgsVar, set in a child process, makes the test binary run vpclint
// with these (JSON) arguments: the shard tests run real processes without
// building the command.
const mainArgsVar = "VPCLINT_TEST_MAIN_ARGS"

func TestMain(m *testing.M) {
	if a := os.Getenv(mainArgsVar); a != "" {
		var args []string
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		app := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
		if s := os.Getenv(synthOrgVar); s != "" {
			org, err := parseSynthOrg(s)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(3)
			}
			app.awsClients = org.Clients()
		}
		os.Exit(app.run(context.Background(), args))
	}
	code := m.Run()
	moto.Close()
	os.Exit(code)
}

// vpclintProcess runs vpclint in a process of its own and returns its exit
// code and standard error.
func vpclintProcess(t *testing.T, args ...string) (int, string) {
	t.Helper()
	a, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), mainArgsVar+"="+string(a))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return 0, stderr.String()
}

// denyingProxy forwards every request to moto, except EC2 actions in
// denied, which it refuses as IAM would.
func denyingProxy(t *testing.T, base string, denied ...string) string {
	t.Helper()
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if form, err := url.ParseQuery(string(body)); err == nil && slices.Contains(denied, form.Get("Action")) {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform: ec2:%s</Message></Error></Errors><RequestID>r</RequestID></Response>`, form.Get("Action"))
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// reportFinding is a finding of a JSON report, as tests compare them.
type reportFinding struct {
	RuleID      string       `json:"rule_id"`
	Fingerprint string       `json:"fingerprint"`
	Message     string       `json:"message"`
	Source      model.Source `json:"source"`
	Resource    struct {
		ID  string `json:"id"`
		ARN string `json:"arn"`
	} `json:"resource"`
}

type jsonReportOf struct {
	Findings []reportFinding         `json:"findings"`
	Errors   []model.LoadError       `json:"errors"`
	Units    []model.UnitStatus      `json:"units"`
	Shards   []reporters.ShardStatus `json:"shards"`
	Summary  model.Summary           `json:"summary"`
}

func readJSONReport(t *testing.T, path string) jsonReportOf {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r jsonReportOf
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

// findingKeys identify a report's findings, sorted.
func findingKeys(r jsonReportOf) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, strings.Join([]string{f.Source.Account, f.Source.Region, f.RuleID, f.Resource.ID, f.Fingerprint, f.Message}, " | "))
	}
	sort.Strings(out)
	return out
}

// TestAuditWithADeniedList: with ec2:DescribeFlowLogs denied, the audit
// reports no VPC as lacking a flow log, says which list was not read, and
// exits 2 (findings or not) unless --allow-incomplete; a snapshot keeps
// the unread list, and its re-scan is incomplete too. In a log, progress
// is a line per account×region and per failed call.
func TestAuditWithADeniedList(t *testing.T) {
	base := moto.URL(t)
	moto.Reset(t)
	mototest.Env(t)
	if _, err := mototest.Seed(context.Background(), base, "us-east-1"); err != nil {
		t.Fatal(err)
	}
	proxy := denyingProxy(t, base, "DescribeFlowLogs")
	dir := t.TempDir()
	report, inv, lines := filepath.Join(dir, "r.json"), filepath.Join(dir, "inv.json"), filepath.Join(dir, "r.jsonl")
	live := []string{"scan", "--aws", "--endpoint-url", proxy, "--region", "us-east-1", "--no-config"}
	code, _, stderr := vpclint(t, append(live, "--format", "json", "--output", report, "--format", "jsonl", "--output", "jsonl="+lines, "--save-inventory", inv)...)
	if code != 2 || !strings.Contains(stderr, "incomplete: 1 of 1 account×region(s) not read completely") {
		t.Fatalf("exit %d, want 2 (incomplete); stderr:\n%s", code, stderr)
	}
	for _, want := range []string{
		"vpclint: aws " + mototest.Account + "/us-east-1: reading (1 of 1 started)",
		"vpclint: aws " + mototest.Account + "/us-east-1: error: ec2:DescribeFlowLogs: UnauthorizedOperation",
		"lists not read: flow_logs (1 of 1 done)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("progress lacks %q:\n%s", want, stderr)
		}
	}
	r := readJSONReport(t, report)
	for _, f := range r.Findings {
		if f.RuleID == "GOV001" {
			t.Errorf("GOV001 on %s, whose flow logs could not be read", f.Resource.ID)
		}
	}
	if len(r.Units) != 1 || r.Units[0].Status != model.UnitPartial || !slices.Equal(r.Units[0].ListsNotRead, []string{"flow_logs"}) || r.Summary.Findings.Critical == 0 {
		t.Errorf("units %+v, summary %+v", r.Units, r.Summary)
	}
	// The JSON Lines report, written as the audit went, says the same.
	f, err := os.Open(lines)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	jl, err := reporters.ReadReport(f)
	if err != nil || !jl.Finished || len(jl.Units) != 1 || jl.Units[0].Status != model.UnitPartial || len(jl.Findings) != len(r.Findings) || !reflect.DeepEqual(jl.Summary, r.Summary) {
		t.Errorf("jsonl: %v, finished %v, units %+v, %d findings (json %d), summary %+v", err, jl != nil && jl.Finished, jl.Units, len(jl.Findings), len(r.Findings), jl.Summary)
	}

	code, _, stderr = vpclint(t, append(live, "--format", "json", "--output", report, "--allow-incomplete", "-q")...)
	if code != 1 {
		t.Errorf("--allow-incomplete: exit %d, want 1 (critical findings); stderr:\n%s", code, stderr)
	}

	// The snapshot records the unread list; re-scanning it is incomplete.
	b, err := os.ReadFile(inv)
	if err != nil || !bytes.Contains(b, []byte(`"flow_logs": false`)) {
		t.Fatalf("snapshot: %v\n%.2000s", err, b)
	}
	code, _, stderr = vpclint(t, "scan", inv, "--no-config", "--format", "json", "--output", report)
	if code != 2 || !strings.Contains(stderr, "incomplete") {
		t.Errorf("re-scan of the snapshot: exit %d, stderr %s", code, stderr)
	}
	if r := readJSONReport(t, report); !slices.ContainsFunc(r.Errors, func(e model.LoadError) bool {
		return strings.Contains(e.Message, "lists not read when the snapshot was taken: flow_logs")
	}) {
		t.Errorf("re-scan errors %+v", r.Errors)
	}
	if code, _, _ := vpclint(t, "scan", inv, "--no-config", "--allow-incomplete", "-q"); code != 1 {
		t.Errorf("re-scan with --allow-incomplete: exit %d, want 1", code)
	}
}

// TestAuditNeverHangs: an endpoint that accepts connections and never
// answers ends the audit at --timeout, with exit 2 and what timed out.
func TestAuditNeverHangs(t *testing.T) {
	mototest.Env(t)
	url := mototest.HangingServer(t)
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	go func() {
		code, _, stderr := vpclint(t, "scan", "--aws", "--endpoint-url", url, "--region", "us-east-1", "--timeout", "1s", "--no-config")
		done <- result{code, stderr}
	}()
	select {
	case r := <-done:
		if r.code != 2 || !strings.Contains(r.stderr, "sts:GetCallerIdentity") || !strings.Contains(r.stderr, "the audit's time limit of 1s ran out") {
			t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
		}
	case <-time.After(time.Minute): // a hang, not a slow run
		t.Fatal("vpclint scan --aws --timeout 1s hangs on an endpoint that never answers")
	}
}

// TestShardsMergeToTheWholeAudit runs an organization's audit whole, and
// in three shards, each a process of its own; merging the shards' JSON
// Lines reports gives exactly the findings of the whole audit, and SARIF
// files for code scanning. Without one shard, merge names it and exits 2.
func TestShardsMergeToTheWholeAudit(t *testing.T) {
	base := moto.URL(t)
	moto.Reset(t)
	mototest.Env(t)
	ctx := context.Background()
	members, err := mototest.Organization(ctx, base, 2)
	if err != nil {
		t.Fatal(err)
	}
	regions := []string{"us-east-1", "eu-west-1"}
	for _, acct := range append(members, mototest.Account) {
		creds, err := mototest.AccountCredentials(ctx, base, acct)
		if err != nil {
			t.Fatal(err)
		}
		for _, reg := range regions {
			if err := mototest.SeedSmall(ctx, base, reg, creds); err != nil {
				t.Fatal(err)
			}
		}
	}
	dir := t.TempDir()
	audit := []string{"scan", "--aws", "--endpoint-url", base, "--org", "--role-name", "OrganizationAccountAccessRole",
		"--region", strings.Join(regions, ","), "--no-config", "--fail-on", "none", "-q"}
	whole := filepath.Join(dir, "whole.json")
	if code, stderr := vpclintProcess(t, append(audit, "--format", "json", "--output", whole)...); code != 0 {
		t.Fatalf("whole audit: exit %d\n%s", code, stderr)
	}
	const n = 3
	var wg sync.WaitGroup
	errs := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := filepath.Join(dir, "shards", fmt.Sprintf("shard-%d.jsonl", i))
			if code, stderr := vpclintProcess(t, append(audit, "--shard", fmt.Sprintf("%d/%d", i, n), "--format", "jsonl", "--output", "jsonl="+out)...); code != 0 {
				errs[i] = fmt.Sprintf("shard %d: exit %d\n%s", i, code, stderr)
			}
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Fatal(e)
		}
	}
	shards, _ := filepath.Glob(filepath.Join(dir, "shards", "*.jsonl"))
	merged, sarifDir := filepath.Join(dir, "merged.json"), filepath.Join(dir, "sarif")
	if code, stderr := vpclintProcess(t, append([]string{"merge", "--format", "json", "--output", merged, "--sarif-dir", sarifDir}, shards...)...); code != 0 {
		t.Fatalf("merge: exit %d\n%s", code, stderr)
	}
	w, m := readJSONReport(t, whole), readJSONReport(t, merged)
	if len(w.Findings) == 0 || !slices.Equal(findingKeys(w), findingKeys(m)) {
		t.Errorf("merged findings differ from the whole audit's:\nwhole  %s\nmerged %s", strings.Join(findingKeys(w), "\n       "), strings.Join(findingKeys(m), "\n       "))
	}
	if len(m.Units) != 3*len(regions) || len(m.Shards) != n || m.Summary.Findings != w.Summary.Findings || m.Summary.Resources != w.Summary.Resources {
		t.Errorf("merged: %d units, shards %+v, summary %+v (whole %+v)", len(m.Units), m.Shards, m.Summary, w.Summary)
	}
	for _, s := range m.Shards {
		if s.Status != reporters.ShardMerged {
			t.Errorf("shard %+v", s)
		}
	}
	files, _ := filepath.Glob(filepath.Join(sarifDir, "*.sarif"))
	categories := map[string]bool{}
	for _, f := range files {
		validateSARIF(t, f)
		for _, c := range sarifCategories(t, f) {
			if categories[c] {
				t.Errorf("category %s in two runs", c)
			}
			categories[c] = true
		}
	}
	for _, acct := range append(members, mototest.Account) {
		if !categories["vpclint/aws/"+acct+"/"] {
			t.Errorf("no SARIF run for account %s (categories %v)", acct, categories)
		}
	}

	// A shard missing: merge names it and exits 2.
	code, stderr := vpclintProcess(t, append([]string{"merge", "--format", "json", "--output", merged}, shards[1:]...)...)
	if code != 2 || !strings.Contains(stderr, "shard 0/3: missing") {
		t.Errorf("merge without shard 0: exit %d\n%s", code, stderr)
	}
	if r := readJSONReport(t, merged); len(r.Shards) != n || r.Shards[0].Status != reporters.ShardMissing {
		t.Errorf("merged report's shards %+v", r.Shards)
	}
}

func sarifCategories(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			AutomationDetails struct {
				ID string `json:"id"`
			} `json:"automationDetails"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range log.Runs {
		out = append(out, r.AutomationDetails.ID)
	}
	return out
}
