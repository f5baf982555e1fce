package awslive

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/vpclint/vpclint/model"
)

// TestHostedZones checks that an account's zones (listed once, paged)
// reach every region's unit with their name and privacy, and that a
// denied list is an error that leaves the units read but their
// hosted_zones list unread (DNS001 undecided).
func TestHostedZones(t *testing.T) {
	cloud := &fakeCloud{zones: map[string][]r53types.HostedZone{baseAccount: {
		{Id: aws.String("/hostedzone/Z1"), Name: aws.String("SSM.eu-west-1.amazonaws.com."), Config: &r53types.HostedZoneConfig{PrivateZone: true}},
		{Id: aws.String("/hostedzone/Z2"), Name: aws.String("example.com."), Config: &r53types.HostedZoneConfig{PrivateZone: false}},
		{Id: aws.String("/hostedzone/Z3"), Name: aws.String("corp.internal.")},
	}}}
	opts := fakeOptions(t, cloud)
	opts.Regions = []string{"us-east-1", "eu-west-1"}
	units, errs, err := Load(context.Background(), opts)
	if err != nil || len(errs) > 0 || len(units) != 2 {
		t.Fatalf("Load: %d units, %v, %v", len(units), errs, err)
	}
	for _, u := range units {
		if len(u.HostedZones) != 3 {
			t.Fatalf("%s: %d zones, want 3", u.Unit, len(u.HostedZones))
		}
		z := u.HostedZones[0]
		if z.ID != "Z1" || z.Name != "ssm.eu-west-1.amazonaws.com" || z.Private == nil || !*z.Private || z.Type != TypeHostedZone ||
			z.Source.Region != u.Context.Region || z.ARN != "arn:aws:route53:::hostedzone/Z1" || !slices.Contains(z.Unknown, "vpc_ids") {
			t.Errorf("%s: zone %+v", u.Unit, z)
		}
		if p := u.HostedZones[1].Private; p == nil || *p {
			t.Errorf("%s: public zone read as %v", u.Unit, p)
		}
		if u.HostedZones[2].Private != nil || !slices.Contains(u.HostedZones[2].Unknown, "private") {
			t.Errorf("%s: zone without config = %+v", u.Unit, u.HostedZones[2])
		}
	}
	if &units[0].HostedZones[0].Meta == &units[1].HostedZones[0].Meta {
		t.Error("units share a zone")
	}

	cloud.zonesDenied = map[string]bool{baseAccount: true}
	units, errs, err = Load(context.Background(), opts)
	if err != nil || len(units) != 2 || len(units[0].HostedZones) != 0 {
		t.Fatalf("denied: %d units, %v", len(units), err)
	}
	// Once per account, not per region.
	if len(errs) != 1 || errs[0].Level != model.LevelError || errs[0].Call != callListHostedZones || !strings.Contains(errs[0].Message, "DNS001") {
		t.Errorf("denied: errors %+v", errs)
	}
	for _, u := range units {
		if u.Inventory.Lists[listHostedZones] || !u.Inventory.Lists[listVPCs] || u.Inventory.Complete {
			t.Errorf("denied: %s lists %v, complete %v", u.Unit, u.Inventory.Lists, u.Inventory.Complete)
		}
	}
}
