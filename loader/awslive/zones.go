package awslive

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"

	"github.com/vpclint/vpclint/model"
)

// TypeHostedZone is the resource type of a live Route 53 hosted zone.
const TypeHostedZone = "route53:hostedzone"

const callListHostedZones = "route53:ListHostedZones"

// hostedZones lists an account's Route 53 hosted zones (a global service:
// once per account) with their name and whether they are private. Which
// VPCs a zone serves is not read, so vpc_ids is unknown. A denied or
// failed list leaves the units' hosted_zones list unread: DNS001, which
// needs it to see the private zones that serve centralized endpoints,
// stays undecided.
func (r *run) hostedZones(ctx context.Context, a *account) ([]*model.HostedZone, *model.LoadError) {
	p := route53.NewListHostedZonesPaginator(r.clients.Route53(a.cfg), &route53.ListHostedZonesInput{})
	var zones []*model.HostedZone
	err := eachPage(ctx, p, func(page *route53.ListHostedZonesOutput) {
		for _, z := range page.HostedZones {
			id := strings.TrimPrefix(aws.ToString(z.Id), "/hostedzone/")
			hz := &model.HostedZone{
				Meta: model.Meta{ID: id, Address: id, Type: TypeHostedZone,
					ARN:     fmt.Sprintf("arn:%s:route53:::hostedzone/%s", a.partition, id),
					Unknown: []string{"vpc_ids"},
					Source:  model.Source{Format: model.FormatAWS, Account: a.id}},
				Name: model.NormalizeZoneName(aws.ToString(z.Name)),
			}
			if z.Config != nil {
				hz.Private = model.Bool(z.Config.PrivateZone)
			} else {
				hz.Meta.Unknown = append(hz.Meta.Unknown, "private")
			}
			zones = append(zones, hz)
		}
	})
	if err != nil {
		return nil, &model.LoadError{Account: a.id, Call: callListHostedZones, Level: model.LevelError,
			Message: fmt.Sprintf("cannot list Route 53 hosted zones (%s): private zones that resolve services to centralized endpoints are not known, so DNS001 is not checked", r.errorText(ctx, err))}
	}
	return zones, nil
}

// accountZones lists the account's zones once, when its first unit needs
// them; first is true for that unit, which reports a failure.
func (r *run) accountZones(ctx context.Context, a *account) (zones []*model.HostedZone, le *model.LoadError, first bool) {
	a.zonesOnce.Do(func() {
		first = true
		a.zones, a.zonesErr = r.hostedZones(ctx, a)
	})
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.zones, a.zonesErr, first
}

// zonesForRegion copies an account's zones into one region's unit: each
// unit owns its resources (a saved snapshot writes them per unit).
func zonesForRegion(zones []*model.HostedZone, region string) []*model.HostedZone {
	out := make([]*model.HostedZone, 0, len(zones))
	for _, z := range zones {
		c := *z
		c.Meta.Unknown = append([]string(nil), z.Meta.Unknown...)
		c.Meta.Source.Region = region
		out = append(out, &c)
	}
	return out
}
