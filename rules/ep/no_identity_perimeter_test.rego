package vpclint.rules.ep_no_identity_perimeter_test

import data.vpclint.rules.ep_no_identity_perimeter as rule

ep(sts) := {"id": "e1", "address": "aws_vpc_endpoint.s3", "type": "Gateway", "service": "s3", "policy": {"Statement": sts}}

c(op, base, key, values) := {"operator": op, "base": base, "if_exists": contains(op, "IfExists"), "set_operator": set_op(op), "key": key, "values": values}

set_op(op) := split(op, ":")[0] if contains(op, ":")

set_op(op) := "" if not contains(op, ":")

allow(conds) := {"Effect": "Allow", "principal_star": true, "Action": ["*"], "Resource": ["*"], "conditions": conds}

# The AWS data-perimeter default endpoint policy, normalized.
dp_default := [
	object.union(allow([c("StringEquals", "StringEquals", "aws:principalorgid", ["o-abcd1234ef"]), c("StringEquals", "StringEquals", "aws:resourceorgid", ["o-abcd1234ef"])]), {"Sid": "AllowRequestsByOrgsIdentitiesToOrgsResources"}),
	object.union(allow([c("Bool", "Bool", "aws:principalisawsservice", ["true"])]), {"Sid": "AllowRequestsByAWSServicePrincipals"}),
	object.union(allow([c("StringEquals", "StringEquals", "aws:principalorgid", ["o-abcd1234ef"]), c("StringEquals", "StringEquals", "aws:principaltag/dp:exclude:resource", ["true"])]), {"Sid": "AllowRequestsByOrgsIdentitiesToAnyResources"}),
	{"Sid": "AllowRequestsToAWSOwnedResources", "Effect": "Allow", "principal_star": true, "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::amazonlinux.eu-west-1.amazonaws.com/*", "arn:aws:s3:::aws-ssm-eu-west-1/*"]},
]

test_data_perimeter_default_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep(dp_default)]}
}

# Principal * on s3:GetObject of every bucket: any identity.
read_all := object.union(allow([]), {"Action": ["s3:GetObject"]})

test_no_condition_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep([read_all])]}
}

# Everything to everyone is EP002's finding, which supersedes this one on
# the statement; the other statements are still judged.
test_full_access_statement_superseded_by_ep002 if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([allow([])])]}
	findings := rule.deny with input as {"vpc_endpoints": [ep([allow([]), read_all])]}
	count(findings) == 1
	some f in findings
	f.attribute == "policy.Statement[1]"
}

test_resource_only_condition_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep([allow([c("StringEquals", "StringEquals", "aws:resourceorgid", ["o-abcd1234ef"])])])]}
}

test_match_all_value_fires if {
	some f in rule.deny with input as {"vpc_endpoints": [ep([allow([c("StringLike", "StringLike", "aws:principalorgid", ["*"])])])]}
	contains(f.message, "does not restrict")
}

test_if_exists_on_orgid_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep([allow([c("StringEqualsIfExists", "StringEquals", "aws:principalorgid", ["o-abcd1234ef"])])])]}
}

test_if_exists_on_account_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([allow([c("StringEqualsIfExists", "StringEquals", "aws:principalaccount", ["111122223333"])])])]}
}

test_for_any_value_org_paths_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([allow([c("ForAnyValue:StringLike", "StringLike", "aws:principalorgpaths", ["o-abcd1234ef/r-ab12/ou-ab12-11111111/*"])])])]}
}

test_principal_arn_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([allow([c("ArnLike", "ArnLike", "aws:principalarn", ["arn:aws:iam::111122223333:role/*"])])])]}
}

test_perimeter_deny_silent if {
	d := {"Effect": "Deny", "principal_star": true, "Action": ["*"], "Resource": ["*"], "conditions": [c("StringNotEquals", "StringNotEquals", "aws:principalorgid", ["o-abcd1234ef"])]}
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([allow([]), d])]}
}

test_deny_restricting_nothing_fires if {
	d := {"Effect": "Deny", "principal_star": true, "Action": ["*"], "Resource": ["*"], "conditions": [c("StringNotEquals", "StringNotEquals", "aws:sourcevpc", ["vpc-1"])]}
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep([read_all, d])]}
}

test_named_principal_silent if {
	st := object.union(allow([]), {"principal_star": false, "Principal": {"AWS": ["arn:aws:iam::111122223333:role/app"]}})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep([st])]}
}

test_unknown_policy_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [{"id": "e1", "address": "a", "type": "Gateway", "service": "s3", "unknown": ["policy"]}]}
}
