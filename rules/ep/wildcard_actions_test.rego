package vpclint.rules.ep_wildcard_actions_test

import data.vpclint.rules.ep_no_identity_perimeter_test as t
import data.vpclint.rules.ep_wildcard_actions as rule

org := [t.c("StringEquals", "StringEquals", "aws:principalorgid", ["o-abcd1234ef"])]

test_prefix_wildcard_fires if {
	st := object.union(t.allow(org), {"Action": ["s3:Get*", "s3:PutObject"]})
	some f in rule.deny with input as {"vpc_endpoints": [t.ep([st])]}
	contains(f.message, "s3:Get*")
}

test_service_wide_with_condition_fires if {
	st := object.union(t.allow(org), {"Action": ["s3:*"]})
	count(rule.deny) == 1 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_full_access_is_ep002s if {
	st := object.union(t.allow([]), {"Action": ["s3:*"]})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_star_with_perimeter_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep(t.dp_default)]}
}

test_explicit_actions_silent if {
	st := object.union(t.allow(org), {"Action": ["s3:GetObject"]})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_foreign_wildcard_is_ep007s if {
	st := object.union(t.allow(org), {"Action": ["dynamodb:*"]})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_deny_silent if {
	st := object.union(t.allow(org), {"Effect": "Deny", "Action": ["s3:Delete*"]})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep([st])]}
}
