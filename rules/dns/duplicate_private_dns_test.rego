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

# Several VPCs and services: only the endpoints of repeated pairs fire,
# each naming the others of its own pair.
test_only_repeated_pairs_fire if {
	eps := [
		ep("a", {}), ep("b", {}),
		ep("c", {"vpc_id": "v2"}), ep("d", {"vpc_id": "v2"}),
		ep("e", {"vpc_id": "v2", "service_name": "com.amazonaws.eu-west-1.sqs"}),
		ep("f", {"vpc_id": "v3"}),
		ep("g", {"placeholder": true}),
	]
	res := rule.deny with input as {"vpc_endpoints": eps}
	{[f.resource, f.message] | some f in res} == {
		["a", "interface endpoint a enables private DNS for com.amazonaws.eu-west-1.ssm, and so does b in the same VPC; only one private hosted zone per service can be associated with a VPC, so AWS rejects the duplicate"],
		["b", "interface endpoint b enables private DNS for com.amazonaws.eu-west-1.ssm, and so does a in the same VPC; only one private hosted zone per service can be associated with a VPC, so AWS rejects the duplicate"],
		["c", "interface endpoint c enables private DNS for com.amazonaws.eu-west-1.ssm, and so does d in the same VPC; only one private hosted zone per service can be associated with a VPC, so AWS rejects the duplicate"],
		["d", "interface endpoint d enables private DNS for com.amazonaws.eu-west-1.ssm, and so does c in the same VPC; only one private hosted zone per service can be associated with a VPC, so AWS rejects the duplicate"],
	}
}
