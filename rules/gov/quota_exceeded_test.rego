package vpclint.rules.gov_quota_exceeded_test

import data.vpclint.rules.gov_quota_exceeded as rule

cidrs(n) := [sprintf("10.0.%d.0/24", [i]) | some i in numbers.range(1, n)]

sg(rules) := {"id": "sg", "address": "aws_security_group.big", "ingress": rules, "egress": []}

test_61_cidrs_in_one_rule_fires if {
	count(rule.deny) == 1 with input as {"security_groups": [sg([{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": cidrs(61)}])]}
}

test_60_silent if {
	count(rule.deny) == 0 with input as {"security_groups": [sg([{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": cidrs(60)}])]}
}

test_families_counted_separately if {
	r1 := {"protocol": "tcp", "cidr_blocks": cidrs(40)}
	r2 := {"protocol": "tcp", "ipv6_cidr_blocks": [sprintf("2001:db8:%x::/48", [i]) | some i in numbers.range(1, 40)]}
	count(rule.deny) == 0 with input as {"security_groups": [sg([r1, r2])]}
}

test_raised_quota if {
	count(rule.deny) == 0 with input as {"security_groups": [sg([{"protocol": "tcp", "cidr_blocks": cidrs(61)}])]} with data.config.quotas as {"security_group_rules_per_direction": 100}
}

entries(n, egress) := [{"rule_number": i, "egress": egress, "protocol": "6", "action": "allow", "cidr_block": sprintf("10.0.%d.0/24", [i])} | some i in numbers.range(1, n)]

test_nacl_20_entries_plus_default_deny_fires if {
	some f in rule.deny with input as {"network_acls": [{"id": "a", "address": "aws_network_acl.big", "entries": entries(20, false)}]}
	contains(f.message, "21 rules")
}

test_nacl_19_entries_silent if {
	count(rule.deny) == 0 with input as {"network_acls": [{"id": "a", "address": "aws_network_acl.big", "entries": array.concat(entries(19, false), entries(19, true))}]}
}

test_six_groups_on_endpoint_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [{"id": "e", "address": "aws_vpc_endpoint.x", "type": "Interface", "security_group_ids": ["a", "b", "c", "d", "e", "f"]}]}
}

test_five_groups_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [{"id": "e", "address": "aws_vpc_endpoint.x", "type": "Interface", "security_group_ids": ["a", "b", "c", "d", "e"]}]}
}

test_51_interface_endpoints_fires if {
	eps := [{"id": sprintf("e%d", [i]), "address": sprintf("e%d", [i]), "vpc_id": "v1", "type": "Interface"} | some i in numbers.range(1, 51)]
	count(rule.deny) == 1 with input as {"vpcs": [{"id": "v1", "address": "aws_vpc.main"}], "vpc_endpoints": eps}
}

test_gateway_endpoints_not_counted if {
	eps := [{"id": sprintf("e%d", [i]), "address": sprintf("e%d", [i]), "vpc_id": "v1", "type": "Gateway"} | some i in numbers.range(1, 51)]
	count(rule.deny) == 0 with input as {"vpcs": [{"id": "v1", "address": "aws_vpc.main"}], "vpc_endpoints": eps}
}

test_placeholder_group_rules_count if {
	ph := {"id": "sg-1", "address": "sg-1", "placeholder": true, "ingress": [{"protocol": "tcp", "cidr_blocks": cidrs(61)}], "egress": []}
	count(rule.deny) == 1 with input as {"security_groups": [ph]}
}
