package vpclint.rules.svc_acceptance_not_required_test

import data.vpclint.rules.svc_acceptance_not_required as rule

test_false_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoint_services": [{"id": "s", "address": "aws_vpc_endpoint_service.api", "acceptance_required": false}]}
}

test_true_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoint_services": [{"id": "s", "address": "aws_vpc_endpoint_service.api", "acceptance_required": true}]}
}

test_unknown_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoint_services": [{"id": "s", "address": "aws_vpc_endpoint_service.api", "unknown": ["acceptance_required"]}]}
}

test_placeholder_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoint_services": [{"id": "s", "address": "vpce-svc-1", "placeholder": true, "acceptance_required": false}]}
}

test_message_names_service if {
	some f in rule.deny with input as {"vpc_endpoint_services": [{"id": "s", "address": "APIService", "acceptance_required": false}]}
	contains(f.message, "APIService")
	f.attribute == "acceptance_required"
}
