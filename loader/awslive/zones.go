package awslive

import (
	"context"
	"fmt"
	"strings"
	"sync"

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
// failed list is a warning: DNS001 then cannot see the private zones that
// serve centralized endpoints.
func (r *run) hostedZones(ctx context.Context, t *target) ([]*model.HostedZone, *model.LoadError) {
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	c := r.clients.Route53(t.cfg)
	var zones []*model.HostedZone
	in := &route53.ListHostedZonesInput{}
	for {
		out, err := c.ListHostedZones(ctx, in)
		if err != nil {
			return nil, &model.LoadError{Account: t.account, Call: callListHostedZones, Level: model.LevelWarning,
				Message: fmt.Sprintf("cannot list Route 53 hosted zones (%s): private zones that resolve services to centralized endpoints are not known, so DNS001 may report those endpoints", errorText(err))}
		}
		for _, z := range out.HostedZones {
			id := strings.TrimPrefix(aws.ToString(z.Id), "/hostedzone/")
			hz := &model.HostedZone{
				Meta: model.Meta{ID: id, Address: id, Type: TypeHostedZone,
					ARN:     fmt.Sprintf("arn:%s:route53:::hostedzone/%s", t.partition, id),
					Unknown: []string{"vpc_ids"},
					Source:  model.Source{Format: model.FormatAWS, Account: t.account}},
				Name: model.NormalizeZoneName(aws.ToString(z.Name)),
			}
			if z.Config != nil {
				hz.Private = model.Bool(z.Config.PrivateZone)
			} else {
				hz.Meta.Unknown = append(hz.Meta.Unknown, "private")
			}
			zones = append(zones, hz)
		}
		if !out.IsTruncated || out.NextMarker == nil {
			return zones, nil
		}
		in.Marker = out.NextMarker
	}
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

// allHostedZones lists the zones of every account with regions to read,
// at most cap(sem) at once.
func (r *run) allHostedZones(ctx context.Context, targets []*target, sem chan struct{}, errs *errList) map[*target][]*model.HostedZone {
	out := make(map[*target][]*model.HostedZone, len(targets))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, t := range targets {
		if len(t.regions) == 0 || ctx.Err() != nil {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			zones, le := r.hostedZones(ctx, t)
			if le != nil {
				errs.add(*le)
			}
			mu.Lock()
			out[t] = zones
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}
