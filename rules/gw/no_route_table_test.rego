package vpclint.rules.gw_no_route_table_test

import data.vpclint.rules.gw_no_route_table as rule

ep(extra) := object.union({"id": "g", "address": "aws_vpc_endpoint.s3", "type": "Gateway", "service_name": "com.amazonaws.eu-west-1.s3", "route_table_ids": []}, extra)

test_empty_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep({})]}
}

test_associated_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"route_table_ids": ["rt-1"]})]}
}

test_absent_unknown_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [object.remove(ep({"unknown": ["route_table_ids"]}), ["route_table_ids"])]}
}

test_absent_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [object.remove(ep({}), ["route_table_ids"])]}
}

test_interface_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"type": "Interface"})]}
}
