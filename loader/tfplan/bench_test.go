package tfplan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vpclint/vpclint/loader"
)

// BenchmarkDetectLargeTemplate: telling a large JSON file that is not a
// plan (a 5.5 MB CloudFormation template) from a plan, as the scan does for
// every JSON file.
func BenchmarkDetectLargeTemplate(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {`)
	for i := 0; i < 40000; i++ {
		if i > 0 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, `"R%d": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "group \"%d\"", "Tags": [{"Key": "k", "Value": "v"}]}}`, i, i)
	}
	sb.WriteString("}}")
	in := loader.Input{Rel: "t.json", Content: []byte(sb.String())}
	b.SetBytes(int64(len(in.Content)))
	for b.Loop() {
		if New().Detect(in) {
			b.Fatal("detected")
		}
	}
}
