package vpclint.rules.nacl_duplicate_rule_number_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.nacl_duplicate_rule_number as rule

entries := [
	fx.entry(100, false, "allow", "tcp", 443, 443, "10.0.0.0/16"),
	fx.entry(100, true, "allow", "tcp", 443, 443, "10.0.0.0/16"),
	fx.entry(100, false, "allow", "tcp", 1024, 65535, "10.0.0.0/16"),
]

test_duplicate_fires if {
	d := object.union(fx.nacl_quiet, {"duplicate_rule_numbers": [{"rule_number": 100, "indexes": [2, 0]}], "known": false})
	findings := rule.deny with input as fx.acl_input([fx.acl("a", entries)], {"a": fx.nacl_facts(d, fx.nacl_quiet)})
	count(findings) == 1
	some f in findings
	f.attribute == "entries[2]"
	contains(f.message, "2 inbound entries numbered 100 (entries[0], entries[2])")
}

test_same_number_in_both_directions_is_quiet if {
	count(rule.deny) == 0 with input as fx.acl_input([fx.acl("a", entries)], {"a": fx.nacl_facts(fx.nacl_quiet, fx.nacl_quiet)})
}
