package vpclint.rules.ep_foreign_actions_test

import data.vpclint.rules.ep_foreign_actions as rule

ep(svc, actions) := {"id": "e1", "address": "aws_vpc_endpoint.x", "type": "Gateway", "service": svc, "policy": {"Statement": [{"Effect": "Allow", "principal_star": true, "Action": actions, "Resource": ["*"]}]}}

test_dynamodb_on_s3_fires if {
	some f in rule.deny with input as {"vpc_endpoints": [ep("s3", ["s3:GetObject", "dynamodb:*"])]}
	contains(f.message, "dynamodb:*")
	not contains(f.message, "s3:GetObject,")
}

test_case_insensitive_prefix_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep("s3", ["S3:GetObject"])]}
}

test_ecr_on_ecr_dkr_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep("ecr.dkr", ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"])]}
}

test_cloudwatch_on_monitoring_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep("monitoring", ["cloudwatch:PutMetricData"])]}
}

test_star_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep("s3", ["*"])]}
}

test_unknown_service_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep("someday-service", ["dynamodb:*"])]}
}

test_deny_statement_fires_too if {
	e := ep("s3", ["sqs:*"])
	st := object.union(e.policy.Statement[0], {"Effect": "Deny"})
	count(rule.deny) == 1 with input as {"vpc_endpoints": [object.union(e, {"policy": {"Statement": [st]}})]}
}

test_points_at_the_action if {
	some f in rule.deny with input as {"vpc_endpoints": [ep("s3", ["s3:GetObject", "dynamodb:*", "sqs:SendMessage"])]}
	f.attribute == "policy.Statement[0].Action[1]"
	contains(f.message, "dynamodb:*, sqs:SendMessage")
}

# AWS documents sts:GetServiceBearerToken in CodeArtifact's endpoint
# policy (rules/data/services.json cross_service_actions); another STS
# action there still has no effect.
test_documented_cross_service_action_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep("codeartifact.api", ["codeartifact:GetAuthorizationToken", "sts:GetServiceBearerToken"])]}
	findings := rule.deny with input as {"vpc_endpoints": [ep("codeartifact.api", ["codeartifact:GetAuthorizationToken", "sts:GetServiceBearerToken", "sts:AssumeRole"])]}
	some f in findings
	contains(f.message, "sts:AssumeRole")
	not contains(f.message, "GetServiceBearerToken")
}
