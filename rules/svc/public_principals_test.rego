package vpclint.rules.svc_public_principals_test

import data.vpclint.rules.svc_public_principals as rule

svc(ps, acc) := {"id": "s", "address": "aws_vpc_endpoint_service.api", "acceptance_required": acc, "allowed_principals": ps}

test_star_fires if {
	some f in rule.deny with input as {"vpc_endpoint_services": [svc(["arn:aws:iam::111122223333:root", "*"], false)]}
	f.attribute == "allowed_principals[1]"
	contains(f.message, "connected at once")
}

test_accounts_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoint_services": [svc(["arn:aws:iam::111122223333:root"], true)]}
}

test_unknown_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoint_services": [{"id": "s", "address": "a", "unknown": ["allowed_principals"]}]}
}

test_acceptance_required_message if {
	some f in rule.deny with input as {"vpc_endpoint_services": [svc(["*"], true)]}
	not contains(f.message, "connected at once")
}

test_empty_list_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoint_services": [svc([], false)]}
}

test_placeholder_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoint_services": [{"id": "vpce-svc-1", "address": "vpce-svc-1", "placeholder": true, "allowed_principals": ["*"]}]}
}
