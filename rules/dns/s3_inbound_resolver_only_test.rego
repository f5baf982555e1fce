package vpclint.rules.dns_s3_inbound_resolver_only_test

import data.vpclint.rules.dns_s3_inbound_resolver_only as rule

s3if := {"id": "e1", "address": "aws_vpc_endpoint.s3", "vpc_id": "v1", "type": "Interface", "service_name": "com.amazonaws.eu-west-1.s3", "service": "s3", "private_dns_enabled": true, "dns_options": {"private_dns_only_for_inbound_resolver_endpoint": true}}

gw := {"id": "g1", "address": "aws_vpc_endpoint.s3gw", "vpc_id": "v1", "type": "Gateway", "service_name": "com.amazonaws.eu-west-1.s3", "service": "s3"}

vpcs := [{"id": "v1", "address": "aws_vpc.main"}]

test_no_gateway_fires if {
	count(rule.deny) == 1 with input as {"vpcs": vpcs, "vpc_endpoints": [s3if]}
}

test_gateway_silent if {
	count(rule.deny) == 0 with input as {"vpcs": vpcs, "vpc_endpoints": [s3if, gw]}
}

test_option_off_silent if {
	count(rule.deny) == 0 with input as {"vpcs": vpcs, "vpc_endpoints": [object.union(s3if, {"dns_options": {"private_dns_only_for_inbound_resolver_endpoint": false}})]}
}

test_vpc_not_scanned_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [], "vpc_endpoints": [s3if]}
}

test_unknown_endpoint_in_vpc_silent if {
	unk := {"id": "u", "address": "aws_vpc_endpoint.u", "vpc_id": "v1", "unknown": ["service_name", "type"]}
	count(rule.deny) == 0 with input as {"vpcs": vpcs, "vpc_endpoints": [s3if, unk]}
}

test_endpoint_list_unread_silent if {
	inp := {"vpcs": vpcs, "vpc_endpoints": [s3if], "inventory": {"complete": false, "lists": {"vpc_endpoints": false}}}
	count(rule.deny) == 0 with input as inp
	count(rule.deny) == 1 with input as object.union(inp, {"inventory": {"lists": {"vpc_endpoints": true}}})
}
