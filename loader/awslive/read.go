package awslive

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclint/vpclint/model"
)

// The lists a unit reads, by the model's collection names
// (model.Inventory.Lists).
const (
	listVPCs             = "vpcs"
	listSubnets          = "subnets"
	listSecurityGroups   = "security_groups"
	listNetworkACLs      = "network_acls"
	listRouteTables      = "route_tables"
	listVPCEndpoints     = "vpc_endpoints"
	listEndpointServices = "vpc_endpoint_services"
	listPrefixLists      = "prefix_lists"
	listFlowLogs         = "flow_logs"
	listHostedZones      = "hosted_zones"
)

// allLists are the lists every unit reads.
func allLists() []string {
	return []string{listVPCs, listSubnets, listSecurityGroups, listNetworkACLs, listRouteTables,
		listVPCEndpoints, listEndpointServices, listPrefixLists, listFlowLogs, listHostedZones}
}

// unreadLists records every list as not read yet.
func unreadLists() map[string]bool {
	lists := map[string]bool{}
	for _, l := range allLists() {
		lists[l] = false
	}
	return lists
}

// regionRead is the state of one account×region read.
type regionRead struct {
	r         *run
	ctx       context.Context
	c         EC2API
	account   string
	region    string
	partition string
	m         *model.Model
	errs      []model.LoadError
	// failed counts, per call, the calls that failed (one error each).
	failed map[string]int
}

// failedUnit is an account×region none of whose lists could be read.
func failedUnit(account, region, partition, why string) *model.Model {
	m := model.New(UnitName(account, region), model.FormatAWS)
	m.Context = model.Context{Account: account, Region: region, Partition: partition}
	m.Inventory.Lists = unreadLists()
	m.Inventory.Error = why
	return m
}

// readUnit reads one account×region: assumes the account's role and
// lists its regions and hosted zones if it is the account's first unit,
// then reads the region's lists. skip is true for a region the account
// has not enabled (with AllRegions), which is not a failure.
func (r *run) readUnit(ctx context.Context, j job) (u Unit, skip bool) {
	a := j.a
	u = Unit{Account: a.id, Region: j.region}
	defer r.release(a)
	ctx, cancel := context.WithTimeout(ctx, r.opts.UnitTimeout)
	defer cancel()
	fail := func(le *model.LoadError, first bool) Unit {
		u.Model = failedUnit(a.id, j.region, a.partition, le.Message)
		if first {
			u.Errors = append(u.Errors, *le)
			r.prog.problem(*le)
		}
		return u
	}
	if err := ctx.Err(); err != nil {
		return fail(&model.LoadError{Account: a.id, Region: j.region, Level: model.LevelError, Message: "not read: " + r.errorText(ctx, err)}, true), false
	}
	if le, first := r.credentials(ctx, a); le != nil {
		return fail(le, first), false
	}
	enabled, le, first := r.regionEnabled(ctx, a, j.region)
	if le != nil {
		return fail(le, first), false
	}
	if !enabled {
		return u, true
	}
	zones, zerr, zfirst := r.accountZones(ctx, a)
	if zerr != nil && zfirst {
		u.Errors = append(u.Errors, *zerr)
		r.prog.problem(*zerr)
	}

	cfg := a.cfg.Copy()
	cfg.Region = j.region
	rr := &regionRead{
		r: r, ctx: ctx, c: r.clients.EC2(cfg), account: a.id, region: j.region, partition: a.partition,
		m:      model.New(UnitName(a.id, j.region), model.FormatAWS),
		failed: map[string]int{},
	}
	rr.m.Context = model.Context{Account: a.id, Region: j.region, Partition: a.partition}
	lists := unreadLists()
	if err := rr.vpcs(ctx); err != nil {
		le := rr.callError(ctx, "ec2:DescribeVpcs", err)
		return fail(&le, true), false
	}
	lists[listVPCs] = true
	steps := []struct {
		call, list string
		fn         func(context.Context) error
	}{
		{"ec2:DescribeVpcAttribute", "", rr.vpcAttributes},
		{"ec2:DescribeSubnets", listSubnets, rr.subnets},
		{"ec2:DescribeSecurityGroups", listSecurityGroups, rr.securityGroups},
		{"ec2:DescribeNetworkAcls", listNetworkACLs, rr.networkACLs},
		{"ec2:DescribeRouteTables", listRouteTables, rr.routeTables},
		{"ec2:DescribeVpcEndpoints", listVPCEndpoints, rr.endpoints},
		{"ec2:DescribeVpcEndpointServiceConfigurations", listEndpointServices, rr.endpointServices},
		{"ec2:DescribeManagedPrefixLists", listPrefixLists, rr.prefixLists},
		{"ec2:DescribeFlowLogs", listFlowLogs, rr.flowLogs},
	}
	for _, s := range steps {
		if ctx.Err() != nil {
			// Out of time: this list and the ones after it stay unread.
			rr.addError(rr.callError(ctx, s.call, ctx.Err()))
			break
		}
		if err := s.fn(ctx); err != nil {
			rr.addError(rr.callError(ctx, s.call, err))
			continue
		}
		if s.list != "" {
			lists[s.list] = true
		}
	}
	for call, n := range rr.failed {
		if n > 1 {
			rr.errs = append(rr.errs, model.LoadError{Account: rr.account, Region: rr.region, Call: call, Level: model.LevelWarning,
				Message: fmt.Sprintf("%d more calls failed the same way", n-1)})
		}
	}
	rr.m.HostedZones = zonesForRegion(zones, j.region)
	lists[listHostedZones] = zerr == nil
	if !lists[listFlowLogs] {
		// A flow log this read could not see may target any VPC
		// (COORDINATION convention 1).
		for _, v := range rr.m.VPCs {
			v.Unknown = append(v.Unknown, "flow_logs")
		}
	}
	linkSubnets(rr.m)
	rr.m.SortByID()
	rr.m.Inventory.Lists = lists
	rr.m.Inventory.Complete = !slices.Contains(slices.Collect(maps.Values(lists)), false)
	u.Model, u.Errors = rr.m, append(u.Errors, rr.errs...)
	sortErrors(u.Errors)
	return u, false
}

// release counts a unit of the account as done and, after its last one,
// lets the account's hosted zones go.
func (r *run) release(a *account) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.left--; a.left == 0 {
		a.zones = nil
	}
}

func (rr *regionRead) callError(ctx context.Context, call string, err error) model.LoadError {
	return model.LoadError{Account: rr.account, Region: rr.region, Call: call, Level: model.LevelError, Message: rr.r.errorText(ctx, err)}
}

// addError records an error and shows it at once.
func (rr *regionRead) addError(le model.LoadError) {
	rr.errs = append(rr.errs, le)
	rr.r.prog.problem(le)
}

// softError records a failed call that leaves one value unknown rather
// than the inventory incomplete (a VPC attribute, a service's
// permissions); only the first of each call is reported in full.
func (rr *regionRead) softError(call string, err error) {
	rr.failed[call]++
	if rr.failed[call] == 1 {
		rr.addError(model.LoadError{Account: rr.account, Region: rr.region, Call: call, Level: model.LevelWarning, Message: rr.r.errorText(rr.ctx, err)})
	}
}

// pager is an SDK paginator whose pages are P.
type pager[P, O any] interface {
	HasMorePages() bool
	NextPage(context.Context, ...func(*O)) (P, error)
}

// eachPage reads a paginator's pages in order, handing each to use as it
// comes: what a read that fails halfway has handed out stays (its list is
// then marked incomplete).
func eachPage[P, O any](ctx context.Context, p pager[P, O], use func(P)) error {
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		use(page)
	}
	return nil
}

// readAll reads every item of a paginated list.
func readAll[P, O, T any](ctx context.Context, p pager[P, O], items func(P) []T) ([]T, error) {
	var out []T
	err := eachPage(ctx, p, func(page P) { out = append(out, items(page)...) })
	return out, err
}

// appendEach appends the model resource of each item of a paginated list
// to *dst, page by page (see eachPage).
func appendEach[P, O, T, R any](ctx context.Context, p pager[P, O], items func(P) []T, resource func(*T) R, dst *[]R) error {
	return eachPage(ctx, p, func(page P) {
		list := items(page)
		for i := range list {
			*dst = append(*dst, resource(&list[i]))
		}
	})
}

func (rr *regionRead) vpcs(ctx context.Context) error {
	p := ec2.NewDescribeVpcsPaginator(rr.c, &ec2.DescribeVpcsInput{MaxResults: aws.Int32(1000)})
	return appendEach(ctx, p, func(o *ec2.DescribeVpcsOutput) []types.Vpc { return o.Vpcs }, rr.vpc, &rr.m.VPCs)
}

// vpcAttributes reads each VPC's DNS attributes, one call per attribute;
// one that cannot be read is unknown.
func (rr *regionRead) vpcAttributes(ctx context.Context) error {
	attrs := []struct {
		name  types.VpcAttributeName
		path  string
		value func(*ec2.DescribeVpcAttributeOutput) *types.AttributeBooleanValue
		set   func(*model.VPC, *bool)
	}{
		{types.VpcAttributeNameEnableDnsSupport, "enable_dns_support",
			func(o *ec2.DescribeVpcAttributeOutput) *types.AttributeBooleanValue { return o.EnableDnsSupport },
			func(v *model.VPC, b *bool) { v.EnableDNSSupport = b }},
		{types.VpcAttributeNameEnableDnsHostnames, "enable_dns_hostnames",
			func(o *ec2.DescribeVpcAttributeOutput) *types.AttributeBooleanValue { return o.EnableDnsHostnames },
			func(v *model.VPC, b *bool) { v.EnableDNSHostnames = b }},
	}
	for _, v := range rr.m.VPCs {
		for _, a := range attrs {
			if err := ctx.Err(); err != nil {
				return err
			}
			out, err := rr.c.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(v.ID), Attribute: a.name})
			var val *types.AttributeBooleanValue
			if err != nil {
				rr.softError("ec2:DescribeVpcAttribute", err)
			} else {
				val = a.value(out)
			}
			if val == nil || val.Value == nil {
				v.Unknown = append(v.Unknown, a.path)
				continue
			}
			a.set(v, model.Bool(*val.Value))
		}
	}
	return nil
}

func (rr *regionRead) subnets(ctx context.Context) error {
	p := ec2.NewDescribeSubnetsPaginator(rr.c, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(1000)})
	return appendEach(ctx, p, func(o *ec2.DescribeSubnetsOutput) []types.Subnet { return o.Subnets }, rr.subnet, &rr.m.Subnets)
}

func (rr *regionRead) securityGroups(ctx context.Context) error {
	p := ec2.NewDescribeSecurityGroupsPaginator(rr.c, &ec2.DescribeSecurityGroupsInput{MaxResults: aws.Int32(1000)})
	groups, err := readAll(ctx, p, func(o *ec2.DescribeSecurityGroupsOutput) []types.SecurityGroup { return o.SecurityGroups })
	if err != nil {
		return err
	}
	// The rules with their ids (sgr-...) and one peer each. Without
	// them, the groups' own permission lists say the same, minus ids.
	rp := ec2.NewDescribeSecurityGroupRulesPaginator(rr.c, &ec2.DescribeSecurityGroupRulesInput{MaxResults: aws.Int32(1000)})
	rules, rulesErr := readAll(ctx, rp, func(o *ec2.DescribeSecurityGroupRulesOutput) []types.SecurityGroupRule { return o.SecurityGroupRules })
	if rulesErr != nil {
		if ctx.Err() != nil {
			return rulesErr
		}
		rr.addError(model.LoadError{Account: rr.account, Region: rr.region, Call: "ec2:DescribeSecurityGroupRules", Level: model.LevelWarning,
			Message: rr.r.errorText(ctx, rulesErr) + " (rules read from ec2:DescribeSecurityGroups instead, without their sgr- ids)"})
	}
	byGroup := map[string][]types.SecurityGroupRule{}
	for _, ru := range rules {
		g := aws.ToString(ru.GroupId)
		byGroup[g] = append(byGroup[g], ru)
	}
	for i := range groups {
		sg := rr.securityGroup(&groups[i])
		own := byGroup[sg.ID]
		if rulesErr != nil {
			own = permissionRules(&groups[i])
		}
		sg.Ingress, sg.Egress = rulesFromSGRules(sg.ID, own)
		rr.m.SecurityGroups = append(rr.m.SecurityGroups, sg)
	}
	return nil
}

func (rr *regionRead) networkACLs(ctx context.Context) error {
	p := ec2.NewDescribeNetworkAclsPaginator(rr.c, &ec2.DescribeNetworkAclsInput{MaxResults: aws.Int32(100)})
	return appendEach(ctx, p, func(o *ec2.DescribeNetworkAclsOutput) []types.NetworkAcl { return o.NetworkAcls }, rr.networkACL, &rr.m.NetworkACLs)
}

func (rr *regionRead) routeTables(ctx context.Context) error {
	p := ec2.NewDescribeRouteTablesPaginator(rr.c, &ec2.DescribeRouteTablesInput{MaxResults: aws.Int32(100)})
	return appendEach(ctx, p, func(o *ec2.DescribeRouteTablesOutput) []types.RouteTable { return o.RouteTables }, rr.routeTable, &rr.m.RouteTables)
}

func (rr *regionRead) endpoints(ctx context.Context) error {
	p := ec2.NewDescribeVpcEndpointsPaginator(rr.c, &ec2.DescribeVpcEndpointsInput{MaxResults: aws.Int32(1000)})
	return appendEach(ctx, p, func(o *ec2.DescribeVpcEndpointsOutput) []types.VpcEndpoint { return o.VpcEndpoints }, rr.endpoint, &rr.m.VPCEndpoints)
}

func (rr *regionRead) endpointServices(ctx context.Context) error {
	p := ec2.NewDescribeVpcEndpointServiceConfigurationsPaginator(rr.c, &ec2.DescribeVpcEndpointServiceConfigurationsInput{MaxResults: aws.Int32(1000)})
	confs, err := readAll(ctx, p, func(o *ec2.DescribeVpcEndpointServiceConfigurationsOutput) []types.ServiceConfiguration {
		return o.ServiceConfigurations
	})
	if err != nil {
		return err
	}
	for i := range confs {
		svc := rr.endpointService(&confs[i])
		pp := ec2.NewDescribeVpcEndpointServicePermissionsPaginator(rr.c, &ec2.DescribeVpcEndpointServicePermissionsInput{ServiceId: aws.String(svc.ID), MaxResults: aws.Int32(1000)})
		principals, err := readAll(ctx, pp, func(o *ec2.DescribeVpcEndpointServicePermissionsOutput) []types.AllowedPrincipal {
			return o.AllowedPrincipals
		})
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			rr.softError("ec2:DescribeVpcEndpointServicePermissions", err)
			svc.Unknown = append(svc.Unknown, "allowed_principals")
		} else {
			svc.AllowedPrincipals = idsOf(principals, func(ap types.AllowedPrincipal) *string { return ap.Principal })
		}
		rr.m.EndpointServices = append(rr.m.EndpointServices, svc)
	}
	return nil
}

func (rr *regionRead) prefixLists(ctx context.Context) error {
	p := ec2.NewDescribeManagedPrefixListsPaginator(rr.c, &ec2.DescribeManagedPrefixListsInput{MaxResults: aws.Int32(100)})
	lists, err := readAll(ctx, p, func(o *ec2.DescribeManagedPrefixListsOutput) []types.ManagedPrefixList { return o.PrefixLists })
	if err != nil {
		return err
	}
	for i := range lists {
		pl := rr.prefixList(&lists[i])
		if !pl.AWSManaged {
			ep := ec2.NewGetManagedPrefixListEntriesPaginator(rr.c, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String(pl.ID), MaxResults: aws.Int32(100)})
			entries, err := readAll(ctx, ep, func(o *ec2.GetManagedPrefixListEntriesOutput) []types.PrefixListEntry { return o.Entries })
			if err != nil {
				if ctx.Err() != nil {
					return err
				}
				rr.softError("ec2:GetManagedPrefixListEntries", err)
				pl.Unknown = append(pl.Unknown, "cidrs")
			} else {
				pl.CIDRs = idsOf(entries, func(e types.PrefixListEntry) *string { return aws.String(canonical(aws.ToString(e.Cidr))) })
			}
		}
		rr.m.PrefixLists = append(rr.m.PrefixLists, pl)
	}
	return nil
}

func (rr *regionRead) flowLogs(ctx context.Context) error {
	p := ec2.NewDescribeFlowLogsPaginator(rr.c, &ec2.DescribeFlowLogsInput{MaxResults: aws.Int32(1000)})
	return appendEach(ctx, p, func(o *ec2.DescribeFlowLogsOutput) []types.FlowLog { return o.FlowLogs }, rr.flowLog, &rr.m.FlowLogs)
}
