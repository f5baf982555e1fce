package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/vpclint/vpclint/loader/awslive/mototest"
	"github.com/vpclint/vpclint/model"
)

// awsFlagsOf parses a command line with the live-AWS flags added to a
// command that, like scan, already has --region, and returns that region
// and the live-AWS flags.
func awsFlagsOf(t *testing.T, args ...string) (*string, *awsFlags) {
	t.Helper()
	cmd := &cobra.Command{Use: "scan"}
	cmd.SetErr(io.Discard)
	region := cmd.Flags().String("region", "", "deployment region, for pseudo parameters and data sources")
	aws := addAWSFlags(cmd)
	if err := cmd.ParseFlags(args); err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	return region, aws
}

// TestScanHasAWSFlags: the scan command carries the live-AWS flags, with
// one --region.
func TestScanHasAWSFlags(t *testing.T) {
	a := &app{stdout: io.Discard, stderr: io.Discard}
	cmd := a.scanCommand()
	for _, name := range []string{"aws", "profile", "region", "regions", "role-arn", "accounts", "org", "role-name", "external-id", "endpoint-url", "concurrency", "timeout", "save-inventory"} {
		if cmd.Flags().Lookup(name) == nil {
			t.Errorf("scan has no --%s", name)
		}
	}
	if err := cmd.ParseFlags([]string{"--region", "a", "--region", "b"}); err != nil {
		t.Errorf("--region is not repeatable: %v", err)
	}
}

func TestAWSRegionFlag(t *testing.T) {
	f, aws := awsFlagsOf(t, "--aws", "--region", "eu-west-1", "--region", "us-east-1,eu-central-1")
	if !aws.enabled() {
		t.Error("--aws not enabled")
	}
	if !slices.Equal(aws.regions, []string{"eu-west-1", "us-east-1", "eu-central-1"}) {
		t.Errorf("regions = %v", aws.regions)
	}
	// The IaC loaders keep one region, the last given.
	if *f != "eu-central-1" {
		t.Errorf("scan --region = %q", *f)
	}
	o, err := aws.options(true)
	if err != nil || !slices.Equal(o.Regions, aws.regions) || o.AllRegions || o.Progress != nil || o.Concurrency != 0 || o.Timeout != time.Hour || o.UnitTimeout != 10*time.Minute {
		t.Errorf("options = %+v, %v", o, err)
	}
}

func TestAWSFlags(t *testing.T) {
	_, aws := awsFlagsOf(t, "--aws", "--regions", "all", "--accounts", "111122223333,444455556666", "--role-name", "audit",
		"--external-id", "x", "--profile", "p", "--endpoint-url", "http://127.0.0.1:5000", "--concurrency", "2", "--timeout", "30s", "--save-inventory", "inv.json")
	o, err := aws.options(false)
	if err != nil {
		t.Fatal(err)
	}
	if !o.AllRegions || !slices.Equal(o.Accounts, []string{"111122223333", "444455556666"}) || o.RoleName != "audit" || o.ExternalID != "x" ||
		o.Profile != "p" || o.EndpointURL != "http://127.0.0.1:5000" || o.Concurrency != 2 || o.Timeout != 30*time.Second || aws.saveInventory != "inv.json" {
		t.Errorf("options = %+v", o)
	}
	if o.Progress == nil || !o.ProgressLines {
		t.Error("no progress lines on a writer that is not a terminal (a CI log)")
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--aws", "--regions", "some"}, "the only value is all"},
		{[]string{"--aws", "--regions", "all", "--region", "us-east-1"}, "choose one"},
		{[]string{"--aws", "--concurrency", "0"}, "--concurrency"},
		{[]string{"--aws", "--timeout", "0s"}, "--timeout"},
	} {
		_, aws := awsFlagsOf(t, c.args...)
		if _, err := aws.options(true); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.args, err, c.want)
		}
	}
	_, aws = awsFlagsOf(t, "--profile", "p")
	if _, err := aws.options(true); !aws.enabled() || err == nil || !strings.Contains(err.Error(), "--profile reads live AWS accounts: add --aws") {
		t.Errorf("--profile without --aws: enabled %v, %v", aws.enabled(), err)
	}
	if _, aws := awsFlagsOf(t, "--region", "eu-west-1"); aws.enabled() {
		t.Error("--region alone (the IaC deployment region) enables the live scan")
	}
}

// TestAWSScanMoto scans a moto_server account through the command line:
// live findings in their own SARIF run, and with --save-inventory findings
// that point into the snapshot, which re-scans offline to the same rules.
func TestAWSScanMoto(t *testing.T) {
	base := moto.URL(t)
	moto.Reset(t)
	mototest.Env(t)
	net, err := mototest.Seed(context.Background(), base, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sarifPath := filepath.Join(dir, "live.sarif")
	code, _, stderr := vpclint(t, "scan", "--aws", "--endpoint-url", base, "--region", "us-east-1", "--format", "sarif", "--output", sarifPath, "--fail-on", "critical", "--enable", "SG009")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (SG001 is critical); stderr: %s", code, stderr)
	}
	validateSARIF(t, sarifPath)
	var log struct {
		Runs []struct {
			AutomationDetails struct{ ID string } `json:"automationDetails"`
			Results           []struct {
				RuleID    string `json:"ruleId"`
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				}
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Suppressions        []any             `json:"suppressions"`
			}
		}
	}
	b, err := os.ReadFile(sarifPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatal(err)
	}
	rules := map[string]bool{}
	var live int
	taggedSG009 := false
	for _, run := range log.Runs {
		if run.AutomationDetails.ID != "vpclint/aws/"+mototest.Account+"/" {
			continue
		}
		live++
		for _, r := range run.Results {
			rules[r.RuleID] = true
			if len(r.Locations) == 0 || r.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" || r.PartialFingerprints["primaryLocationLineHash"] == "" {
				t.Errorf("%s result without a file or fingerprint: %+v", r.RuleID, r)
			}
			if r.RuleID == "SG009" && strings.Contains(r.Message.Text, net.SecurityGroup) {
				taggedSG009 = true
				if len(r.Suppressions) == 0 {
					t.Errorf("SG009 on %s is not suppressed by its vpclint:ignore tag", net.SecurityGroup)
				}
			}
		}
	}
	if !taggedSG009 {
		t.Errorf("no SG009 on %s (its 443 rule has no description)", net.SecurityGroup)
	}
	// The endpoints have AWS's (moto's) default policy: EP001, as code
	// that sets no policy gets.
	if live != 1 || !rules["SG001"] || !rules["EP001"] || rules["EP002"] {
		t.Errorf("%d live runs, rules %v: want SG001 and EP001, no EP002", live, rules)
	}

	// With a snapshot, findings point at its lines.
	inv := filepath.Join(dir, "inventory.json")
	code, out, stderr := vpclint(t, "scan", "--aws", "--endpoint-url", base, "--region", "us-east-1", "--format", "json", "--save-inventory", inv, "--fail-on", "none", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	liveRules := findingRules(t, out, inv)
	code, out, stderr = vpclint(t, "scan", inv, "--format", "json", "--fail-on", "none")
	if code != 0 {
		t.Fatalf("re-scan: exit %d: %s", code, stderr)
	}
	if again := findingRules(t, out, inv); !slices.Equal(again, liveRules) || !slices.Contains(again, "SG001") {
		t.Errorf("re-scan of the snapshot found %v, the live scan %v", again, liveRules)
	}
}

// findingRules reads a JSON report and returns its rule ids; every finding
// must point at a line of the snapshot.
func findingRules(t *testing.T, report, snapshot string) []string {
	t.Helper()
	var rep struct {
		Findings []model.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(report), &rep); err != nil {
		t.Fatalf("report: %v\n%.500s", err, report)
	}
	var ids []string
	for _, f := range rep.Findings {
		if !strings.HasSuffix(f.Location.File, filepath.Base(snapshot)) || f.Location.StartLine < 1 || f.Source.Account != mototest.Account {
			t.Errorf("%s on %s at %s:%d (source %+v)", f.RuleID, f.Resource.ID, f.Location.File, f.Location.StartLine, f.Source)
		}
		ids = append(ids, f.RuleID)
	}
	slices.Sort(ids)
	return ids
}
