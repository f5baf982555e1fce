package vpclint.rules.ep_constant_vpc_condition_test

import data.vpclint.rules.ep_constant_vpc_condition as rule
import data.vpclint.rules.ep_lets_nothing_through_test as l
import data.vpclint.rules.ep_no_identity_perimeter_test as t

test_source_vpc_fires if {
	some f in rule.deny with input as {"vpc_endpoints": [l.ecr]}
	contains(f.message, "aws:SourceVpc")
}

test_source_vpce_and_ip_one_finding if {
	st := t.allow([t.c("StringEquals", "StringEquals", "aws:sourcevpce", ["vpce-1"]), t.c("IpAddress", "IpAddress", "aws:vpcsourceip", ["10.0.0.0/8"])])
	count(rule.deny) == 1 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_data_perimeter_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep(t.dp_default)]}
}

test_source_ip_silent if {
	st := t.allow([t.c("IpAddress", "IpAddress", "aws:sourceip", ["10.0.0.0/8"])])
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_vpc_source_ip_fires if {
	st := t.allow([t.c("IpAddressIfExists", "IpAddress", "aws:vpcsourceip", ["10.0.0.0/8"])])
	some f in rule.deny with input as {"vpc_endpoints": [t.ep([st])]}
	contains(f.message, "aws:VpcSourceIp")
}

test_unknown_policy_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [{"id": "e1", "address": "a", "type": "Gateway", "service": "s3", "unknown": ["policy"]}]}
}

test_customer_service_silent if {
	e := object.union(l.ecr, {"service": "", "service_name": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [e]}
}
