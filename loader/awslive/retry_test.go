package awslive

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vpclint/vpclint/model"
)

// throttler is an HTTP client that answers like EC2 and STS, throttling
// the first calls of some actions with RequestLimitExceeded.
type throttler struct {
	mu sync.Mutex
	// throttle is how many times each action is throttled before it
	// succeeds.
	throttle map[string]int
	calls    map[string]int
}

func (th *throttler) Do(req *http.Request) (*http.Response, error) {
	if req.Body == nil && strings.HasSuffix(req.URL.Path, "/hostedzone") {
		// Route 53 (REST): no zones.
		return xmlResponse(req, http.StatusOK, `<ListHostedZonesResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HostedZones></HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesResponse>`), nil
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, err
	}
	action := form.Get("Action")
	th.mu.Lock()
	th.calls[action]++
	throttled := th.calls[action] <= th.throttle[action]
	th.mu.Unlock()
	if throttled {
		return xmlResponse(req, http.StatusServiceUnavailable, `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r1</RequestID></Response>`), nil
	}
	switch action {
	case "GetCallerIdentity":
		return xmlResponse(req, http.StatusOK, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>arn:aws:iam::`+baseAccount+`:user/auditor</Arn><UserId>AIDA</UserId><Account>`+baseAccount+`</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`), nil
	case "DescribeVpcs":
		return xmlResponse(req, http.StatusOK, `<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>
<vpcSet><item><vpcId>vpc-1</vpcId><cidrBlock>10.0.0.0/16</cidrBlock><isDefault>false</isDefault><ownerId>`+baseAccount+`</ownerId></item></vpcSet></DescribeVpcsResponse>`), nil
	}
	return xmlResponse(req, http.StatusOK, fmt.Sprintf(`<%sResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId></%sResponse>`, action, action)), nil
}

func xmlResponse(req *http.Request, status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"text/xml"}}, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: req}
}

// TestThrottlingRetried runs the real SDK clients, with the default
// adaptive retry mode, against a transport that throttles: the throttled
// call is retried until it succeeds. (The throttle is on the last call of
// the read: once throttled, the adaptive mode's client-side rate limit
// rightly slows every later call down, which would make the test slow.)
func TestThrottlingRetried(t *testing.T) {
	fakeEnv(t)
	th := &throttler{throttle: map[string]int{"DescribeFlowLogs": 1}, calls: map[string]int{}}
	opts := Options{Regions: []string{"us-east-1"}, EndpointURL: "http://ec2.test", HTTPClient: th, Retry: RetryOptions{MaxBackoff: 5 * time.Millisecond}}
	start := time.Now()
	units, errs, err := Load(context.Background(), opts)
	if err != nil || len(units) != 1 || len(errs) > 0 {
		t.Fatalf("Load: %v, %d units, %v", err, len(units), errs)
	}
	t.Logf("read with throttling in %s", time.Since(start))
	if n := th.calls["DescribeFlowLogs"]; n != 2 {
		t.Errorf("DescribeFlowLogs sent %d times, want 2 (1 throttled)", n)
	}
	if m := units[0]; len(m.VPCs) != 1 || m.VPCs[0].ID != "vpc-1" || !m.Inventory.Complete {
		t.Errorf("unit: %d VPCs, complete %v", len(m.VPCs), m.Inventory.Complete)
	}
}

// TestThrottlingExhausted: a call throttled beyond the attempt limit is an
// error for that call alone, and the read goes on.
func TestThrottlingExhausted(t *testing.T) {
	fakeEnv(t)
	th := &throttler{throttle: map[string]int{"DescribeVpcs": 2, "DescribeSecurityGroups": 1, "DescribeFlowLogs": 100}, calls: map[string]int{}}
	opts := Options{Regions: []string{"us-east-1"}, EndpointURL: "http://ec2.test", HTTPClient: th,
		Retry: RetryOptions{Mode: aws.RetryModeStandard, MaxAttempts: 3, MaxBackoff: 5 * time.Millisecond}}
	units, errs, err := Load(context.Background(), opts)
	if err != nil || len(units) != 1 {
		t.Fatalf("Load: %v, %d units, %v", err, len(units), errs)
	}
	if n := th.calls["DescribeVpcs"]; n != 3 {
		t.Errorf("DescribeVpcs sent %d times, want 3 (2 throttled)", n)
	}
	if n := th.calls["DescribeSecurityGroups"]; n != 2 {
		t.Errorf("DescribeSecurityGroups sent %d times, want 2", n)
	}
	if m := units[0]; len(m.VPCs) != 1 || m.VPCs[0].ID != "vpc-1" || m.Inventory.Complete {
		t.Errorf("unit: %d VPCs, complete %v", len(m.VPCs), m.Inventory.Complete)
	}
	if n := th.calls["DescribeFlowLogs"]; n != 3 {
		t.Errorf("DescribeFlowLogs sent %d times, want 3 (the attempt limit)", n)
	}
	if len(errs) != 1 || errs[0].Call != "ec2:DescribeFlowLogs" || errs[0].Level != model.LevelError || !strings.HasPrefix(errs[0].Message, "RequestLimitExceeded") {
		t.Errorf("errors = %+v", errs)
	}
	for a := range th.calls {
		if !strings.HasPrefix(a, "Describe") && !strings.HasPrefix(a, "Get") {
			t.Errorf("called %s", a)
		}
	}
}
