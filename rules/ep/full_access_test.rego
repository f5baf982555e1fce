package vpclint.rules.ep_full_access_test

import data.vpclint.rules.ep_full_access as rule

ep(st) := {"id": "e1", "address": "aws_vpc_endpoint.sqs", "type": "Interface", "service_name": "com.amazonaws.eu-west-1.sqs", "service": "sqs", "policy": {"Statement": st}}

full := {"Effect": "Allow", "principal_star": true, "Action": ["*"], "Resource": ["*"]}

test_default_policy_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep([full])]}
}

test_aws_star_principal_and_service_wide_action_fire if {
	st := {"Effect": "Allow", "principal_star": false, "Principal": {"AWS": ["*"]}, "Action": ["sqs:*"], "Resource": ["*"]}
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep([st])]}
}

test_other_service_wildcard_silent if {
	st := object.union(full, {"Action": ["dynamodb:*"]})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([st])]}
}

test_condition_silent if {
	st := object.union(full, {"Condition": {"StringEquals": {"aws:principalorgid": ["o-abc"]}}, "conditions": [{"operator": "StringEquals", "base": "StringEquals", "if_exists": false, "key": "aws:principalorgid", "values": ["o-abc"]}]})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([st])]}
}

test_named_principal_silent if {
	st := object.union(full, {"principal_star": false, "Principal": {"AWS": ["arn:aws:iam::111122223333:role/app"]}})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([st])]}
}

test_specific_resource_silent if {
	st := object.union(full, {"Resource": ["arn:aws:sqs:eu-west-1:111122223333:q"]})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([st])]}
}

test_deny_silent if {
	st := object.union(full, {"Effect": "Deny"})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([st])]}
}

test_unknown_policy_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [{"id": "e1", "address": "a", "type": "Interface", "service": "sqs", "unknown": ["policy"]}]}
}

test_unknown_service_still_reads_policy if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [{"id": "e1", "address": "a", "type": "Interface", "unknown": ["service_name"], "policy": {"Statement": [full]}}]}
}

test_placeholder_policy_fires if {
	p := {"Statement": [full]}
	some f in rule.deny with input as {"vpc_endpoints": [{"id": "vpce-0123456789abcdef0", "address": "vpce-0123456789abcdef0", "placeholder": true, "policy": p}]}
	f.resource == "vpce-0123456789abcdef0"
}
