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
