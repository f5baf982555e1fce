package vpclint.rules.nacl_admin_ports_from_internet_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.nacl_admin_ports_from_internet as rule

allow_all_tcp := fx.entry(100, false, "allow", "tcp", 0, 65535, "0.0.0.0/0")

deny_ssh := fx.entry(200, false, "deny", "tcp", 22, 22, "0.0.0.0/0")

allow_ssh := fx.entry(100, false, "allow", "tcp", 22, 22, "0.0.0.0/0")

allow_rdp := fx.entry(110, false, "allow", "tcp", 3389, 3389, "0.0.0.0/0")

admin := object.union(fx.empty, {"tcp": [{"from": 22, "to": 22}, {"from": 3389, "to": 3389}], "empty": false})

# Allows at 100 and 110 before the deny at 200: SSH and RDP are open.
test_allow_before_deny_fires if {
	inp := fx.acl_input([fx.acl("public", [allow_ssh, allow_rdp, deny_ssh])], {"public": fx.nacl_facts(fx.nacl_dir(admin, [0, 1]), fx.nacl_quiet)})
	findings := rule.deny with input as inp
	count(findings) == 1
	some f in findings
	f.resource == "aws_network_acl.public"
	f.attribute == "entries[0]"
	contains(f.message, "admin ports 22 (SSH), 3389 (RDP)")
	contains(f.message, "rule 100 (allow tcp 22 from 0.0.0.0/0), rule 110 (allow tcp 3389 from 0.0.0.0/0)")
}

# A deny at 50 before the allow: the first-match result excludes 22.
test_deny_before_allow_is_quiet_for_ssh if {
	ps := object.union(fx.empty, {"tcp": [{"from": 0, "to": 21}, {"from": 23, "to": 4000}], "empty": false})
	entries := [fx.entry(50, false, "deny", "tcp", 22, 22, "0.0.0.0/0"), fx.entry(100, false, "allow", "tcp", 0, 4000, "0.0.0.0/0")]
	inp := fx.acl_input([fx.acl("public", entries)], {"public": fx.nacl_facts(fx.nacl_dir(ps, [1]), fx.nacl_quiet)})
	some f in rule.deny with input as inp
	contains(f.message, "admin port 3389 (RDP)")
	not contains(f.message, "SSH")
}

# With unknown entries the facts hold what every resolution allows: a port
# in them fires whatever the unknowns are; one missing from them does not.
test_unknown_entry_decided_port_fires if {
	d := object.union(fx.nacl_dir(fx.tcp(22, 22), [0]), {"known": false})
	inp := fx.acl_input([fx.acl("public", [allow_ssh])], {"public": fx.nacl_facts(d, fx.nacl_quiet)})
	count(rule.deny) == 1 with input as inp
	undecided := object.union(fx.nacl_dir(fx.tcp(443, 443), [0]), {"known": false})
	count(rule.deny) == 0 with input as fx.acl_input([fx.acl("public", [allow_ssh])], {"public": fx.nacl_facts(undecided, fx.nacl_quiet)})
}

# The internet cannot open a connection through the ACL of private subnets
# (no route to an internet gateway), nor is that known when undecided.
test_private_or_undecided_subnets_are_quiet if {
	inp := fx.acl_input([fx.acl("private", [allow_ssh])], {"private": fx.private_nacl_facts(fx.nacl_dir(fx.tcp(22, 22), [0]), fx.nacl_quiet)})
	count(rule.deny) == 0 with input as inp
	unknown := object.remove(fx.nacl_facts(fx.nacl_dir(fx.tcp(22, 22), [0]), fx.nacl_quiet), ["internet_reachable"])
	count(rule.deny) == 0 with input as fx.acl_input([fx.acl("private", [allow_ssh])], {"private": unknown})
}

# AWS's recommended return-traffic entry reaches 3389 only because ACLs are
# stateless: alone it is no exposure (internet_non_ephemeral is empty).
test_ephemeral_return_range_is_quiet if {
	e := fx.entry(100, false, "allow", "tcp", 1024, 65535, "0.0.0.0/0")
	d := object.union(fx.nacl_dir(fx.tcp(1024, 65535), [0]), {"internet_non_ephemeral": fx.empty})
	count(rule.deny) == 0 with input as fx.acl_input([fx.acl("public", [e])], {"public": fx.nacl_facts(d, fx.nacl_quiet)})

	# Without the analysis' set, the entry itself is recognised.
	count(rule.deny) == 0 with input as fx.acl_input([fx.acl("public", [e])], {"public": fx.nacl_facts(fx.nacl_dir(fx.tcp(1024, 65535), [0]), fx.nacl_quiet)})
}

# An explicit RDP entry above 1024 is no return range.
test_single_rdp_port_fires if {
	inp := fx.acl_input([fx.acl("public", [allow_rdp])], {"public": fx.nacl_facts(fx.nacl_dir(fx.tcp(3389, 3389), [0]), fx.nacl_quiet)})
	some f in rule.deny with input as inp
	contains(f.message, "3389 (RDP)")
}

# NACL002 reports an entry that allows all traffic (every TCP port here);
# this rule does not report it again, but still reports another entry.
test_all_traffic_entry_superseded_by_nacl002 if {
	count(rule.deny) == 0 with input as fx.acl_input([fx.acl("public", [allow_all_tcp, deny_ssh])], {"public": fx.nacl_facts(fx.nacl_dir(fx.tcp(0, 65535), [0]), fx.nacl_quiet)})
	entries := [fx.entry(90, false, "allow", "tcp", 22, 22, "0.0.0.0/0"), allow_all_tcp]
	findings := rule.deny with input as fx.acl_input([fx.acl("public", entries)], {"public": fx.nacl_facts(fx.nacl_dir(fx.tcp(0, 65535), [0, 1]), fx.nacl_quiet)})
	count(findings) == 1
	some f in findings
	f.attribute == "entries[0]"
	contains(f.message, "22 (SSH)")
	not contains(f.message, "3389")
}

# The default ACL's own allow-all: silent in code; live, NACL002 reports it.
test_unmanaged_default_acl if {
	e := object.union(fx.entry(100, false, "allow", "tcp", 22, 22, "0.0.0.0/0"), {"implicit": true})
	a := object.union(fx.acl("default", [e]), {"is_default": true})
	inp := fx.acl_input([a], {"default": fx.nacl_facts(fx.nacl_dir(fx.tcp(22, 22), [0]), fx.nacl_quiet)})
	count(rule.deny) == 0 with input as inp
	count(rule.deny) == 1 with input as object.union(inp, {"inventory": {"complete": true}})
}

test_https_only_is_quiet if {
	inp := fx.acl_input([fx.acl("public", [fx.entry(100, false, "allow", "tcp", 443, 443, "0.0.0.0/0")])], {"public": fx.nacl_facts(fx.nacl_dir(fx.tcp(443, 443), [0]), fx.nacl_quiet)})
	count(rule.deny) == 0 with input as inp
}

test_egress_is_quiet if {
	inp := fx.acl_input([fx.acl("public", [fx.entry(100, true, "allow", "tcp", 22, 22, "0.0.0.0/0")])], {"public": fx.nacl_facts(fx.nacl_quiet, fx.nacl_dir(fx.tcp(22, 22), [0]))})
	count(rule.deny) == 0 with input as inp
}

# With per-entry facts, only the entry that first decides the admin port is
# named: the allow at 100 for 22, not the later allow at 200 that also
# matches it.
test_per_entry_facts_name_the_deciding_entry if {
	entries := [
		fx.entry(100, false, "allow", "tcp", 22, 22, "0.0.0.0/0"),
		fx.entry(200, false, "allow", "tcp", 0, 1023, "0.0.0.0/0"),
	]
	d := object.union(fx.nacl_dir(fx.tcp(0, 1023), [0, 1]), {"entries": [
		{"index": 0, "attribute": "entries[0]", "rule_number": 100, "action": "allow", "applies": true, "decides": fx.tcp(22, 22), "internet": fx.tcp(22, 22)},
		{"index": 1, "attribute": "entries[1]", "rule_number": 200, "action": "allow", "applies": true, "decides": fx.tcp(0, 1023), "internet": object.union(fx.empty, {"tcp": [{"from": 0, "to": 21}, {"from": 23, "to": 1023}], "empty": false})},
	]})
	findings := rule.deny with input as fx.acl_input([fx.acl("public", entries)], {"public": fx.nacl_facts(d, fx.nacl_quiet)})
	some f in findings
	f.attribute == "entries[0]"
	contains(f.message, "inbound through rule 100 (allow tcp 22 from 0.0.0.0/0), matched before any deny")
	not contains(f.message, "rule 200")
}
