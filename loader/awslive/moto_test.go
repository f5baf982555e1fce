package awslive

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// motoServer is one moto_server process shared by the package's tests: it
// starts on first use and TestMain stops it.
type motoServer struct {
	once sync.Once
	cmd  *exec.Cmd
	url  string
	err  error
	// skip is set when moto_server is not installed.
	skip string
}

var moto motoServer

func TestMain(m *testing.M) {
	code := m.Run()
	moto.stop()
	os.Exit(code)
}

// requireMoto returns the URL of a running moto_server, or skips the test
// (fails it when CI is set) when moto_server is not installed.
func requireMoto(tb testing.TB) string {
	tb.Helper()
	moto.once.Do(moto.start)
	if moto.skip != "" {
		if os.Getenv("CI") != "" {
			tb.Fatalf("%s, and CI is set: install moto with `pip install \"moto[server]\"`", moto.skip)
		}
		tb.Skipf("%s: install moto with `pip install \"moto[server]\"` to run the live-AWS loader tests", moto.skip)
	}
	if moto.err != nil {
		tb.Fatalf("moto_server: %v", moto.err)
	}
	return moto.url
}

func (s *motoServer) start() {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		s.skip = "moto_server is not on PATH"
		return
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.err = err
		return
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		s.err = fmt.Errorf("start: %w", err)
		return
	}
	s.cmd = cmd
	s.url = fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.url + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.err = fmt.Errorf("no answer on %s after 30s", s.url)
}

func (s *motoServer) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
}

// resetMoto clears moto's state between tests.
func resetMoto(tb testing.TB, base string) {
	tb.Helper()
	resp, err := http.Post(base+"/moto-api/reset", "application/json", nil)
	if err != nil {
		tb.Fatalf("reset moto: %v", err)
	}
	resp.Body.Close()
}

// fakeEnv sets static fake credentials and keeps the user's AWS files out.
func fakeEnv(tb testing.TB) {
	tb.Helper()
	setenv := func(k, v string) {
		if t, ok := tb.(interface{ Setenv(k, v string) }); ok {
			t.Setenv(k, v)
			return
		}
		os.Setenv(k, v)
	}
	dir := tb.TempDir()
	setenv("AWS_ACCESS_KEY_ID", "testing")
	setenv("AWS_SECRET_ACCESS_KEY", "testing")
	setenv("AWS_SESSION_TOKEN", "")
	setenv("AWS_PROFILE", "")
	setenv("AWS_REGION", "")
	setenv("AWS_DEFAULT_REGION", "")
	setenv("AWS_CONFIG_FILE", dir+"/config")
	setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	setenv("AWS_EC2_METADATA_DISABLED", "true")
	setenv("AWS_CA_BUNDLE", "")
}

// ec2Client is an SDK client for seeding moto.
func ec2Client(base, region string) *ec2.Client {
	return ec2.New(ec2.Options{
		Region:       region,
		BaseEndpoint: aws.String(base),
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	})
}

// motoQuery calls one of moto's query-protocol APIs (elbv2,
// cloudformation) by hand: their SDK modules are not dependencies. It
// returns the response body.
func motoQuery(ctx context.Context, base, region, service string, form url.Values) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// moto routes by the signing scope of the Authorization header.
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/"+region+"/"+service+"/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s %s: %s: %.500s", service, form.Get("Action"), resp.Status, body)
	}
	return string(body), nil
}

// createNLB creates a network load balancer through moto's elbv2 API and
// returns its ARN.
func createNLB(ctx context.Context, base, region, name string, subnets ...string) (string, error) {
	form := url.Values{"Action": {"CreateLoadBalancer"}, "Version": {"2015-12-01"}, "Name": {name}, "Type": {"network"}, "Scheme": {"internal"}}
	for i, s := range subnets {
		form.Set(fmt.Sprintf("Subnets.member.%d", i+1), s)
	}
	body, err := motoQuery(ctx, base, region, "elasticloadbalancing", form)
	if err != nil {
		return "", err
	}
	i := strings.Index(body, "<LoadBalancerArn>")
	j := strings.Index(body, "</LoadBalancerArn>")
	if i < 0 || j < i {
		return "", fmt.Errorf("CreateLoadBalancer: no ARN in %.500s", body)
	}
	return body[i+len("<LoadBalancerArn>") : j], nil
}
