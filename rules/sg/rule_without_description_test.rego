package vpclint.rules.sg_rule_without_description_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_rule_without_description as rule

bare(proto, from, to, cidrs) := object.remove(fx.rule(proto, from, to, cidrs), ["description"])

test_missing_description_fires if {
	g := fx.group("g", [fx.rule("tcp", 443, 443, ["10.0.0.0/16"]), bare("tcp", 22, 22, ["10.1.0.0/16"])], [bare("all", 0, 0, ["0.0.0.0/0"])])
	findings := rule.deny with input as fx.sg_input([g], {})
	count(findings) == 2
	some f in findings
	f.attribute == "ingress[1]"
	contains(f.message, "tcp 22 from 10.1.0.0/16")
	some e in findings
	e.attribute == "egress[0]"
	contains(e.message, "all traffic to 0.0.0.0/0")
}

test_blank_description_fires if {
	r := object.union(fx.rule("tcp", 443, 443, ["10.0.0.0/16"]), {"description": "  "})
	count(rule.deny) == 1 with input as fx.sg_input([fx.group("g", [r], [])], {})
}

test_implicit_rule_is_quiet if {
	r := object.union(bare("all", 0, 0, ["0.0.0.0/0"]), {"implicit": true})
	count(rule.deny) == 0 with input as fx.sg_input([fx.group("g", [], [r])], {})
}

test_unknown_description_is_quiet if {
	g := object.union(fx.group("g", [bare("tcp", 443, 443, ["10.0.0.0/16"])], []), {"unknown": ["ingress[0].description"]})
	count(rule.deny) == 0 with input as fx.sg_input([g], {})
}

test_self_rule_names_itself if {
	r := {"protocol": "all", "from_port": 0, "to_port": 0, "self": true}
	some f in rule.deny with input as fx.sg_input([fx.group("g", [r], [])], {})
	contains(f.message, "from itself")
}

test_described_rules_are_quiet if {
	count(rule.deny) == 0 with input as fx.sg_input([fx.group("g", [fx.rule("tcp", 443, 443, ["10.0.0.0/16"])], [fx.rule("tcp", 443, 443, ["10.0.0.0/16"])])], {})
}

# A live default group's own rules carry no description and are not the
# user's: SG007 reports them, SG009 does not.
test_live_default_group_rules_are_quiet if {
	ingress := {"protocol": "all", "from_port": 0, "to_port": 0, "self": true}
	egress := {"protocol": "-1", "cidr_blocks": ["0.0.0.0/0"], "self": false}
	g := object.union(fx.group("default", [ingress], [egress]), {"is_default": true})
	inp := object.union(fx.sg_input([g], {}), {"inventory": {"complete": true}})
	count(rule.deny) == 0 with input as inp
}

# A rule added to a default group is still the user's.
test_rule_added_to_default_group_fires if {
	g := object.union(fx.group("default", [bare("tcp", 22, 22, ["10.0.0.0/8"])], [bare("all", 0, 0, ["10.0.0.0/8"])]), {"is_default": true})
	count(rule.deny) == 2 with input as fx.sg_input([g], {})
}
