package vpclint.rules.gw_interface_without_gateway_test

import data.vpclint.rules.gw_interface_without_gateway as rule

vpcs := [{"id": "v1", "address": "aws_vpc.main"}]

ep(svc, typ) := {"id": concat("-", [svc, typ]), "address": concat(".", [svc, typ]), "vpc_id": "v1", "type": typ, "service": svc, "service_name": sprintf("com.amazonaws.eu-west-1.%s", [svc])}

test_interface_only_fires if {
	count(rule.deny) == 1 with input as {"vpcs": vpcs, "vpc_endpoints": [ep("dynamodb", "Interface")]}
}

test_with_gateway_silent if {
	count(rule.deny) == 0 with input as {"vpcs": vpcs, "vpc_endpoints": [ep("s3", "Interface"), ep("s3", "Gateway")]}
}

test_other_service_gateway_fires if {
	count(rule.deny) == 1 with input as {"vpcs": vpcs, "vpc_endpoints": [ep("s3", "Interface"), ep("dynamodb", "Gateway")]}
}

test_sqs_silent if {
	count(rule.deny) == 0 with input as {"vpcs": vpcs, "vpc_endpoints": [ep("sqs", "Interface")]}
}

test_vpc_not_scanned_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [], "vpc_endpoints": [ep("s3", "Interface")]}
}

test_endpoint_list_unread_silent if {
	inp := {"vpcs": vpcs, "vpc_endpoints": [ep("s3", "Interface")], "inventory": {"complete": false, "lists": {"vpc_endpoints": false}}}
	count(rule.deny) == 0 with input as inp
	count(rule.deny) == 1 with input as object.union(inp, {"inventory": {"lists": {"vpc_endpoints": true}}})
}
