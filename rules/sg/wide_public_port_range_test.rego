package vpclint.rules.sg_wide_public_port_range_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.sg_wide_public_port_range as rule

model(ps, peer, internet) := fx.sg_input(
	[fx.group("g", [fx.rule("tcp", 1, 1, [peer])], [])],
	{"g": fx.sg_facts(
		object.union(fx.quiet, {
			"all": ps, "public": ps,
			"public_rules": [fx.contrib("ingress", 0, peer, ps)],
			"internet": internet,
		}),
		fx.quiet,
	)},
)

test_wide_public_range_fires if {
	findings := rule.deny with input as model(fx.tcp(10000, 20000), "198.51.100.0/24", fx.empty)
	count(findings) == 1
	some f in findings
	f.attribute == "ingress[0].cidr_blocks[0]"
	contains(f.message, "opens 10001 ports (tcp 10000-20000) to public addresses 198.51.100.0/24; the limit is 100 ports")
}

test_exactly_the_limit_is_quiet if {
	count(rule.deny) == 0 with input as model(fx.tcp(10000, 10099), "198.51.100.0/24", fx.empty)
}

test_configured_limit if {
	count(rule.deny) == 1 with input as model(fx.tcp(10000, 10099), "198.51.100.0/24", fx.empty) with data.config.max_port_range as 10
}

# All protocols from a public /24 is not the internet: SG011 fires.
test_all_protocols_from_public_range_fires if {
	findings := rule.deny with input as model(fx.everything, "198.51.100.0/24", fx.empty)
	count(findings) == 1
	some f in findings
	contains(f.message, "opens every port of every protocol to public addresses 198.51.100.0/24")
}

test_superseded_by_sg002 if {
	count(rule.deny) == 0 with input as model(fx.tcp(0, 65535), "0.0.0.0/0", fx.tcp(0, 65535))
}

test_private_range_is_quiet if {
	inp := fx.sg_input([fx.group("g", [fx.rule("tcp", 0, 65535, ["10.0.0.0/8"])], [])], {"g": fx.sg_facts(fx.ingress_all(fx.tcp(0, 65535)), fx.quiet)})
	count(rule.deny) == 0 with input as inp
}

# One walk of the public rules' facts gives the wide sets and the groups
# that have one.
test_candidates_from_one_walk if {
	wide := {"tcp": [{"from": 0, "to": 65535}]}
	narrow := {"tcp": [{"from": 443, "to": 443}]}
	facts := {"security_groups": {
		"sg-1": {"ingress": {"public": {"empty": false}, "public_rules": [{"index": 0, "ports": narrow}, {"index": 1, "ports": wide}]}},
		"sg-2": {"ingress": {"public": {"empty": false}, "public_rules": [{"index": 0, "ports": narrow}]}},
		"sg-3": {"ingress": {"public": {"empty": true}, "public_rules": null}},
	}}
	count(rule.public_port_sets) == 3 with input as {"facts": facts}
	rule.wide_sets == {wide: 65536} with input as {"facts": facts}
	rule.candidate_ids == {"sg-1"} with input as {"facts": facts}
}
