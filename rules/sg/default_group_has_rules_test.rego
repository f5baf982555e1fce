package vpclint.rules.sg_default_group_has_rules_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_default_group_has_rules as rule

self_rule := {"protocol": "all", "from_port": 0, "to_port": 0, "self": true, "implicit": true}

egress_all := object.union(fx.rule("all", 0, 0, ["0.0.0.0/0"]), {"implicit": true})

default_group(ingress, egress) := object.union(fx.group("default", ingress, egress), {"is_default": true, "address": "aws_default_security_group.default"})

test_managed_with_rules_fires if {
	g := default_group([fx.rule("tcp", 22, 22, ["10.0.0.0/8"])], [])
	findings := rule.deny with input as fx.sg_input([g], {})
	count(findings) == 1
	some f in findings
	f.attribute == "ingress[0]"
	contains(f.message, "1 ingress rule (tcp 22 from 10.0.0.0/8)")
	contains(f.message, "of vpc-1")
}

# CloudFormation rules on VPC.DefaultSecurityGroup keep AWS's own rules too.
test_rules_added_to_default_list_all if {
	g := default_group([self_rule, fx.rule("tcp", 443, 443, ["10.0.0.0/8"])], [egress_all])
	some f in rule.deny with input as fx.sg_input([g], {})
	f.attribute == "ingress[0]"
	contains(f.message, "2 ingress rules (all traffic from itself; tcp 443 from 10.0.0.0/8) and 1 egress rule (all traffic to 0.0.0.0/0)")
}

test_managed_empty_is_quiet if {
	count(rule.deny) == 0 with input as fx.sg_input([default_group([], [])], {})
}

test_unmanaged_in_code_is_quiet if {
	count(rule.deny) == 0 with input as fx.sg_input([default_group([self_rule], [egress_all])], {})
}

test_live_default_rules_fire if {
	inp := object.union(fx.sg_input([default_group([self_rule], [egress_all])], {}), {"inventory": {"complete": true}})
	count(rule.deny) == 1 with input as inp
}

test_ordinary_group_is_quiet if {
	count(rule.deny) == 0 with input as fx.sg_input([fx.group("g", [fx.rule("tcp", 22, 22, ["10.0.0.0/8"])], [])], {})
}

# Rules that are unknown (a dynamic block over an unknown list) are absent.
test_unknown_rules_are_quiet if {
	g := object.union(object.remove(default_group([], []), ["ingress", "egress"]), {"unknown": ["ingress", "egress"]})
	count(rule.deny) == 0 with input as fx.sg_input([g], {})
}
