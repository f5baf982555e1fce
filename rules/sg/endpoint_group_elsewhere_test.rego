package vpclint.rules.sg_endpoint_group_elsewhere_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_endpoint_group_elsewhere as rule

other := object.union(fx.group("other", [], []), {"vpc_id": "vpc-2"})

test_foreign_group_fires_on_endpoint if {
	inp := fx.ep_input([fx.group("ep", [], []), other], {}, [fx.endpoint("ssm", ["ep", "other"])], {"ssm": object.union(fx.ep_facts(["ep", "other"]), {"foreign_groups": ["other"]})})
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.resource == "aws_vpc_endpoint.ssm"
	f.attribute == "security_group_ids[1]"
	contains(f.message, "aws_security_group.other of vpc-2")
}

test_missing_group_fires_in_complete_inventory if {
	inp := fx.ep_input([], {}, [fx.endpoint("ssm", ["sg-gone"])], {"ssm": object.union(fx.ep_facts(["sg-gone"]), {"missing_groups": ["sg-gone"]})})
	count(rule.deny) == 0 with input as inp
	findings := rule.deny with input as object.union(inp, {"inventory": {"complete": true}})
	some f in findings
	f.attribute == "security_group_ids[0]"
	contains(f.message, "sg-gone")
}

test_own_groups_are_quiet if {
	inp := fx.ep_input([fx.group("ep", [], [])], {}, [fx.endpoint("ssm", ["ep"])], {"ssm": fx.ep_facts(["ep"])})
	count(rule.deny) == 0 with input as inp
}

test_no_facts_is_quiet if {
	inp := fx.ep_input([fx.group("ep", [], [])], {}, [fx.endpoint("ssm", ["ep"])], {})
	count(rule.deny) == 0 with input as inp
}

test_missing_group_undecided_when_groups_unread if {
	inp := fx.ep_input([], {}, [fx.endpoint("ssm", ["sg-gone"])], {"ssm": object.union(fx.ep_facts(["sg-gone"]), {"missing_groups": ["sg-gone"]})})
	count(rule.deny) == 0 with input as object.union(inp, {"inventory": {"complete": true, "lists": {"security_groups": false}}})
	count(rule.deny) == 1 with input as object.union(inp, {"inventory": {"complete": true, "lists": {"security_groups": true}}})
}

# The naming helpers fall back when the group or the VPC is not known.
test_names_fall_back if {
	doc := {"security_groups": [{"id": "sg-1", "address": "aws_security_group.a", "vpc_id": "vpc-1"}, {"id": "sg-2"}]}
	rule.group_name("sg-1") == "aws_security_group.a" with input as doc
	rule.group_name("sg-2") == "sg-2" with input as doc
	rule.group_name("sg-3") == "sg-3" with input as doc
	rule.group_vpc("sg-1") == "vpc-1" with input as doc
	rule.group_vpc("sg-2") == "another VPC" with input as doc
	rule.group_vpc("sg-3") == "another VPC" with input as doc
	rule.endpoint_vpc({"vpc_id": "vpc-9"}) == "vpc-9"
	rule.endpoint_vpc({}) == "another VPC"
	rule.attribute({"security_group_ids": ["sg-1", "sg-2", "sg-2"]}, "sg-2") == "security_group_ids[1]"
	rule.attribute({"security_group_ids": ["sg-1"]}, "sg-2") == "security_group_ids"
	rule.attribute({}, "sg-2") == "security_group_ids"
}
