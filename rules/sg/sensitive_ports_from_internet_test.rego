package vpclint.rules.sg_sensitive_ports_from_internet_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_sensitive_ports_from_internet as rule

one(proto, from, to, peer) := fx.sg_input(
	[fx.group("g", [fx.rule(proto, from, to, [peer])], [])],
	{"g": fx.sg_facts(fx.direction(ps(proto, from, to), [fx.contrib("ingress", 0, peer, ps(proto, from, to))]), fx.quiet)},
)

ps("tcp", from, to) := fx.tcp(from, to)

ps("udp", from, to) := fx.udp(from, to)

test_mysql_fires if {
	findings := rule.deny with input as one("tcp", 3306, 3306, "0.0.0.0/0")
	count(findings) == 1
	some f in findings
	contains(f.message, "sensitive port 3306 (MySQL)")
	f.attribute == "ingress[0].cidr_blocks[0]"
}

test_range_lists_every_sensitive_port if {
	some f in rule.deny with input as one("tcp", 5000, 6500, "::/0")
	contains(f.message, "ports 5432 (PostgreSQL), 5601 (Kibana), 5984 (CouchDB), 6379 (Redis)")
}

test_netbios_udp_fires if {
	count(rule.deny) == 1 with input as one("udp", 137, 139, "0.0.0.0/0")
}

test_web_is_quiet if {
	count(rule.deny) == 0 with input as one("tcp", 443, 443, "0.0.0.0/0")
}

test_all_ports_is_sg002 if {
	count(rule.deny) == 0 with input as one("tcp", 0, 65535, "0.0.0.0/0")
}

test_unknown_is_quiet if {
	inp := fx.sg_input([fx.group("g", [{"protocol": "tcp", "from_port": 3306, "to_port": 3306, "self": false}], [])], {"g": fx.sg_facts(object.union(fx.quiet, {"known": false}), fx.quiet)})
	count(rule.deny) == 0 with input as inp
}
