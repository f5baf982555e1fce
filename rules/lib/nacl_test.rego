package vpclint.lib.nacl_test

import data.vpclint.lib.nacl

acl_block := {"known": true, "allowed": false, "blocked_by": "acl-1", "blocked_direction": "ingress", "blocking_entry": 0}

group_block := {"known": true, "allowed": false, "blocked_by": "", "blocking_entry": -1}

allowed := {"known": true, "allowed": true, "blocking_entry": -1}

path(req, rep) := {"client_subnet": "s-1", "endpoint_subnet": "s-2", "request": req, "reply": rep}

facts_input(facts) := {
	"vpc_endpoints": [{"id": "ep-1", "address": "aws_vpc_endpoint.a", "type": "Interface"}],
	"facts": {"endpoints": {"ep-1": facts}},
}

# The causes of both kinds; a group's block
# (no ACL named) is no cause.
test_blocked_paths_both_kinds if {
	doc := facts_input({"reachability": [path(acl_block, acl_block), path(group_block, allowed)]})
	nacl.blocked_paths == {["request", "ep-1", "acl-1", "ingress"], ["reply", "ep-1", "acl-1", "ingress"]} with input as doc
	nacl.blocked("reply") == {["ep-1", "acl-1", "ingress"]} with input as doc
}

# The analysis' list of blocked checks is read instead of every path.
test_blocked_paths_prefers_blocked_list if {
	doc := facts_input({"reachability": [path(acl_block, allowed)], "blocked_reachability": []})
	count(nacl.blocked_paths) == 0 with input as doc
}

# With an index, only the endpoints it lists are read.
test_blocked_paths_index if {
	f := {"reachability": [path(acl_block, allowed)], "blocked_reachability": [path(acl_block, allowed)]}
	doc := object.union(facts_input(f), {"facts": {"index": {"blocked_endpoints": []}}})
	count(nacl.blocked_paths) == 0 with input as doc
	doc2 := object.union(facts_input(f), {"facts": {"index": {"blocked_endpoints": ["ep-1"]}}})
	nacl.blocked_paths == {["request", "ep-1", "acl-1", "ingress"]} with input as doc2
}

# paths(kind, cause) are the checks of one cause and kind.
test_paths_of_cause if {
	doc := facts_input({"reachability": [path(acl_block, allowed), path(group_block, acl_block)]})
	count(nacl.paths("request", ["ep-1", "acl-1", "ingress"])) == 1 with input as doc
	count(nacl.paths("reply", ["ep-1", "acl-1", "ingress"])) == 1 with input as doc
	count(nacl.paths("reply", ["ep-1", "acl-2", "ingress"])) == 0 with input as doc
}
