package vpclint.rules.nacl_all_traffic_from_internet_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.nacl_all_traffic_from_internet as rule

model(entries, anomalies) := fx.acl_input([fx.acl("a", entries)], {"a": fx.nacl_facts(object.union(fx.nacl_quiet, {"anomalies": anomalies}), fx.nacl_quiet)})

test_all_protocols_fires if {
	findings := rule.deny with input as model([fx.entry(100, false, "allow", "-1", 0, 0, "0.0.0.0/0")], [])
	count(findings) == 1
	some f in findings
	f.attribute == "entries[0]"
	contains(f.message, "allows all protocols from the internet (0.0.0.0/0)")
}

test_all_tcp_ports_ipv6_fires if {
	e := object.remove(object.union(fx.entry(101, false, "allow", "6", 0, 65535, ""), {"ipv6_cidr_block": "::/0"}), ["cidr_block"])
	some f in rule.deny with input as model([e], [])
	contains(f.message, "every TCP port")
}

test_port_zero_is_quiet if {
	count(rule.deny) == 0 with input as model([fx.entry(100, false, "allow", "tcp", 0, 0, "0.0.0.0/0")], [])
}

test_deny_is_quiet if {
	count(rule.deny) == 0 with input as model([fx.entry(100, false, "deny", "all", 0, 0, "0.0.0.0/0")], [])
}

test_egress_is_quiet if {
	count(rule.deny) == 0 with input as model([fx.entry(100, true, "allow", "all", 0, 0, "0.0.0.0/0")], [])
}

test_private_source_is_quiet if {
	count(rule.deny) == 0 with input as model([fx.entry(100, false, "allow", "all", 0, 0, "10.0.0.0/8")], [])
}

test_shadowed_entry_is_quiet if {
	entries := [fx.entry(50, false, "deny", "all", 0, 0, "0.0.0.0/0"), fx.entry(100, false, "allow", "all", 0, 0, "0.0.0.0/0")]
	count(rule.deny) == 0 with input as model(entries, [{"index": 1, "attribute": "entries[1]", "rule_number": 100, "kind": "shadowed", "caused_by": [0], "caused_by_rule_numbers": [50], "description": "x"}])
}

test_implicit_default_entry_is_quiet_in_code if {
	e := object.union(fx.entry(100, false, "allow", "all", 0, 0, "0.0.0.0/0"), {"implicit": true})
	count(rule.deny) == 0 with input as model([e], [])
}

test_unknown_cidr_is_quiet if {
	e := object.remove(fx.entry(100, false, "allow", "all", 0, 0, ""), ["cidr_block"])
	count(rule.deny) == 0 with input as model([e], [])
}

# 0.0.0.0/1 + 128.0.0.0/1 in two entries: together the internet.
test_split_entries_fire_once if {
	entries := [fx.entry(100, false, "allow", "all", 0, 0, "0.0.0.0/1"), fx.entry(110, false, "allow", "all", 0, 0, "128.0.0.0/1")]
	inp := fx.acl_input([fx.acl("a", entries)], {"a": fx.nacl_facts(fx.nacl_dir(fx.everything, [0, 1]), fx.nacl_quiet)})
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.attribute == "entries[0]"
	contains(f.message, "rule 100 (allow all traffic from 0.0.0.0/1), rule 110 (allow all traffic from 128.0.0.0/1) together allow all protocols")
}

# With an unknown entry, the facts' internet set is what every resolution
# allows: all traffic there still fires, less does not.
test_split_entries_with_unknown_entry if {
	entries := [fx.entry(100, false, "allow", "all", 0, 0, "0.0.0.0/1"), fx.entry(110, false, "allow", "all", 0, 0, "128.0.0.0/1")]
	d := object.union(fx.nacl_dir(fx.everything, [0, 1]), {"known": false})
	count(rule.deny) == 1 with input as fx.acl_input([fx.acl("a", entries)], {"a": fx.nacl_facts(d, fx.nacl_quiet)})
	undecided := object.union(fx.nacl_dir(fx.tcp(0, 21), [0, 1]), {"known": false})
	count(rule.deny) == 0 with input as fx.acl_input([fx.acl("a", entries)], {"a": fx.nacl_facts(undecided, fx.nacl_quiet)})
}

# The internet cannot open a connection through the ACL of a private subnet.
test_private_subnet_is_quiet if {
	count(rule.deny) == 0 with input as fx.acl_input([fx.acl("a", [fx.entry(100, false, "allow", "-1", 0, 0, "0.0.0.0/0")])], {"a": fx.private_nacl_facts(fx.nacl_quiet, fx.nacl_quiet)})
	unknown := object.remove(fx.nacl_facts(fx.nacl_quiet, fx.nacl_quiet), ["internet_reachable"])
	count(rule.deny) == 0 with input as fx.acl_input([fx.acl("a", [fx.entry(100, false, "allow", "-1", 0, 0, "0.0.0.0/0")])], {"a": unknown})
}

# An entry that may never apply, whatever the unknown entries before it
# are, is not reported; one that always applies is.
test_entry_that_may_never_apply_is_quiet if {
	e := fx.entry(100, false, "allow", "-1", 0, 0, "0.0.0.0/0")
	ef := {"index": 0, "attribute": "entries[0]", "rule_number": 100, "action": "allow", "applies": true, "always_applies": false, "ephemeral": false, "decides": fx.everything, "internet": fx.everything}
	d := object.union(fx.nacl_quiet, {"known": false, "entries": [ef]})
	count(rule.deny) == 0 with input as fx.acl_input([fx.acl("a", [e])], {"a": fx.nacl_facts(d, fx.nacl_quiet)})
	always := object.union(fx.nacl_quiet, {"known": false, "entries": [object.union(ef, {"always_applies": true})]})
	count(rule.deny) == 1 with input as fx.acl_input([fx.acl("a", [e])], {"a": fx.nacl_facts(always, fx.nacl_quiet)})
}

# AWS's return-traffic entry is not all ports.
test_ephemeral_range_is_quiet if {
	count(rule.deny) == 0 with input as model([fx.entry(100, false, "allow", "tcp", 1024, 65535, "0.0.0.0/0")], [])
}

# A single allow-all entry is reported once, not again as a split.
test_ipv4_and_ipv6_entries_one_finding if {
	v6 := object.remove(object.union(fx.entry(110, false, "allow", "all", 0, 0, ""), {"ipv6_cidr_block": "::/0"}), ["cidr_block"])
	entries := [fx.entry(100, false, "allow", "all", 0, 0, "0.0.0.0/0"), v6]
	inp := fx.acl_input([fx.acl("a", entries)], {"a": fx.nacl_facts(fx.nacl_dir(fx.everything, [0, 1]), fx.nacl_quiet)})
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.attribute == "entries[0]"
	contains(f.message, "rule 100 (allow all traffic from 0.0.0.0/0) and rule 110 (allow all traffic from ::/0) allow all protocols from the internet (0.0.0.0/0, ::/0)")
}

# The finding supersedes NACL001 on its entries, so it names the admin
# ports the internet reaches through them, and none when a deny for them
# comes first.
test_names_admin_ports_reached if {
	e := fx.entry(100, false, "allow", "tcp", 0, 65535, "0.0.0.0/0")
	some f in rule.deny with input as fx.acl_input([fx.acl("a", [e])], {"a": fx.nacl_facts(fx.nacl_dir(fx.tcp(0, 65535), [0]), fx.nacl_quiet)})
	contains(f.message, "every TCP port from the internet (0.0.0.0/0), admin ports 22 (SSH), 3389 (RDP) among them")
	some g in rule.deny with input as fx.acl_input([fx.acl("a", [e])], {"a": fx.nacl_facts(fx.nacl_dir(fx.tcp(23, 3388), [0]), fx.nacl_quiet)})
	not contains(g.message, "admin")
}
