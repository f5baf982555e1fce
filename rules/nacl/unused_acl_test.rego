package vpclint.rules.nacl_unused_acl_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.nacl_unused_acl as rule

model(a, subnets, complete) := object.union(
	fx.acl_input([a], {a.id: object.union(fx.nacl_facts(fx.nacl_quiet, fx.nacl_quiet), {"subnet_ids": subnets})}),
	{"inventory": {"complete": complete}},
)

test_unused_in_live_account_fires if {
	findings := rule.deny with input as model(fx.acl("acl-1", []), [], true)
	count(findings) == 1
	some f in findings
	f.resource == "aws_network_acl.acl-1"
	contains(f.message, "associated with no subnet")
}

test_code_is_quiet if {
	count(rule.deny) == 0 with input as model(fx.acl("acl-1", []), [], false)
}

test_used_is_quiet if {
	count(rule.deny) == 0 with input as model(fx.acl("acl-1", []), ["subnet-a"], true)
}

test_default_acl_is_quiet if {
	count(rule.deny) == 0 with input as model(object.union(fx.acl("acl-1", []), {"is_default": true}), [], true)
}

test_unknown_associations_are_quiet if {
	inp := object.union(fx.acl_input([fx.acl("acl-1", [])], {}), {"inventory": {"complete": true}})
	count(rule.deny) == 0 with input as inp
}

test_subnets_unread_is_quiet if {
	inp := model(fx.acl("acl-1", []), [], true)
	count(rule.deny) == 0 with input as object.union(inp, {"inventory": {"lists": {"network_acls": true, "subnets": false}}})
	count(rule.deny) == 1 with input as object.union(inp, {"inventory": {"lists": {"network_acls": true, "subnets": true}}})
}
