package vpclint.rules.dns_vpc_dns_attributes_test

import data.vpclint.rules.dns_vpc_dns_attributes as rule

ep := {"id": "e1", "address": "aws_vpc_endpoint.sqs", "vpc_id": "v1", "type": "Interface", "service_name": "com.amazonaws.eu-west-1.sqs", "private_dns_enabled": true}

vpc(extra) := object.union({"id": "v1", "address": "aws_vpc.main", "enable_dns_support": true, "enable_dns_hostnames": true}, extra)

test_hostnames_off_fires if {
	some f in rule.deny with input as {"vpcs": [vpc({"enable_dns_hostnames": false})], "vpc_endpoints": [ep]}
	contains(f.message, "enable_dns_hostnames")
}

test_support_off_fires if {
	count(rule.deny) == 1 with input as {"vpcs": [vpc({"enable_dns_support": false})], "vpc_endpoints": [ep]}
}

test_both_on_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [vpc({})], "vpc_endpoints": [ep]}
}

test_unknown_silent if {
	v := object.remove(vpc({"unknown": ["enable_dns_hostnames"]}), ["enable_dns_hostnames"])
	count(rule.deny) == 0 with input as {"vpcs": [v], "vpc_endpoints": [ep]}
}

test_private_dns_off_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [vpc({"enable_dns_hostnames": false})], "vpc_endpoints": [object.union(ep, {"private_dns_enabled": false})]}
}

test_vpc_not_in_scan_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [], "vpc_endpoints": [ep]}
}

# Several VPCs and endpoints: each endpoint is judged by its own VPC only.
test_endpoints_of_each_vpc if {
	v2 := object.union(vpc({"enable_dns_support": false, "enable_dns_hostnames": false}), {"id": "v2", "address": "aws_vpc.other"})
	eps := [
		ep,
		object.union(ep, {"id": "e2", "address": "aws_vpc_endpoint.sqs2", "vpc_id": "v2"}),
		object.union(ep, {"id": "e3", "address": "aws_vpc_endpoint.sqs3", "vpc_id": "v2"}),
		object.union(ep, {"id": "e4", "address": "aws_vpc_endpoint.sqs4", "vpc_id": "v2", "private_dns_enabled": false}),
	]
	found := rule.deny with input as {"vpcs": [vpc({}), v2], "vpc_endpoints": eps}
	{f.resource | some f in found} == {"aws_vpc_endpoint.sqs2", "aws_vpc_endpoint.sqs3"}
	every f in found {
		contains(f.message, "aws_vpc.other has enable_dns_support and enable_dns_hostnames false")
	}
}
