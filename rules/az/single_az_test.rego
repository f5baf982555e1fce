package vpclint.rules.az_single_az_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.az_single_az as rule

test_single_az_fires if {
	findings := rule.deny with input as fx.az_input(fx.endpoint("ssm", []), {"azs": ["eu-west-1a"], "vpc_azs": ["eu-west-1a"]})
	count(findings) == 1
	some f in findings
	f.attribute == "subnet_ids"
	contains(f.message, "only in eu-west-1a")
}

test_gwlb_fires if {
	ep := object.union(fx.endpoint("fw", []), {"type": "GatewayLoadBalancer"})
	some f in rule.deny with input as fx.az_input(ep, {"azs": ["use1-az1"]})
	contains(f.message, "Gateway Load Balancer endpoint")
}

test_two_azs_are_quiet if {
	count(rule.deny) == 0 with input as fx.az_input(fx.endpoint("ssm", []), {})
}

test_unknown_az_is_quiet if {
	count(rule.deny) == 0 with input as fx.az_input(fx.endpoint("ssm", []), {"azs": ["eu-west-1a"], "azs_known": false})
}

test_gateway_endpoint_is_quiet if {
	ep := object.union(fx.endpoint("s3", []), {"type": "Gateway"})
	count(rule.deny) == 0 with input as fx.az_input(ep, {"azs": ["eu-west-1a"]})
}

test_no_subnets_is_quiet if {
	count(rule.deny) == 0 with input as fx.az_input(fx.endpoint("ssm", []), {"azs": []})
}

# Another subnet of the VPC has an unknown zone: the endpoint's own zones
# are still known.
test_own_zones_known if {
	count(rule.deny) == 1 with input as fx.az_input(fx.endpoint("ssm", []), {"azs": ["eu-west-1a"], "azs_known": false, "endpoint_azs_known": true})
}
