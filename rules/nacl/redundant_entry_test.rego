package vpclint.rules.nacl_redundant_entry_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.nacl_redundant_entry as rule

entries := [fx.entry(100, true, "allow", "tcp", 0, 65535, "10.0.0.0/16"), fx.entry(110, true, "allow", "tcp", 443, 443, "10.0.1.0/24")]

anomaly(kind) := {"index": 1, "attribute": "entries[1]", "rule_number": 110, "kind": kind, "caused_by": [0], "caused_by_rule_numbers": [100], "description": "rule 110 (allow tcp/443 to 10.0.1.0/24) is redundant: rule 100 allows all of it first"}

model(anomalies, entries_) := fx.acl_input([fx.acl("a", entries_)], {"a": fx.nacl_facts(fx.nacl_quiet, object.union(fx.nacl_quiet, {"anomalies": anomalies}))})

test_redundant_egress_fires if {
	findings := rule.deny with input as model([anomaly("redundant")], entries)
	count(findings) == 1
	some f in findings
	f.attribute == "entries[1]"
	startswith(f.message, "Network ACL aws_network_acl.a, outbound: rule 110")
}

test_shadowed_is_not_redundant if {
	count(rule.deny) == 0 with input as model([anomaly("shadowed")], entries)
}

test_implicit_entry_is_quiet if {
	implicit := [entries[0], object.union(entries[1], {"implicit": true})]
	count(rule.deny) == 0 with input as model([anomaly("redundant")], implicit)
}
