package vpclint.rules.az_missing_az_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.az_missing_az as rule

test_missing_az_fires if {
	f0 := {"azs": ["eu-west-1a", "eu-west-1b"], "vpc_azs": ["eu-west-1a", "eu-west-1b", "eu-west-1c"], "missing_azs": ["eu-west-1c"]}
	findings := rule.deny with input as fx.az_input(fx.endpoint("ssm", []), f0)
	count(findings) == 1
	some f in findings
	contains(f.message, "no subnet in eu-west-1c")
	contains(f.message, "endpoint zones: eu-west-1a, eu-west-1b")
}

test_no_subnet_at_all_says_so if {
	f0 := {"azs": [], "vpc_azs": ["eu-west-1a", "eu-west-1b"], "missing_azs": ["eu-west-1a", "eu-west-1b"]}
	some f in rule.deny with input as fx.az_input(fx.endpoint("ssm", []), f0)
	contains(f.message, "the endpoint has no subnet at all")
}

test_full_coverage_is_quiet if {
	count(rule.deny) == 0 with input as fx.az_input(fx.endpoint("ssm", []), {})
}

test_unknown_is_quiet if {
	count(rule.deny) == 0 with input as fx.az_input(fx.endpoint("ssm", []), {"missing_azs": ["eu-west-1c"], "azs_known": false})
}

test_gwlb_is_quiet if {
	ep := object.union(fx.endpoint("fw", []), {"type": "GatewayLoadBalancer"})
	count(rule.deny) == 0 with input as fx.az_input(ep, {"missing_azs": ["eu-west-1c"]})
}
