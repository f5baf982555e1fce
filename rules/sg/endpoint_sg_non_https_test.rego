package vpclint.rules.sg_endpoint_sg_non_https_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_endpoint_sg_non_https as rule

model(rules, allowed) := fx.ep_input(
	[fx.group("ep", rules, [])],
	{"ep": fx.sg_facts(fx.ingress_all(allowed), fx.quiet)},
	[fx.endpoint("ssm", ["ep"])],
	{"ssm": fx.ep_facts(["ep"])},
)

test_https_only_is_quiet if {
	count(rule.deny) == 0 with input as model([fx.rule("tcp", 443, 443, ["10.0.0.0/16"])], fx.tcp(443, 443))
}

test_all_traffic_fires if {
	findings := rule.deny with input as model([fx.rule("tcp", 443, 443, ["10.0.0.0/16"]), fx.rule("all", 0, 0, ["10.0.0.0/16"])], fx.everything)
	count(findings) == 1
	some f in findings
	f.resource == "aws_security_group.ep"
	f.attribute == "ingress[1]"
	contains(f.message, "all protocols")
	contains(f.message, "aws_vpc_endpoint.ssm")
}

test_port_range_fires if {
	some f in rule.deny with input as model([fx.rule("tcp", 0, 65535, ["10.0.0.0/16"])], fx.tcp(0, 65535))
	contains(f.message, "tcp 0-65535")
}

test_udp_fires if {
	ps := object.union(fx.tcp(443, 443), {"udp": [{"from": 53, "to": 53}]})
	some f in rule.deny with input as model([fx.rule("tcp", 443, 443, ["10.0.0.0/16"]), fx.rule("udp", 53, 53, ["10.0.0.0/16"])], ps)
	f.attribute == "ingress[1]"
}

test_configured_ports if {
	count(rule.deny) == 0 with input as model([fx.rule("tcp", 8443, 8443, ["10.0.0.0/16"])], fx.tcp(8443, 8443)) with data.config.endpoint_ports as [443, 8443]
}

# A group used by no interface endpoint is not an endpoint SG.
test_group_not_on_endpoint_is_quiet if {
	inp := fx.ep_input([fx.group("ep", [fx.rule("all", 0, 0, ["10.0.0.0/16"])], [])], {"ep": fx.sg_facts(fx.ingress_all(fx.everything), fx.quiet)}, [], {})
	count(rule.deny) == 0 with input as inp
}

# The default group an endpoint falls back to: its implicit self rule in code
# is not reported, a written rule is.
test_unmanaged_default_group_is_quiet if {
	self_rule := {"protocol": "all", "from_port": 0, "to_port": 0, "self": true, "implicit": true}
	g := object.union(fx.group("default", [self_rule], []), {"is_default": true})
	inp := fx.ep_input([g], {"default": fx.sg_facts(fx.ingress_all(fx.everything), fx.quiet)}, [fx.endpoint("ssm", [])], {"ssm": object.union(fx.ep_facts(["default"]), {"uses_default_group": true})})
	count(rule.deny) == 0 with input as inp
	count(rule.deny) == 1 with input as object.union(inp, {"inventory": {"complete": true}})
}

# The finding points at the rules that open more: not one whose protocol
# is absent, but an all-protocols rule even when its ports are absent.
test_culprits_without_ports if {
	noproto := {"from_port": 22, "to_port": 22, "cidr_blocks": ["10.0.0.0/16"], "self": false}
	all := {"protocol": "-1", "cidr_blocks": ["10.0.0.0/16"], "self": false}
	some f in rule.deny with input as model([noproto, fx.rule("tcp", 443, 443, ["10.0.0.0/16"]), all], fx.everything)
	f.attribute == "ingress[2]"
	contains(f.message, "(ingress[2])")
}

test_unknown_ports_are_quiet if {
	r := {"protocol": "tcp", "cidr_blocks": ["10.0.0.0/16"], "self": false}
	g := object.union(fx.group("ep", [r], []), {"unknown": ["ingress[0].from_port", "ingress[0].to_port"]})
	inp := fx.ep_input([g], {"ep": fx.sg_facts(object.union(fx.quiet, {"known": false}), fx.quiet)}, [fx.endpoint("ssm", ["ep"])], {"ssm": fx.ep_facts(["ep"])})
	count(rule.deny) == 0 with input as inp
}

test_gateway_endpoint_is_quiet if {
	ep := object.union(fx.endpoint("s3", ["ep"]), {"type": "Gateway"})
	inp := fx.ep_input([fx.group("ep", [fx.rule("all", 0, 0, ["10.0.0.0/16"])], [])], {"ep": fx.sg_facts(fx.ingress_all(fx.everything), fx.quiet)}, [ep], {"s3": fx.ep_facts(["ep"])})
	count(rule.deny) == 0 with input as inp
}

ep_of(name_fields) := object.union(object.remove(fx.endpoint("svc", ["ep"]), ["service", "service_name"]), name_fields)

model_for(ep, rules, allowed) := fx.ep_input(
	[fx.group("ep", rules, [])],
	{"ep": fx.sg_facts(fx.ingress_all(allowed), fx.quiet)},
	[ep],
	{ep.id: fx.ep_facts(["ep"])},
)

all_tcp := [fx.rule("tcp", 0, 65535, ["10.0.0.0/16"])]

# A customer's PrivateLink service may listen on any port.
test_customer_service_is_quiet if {
	ep := ep_of({"service_name": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"})
	count(rule.deny) == 0 with input as model_for(ep, all_tcp, fx.tcp(0, 65535))
}

# A name from a variable: AWS's or a customer's, nobody knows.
test_unknown_service_is_quiet if {
	ep := ep_of({"unknown": ["service_name"]})
	count(rule.deny) == 0 with input as model_for(ep, all_tcp, fx.tcp(0, 65535))
	pattern := ep_of({"unknown": ["service_name"], "service_name_pattern": "com.amazonaws.*.*"})
	count(rule.deny) == 0 with input as model_for(pattern, all_tcp, fx.tcp(0, 65535))
}

# com.amazonaws.${region}.kms: the service is known, so the rule decides.
test_partially_known_aws_service_fires if {
	ep := ep_of({"service": "kms", "service_name_pattern": "com.amazonaws.*.kms", "unknown": ["service_name"]})
	count(rule.deny) == 1 with input as model_for(ep, all_tcp, fx.tcp(0, 65535))
}

# SES SMTP listens on the SMTP ports too: those are not beyond what it needs.
test_service_ports_are_allowed if {
	ep := ep_of({"service": "email-smtp", "service_name": "com.amazonaws.eu-west-1.email-smtp"})
	smtp := object.union(fx.tcp(587, 587), {"tcp": [{"from": 443, "to": 443}, {"from": 587, "to": 587}]})
	count(rule.deny) == 0 with input as model_for(ep, [fx.rule("tcp", 443, 443, ["10.0.0.0/16"]), fx.rule("tcp", 587, 587, ["10.0.0.0/16"])], smtp)
	findings := rule.deny with input as model_for(ep, all_tcp, fx.tcp(0, 65535))
	some f in findings
	contains(f.message, "beyond TCP 25, 443, 465, 587, 2465, 2587")
}

# A group shared with a customer's endpoint may need its ports.
test_group_shared_with_customer_endpoint_is_quiet if {
	aws := fx.endpoint("ssm", ["ep"])
	cust := ep_of({"id": "cust", "address": "aws_vpc_endpoint.cust", "service_name": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"})
	inp := fx.ep_input([fx.group("ep", all_tcp, [])], {"ep": fx.sg_facts(fx.ingress_all(fx.tcp(0, 65535)), fx.quiet)}, [aws, cust], {"ssm": fx.ep_facts(["ep"]), "cust": fx.ep_facts(["ep"])})
	count(rule.deny) == 0 with input as inp
}

# allowed_ports: the endpoint ports and each endpoint's service ports, once
# each; undefined when an endpoint's service is unknown or the endpoint is
# not an interface endpoint of the unit.
test_allowed_ports if {
	smtp := {"address": "a.smtp", "type": "Interface", "service": "email-smtp"}
	ssm := {"address": "a.ssm", "type": "Interface", "service": "ssm"}
	cust := {"address": "a.cust", "type": "Interface", "service_name": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"}
	doc := {"vpc_endpoints": [smtp, ssm, cust]}
	rule.allowed_ports(set()) == [443] with input as doc
	rule.allowed_ports({"a.ssm"}) == [443] with input as doc
	rule.allowed_ports({"a.ssm", "a.smtp"}) == [25, 443, 465, 587, 2465, 2587] with input as doc
	not rule.allowed_ports({"a.ssm", "a.cust"}) with input as doc
	not rule.allowed_ports({"a.ssm", "a.elsewhere"}) with input as doc
}

# beyond_rule normalizes the protocol once: other protocols are beyond
# whatever their ports (null when absent), TCP only outside the ports and
# only with both ports known; a false or null protocol is not judged.
test_beyond_rule if {
	rule.beyond_rule("udp", 443, 443, [443])
	rule.beyond_rule("-1", 0, 0, [443])
	rule.beyond_rule("-1", null, null, [443])
	rule.beyond_rule("tcp", 443, 444, [443])
	rule.beyond_rule(6, 22, 22, [443])
	not rule.beyond_rule("tcp", 443, 443, [443])
	not rule.beyond_rule("6", 443, 443, [443])
	not rule.beyond_rule("tcp", null, null, [443])
	not rule.beyond_rule("tcp", 443, null, [443])
	not rule.beyond_rule(false, 0, 0, [443])
	not rule.beyond_rule(null, 0, 0, [443])
}

# beyond_ports reuses the parts found beyond the endpoint ports, and works
# them out again for other ports.
test_beyond_ports if {
	ps := {"tcp": [{"from": 22, "to": 22}, {"from": 443, "to": 443}]}
	rule.beyond_ports(ps, [443], ["given"]) == ["given"]
	rule.beyond_ports(ps, [22, 443], ["given"]) == []
	rule.beyond_ports(ps, [25, 443], ["given"]) == ["tcp 22"]
}
