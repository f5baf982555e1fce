package vpclint.rules.sg_all_ports_from_internet_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_all_ports_from_internet as rule

test_all_protocols_fires_with_exposed_ports if {
	inp := fx.sg_input(
		[fx.group("open", [fx.rule("all", 0, 0, ["0.0.0.0/0"])], [])],
		{"open": fx.sg_facts(fx.direction(fx.everything, [fx.contrib("ingress", 0, "0.0.0.0/0", fx.everything)]), fx.quiet)},
	)
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.attribute == "ingress[0].cidr_blocks[0]"
	contains(f.message, "all protocols")
	contains(f.message, "admin ports 22 (SSH), 3389 (RDP)")
	contains(f.message, "sensitive ports 20, 21, 23, 25, 110, 135")
}

# 0-65535 split over three rules is still all ports.
test_split_port_ranges_fire if {
	ps := object.union(fx.empty, {"tcp": [{"from": 0, "to": 1023}, {"from": 1024, "to": 49151}, {"from": 49152, "to": 65535}], "empty": false})
	inp := fx.sg_input(
		[fx.group("split", [fx.rule("tcp", 0, 1023, ["0.0.0.0/0"]), fx.rule("tcp", 1024, 49151, ["0.0.0.0/0"]), fx.rule("tcp", 49152, 65535, ["0.0.0.0/0"])], [])],
		{"split": fx.sg_facts(
			fx.direction(ps, [
				fx.contrib("ingress", 0, "0.0.0.0/0", fx.tcp(0, 1023)),
				fx.contrib("ingress", 1, "0.0.0.0/0", fx.tcp(1024, 49151)),
				fx.contrib("ingress", 2, "0.0.0.0/0", fx.tcp(49152, 65535)),
			]),
			fx.quiet,
		)},
	)
	findings := rule.deny with input as inp
	some f in findings
	contains(f.message, "all TCP ports")
}

test_all_udp_fires if {
	inp := fx.sg_input(
		[fx.group("u", [fx.rule("udp", 0, 65535, ["::/0"])], [])],
		{"u": fx.sg_facts(fx.direction(fx.udp(0, 65535), [fx.contrib("ingress", 0, "::/0", fx.udp(0, 65535))]), fx.quiet)},
	)
	some f in rule.deny with input as inp
	contains(f.message, "all UDP ports")
}

test_almost_all_ports_is_quiet if {
	inp := fx.sg_input(
		[fx.group("g", [fx.rule("tcp", 1, 65535, ["0.0.0.0/0"])], [])],
		{"g": fx.sg_facts(fx.direction(fx.tcp(1, 65535), [fx.contrib("ingress", 0, "0.0.0.0/0", fx.tcp(1, 65535))]), fx.quiet)},
	)
	count(rule.deny) == 0 with input as inp
}

test_port_zero_is_quiet if {
	inp := fx.sg_input(
		[fx.group("z", [fx.rule("tcp", 0, 0, ["0.0.0.0/0"])], [])],
		{"z": fx.sg_facts(fx.direction(fx.tcp(0, 0), [fx.contrib("ingress", 0, "0.0.0.0/0", fx.tcp(0, 0))]), fx.quiet)},
	)
	count(rule.deny) == 0 with input as inp
}

# All egress is SG008's question, not this one's.
test_egress_is_quiet if {
	inp := fx.sg_input(
		[fx.group("e", [], [fx.rule("all", 0, 0, ["0.0.0.0/0"])])],
		{"e": fx.sg_facts(fx.quiet, fx.direction(fx.everything, [fx.contrib("egress", 0, "0.0.0.0/0", fx.everything)]))},
	)
	count(rule.deny) == 0 with input as inp
}

test_unknown_is_quiet if {
	inp := fx.sg_input([fx.group("x", [{"protocol": "all", "self": false}], [])], {"x": fx.sg_facts(object.union(fx.quiet, {"known": false}), fx.quiet)})
	count(rule.deny) == 0 with input as inp
}

test_no_sensitive_ports_configured if {
	inp := fx.sg_input(
		[fx.group("open", [fx.rule("all", 0, 0, ["0.0.0.0/0"])], [])],
		{"open": fx.sg_facts(fx.direction(fx.everything, [fx.contrib("ingress", 0, "0.0.0.0/0", fx.everything)]), fx.quiet)},
	)
	some f in rule.deny with input as inp with data.config.sensitive_ports as []
	not contains(f.message, "sensitive")
}
