package awslive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclint/vpclint/model"
)

// regionRead is the state of one account×region read.
type regionRead struct {
	c         EC2API
	account   string
	region    string
	partition string
	m         *model.Model
	errs      []model.LoadError
	// failed counts, per call, the calls that failed (one error each).
	failed map[string]int
	// complete is false once a call that lists resources failed.
	complete bool
}

// readRegion reads one account×region. It returns nil when the region
// could not be read at all (its first call failed).
func (r *run) readRegion(ctx context.Context, j job) (*model.Model, []model.LoadError) {
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	cfg := j.t.cfg.Copy()
	cfg.Region = j.region
	rr := &regionRead{
		c: r.clients.EC2(cfg), account: j.t.account, region: j.region, partition: j.t.partition,
		m:      model.New("aws:"+j.t.account+"/"+j.region, model.FormatAWS),
		failed: map[string]int{}, complete: true,
	}
	rr.m.Context = model.Context{Account: j.t.account, Region: j.region, Partition: j.t.partition}

	vpcs, err := rr.describeVpcs(ctx)
	if err != nil {
		return nil, []model.LoadError{rr.callError("ec2:DescribeVpcs", err, r.opts.Timeout)}
	}
	steps := []struct {
		call string
		fn   func(context.Context) error
	}{
		{"ec2:DescribeVpcAttribute", func(ctx context.Context) error { return rr.vpcAttributes(ctx, vpcs) }},
		{"ec2:DescribeSubnets", rr.subnets},
		{"ec2:DescribeSecurityGroups", rr.securityGroups},
		{"ec2:DescribeNetworkAcls", rr.networkACLs},
		{"ec2:DescribeRouteTables", rr.routeTables},
		{"ec2:DescribeVpcEndpoints", rr.endpoints},
		{"ec2:DescribeVpcEndpointServiceConfigurations", rr.endpointServices},
		{"ec2:DescribeManagedPrefixLists", rr.prefixLists},
		{"ec2:DescribeFlowLogs", rr.flowLogs},
	}
	for _, s := range steps {
		if ctx.Err() != nil {
			rr.errs = append(rr.errs, rr.callError(s.call, ctx.Err(), r.opts.Timeout))
			rr.complete = false
			break
		}
		if err := s.fn(ctx); err != nil {
			rr.errs = append(rr.errs, rr.callError(s.call, err, r.opts.Timeout))
			rr.complete = false
		}
	}
	for call, n := range rr.failed {
		if n > 1 {
			rr.errs = append(rr.errs, model.LoadError{Account: rr.account, Region: rr.region, Call: call, Level: model.LevelWarning,
				Message: fmt.Sprintf("%d more calls failed the same way", n-1)})
		}
	}
	linkSubnets(rr.m)
	sortModel(rr.m)
	rr.m.Inventory.Complete = rr.complete
	return rr.m, rr.errs
}

func (rr *regionRead) callError(call string, err error, timeout time.Duration) model.LoadError {
	msg := errorText(err)
	if errors.Is(err, context.DeadlineExceeded) {
		msg = fmt.Sprintf("timed out (the read of one account and region is limited to %s; see --timeout)", timeout)
	}
	return model.LoadError{Account: rr.account, Region: rr.region, Call: call, Level: model.LevelError, Message: msg}
}

// softError records a failed call that leaves one value unknown rather
// than the inventory incomplete (a VPC attribute, a service's
// permissions); only the first of each call is reported in full.
func (rr *regionRead) softError(call string, err error) {
	rr.failed[call]++
	if rr.failed[call] == 1 {
		rr.errs = append(rr.errs, model.LoadError{Account: rr.account, Region: rr.region, Call: call, Level: model.LevelWarning, Message: errorText(err)})
	}
}

func (rr *regionRead) describeVpcs(ctx context.Context) ([]types.Vpc, error) {
	p := ec2.NewDescribeVpcsPaginator(rr.c, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(1000)})
	var out []types.Vpc
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Vpcs...)
	}
	for i := range out {
		rr.m.VPCs = append(rr.m.VPCs, rr.vpc(&out[i]))
	}
	return out, nil
}

func (rr *regionRead) vpcAttributes(ctx context.Context, vpcs []types.Vpc) error {
	byID := map[string]*model.VPC{}
	for _, v := range rr.m.VPCs {
		byID[v.ID] = v
	}
	for _, v := range vpcs {
		mv := byID[aws.ToString(v.VpcId)]
		if mv == nil {
			continue
		}
		for _, attr := range []types.VpcAttributeName{types.VpcAttributeNameEnableDnsSupport, types.VpcAttributeNameEnableDnsHostnames} {
			if err := ctx.Err(); err != nil {
				return err
			}
			out, err := rr.c.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: v.VpcId, Attribute: attr})
			var val *types.AttributeBooleanValue
			if err == nil {
				if attr == types.VpcAttributeNameEnableDnsSupport {
					val = out.EnableDnsSupport
				} else {
					val = out.EnableDnsHostnames
				}
			} else {
				rr.softError("ec2:DescribeVpcAttribute", err)
			}
			path := "enable_dns_support"
			if attr == types.VpcAttributeNameEnableDnsHostnames {
				path = "enable_dns_hostnames"
			}
			if val == nil || val.Value == nil {
				mv.Unknown = append(mv.Unknown, path)
				continue
			}
			if path == "enable_dns_support" {
				mv.EnableDNSSupport = model.Bool(*val.Value)
			} else {
				mv.EnableDNSHostnames = model.Bool(*val.Value)
			}
		}
	}
	return nil
}

func (rr *regionRead) subnets(ctx context.Context) error {
	p := ec2.NewDescribeSubnetsPaginator(rr.c, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for i := range page.Subnets {
			rr.m.Subnets = append(rr.m.Subnets, rr.subnet(&page.Subnets[i]))
		}
	}
	return nil
}

func (rr *regionRead) securityGroups(ctx context.Context) error {
	p := ec2.NewDescribeSecurityGroupsPaginator(rr.c, &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(1000)})
	var groups []types.SecurityGroup
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		groups = append(groups, page.SecurityGroups...)
	}
	// The rules with their ids (sgr-...) and one peer each. Without
	// them, the groups' own permission lists say the same, minus ids.
	var rules []types.SecurityGroupRule
	rp := ec2.NewDescribeSecurityGroupRulesPaginator(rr.c, &ec2.DescribeSecurityGroupRulesInput{MaxResults: aws.Int32(1000)})
	var rulesErr error
	for rp.HasMorePages() {
		page, err := rp.NextPage(ctx)
		if err != nil {
			rulesErr = err
			break
		}
		rules = append(rules, page.SecurityGroupRules...)
	}
	if rulesErr != nil {
		if ctx.Err() != nil {
			return rulesErr
		}
		rr.errs = append(rr.errs, model.LoadError{Account: rr.account, Region: rr.region, Call: "ec2:DescribeSecurityGroupRules", Level: model.LevelWarning,
			Message: errorText(rulesErr) + " (rules read from ec2:DescribeSecurityGroups instead, without their sgr- ids)"})
		rules = nil
	}
	byGroup := map[string][]types.SecurityGroupRule{}
	for _, ru := range rules {
		g := aws.ToString(ru.GroupId)
		byGroup[g] = append(byGroup[g], ru)
	}
	for i := range groups {
		g := &groups[i]
		sg := rr.securityGroup(g)
		if rulesErr == nil {
			sg.Ingress, sg.Egress = rulesFromSGRules(sg.ID, byGroup[sg.ID])
		} else {
			sg.Ingress = rulesFromPermissions(sg.ID, g.IpPermissions)
			sg.Egress = rulesFromPermissions(sg.ID, g.IpPermissionsEgress)
		}
		rr.m.SecurityGroups = append(rr.m.SecurityGroups, sg)
	}
	return nil
}

func (rr *regionRead) networkACLs(ctx context.Context) error {
	p := ec2.NewDescribeNetworkAclsPaginator(rr.c, &ec2.DescribeNetworkAclsInput{MaxResults: aws.Int32(100)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for i := range page.NetworkAcls {
			rr.m.NetworkACLs = append(rr.m.NetworkACLs, rr.networkACL(&page.NetworkAcls[i]))
		}
	}
	return nil
}

func (rr *regionRead) routeTables(ctx context.Context) error {
	p := ec2.NewDescribeRouteTablesPaginator(rr.c, &ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(100)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for i := range page.RouteTables {
			rr.m.RouteTables = append(rr.m.RouteTables, rr.routeTable(&page.RouteTables[i]))
		}
	}
	return nil
}

func (rr *regionRead) endpoints(ctx context.Context) error {
	p := ec2.NewDescribeVpcEndpointsPaginator(rr.c, &ec2.DescribeVpcEndpointsInput{MaxResults: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for i := range page.VpcEndpoints {
			rr.m.VPCEndpoints = append(rr.m.VPCEndpoints, rr.endpoint(&page.VpcEndpoints[i]))
		}
	}
	return nil
}

func (rr *regionRead) endpointServices(ctx context.Context) error {
	p := ec2.NewDescribeVpcEndpointServiceConfigurationsPaginator(rr.c, &ec2.DescribeVpcEndpointServiceConfigurationsInput{MaxResults: aws.Int32(1000)})
	var confs []types.ServiceConfiguration
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		confs = append(confs, page.ServiceConfigurations...)
	}
	for i := range confs {
		svc := rr.endpointService(&confs[i])
		principals, err := rr.servicePermissions(ctx, svc.ID)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			rr.softError("ec2:DescribeVpcEndpointServicePermissions", err)
			svc.Unknown = append(svc.Unknown, "allowed_principals")
		} else {
			svc.AllowedPrincipals = principals
		}
		rr.m.EndpointServices = append(rr.m.EndpointServices, svc)
	}
	return nil
}

func (rr *regionRead) servicePermissions(ctx context.Context, id string) ([]string, error) {
	p := ec2.NewDescribeVpcEndpointServicePermissionsPaginator(rr.c, &ec2.DescribeVpcEndpointServicePermissionsInput{ServiceId: aws.String(id), MaxResults: aws.Int32(1000)})
	out := []string{}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, ap := range page.AllowedPrincipals {
			if s := aws.ToString(ap.Principal); s != "" {
				out = append(out, s)
			}
		}
	}
	return sortedUnique(out), nil
}

func (rr *regionRead) prefixLists(ctx context.Context) error {
	p := ec2.NewDescribeManagedPrefixListsPaginator(rr.c, &ec2.DescribeManagedPrefixListsInput{MaxResults: aws.Int32(100)})
	var lists []types.ManagedPrefixList
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		lists = append(lists, page.PrefixLists...)
	}
	for i := range lists {
		pl := rr.prefixList(&lists[i])
		if !pl.AWSManaged {
			cidrs, err := rr.prefixListEntries(ctx, pl.ID)
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				rr.softError("ec2:GetManagedPrefixListEntries", err)
				pl.Unknown = append(pl.Unknown, "cidrs")
			} else {
				pl.CIDRs = cidrs
			}
		}
		rr.m.PrefixLists = append(rr.m.PrefixLists, pl)
	}
	return nil
}

func (rr *regionRead) prefixListEntries(ctx context.Context, id string) ([]string, error) {
	p := ec2.NewGetManagedPrefixListEntriesPaginator(rr.c, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String(id), MaxResults: aws.Int32(100)})
	out := []string{}
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, e := range page.Entries {
			if c := canonical(aws.ToString(e.Cidr)); c != "" {
				out = append(out, c)
			}
		}
	}
	return sortedUnique(out), nil
}

func (rr *regionRead) flowLogs(ctx context.Context) error {
	p := ec2.NewDescribeFlowLogsPaginator(rr.c, &ec2.DescribeFlowLogsInput{MaxResults: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for i := range page.FlowLogs {
			rr.m.FlowLogs = append(rr.m.FlowLogs, rr.flowLog(&page.FlowLogs[i]))
		}
	}
	return nil
}
