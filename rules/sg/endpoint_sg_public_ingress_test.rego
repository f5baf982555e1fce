package vpclint.rules.sg_endpoint_sg_public_ingress_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_endpoint_sg_public_ingress as rule

model(peer, dirfacts) := fx.ep_input(
	[fx.group("ep", [fx.rule("tcp", 443, 443, [peer])], [])],
	{"ep": fx.sg_facts(dirfacts, fx.quiet)},
	[fx.endpoint("ssm", ["ep"]), fx.endpoint("ecr", ["ep"])],
	{"ssm": fx.ep_facts(["ep"]), "ecr": fx.ep_facts(["ep"])},
)

test_public_range_fires_once if {
	d := object.union(fx.ingress_all(fx.tcp(443, 443)), {
		"public": fx.tcp(443, 443),
		"public_rules": [fx.contrib("ingress", 0, "203.0.113.0/24", fx.tcp(443, 443))],
	})
	findings := rule.deny with input as model("203.0.113.0/24", d)
	count(findings) == 1
	some f in findings
	f.attribute == "ingress[0].cidr_blocks[0]"
	f.message == "Security group aws_security_group.ep of interface endpoint aws_vpc_endpoint.ecr, aws_vpc_endpoint.ssm allows tcp 443 from public addresses (ingress[0] from 203.0.113.0/24)."
}

# Facts without the public rules are not judged (they are not facts the
# analysis writes).
test_facts_without_public_rules_are_quiet if {
	d := object.remove(object.union(fx.ingress_all(fx.tcp(443, 443)), {"public": fx.tcp(443, 443)}), ["public_rules"])
	count(rule.deny) == 0 with input as model("203.0.113.0/24", d)
}

test_internet_fires if {
	d := fx.direction(fx.tcp(443, 443), [fx.contrib("ingress", 0, "0.0.0.0/0", fx.tcp(443, 443))])
	count(rule.deny) == 1 with input as model("0.0.0.0/0", d)
}

# On-premises 172.16/12 is private, outside the VPC: a legitimate client.
test_private_outside_vpc_is_quiet if {
	d := object.union(fx.ingress_all(fx.tcp(443, 443)), {"outside_vpc": fx.tcp(443, 443)})
	count(rule.deny) == 0 with input as model("172.16.0.0/12", d)
}

test_unknown_is_quiet if {
	d := object.union(fx.quiet, {"known": false})
	count(rule.deny) == 0 with input as model("10.0.0.0/16", d)
}
