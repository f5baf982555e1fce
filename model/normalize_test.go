package model

import "testing"

func TestEndpointServiceOf(t *testing.T) {
	tests := map[string]string{
		"com.amazonaws.eu-west-1.s3":                              "s3",
		"com.amazonaws.us-east-1.ecr.api":                         "ecr.api",
		"com.amazonaws.us-gov-west-1.ssm":                         "ssm",
		"com.amazonaws.us-isob-east-1.sts":                        "sts",
		"cn.com.amazonaws.cn-north-1.ecr.dkr":                     "ecr.dkr",
		"com.amazonaws.${AWS::Region}.logs":                       "logs",
		"aws.api.eu-west-1.bedrock-runtime":                       "bedrock-runtime",
		"aws.sagemaker.eu-west-1.notebook":                        "notebook",
		"com.amazonaws.iam":                                       "iam",
		"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0": "",
		"com.amazonaws.s3-global.accesspoint":                     "",
		"com.amazonaws.cn-north-1.sqs":                            "sqs",
		"com.example.custom":                                      "",
		"partner.example.com":                                     "",
		"":                                                        "",
		"com.amazonaws.vpce":                                      "",
		"com.amazonaws.*.kms":                                     "kms",
		"com.amazonaws.*.ecr.api":                                 "ecr.api",
		"com.amazonaws.*.*":                                       "",
		"com.amazonaws.*":                                         "",
		"com.amazonaws.eu-west-1.*":                               "",
		"*.kms":                                                   "",
		"com.amazonaws.vpce.*.vpce-svc-*":                         "",
	}
	for in, want := range tests {
		if got := EndpointServiceOf(in); got != want {
			t.Errorf("EndpointServiceOf(%q) = %q, want %q", in, got, want)
		}
	}
}
