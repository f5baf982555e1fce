package vpclint.rules.nacl_shadowed_entry_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.nacl_shadowed_entry as rule

entries := [fx.entry(100, false, "allow", "tcp", 0, 65535, "0.0.0.0/0"), fx.entry(200, false, "deny", "tcp", 22, 22, "0.0.0.0/0")]

anomaly(kind, desc) := {"index": 1, "attribute": "entries[1]", "rule_number": 200, "kind": kind, "caused_by": [0], "caused_by_rule_numbers": [100], "description": desc}

model(anomalies) := fx.acl_input([fx.acl("a", entries)], {"a": fx.nacl_facts(object.union(fx.nacl_quiet, {"anomalies": anomalies}), fx.nacl_quiet)})

test_deny_behind_allow_fires if {
	findings := rule.deny with input as model([anomaly("shadowed", "rule 200 (deny tcp/22 from 0.0.0.0/0) never applies: rule 100 allows all TCP from 0.0.0.0/0 first")])
	count(findings) == 1
	some f in findings
	f.attribute == "entries[1]"
	f.message == "Network ACL aws_network_acl.a, inbound: rule 200 (deny tcp/22 from 0.0.0.0/0) never applies: rule 100 allows all TCP from 0.0.0.0/0 first."
}

test_message_without_description if {
	some f in rule.deny with input as model([anomaly("shadowed", "")])
	contains(f.message, "rule 200 (deny tcp 22 from 0.0.0.0/0) never applies: rule 100 (allow tcp 0-65535 from 0.0.0.0/0) match")
}

test_other_kinds_are_quiet if {
	count(rule.deny) == 0 with input as model([anomaly("redundant", "x"), anomaly("generalization", "y"), anomaly("correlation", "z")])
	count(rule.deny) == 0 with input as model([])
}
