package vpclint.rules.gov_missing_required_tags_test

import data.vpclint.rules.gov_missing_required_tags as rule

cfg := {"required_tags": ["Owner", "CostCenter"]}

test_missing_fires if {
	some f in rule.deny with input as {"vpcs": [{"id": "v", "address": "aws_vpc.main", "tags": {"Owner": "net"}}]} with data.config as cfg
	contains(f.message, "CostCenter")
	not contains(f.message, "Owner")
}

test_all_tags_silent if {
	count(rule.deny) == 0 with input as {"security_groups": [{"id": "s", "address": "aws_security_group.x", "tags": {"Owner": "net", "CostCenter": "1"}}]} with data.config as cfg
}

test_unknown_tags_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [{"id": "v", "address": "aws_vpc.main", "unknown": ["tags"]}]} with data.config as cfg
}

test_default_empty_silent if {
	count(rule.deny) == 0 with input as {"vpcs": [{"id": "v", "address": "aws_vpc.main"}]} with data.config as {"required_tags": []}
}

test_placeholder_silent if {
	count(rule.deny) == 0 with input as {"security_groups": [{"id": "s", "address": "sg-1", "placeholder": true}]} with data.config as cfg
}
