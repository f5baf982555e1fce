package vpclint.rules.sg_other_ports_from_internet_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_other_ports_from_internet as rule

one(from, to) := fx.sg_input(
	[fx.group("g", [fx.rule("tcp", from, to, ["0.0.0.0/0"])], [])],
	{"g": fx.sg_facts(fx.direction(fx.tcp(from, to), [fx.contrib("ingress", 0, "0.0.0.0/0", fx.tcp(from, to))]), fx.quiet)},
)

test_8080_fires if {
	findings := rule.deny with input as one(8080, 8080)
	count(findings) == 1
	some f in findings
	contains(f.message, "tcp 8080")
}

test_web_ports_are_quiet if {
	count(rule.deny) == 0 with input as one(443, 443)
	count(rule.deny) == 0 with input as one(80, 80)
}

test_admin_and_sensitive_ports_are_other_rules if {
	count(rule.deny) == 0 with input as one(22, 22)
	count(rule.deny) == 0 with input as one(3306, 3306)
	count(rule.deny) == 0 with input as one(137, 139)
}

test_range_with_one_other_port_fires if {
	count(rule.deny) == 1 with input as one(80, 81)
}

test_all_ports_is_sg002 if {
	count(rule.deny) == 0 with input as one(0, 65535)
}

test_port_zero_fires if {
	# TCP port 0 alone is a (strange) port, not "all ports".
	some f in rule.deny with input as one(0, 0)
	contains(f.message, "tcp 0")
}

test_unknown_is_quiet if {
	inp := fx.sg_input([fx.group("g", [{"protocol": "tcp", "self": false}], [])], {"g": fx.sg_facts(object.union(fx.quiet, {"known": false}), fx.quiet)})
	count(rule.deny) == 0 with input as inp
}
