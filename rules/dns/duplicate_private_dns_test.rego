package vpclint.rules.dns_duplicate_private_dns_test

import data.vpclint.rules.dns_duplicate_private_dns as rule

ep(addr, extra) := object.union({"id": addr, "address": addr, "vpc_id": "v1", "type": "Interface", "service_name": "com.amazonaws.eu-west-1.ssm", "private_dns_enabled": true}, extra)

test_duplicates_fire_on_each if {
	res := rule.deny with input as {"vpc_endpoints": [ep("a", {}), ep("b", {}), ep("c", {})]}
	count(res) == 3
	some f in res
	f.resource == "a"
	contains(f.message, "b, c")
}

test_other_vpc_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep("a", {}), ep("b", {"vpc_id": "v2"})]}
}

test_other_service_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep("a", {}), ep("b", {"service_name": "com.amazonaws.eu-west-1.ssmmessages"})]}
}

test_one_without_private_dns_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep("a", {}), ep("b", {"private_dns_enabled": false})]}
}

test_unknown_private_dns_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep("a", {}), object.remove(ep("b", {}), ["private_dns_enabled"])]}
}
