package vpclint.rules.sg_admin_ports_from_internet_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_admin_ports_from_internet as rule

# SSH open through 0.0.0.0/1 + 128.0.0.0/1: the union is the internet.
split_ssh := fx.sg_input(
	[fx.group("admin", [fx.rule("tcp", 22, 22, ["0.0.0.0/1"]), fx.rule("tcp", 22, 22, ["128.0.0.0/1"])], [])],
	{"admin": fx.sg_facts(
		fx.direction(fx.tcp(22, 22), [
			fx.contrib("ingress", 0, "0.0.0.0/1", fx.tcp(22, 22)),
			fx.contrib("ingress", 1, "128.0.0.0/1", fx.tcp(22, 22)),
		]),
		fx.quiet,
	)},
)

test_split_cidrs_fire if {
	findings := rule.deny with input as split_ssh
	count(findings) == 1
	some f in findings
	f.resource == "aws_security_group.admin"
	f.attribute == "ingress[0].cidr_blocks[0]"
	contains(f.message, "22 (SSH)")
	contains(f.message, "0.0.0.0/1, 128.0.0.0/1")
	contains(f.message, "ingress[0], ingress[1]")
}

test_rdp_in_a_range_fires if {
	inp := fx.sg_input(
		[fx.group("rdp", [fx.rule("tcp", 3000, 4000, ["::/0"])], [])],
		{"rdp": fx.sg_facts(fx.direction(fx.tcp(3000, 4000), [fx.contrib("ingress", 0, "::/0", fx.tcp(3000, 4000))]), fx.quiet)},
	)
	findings := rule.deny with input as inp
	some f in findings
	contains(f.message, "3389 (RDP)")
	not contains(f.message, "22 (SSH)")
}

test_udp_admin_port_fires if {
	inp := fx.sg_input(
		[fx.group("u", [fx.rule("udp", 22, 22, ["0.0.0.0/0"])], [])],
		{"u": fx.sg_facts(fx.direction(fx.udp(22, 22), [fx.contrib("ingress", 0, "0.0.0.0/0", fx.udp(22, 22))]), fx.quiet)},
	)
	count(rule.deny) == 1 with input as inp
}

test_all_ports_is_sg002 if {
	inp := fx.sg_input(
		[fx.group("open", [fx.rule("all", 0, 0, ["0.0.0.0/0"])], [])],
		{"open": fx.sg_facts(fx.direction(fx.everything, [fx.contrib("ingress", 0, "0.0.0.0/0", fx.everything)]), fx.quiet)},
	)
	count(rule.deny) == 0 with input as inp
}

test_port_zero_is_not_ssh if {
	inp := fx.sg_input(
		[fx.group("zero", [fx.rule("tcp", 0, 0, ["0.0.0.0/0"])], [])],
		{"zero": fx.sg_facts(fx.direction(fx.tcp(0, 0), [fx.contrib("ingress", 0, "0.0.0.0/0", fx.tcp(0, 0))]), fx.quiet)},
	)
	count(rule.deny) == 0 with input as inp
}

test_web_only_is_quiet if {
	inp := fx.sg_input(
		[fx.group("web", [fx.rule("tcp", 443, 443, ["0.0.0.0/0"])], [])],
		{"web": fx.sg_facts(fx.direction(fx.tcp(443, 443), [fx.contrib("ingress", 0, "0.0.0.0/0", fx.tcp(443, 443))]), fx.quiet)},
	)
	count(rule.deny) == 0 with input as inp
}

# An unknown CIDR leaves no internet fact: no finding.
test_unknown_source_is_quiet if {
	g := object.union(fx.group("var", [{"protocol": "tcp", "from_port": 22, "to_port": 22, "self": false}], []), {"unknown": ["ingress[0].cidr_blocks"]})
	inp := fx.sg_input([g], {"var": fx.sg_facts(object.union(fx.quiet, {"known": false}), fx.quiet)})
	count(rule.deny) == 0 with input as inp
}

test_no_facts_is_quiet if {
	inp := fx.sg_input([fx.group("nf", [fx.rule("tcp", 22, 22, ["0.0.0.0/0"])], [])], {})
	count(rule.deny) == 0 with input as inp
}

test_configured_admin_ports if {
	count(rule.deny) == 0 with input as split_ssh with data.config.admin_ports as [2222]
}

test_private_source_is_quiet if {
	inp := fx.sg_input(
		[fx.group("vpn", [fx.rule("tcp", 22, 22, ["10.0.0.0/8"])], [])],
		{"vpn": fx.sg_facts(fx.quiet, fx.quiet)},
	)
	count(rule.deny) == 0 with input as inp
}
