package vpclint.rules.gov_no_flow_log_test

import data.vpclint.rules.gov_no_flow_log as rule

vpc := {"id": "v1", "address": "aws_vpc.main"}

test_no_flow_log_fires if {
	count(rule.deny) == 1 with input as {"vpcs": [vpc], "flow_logs": []}
}

test_flow_log_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [vpc], "flow_logs": [{"id": "f", "address": "aws_flow_log.main", "resource_id": "v1"}]}
}

test_flow_log_on_other_vpc_fires if {
	count(rule.deny) == 1 with input as {"vpcs": [vpc], "flow_logs": [{"id": "f", "address": "aws_flow_log.main", "resource_id": "v2"}]}
}

test_unknown_target_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [vpc], "flow_logs": [{"id": "f", "address": "aws_flow_log.main", "unknown": ["resource_id"]}]}
}

test_placeholder_vpc_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [object.union(vpc, {"placeholder": true})], "flow_logs": []}
}

test_vpc_flow_logs_unknown_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [object.union(vpc, {"unknown": ["flow_logs"]})], "flow_logs": []}
}

test_flow_logs_list_unread_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [vpc], "flow_logs": [], "inventory": {"complete": false, "lists": {"vpcs": true, "flow_logs": false}}}
}

test_flow_logs_list_not_named_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [vpc], "flow_logs": [], "inventory": {"complete": false, "lists": {"vpcs": true}}}
}

test_flow_logs_list_read_fires if {
	count(rule.deny) == 1 with input as {"vpcs": [vpc], "flow_logs": [], "inventory": {"complete": true, "lists": {"vpcs": true, "flow_logs": true}}}
}
