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
