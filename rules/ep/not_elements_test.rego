package vpclint.rules.ep_not_elements_test

import data.vpclint.rules.ep_not_elements as rule

ep(st) := {"id": "e1", "address": "aws_vpc_endpoint.s3", "type": "Gateway", "service": "s3", "policy": {"Statement": st}}

test_not_action_fires if {
	st := {"Effect": "Allow", "principal_star": true, "NotAction": ["s3:DeleteBucket"], "Resource": ["*"]}
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep([st])]}
}

test_not_resource_and_not_principal_one_finding if {
	st := {"Effect": "Allow", "has_not_principal": true, "NotPrincipal": {"AWS": ["arn:aws:iam::111122223333:root"]}, "Action": ["s3:GetObject"], "NotResource": ["arn:aws:s3:::secret/*"]}
	some f in rule.deny with input as {"vpc_endpoints": [ep([st])]}
	contains(f.message, "NotResource and NotPrincipal")
}

test_deny_with_not_action_silent if {
	st := {"Effect": "Deny", "principal_star": true, "NotAction": ["s3:GetObject"], "Resource": ["*"]}
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([st])]}
}

test_plain_allow_silent if {
	st := {"Effect": "Allow", "principal_star": true, "Action": ["s3:GetObject"], "Resource": ["*"], "has_not_principal": false}
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([st])]}
}

test_unknown_policy_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [{"id": "e1", "address": "a", "type": "Gateway", "service": "s3", "unknown": ["policy"]}]}
}
