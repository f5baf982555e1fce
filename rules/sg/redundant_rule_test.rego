package vpclint.rules.sg_redundant_rule_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_redundant_rule as rule

model(g, red) := fx.sg_input([g], {g.id: object.union(fx.sg_facts(fx.quiet, fx.quiet), {"redundant": red})})

test_redundant_fires if {
	g := fx.group("g", [fx.rule("tcp", 443, 443, ["10.0.0.0/16"]), fx.rule("tcp", 443, 443, ["10.0.1.0/24"])], [])
	findings := rule.deny with input as model(g, [{"direction": "ingress", "index": 1, "attribute": "ingress[1]", "covered_by": [0]}])
	count(findings) == 1
	some f in findings
	f.attribute == "ingress[1]"
	contains(f.message, "Rule ingress[1] of security group aws_security_group.g (tcp 443 from 10.0.1.0/24) is redundant: ingress[0] already allows everything it allows.")
}

test_implicit_rule_is_quiet if {
	implicit := object.union(fx.rule("all", 0, 0, ["0.0.0.0/0"]), {"implicit": true})
	g := fx.group("g", [], [fx.rule("all", 0, 0, ["0.0.0.0/0"]), implicit])
	count(rule.deny) == 0 with input as model(g, [{"direction": "egress", "index": 1, "attribute": "egress[1]", "covered_by": [0]}])
}

test_no_redundancy_is_quiet if {
	g := fx.group("g", [fx.rule("tcp", 443, 443, ["10.0.0.0/16"])], [])
	count(rule.deny) == 0 with input as model(g, [])
	count(rule.deny) == 0 with input as fx.sg_input([g], {})
}
