package vpclint.rules.ep_no_resource_perimeter_test

import data.vpclint.rules.ep_no_identity_perimeter_test as t
import data.vpclint.rules.ep_no_resource_perimeter as rule

test_data_perimeter_default_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep(t.dp_default)]}
}

test_identity_only_fires if {
	st := t.allow([t.c("StringEquals", "StringEquals", "aws:principalorgid", ["o-abcd1234ef"])])
	count(rule.deny) == 1 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_wildcard_arn_fires if {
	st := object.union(t.allow([]), {"Action": ["s3:PutObject"], "Resource": ["arn:aws:s3:::*"]})
	count(rule.deny) == 1 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_full_access_statement_superseded_by_ep002 if {
	st := object.union(t.allow([]), {"Resource": ["arn:aws:s3:::*"]})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_explicit_resources_silent if {
	st := object.union(t.allow([]), {"Resource": ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"]})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_resource_account_if_exists_silent if {
	st := t.allow([t.c("StringEqualsIfExists", "StringEquals", "aws:resourceaccount", ["111122223333"])])
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_match_all_resource_condition_fires if {
	st := t.allow([t.c("StringLike", "StringLike", "aws:resourceorgid", ["o-*"])])
	count(rule.deny) == 1 with input as {"vpc_endpoints": [t.ep([st])]}
}

test_resource_perimeter_deny_silent if {
	d := {"Effect": "Deny", "principal_star": true, "Action": ["*"], "Resource": ["*"], "conditions": [t.c("StringNotEqualsIfExists", "StringNotEquals", "aws:resourceorgid", ["o-abcd1234ef"])]}
	count(rule.deny) == 0 with input as {"vpc_endpoints": [t.ep([t.allow([]), d])]}
}

test_tag_without_identity_perimeter_fires if {
	st := t.allow([t.c("StringEquals", "StringEquals", "aws:principaltag/dp:exclude:resource", ["true"])])
	count(rule.deny) == 1 with input as {"vpc_endpoints": [t.ep([st])]}
}
