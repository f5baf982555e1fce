package vpclint.rules.nacl_endpoint_replies_blocked_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.nacl_endpoint_replies_blocked as rule

ok := {"known": true, "allowed": true, "blocking_entry": 0}

model(paths) := object.union(fx.ep_input([], {}, [fx.endpoint("ssm", ["ep"])], {"ssm": object.union(fx.ep_facts(["ep"]), {"reachability": paths})}), {
	"network_acls": [fx.acl("endpoints", [fx.entry(100, true, "allow", "tcp", 443, 443, "10.0.0.0/16")])],
	"subnets": [{"id": "subnet-app", "address": "aws_subnet.app", "vpc_id": "vpc-1"}],
})

# The ACL written for "443 both ways": replies to ephemeral ports are dropped.
test_missing_ephemeral_ports_fires if {
	reply := {"known": true, "allowed": false, "blocked_by": "endpoints", "blocked_direction": "egress", "blocking_entry": -1, "blocked_ports": [{"from": 1024, "to": 65535}]}
	findings := rule.deny with input as model([{"client_subnet": "subnet-app", "endpoint_subnet": "subnet-a", "request": ok, "reply": reply}])
	count(findings) == 1
	some f in findings
	f.resource == "aws_network_acl.endpoints"
	contains(f.message, "blocks replies from interface endpoint aws_vpc_endpoint.ssm")
	contains(f.message, "its outbound rules drop replies on TCP 1024-65535 from endpoint subnet subnet-a to client subnet aws_subnet.app")
	contains(f.message, "no rule allows it")
}

test_partial_ports if {
	reply := {"known": true, "allowed": false, "blocked_by": "endpoints", "blocked_direction": "egress", "blocking_entry": 0, "blocked_ports": [{"from": 1024, "to": 32767}]}
	some f in rule.deny with input as model([{"client_subnet": "subnet-app", "endpoint_subnet": "subnet-a", "request": ok, "reply": reply}])
	contains(f.message, "TCP 1024-32767")
	f.attribute == "entries[0]"
}

test_allowed_is_quiet if {
	count(rule.deny) == 0 with input as model([{"client_subnet": "subnet-app", "endpoint_subnet": "subnet-a", "request": ok, "reply": ok}])
}

test_unknown_is_quiet if {
	reply := {"known": false, "allowed": false, "blocked_by": "endpoints", "blocked_direction": "egress", "blocking_entry": -1}
	count(rule.deny) == 0 with input as model([{"client_subnet": "subnet-app", "endpoint_subnet": "subnet-a", "request": ok, "reply": reply}])
}
