package vpclint.rules.gov_missing_required_endpoint_test

import data.vpclint.rules.gov_missing_required_endpoint as rule

vpc := {"id": "v1", "address": "aws_vpc.main"}

ep(svc) := {"id": svc, "address": svc, "vpc_id": "v1", "type": "Interface", "service": svc, "service_name": sprintf("com.amazonaws.eu-west-1.%s", [svc])}

cfg := {"required_endpoints": ["ec2", "com.amazonaws.eu-west-1.ecr.api"]}

test_missing_fires if {
	res := rule.deny with input as {"vpcs": [vpc], "vpc_endpoints": [ep("ec2")]} with data.config as cfg
	count(res) == 1
	some f in res
	contains(f.message, "ecr.api")
}

test_all_present_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [vpc], "vpc_endpoints": [ep("ec2"), ep("ecr.api")]} with data.config as cfg
}

test_default_empty_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [vpc], "vpc_endpoints": []} with data.config as {"required_endpoints": []}
}

test_unknown_endpoint_silent if {
	unk := {"id": "u", "address": "u", "vpc_id": "v1", "type": "Interface", "unknown": ["service_name"]}
	count(rule.deny) == 0 with input as {"vpcs": [vpc], "vpc_endpoints": [ep("ec2"), unk]} with data.config as cfg
}

test_endpoint_list_unread_silent if {
	inp := {"vpcs": [vpc], "vpc_endpoints": [ep("ec2")], "inventory": {"complete": false, "lists": {"vpcs": true, "vpc_endpoints": false}}}
	count(rule.deny) == 0 with input as inp with data.config as cfg
	count(rule.deny) == 1 with input as object.union(inp, {"inventory": {"lists": {"vpc_endpoints": true}}}) with data.config as cfg
}
