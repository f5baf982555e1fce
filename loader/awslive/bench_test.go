package awslive

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpclint/vpclint/loader/awslive/mototest"
)

// benchGroups is how many security groups the benchmark reads.
const benchGroups = 5000

// benchSeed seeds moto once per test binary: the benchmark function runs
// several times with growing b.N.
var benchSeed struct {
	once sync.Once
	err  error
	took time.Duration
}

// seedGroups creates n security groups, every tenth with SSH open to the
// world, in a VPC of its own in eu-west-1 (so other tests' regions stay
// small). One CloudFormation stack creates them: moto answers
// CreateSecurityGroup calls one by one far too slowly.
func seedGroups(ctx context.Context, base string, n int) error {
	c := mototest.EC2(base, "eu-west-1")
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.50.0.0/16")})
	if err != nil {
		return err
	}
	res := map[string]any{}
	for i := range n {
		props := map[string]any{"GroupDescription": "bench", "VpcId": *vpc.Vpc.VpcId, "GroupName": fmt.Sprintf("bench-%05d", i)}
		if i%10 == 0 {
			props["SecurityGroupIngress"] = []any{map[string]any{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}}
		}
		res[fmt.Sprintf("Group%05d", i)] = map[string]any{"Type": "AWS::EC2::SecurityGroup", "Properties": props}
	}
	tmpl, err := json.Marshal(map[string]any{"Resources": res})
	if err != nil {
		return err
	}
	_, err = mototest.Query(ctx, base, "eu-west-1", "cloudformation", url.Values{"Action": {"CreateStack"}, "Version": {"2010-05-15"}, "StackName": {"bench"}, "TemplateBody": {string(tmpl)}})
	return err
}

// BenchmarkRead5000Groups reads a region holding 5,000 security groups
// from moto_server:
//
//	go test -run '^$' -bench Read5000 -benchtime 1x -timeout 30m ./loader/awslive/
//
// The time per operation is the whole read of the region through the SDK
// (every Describe call). moto dominates it: it serializes 5,000 groups and
// their rules very slowly (about 7 minutes per read on 2 cores, against 25
// seconds to seed them); BenchmarkConvert5000Groups measures vpclint's own
// share.
func BenchmarkRead5000Groups(b *testing.B) {
	base := requireMoto(b)
	fakeEnv(b)
	benchSeed.once.Do(func() {
		moto.Reset(b)
		start := time.Now()
		benchSeed.err = seedGroups(context.Background(), base, benchGroups)
		benchSeed.took = time.Since(start)
	})
	if benchSeed.err != nil {
		b.Fatalf("seed: %v", benchSeed.err)
	}
	b.Logf("seeded %d security groups in %s", benchGroups, benchSeed.took)
	opts := Options{Regions: []string{"eu-west-1"}, EndpointURL: base}
	b.ResetTimer()
	for b.Loop() {
		units, errs, err := Load(context.Background(), opts)
		if err != nil || len(errs) > 0 || len(units) != 1 {
			b.Fatalf("Load: %v %v", err, errs)
		}
		if n := len(units[0].SecurityGroups); n < benchGroups {
			b.Fatalf("read %d groups, want at least %d", n, benchGroups)
		}
	}
	b.ReportMetric(float64(benchGroups), "groups/op")
}

// BenchmarkConvert5000Groups reads 5,000 groups with 3 rules each from
// fake clients in pages of 2: the loader's own cost (paging, conversion,
// sorting), without an API.
func BenchmarkConvert5000Groups(b *testing.B) {
	f := &fakeEC2{}
	for i := range benchGroups {
		sg := fmt.Sprintf("sg-%05d", i)
		f.groups = append(f.groups, types.SecurityGroup{GroupId: aws.String(sg), GroupName: aws.String(sg), Description: aws.String("d"), VpcId: aws.String("vpc-1")})
		for j := range 3 {
			f.rules = append(f.rules, types.SecurityGroupRule{SecurityGroupRuleId: aws.String(fmt.Sprintf("sgr-%05d-%d", i, j)), GroupId: aws.String(sg),
				IpProtocol: aws.String("tcp"), FromPort: aws.Int32(int32(22 + j)), ToPort: aws.Int32(int32(22 + j)), CidrIpv4: aws.String("0.0.0.0/0"), IsEgress: aws.Bool(j == 2)})
		}
	}
	f.vpcs = []types.Vpc{{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.0.0/16")}}
	cloud := &fakeCloud{ec2: map[string]*fakeEC2{baseAccount + "/us-east-1": f}}
	fakeEnv(b)
	b.Setenv("AWS_ACCESS_KEY_ID", "AK"+baseAccount)
	opts := Options{Regions: []string{"us-east-1"}, Clients: cloud}
	for b.Loop() {
		units, errs, err := Load(context.Background(), opts)
		if err != nil || len(errs) > 0 || len(units[0].SecurityGroups) != benchGroups {
			b.Fatalf("Load: %v %v", err, errs)
		}
	}
	b.ReportMetric(float64(benchGroups), "groups/op")
}
