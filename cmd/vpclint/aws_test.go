package main

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
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
	if err != nil || !slices.Equal(o.Regions, aws.regions) || o.AllRegions || o.Progress != nil || o.Concurrency != 4 || o.Timeout != 10*time.Minute {
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
	if o.Progress != nil {
		t.Error("progress on a writer that is not a terminal")
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
	if _, aws := awsFlagsOf(t, "--profile", "p"); aws.enabled() {
		t.Error("enabled without --aws")
	}
}
