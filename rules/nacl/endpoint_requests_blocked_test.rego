package vpclint.rules.nacl_endpoint_requests_blocked_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.nacl_endpoint_requests_blocked as rule

ok := {"known": true, "allowed": true, "blocking_entry": 0}

blocked(acl, dir, entry) := {"known": true, "allowed": false, "blocked_by": acl, "blocked_direction": dir, "blocking_entry": entry}

subnets := [
	{"id": "subnet-app-a", "address": "aws_subnet.app_a", "vpc_id": "vpc-1"},
	{"id": "subnet-app-b", "address": "aws_subnet.app_b", "vpc_id": "vpc-1"},
	{"id": "subnet-a", "address": "aws_subnet.endpoints_a", "vpc_id": "vpc-1"},
]

model(paths) := object.union(fx.ep_input([], {}, [fx.endpoint("ssm", ["ep"])], {"ssm": object.union(fx.ep_facts(["ep"]), {"reachability": paths})}), {
	"network_acls": [fx.acl("endpoints", [fx.entry(100, false, "deny", "tcp", 443, 443, "10.0.0.0/16")]), fx.acl("app", [])],
	"subnets": subnets,
})

path(client, req, reply) := {"client_subnet": client, "endpoint_subnet": "subnet-a", "request": req, "reply": reply}

test_one_finding_per_acl_and_endpoint if {
	findings := rule.deny with input as model([
		path("subnet-app-a", blocked("endpoints", "ingress", 0), ok),
		path("subnet-app-b", blocked("endpoints", "ingress", 0), ok),
	])
	count(findings) == 1
	some f in findings
	f.resource == "aws_network_acl.endpoints"
	f.attribute == "entries[0]"
	contains(f.message, "aws_vpc_endpoint.ssm (com.amazonaws.eu-west-1.ssm)")
	contains(f.message, "its inbound rules drop TCP 443 from client subnets aws_subnet.app_a, aws_subnet.app_b to endpoint subnet aws_subnet.endpoints_a")
	contains(f.message, "denied by rule 100 (deny tcp 443 from 10.0.0.0/16)")
}

test_no_allowing_rule if {
	some f in rule.deny with input as model([path("subnet-app-a", blocked("app", "egress", -1), ok)])
	f.resource == "aws_network_acl.app"
	f.attribute == "entries"
	contains(f.message, "outbound rules")
	contains(f.message, "no rule allows it")
}

test_two_acls_two_findings if {
	findings := rule.deny with input as model([
		path("subnet-app-a", blocked("app", "egress", -1), ok),
		path("subnet-app-b", blocked("endpoints", "ingress", 0), ok),
	])
	count(findings) == 2
}

test_unknown_verdict_is_quiet if {
	v := object.union(blocked("endpoints", "ingress", 0), {"known": false})
	count(rule.deny) == 0 with input as model([path("subnet-app-a", v, ok)])
}

test_reachable_is_quiet if {
	count(rule.deny) == 0 with input as model([path("subnet-app-a", ok, ok)])
}

test_security_group_block_is_not_an_acl_finding if {
	v := {"known": true, "allowed": false, "blocking_entry": -1, "blocked_by_groups": ["ep"]}
	count(rule.deny) == 0 with input as model([path("subnet-app-a", v, ok)])
}

test_replies_are_nacl006 if {
	count(rule.deny) == 0 with input as model([path("subnet-app-a", ok, blocked("endpoints", "egress", -1))])
}
