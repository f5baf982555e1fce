package vpclint.rules.ep_no_policy_test

import data.vpclint.rules.ep_no_policy as rule

ep(extra) := object.union({"id": "e1", "address": "aws_vpc_endpoint.s3", "type": "Gateway", "service_name": "com.amazonaws.eu-west-1.s3", "service": "s3"}, extra)

test_no_policy_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep({})]}
}

test_service_derived_from_name if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep({"service": ""})]}
}

test_policy_present_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"policy": {"Statement": []}})]}
}

test_unparsable_policy_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"policy_raw": "{", "policy_error": "bad"})]}
}

test_unknown_policy_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"unknown": ["policy"]})]}
}

test_customer_service_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"type": "Interface", "service": "", "service_name": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"})]}
}

test_service_without_policy_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"type": "Interface", "service": "email-smtp", "service_name": "com.amazonaws.eu-west-1.email-smtp"})]}
}

test_unknown_service_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [{"id": "e1", "address": "a", "type": "Interface", "unknown": ["service_name"]}]}
}

test_gwlb_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"type": "GatewayLoadBalancer"})]}
}

test_placeholder_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"placeholder": true})]}
}
