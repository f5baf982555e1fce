package vpclint.rules.ep_lets_nothing_through_test

import data.vpclint.rules.ep_lets_nothing_through as rule
import data.vpclint.rules.ep_no_identity_perimeter_test as t

# terraform-aws-modules/terraform-aws-vpc examples/complete, normalized.
source_vpc_deny := {"Effect": "Deny", "principal_star": true, "Action": ["*"], "Resource": ["*"], "conditions": [t.c("StringNotEquals", "StringNotEquals", "aws:sourcevpc", ["module.vpc.aws_vpc.this[0]"])]}

ecr := {"id": "e1", "address": "module.vpc_endpoints.aws_vpc_endpoint.this[\"ecr_api\"]", "type": "Interface", "service": "ecr.api", "policy": {"Version": "2012-10-17", "Statement": [source_vpc_deny]}}

test_deny_only_fires if {
	some f in rule.deny with input as {"vpc_endpoints": [ecr]}
	contains(f.message, "only Deny")
	contains(f.message, "deny-by-default")
	contains(f.message, "#680")
}

test_allow_cancelled_by_unconditional_deny_fires if {
	a := {"Effect": "Allow", "principal_star": true, "Action": ["ecr:BatchGetImage"], "Resource": ["*"]}
	d := {"Sid": "NoECR", "Effect": "Deny", "principal_star": true, "Action": ["ecr:*"], "Resource": ["*"]}
	some f in rule.deny with input as {"vpc_endpoints": [object.union(ecr, {"policy": {"Statement": [a, d]}})]}
	contains(f.message, "NoECR")
}

test_allow_with_conditional_deny_silent if {
	a := {"Effect": "Allow", "principal_star": true, "Action": ["*"], "Resource": ["*"]}
	count(rule.deny) == 0 with input as {"vpc_endpoints": [object.union(ecr, {"policy": {"Statement": [a, source_vpc_deny]}})]}
}

test_partial_deny_silent if {
	a := {"Effect": "Allow", "principal_star": true, "Action": ["*"], "Resource": ["*"]}
	d := {"Effect": "Deny", "principal_star": true, "Action": ["ecr:DeleteRepository"], "Resource": ["*"]}
	count(rule.deny) == 0 with input as {"vpc_endpoints": [object.union(ecr, {"policy": {"Statement": [a, d]}})]}
}

test_data_perimeter_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep(t.dp_default)]}
}

test_invalid_policy_is_ep006s if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [object.union(ecr, {"policy": {"Statement": [source_vpc_deny], "problems": ["unknown Version"]}})]}
}

test_unknown_policy_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [object.remove(object.union(ecr, {"unknown": ["policy"]}), ["policy"])]}
}

test_non_ecr_message if {
	e := object.union(ecr, {"service": "sqs"})
	some f in rule.deny with input as {"vpc_endpoints": [e]}
	contains(f.message, "met as failing ECR image pulls")
}
