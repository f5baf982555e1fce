package awslive

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/vpclint/vpclint/loader/awslive/mototest"
	"github.com/vpclint/vpclint/scan"
)

// streamAll runs Stream and collects its units in the order emitted.
func streamAll(t *testing.T, opts Options) ([]Unit, *Plan, error) {
	t.Helper()
	var units []Unit
	plan, err := Stream(context.Background(), opts, func(u Unit) error {
		units = append(units, u)
		return nil
	})
	return units, plan, err
}

// TestListsRead: each list whose call fails is recorded as not read, the
// others as read, and the unit is complete only when all were read.
func TestListsRead(t *testing.T) {
	denied := apiErr("UnauthorizedOperation", "You are not authorized to perform this operation.")
	for _, c := range []struct {
		op, list string
	}{
		{"", ""},
		{"DescribeSubnets", listSubnets},
		{"DescribeSecurityGroups", listSecurityGroups},
		{"DescribeNetworkAcls", listNetworkACLs},
		{"DescribeRouteTables", listRouteTables},
		{"DescribeVpcEndpoints", listVPCEndpoints},
		{"DescribeVpcEndpointServiceConfigurations", listEndpointServices},
		{"DescribeManagedPrefixLists", listPrefixLists},
		{"DescribeFlowLogs", listFlowLogs},
		{"ListHostedZones", listHostedZones},
		// Calls that leave a value unknown, not a list unread.
		{"DescribeVpcAttribute", ""},
		{"DescribeSecurityGroupRules", ""},
		{"DescribeVpcEndpointServicePermissions", ""},
		{"GetManagedPrefixListEntries", ""},
	} {
		t.Run(c.op, func(t *testing.T) {
			cloud := &fakeCloud{}
			f := bigRegion()
			cloud.ec2 = map[string]*fakeEC2{baseAccount + "/us-east-1": f}
			if c.op == "ListHostedZones" {
				cloud.zonesDenied = map[string]bool{baseAccount: true}
			} else if c.op != "" {
				f.fail = map[string]error{c.op: denied}
			}
			units, _, err := streamAll(t, fakeOptions(t, cloud))
			if err != nil || len(units) != 1 {
				t.Fatalf("Stream: %v, %d units", err, len(units))
			}
			inv := units[0].Model.Inventory
			if len(inv.Lists) != len(allLists()) {
				t.Errorf("lists %v: want all of %v", inv.Lists, allLists())
			}
			for _, l := range allLists() {
				if got, want := inv.Lists[l], l != c.list; got != want {
					t.Errorf("lists[%s] = %v, want %v", l, got, want)
				}
			}
			if inv.Complete != (c.list == "") || inv.Error != "" {
				t.Errorf("complete %v, error %q", inv.Complete, inv.Error)
			}
			for _, v := range units[0].Model.VPCs {
				if slices.Contains(v.Unknown, "flow_logs") != (c.list == listFlowLogs) {
					t.Errorf("%s unknown %v", v.ID, v.Unknown)
				}
			}
		})
	}
}

// TestUnreadFlowLogsLeaveGOV001Undecided runs the rules on live units:
// with ec2:DescribeFlowLogs denied, no VPC is reported as having no flow
// log; with the list read and empty, every VPC is.
func TestUnreadFlowLogsLeaveGOV001Undecided(t *testing.T) {
	for _, denied := range []bool{false, true} {
		cloud := &fakeCloud{}
		f := bigRegion()
		f.flowLogs = nil
		if denied {
			f.fail = map[string]error{"DescribeFlowLogs": apiErr("UnauthorizedOperation", "You are not authorized to perform this operation.")}
		}
		cloud.ec2 = map[string]*fakeEC2{baseAccount + "/us-east-1": f}
		units, _, err := Load(context.Background(), fakeOptions(t, cloud))
		if err != nil {
			t.Fatal(err)
		}
		res, err := scan.Run(context.Background(), scan.Options{Units: units})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, fd := range res.Findings {
			if fd.RuleID == "GOV001" {
				n++
			}
		}
		if want := map[bool]int{false: len(f.vpcs), true: 0}[denied]; n != want {
			t.Errorf("flow logs denied %v: %d GOV001 findings, want %d", denied, n, want)
		}
	}
}

// TestFailedUnits: an account whose role cannot be assumed and a region
// that cannot be read are handed over as failed units, with the error
// reported once per account.
func TestFailedUnits(t *testing.T) {
	cloud := &fakeCloud{denied: map[string]bool{"333333333333": true}}
	cloud.region("222222222222", "eu-west-1").fail = map[string]error{"DescribeVpcs": apiErr("OptInRequired", "You are not subscribed to this service.")}
	opts := fakeOptions(t, cloud)
	opts.Accounts = []string{"222222222222", "333333333333"}
	opts.RoleName = "audit"
	opts.Regions = []string{"us-east-1", "eu-west-1"}
	units, plan, err := streamAll(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var assumeErrs int
	for _, u := range units {
		state := "read"
		if u.Failed() {
			state = "failed"
			if u.Model.Inventory.Complete || len(u.Model.Resources()) != 0 || u.Model.Unit != u.Name() || u.Model.Context.Account != u.Account {
				t.Errorf("%s: failed unit %+v", u.Name(), u.Model)
			}
			for l, ok := range u.Model.Inventory.Lists {
				if ok {
					t.Errorf("%s: failed unit with %s read", u.Name(), l)
				}
			}
		}
		for _, e := range u.Errors {
			if e.Call == callAssumeRole {
				assumeErrs++
			}
		}
		got = append(got, u.Name()+" "+state)
	}
	want := []string{"aws:222222222222/eu-west-1 failed", "aws:222222222222/us-east-1 read", "aws:333333333333/eu-west-1 failed", "aws:333333333333/us-east-1 failed"}
	if !slices.Equal(got, want) {
		t.Errorf("units %v, want %v", got, want)
	}
	if assumeErrs != 1 || !strings.Contains(units[2].Model.Inventory.Error, "AccessDenied") || !strings.HasPrefix(units[0].Model.Inventory.Error, "OptInRequired") {
		t.Errorf("%d AssumeRole errors; errors %q, %q", assumeErrs, units[2].Model.Inventory.Error, units[0].Model.Inventory.Error)
	}
	if n := strings.Count(strings.Join(cloud.eventLog(), "\n"), "AssumeRole 333333333333"); n != 1 {
		t.Errorf("the denied role was tried %d times, want once", n)
	}
	if plan.Units != 4 || plan.Total != 4 || !slices.Equal(plan.Accounts, []string{"222222222222", "333333333333"}) {
		t.Errorf("plan %+v", plan)
	}
}

// TestRolesAssumedLazily: an account's role is assumed when its first
// unit is read, not all up front, and not at all for accounts another
// shard reads.
func TestRolesAssumedLazily(t *testing.T) {
	cloud := &fakeCloud{orgAccounts: []orgtypes.Account{
		{Id: aws.String("444444444444"), State: orgtypes.AccountStateActive},
		{Id: aws.String("555555555555"), State: orgtypes.AccountStateActive},
		{Id: aws.String("666666666666"), State: orgtypes.AccountStateActive},
	}}
	opts := fakeOptions(t, cloud)
	opts.Org, opts.RoleName, opts.Concurrency = true, "audit", 1
	if _, _, err := streamAll(t, opts); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, e := range cloud.eventLog() {
		if strings.HasPrefix(e, "AssumeRole ") || strings.HasPrefix(e, "DescribeVpcs ") {
			order = append(order, e)
		}
	}
	want := []string{"AssumeRole 444444444444", "DescribeVpcs 444444444444/us-east-1", "AssumeRole 555555555555", "DescribeVpcs 555555555555/us-east-1",
		"AssumeRole 666666666666", "DescribeVpcs 666666666666/us-east-1"}
	if !slices.Equal(order, want) {
		t.Errorf("calls %v, want %v", order, want)
	}

	cloud.events = nil
	opts.Shard = Shard{Index: 1, Count: 3}
	units, _, err := streamAll(t, opts)
	if err != nil || len(units) != 1 {
		t.Fatalf("shard: %v, %d units", err, len(units))
	}
	for _, e := range cloud.eventLog() {
		if strings.HasPrefix(e, "AssumeRole ") && e != "AssumeRole "+units[0].Account {
			t.Errorf("shard 1/3 of %s assumed %s", units[0].Account, e)
		}
	}
}

// TestCredentialsRefreshed: credentials about to expire are assumed again
// rather than used, so a long audit keeps valid credentials.
func TestCredentialsRefreshed(t *testing.T) {
	for _, c := range []struct {
		ttl  time.Duration
		many bool
	}{{time.Hour, false}, {time.Minute, true}} {
		cloud := &fakeCloud{credsTTL: c.ttl}
		opts := fakeOptions(t, cloud)
		opts.Accounts, opts.RoleName = []string{"222222222222"}, "audit"
		opts.Regions = []string{"us-east-1", "eu-west-1", "ap-south-1"}
		if _, _, err := streamAll(t, opts); err != nil {
			t.Fatal(err)
		}
		n := strings.Count(strings.Join(cloud.eventLog(), "\n"), "AssumeRole ")
		if (n > 1) != c.many {
			t.Errorf("credentials lasting %s: assumed %d times", c.ttl, n)
		}
	}
}

// TestStreamOrderAndWindow: units are emitted in plan order however the
// reads finish, and a consumer that blocks stops the reads after twice
// the concurrency.
func TestStreamOrderAndWindow(t *testing.T) {
	cloud := &fakeCloud{}
	regions := []string{"r-a", "r-b", "r-c", "r-d", "r-e", "r-f", "r-g", "r-h", "r-i", "r-j", "r-k", "r-l", "r-m", "r-n", "r-o", "r-p"}
	for i, r := range regions {
		// The first regions are the slowest.
		cloud.region(baseAccount, r).delay = time.Duration(len(regions)-i) * time.Millisecond
	}
	opts := fakeOptions(t, cloud)
	opts.Regions, opts.Concurrency = regions, 3
	units, _, err := streamAll(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range units {
		got = append(got, u.Region)
	}
	if !slices.Equal(got, regions) {
		t.Errorf("emitted %v, want %v", got, regions)
	}

	for _, r := range regions {
		cloud.region(baseAccount, r).delay = 0
	}
	release := make(chan struct{})
	started := func() int {
		n := 0
		for _, r := range regions {
			n += cloud.region(baseAccount, r).count("DescribeVpcs")
		}
		return n
	}
	before := started()
	errc := make(chan error, 1)
	go func() {
		_, err := Stream(context.Background(), opts, func(u Unit) error {
			<-release
			return nil
		})
		errc <- err
	}()
	// A reader without a window would read all 16 while the first emit
	// blocks; give it the time to.
	time.Sleep(300 * time.Millisecond)
	if n := started() - before; n > 2*opts.Concurrency {
		t.Errorf("%d units read while the consumer was blocked, want at most %d", n, 2*opts.Concurrency)
	}
	close(release)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// TestEmitErrorStops: when the consumer fails, Stream stops and says why.
func TestEmitErrorStops(t *testing.T) {
	cloud := &fakeCloud{}
	opts := fakeOptions(t, cloud)
	opts.Regions, opts.Concurrency = []string{"a-1", "a-2", "a-3", "a-4", "a-5", "a-6"}, 1
	n := 0
	_, err := Stream(context.Background(), opts, func(u Unit) error {
		n++
		return fmt.Errorf("disk full")
	})
	if err == nil || err.Error() != "disk full" || n != 1 {
		t.Errorf("Stream = %v after %d units", err, n)
	}
	read := 0
	for _, r := range opts.Regions {
		read += cloud.region(baseAccount, r).count("DescribeVpcs")
	}
	if read > 3 {
		t.Errorf("%d regions read after the consumer failed on the first", read)
	}
}

// TestProgressLines: in a log, each account×region started and finished
// is a line, and a failed call is a line as it happens, before the
// unit's own. The next unit may start reading while the previous one is
// handed on, so the order is checked within each unit.
func TestProgressLines(t *testing.T) {
	cloud := &fakeCloud{}
	cloud.region(baseAccount, "eu-west-1").fail = map[string]error{"DescribeFlowLogs": apiErr("UnauthorizedOperation", "not \x1b[2Jauthorized")}
	var out bytes.Buffer
	opts := fakeOptions(t, cloud)
	opts.Regions, opts.Concurrency = []string{"eu-west-1", "us-east-1"}, 1
	opts.Progress, opts.ProgressLines = &out, true
	if _, _, err := streamAll(t, opts); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 || lines[0] != "vpclint: aws: 2 account×region(s) to read" {
		t.Fatalf("progress:\n%s", out.String())
	}
	eu := "vpclint: aws " + baseAccount + "/eu-west-1: "
	us := "vpclint: aws " + baseAccount + "/us-east-1: "
	// Each unit's lines, in order; "*" stands for the duration and the
	// ordinal, which depend on which unit finishes first.
	units := [][]string{
		{eu + "reading (1 of 2 started)", eu + "error: ec2:DescribeFlowLogs: UnauthorizedOperation: not \\x1b[2Jauthorized", eu + "read 0 resources in *; lists not read: flow_logs (* of 2 done)"},
		{us + "reading (2 of 2 started)", us + "read 0 resources in * (* of 2 done)"},
	}
	for _, want := range units {
		next := 0
		for _, l := range lines[1:] {
			if next < len(want) && matchStars(l, want[next]) {
				next++
			}
		}
		if next != len(want) {
			t.Errorf("progress lacks, in order, %q:\n%s", want[next], out.String())
		}
	}
}

// matchStars reports whether s matches pattern, where each "*" in pattern
// stands for any text.
func matchStars(s, pattern string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return s == pattern
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// realEC2 is the fake cloud, except that EC2 is the SDK's client.
type realEC2 struct{ *fakeCloud }

func (r realEC2) EC2(cfg aws.Config) EC2API { return ec2.NewFromConfig(cfg) }

// TestHangingEndpoint: an endpoint that accepts connections and never
// answers cannot hang the audit: the audit's time limit bounds the STS
// look-up, the HTTP client's timeouts bound each attempt however long
// the audit may run, and the unit's limit bounds a region's read.
func TestHangingEndpoint(t *testing.T) {
	url := mototest.HangingServer(t)
	long := 10 * time.Minute
	for _, c := range []struct {
		name    string
		clients Clients
		opts    func(*Options)
		// want is in the Stream error, or in the unit's error.
		want string
		unit bool
	}{
		{"audit timeout on sts", nil, func(o *Options) {
			o.Timeout = 500 * time.Millisecond
		}, "sts:GetCallerIdentity: cannot tell which account the credentials belong to: timed out: the audit's time limit of 500ms ran out", false},
		{"http timeouts on sts", nil, func(o *Options) {
			o.Timeout, o.UnitTimeout = long, long
			o.HTTP = HTTPTimeouts{ResponseHeader: 100 * time.Millisecond, Attempt: 200 * time.Millisecond}
		}, "timed out: the endpoint did not answer in time", false},
		{"unit timeout on ec2", realEC2{&fakeCloud{}}, func(o *Options) {
			o.Timeout, o.UnitTimeout = long, 300*time.Millisecond
			o.HTTP = HTTPTimeouts{ResponseHeader: long, Attempt: long, Read: long}
		}, "timed out: the read of one account and region is limited to 300ms", true},
		{"audit timeout on ec2", realEC2{&fakeCloud{}}, func(o *Options) {
			o.Timeout, o.UnitTimeout = 300*time.Millisecond, long
			o.HTTP = HTTPTimeouts{ResponseHeader: long, Attempt: long, Read: long}
		}, "timed out: the audit's time limit of 300ms ran out", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			fakeEnv(t)
			opts := Options{Regions: []string{"us-east-1"}, EndpointURL: url, Clients: c.clients, Retry: RetryOptions{MaxAttempts: 2, MaxBackoff: time.Millisecond}}
			c.opts(&opts)
			type result struct {
				units []Unit
				err   error
			}
			done := make(chan result, 1)
			go func() {
				units, _, err := streamAll(t, opts)
				done <- result{units, err}
			}()
			var res result
			select {
			case res = <-done:
			case <-time.After(time.Minute): // a hang, not a slow run
				t.Fatal("the audit hangs on an endpoint that never answers")
			}
			if !c.unit {
				if res.err == nil || !strings.Contains(res.err.Error(), c.want) {
					t.Errorf("Stream error %v, want %q", res.err, c.want)
				}
				return
			}
			if res.err != nil || len(res.units) != 1 || !res.units[0].Failed() || !strings.Contains(res.units[0].Model.Inventory.Error, c.want) {
				t.Fatalf("Stream = %v, %+v; want a failed unit: %q", res.err, res.units, c.want)
			}
			if e := res.units[0].Errors; len(e) != 1 || e[0].Call != "ec2:DescribeVpcs" {
				t.Errorf("errors %+v", e)
			}
		})
	}
}

// TestShardSelection: shards partition the selection, are balanced, and
// do not depend on the order the accounts were listed in.
func TestShardSelection(t *testing.T) {
	var all []pair
	for a := range 7 {
		for _, r := range []string{"eu-west-1", "us-east-1", "ap-south-1"} {
			all = append(all, pair{fmt.Sprintf("%012d", 100+a), r})
		}
	}
	reversed := slices.Clone(all)
	slices.Reverse(reversed)
	for n := 1; n <= 5; n++ {
		seen := map[pair]int{}
		sizes := []int{}
		for i := range n {
			s := shardOf(all, Shard{Index: i, Count: n})
			if !slices.Equal(s, shardOf(reversed, Shard{Index: i, Count: n})) {
				t.Errorf("shard %d/%d depends on the input order", i, n)
			}
			for _, p := range s {
				seen[p]++
			}
			sizes = append(sizes, len(s))
		}
		if len(seen) != len(all) {
			t.Errorf("%d shards cover %d of %d", n, len(seen), len(all))
		}
		for p, k := range seen {
			if k != 1 {
				t.Errorf("%d shards: %s in %d shards", n, p.name(), k)
			}
		}
		if slices.Max(sizes)-slices.Min(sizes) > 1 {
			t.Errorf("%d shards: sizes %v", n, sizes)
		}
	}
	// Pinned: the assignment and the selection's digest are the same on
	// every machine and in every release, so that shards of one audit run
	// by different vpclint builds still split it the same way.
	want := []pair{{"000000000101", "ap-south-1"}, {"000000000101", "us-east-1"}, {"000000000102", "us-east-1"}, {"000000000103", "us-east-1"}, {"000000000105", "us-east-1"}}
	if got := shardOf(all, Shard{Index: 0, Count: 5}); !slices.Equal(got, want) {
		t.Errorf("shard 0/5 = %v, want %v", got, want)
	}
	if d := selectionDigest(all); d != "sha256:568fbf74dafcacb0" || selectionDigest(reversed) != d {
		t.Errorf("selection digest %s", d)
	}
	for _, c := range []struct {
		in   string
		want Shard
		err  bool
	}{
		{"0/4", Shard{0, 4}, false}, {" 3 / 4 ", Shard{3, 4}, false}, {"4/4", Shard{}, true}, {"-1/4", Shard{}, true},
		{"1/0", Shard{}, true}, {"1", Shard{}, true}, {"a/b", Shard{}, true},
	} {
		got, err := ParseShard(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("ParseShard(%q) = %v, %v", c.in, got, err)
		}
	}
}

// TestExcludeAccounts: excluded accounts are neither assumed nor read.
func TestExcludeAccounts(t *testing.T) {
	cloud := &fakeCloud{orgAccounts: []orgtypes.Account{
		{Id: aws.String("444444444444"), State: orgtypes.AccountStateActive},
		{Id: aws.String("555555555555"), State: orgtypes.AccountStateActive},
	}}
	opts := fakeOptions(t, cloud)
	opts.Org, opts.RoleName = true, "audit"
	opts.ExcludeAccounts = []string{"555555555555,999999999999"}
	units, plan, err := streamAll(t, opts)
	if err != nil || len(units) != 1 || units[0].Account != "444444444444" || plan.Total != 1 {
		t.Fatalf("Stream: %v, %d units, plan %+v", err, len(units), plan)
	}
	if slices.Contains(cloud.eventLog(), "AssumeRole 555555555555") {
		t.Error("an excluded account was assumed")
	}
	opts = fakeOptions(t, cloud)
	opts.ExcludeAccounts = []string{"555555555555"}
	if _, _, err := streamAll(t, opts); err == nil || !strings.Contains(err.Error(), "--exclude-accounts needs") {
		t.Errorf("--exclude-accounts alone: %v", err)
	}
}
