package vpclint.rules.az_duplicate_az_test

import data.vpclint.lib.netfix as fx
import data.vpclint.rules.az_duplicate_az as rule

test_two_subnets_in_one_az_fire if {
	f0 := {"azs": ["eu-west-1a"], "duplicate_azs": [{"az": "eu-west-1a", "subnet_ids": ["subnet-a", "subnet-b"]}]}
	findings := rule.deny with input as fx.az_input(fx.endpoint("ssm", []), f0)
	count(findings) == 1
	some f in findings
	f.attribute == "subnet_ids[1]"
	contains(f.message, "2 subnets in eu-west-1a (aws_subnet.a, aws_subnet.b)")
}

# Known duplicates are reported even when another subnet's zone is unknown.
test_duplicates_with_unknown_zone_elsewhere if {
	f0 := {"azs_known": false, "duplicate_azs": [{"az": "eu-west-1a", "subnet_ids": ["subnet-a", "subnet-b"]}]}
	count(rule.deny) == 1 with input as fx.az_input(fx.endpoint("ssm", []), f0)
}

test_no_duplicates_is_quiet if {
	count(rule.deny) == 0 with input as fx.az_input(fx.endpoint("ssm", []), {})
}
