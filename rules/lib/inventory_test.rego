package vpclint.lib.inventory_test

import data.vpclint.lib.inventory

test_code_lists_are_whole if {
	inventory.list_read("flow_logs") with input as {"inventory": {"complete": false}}
	inventory.decided("GOV001") with input as {"inventory": {"complete": false}}
}

test_live_list_read if {
	inventory.list_read("flow_logs") with input as {"inventory": {"lists": {"flow_logs": true}}}
	inventory.decided("GOV001") with input as {"inventory": {"lists": {"flow_logs": true}}}
}

test_live_list_failed if {
	not inventory.list_read("flow_logs") with input as {"inventory": {"lists": {"flow_logs": false}}}
	not inventory.decided("GOV001") with input as {"inventory": {"lists": {"flow_logs": false}}}
	inventory.unread_lists("GOV001") == ["flow_logs"] with input as {"inventory": {"lists": {"flow_logs": false}}}
}

test_live_list_not_read if {
	not inventory.list_read("flow_logs") with input as {"inventory": {"lists": {"vpcs": true}}}
}

test_rule_without_needs_always_decided if {
	inventory.decided("SG001") with input as {"inventory": {"lists": {}}}
}

test_every_need_is_a_model_list if {
	known := {"vpcs", "subnets", "security_groups", "network_acls", "route_tables", "vpc_endpoints", "vpc_endpoint_services", "prefix_lists", "flow_logs", "hosted_zones"}
	every _, ls in inventory.needs {
		every l in ls {
			l in known
		}
	}
}
