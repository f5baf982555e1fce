package vpclint.rules.ep_invalid_policy_test

import data.vpclint.rules.ep_invalid_policy as rule

base := {"id": "e1", "address": "aws_vpc_endpoint.s3", "type": "Gateway", "service": "s3"}

test_not_json_fires if {
	some f in rule.deny with input as {"vpc_endpoints": [object.union(base, {"policy_raw": "{\"Statement\": [", "policy_error": "policy is not a JSON object: unexpected EOF"})]}
	contains(f.message, "unexpected EOF")
}

test_raw_without_error_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [object.union(base, {"policy_raw": "nope"})]}
}

test_problems_fire if {
	p := {"Statement": [], "problems": ["policy has no Statement", "unknown Version \"2020-01-01\" (use 2012-10-17)"]}
	some f in rule.deny with input as {"vpc_endpoints": [object.union(base, {"policy": p})]}
	contains(f.message, "no Statement")
	contains(f.message, "2020-01-01")
}

test_valid_policy_silent if {
	p := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "principal_star": true, "Action": ["s3:GetObject"], "Resource": ["*"]}]}
	count(rule.deny) == 0 with input as {"vpc_endpoints": [object.union(base, {"policy": p, "policy_raw": "{...}"})]}
}

test_no_policy_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [base]}
}

test_unknown_policy_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [object.union(base, {"unknown": ["policy"]})]}
}
