package vpclint.lib.policy_test

import data.vpclint.lib.policy as pol

set_of(parts) := parts[0] if count(parts) == 2

set_of(parts) := "" if count(parts) == 1

cond(op, key, values) := c if {
	parts := split(op, ":")
	set := set_of(parts)
	rest := parts[count(parts) - 1]
	ie := endswith(rest, "IfExists")
	c := {"operator": op, "base": trim_suffix(rest, "IfExists"), "set_operator": set, "if_exists": ie, "key": lower(key), "values": values}
}

test_service_from_names if {
	pol.service_from_name("com.amazonaws.eu-west-1.s3") == "s3"
	pol.service_from_name("com.amazonaws.us-gov-west-1.ecr.dkr") == "ecr.dkr"
	pol.service_from_name("aws.api.us-east-1.qbusiness") == "qbusiness"
	pol.service_from_name("com.amazonaws.iam") == "iam"
	not pol.service_from_name("com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0")
	not pol.service_from_name("com.example.partner")
}

test_service_prefers_loader_field if {
	pol.service({"service": "ecr.api", "service_name": "com.amazonaws.eu-west-1.ecr.api"}) == "ecr.api"
	pol.service({"service_name": "com.amazonaws.eu-west-1.sts"}) == "sts"
}

test_identity_conditions_accepted if {
	pol.identity_condition(cond("StringEquals", "aws:PrincipalOrgID", ["o-abcd1234ef"]))
	pol.identity_condition(cond("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", ["o-abcd1234ef/r-ab12/ou-ab12-11111111/*"]))
	pol.identity_condition(cond("StringEqualsIfExists", "aws:PrincipalAccount", ["111122223333"]))
	pol.identity_condition(cond("ArnLike", "aws:PrincipalArn", ["arn:aws:iam::111122223333:role/app-*"]))
	pol.identity_condition(cond("Bool", "aws:PrincipalIsAWSService", ["true"]))
}

test_non_restricting_conditions_rejected if {
	not pol.identity_condition(cond("StringLike", "aws:PrincipalOrgID", ["*"]))
	not pol.identity_condition(cond("StringLike", "aws:PrincipalOrgID", ["o-*"]))
	not pol.identity_condition(cond("StringLike", "aws:PrincipalOrgID", ["o-abcd1234ef", "*"]))
	not pol.identity_condition(cond("ArnLike", "aws:PrincipalArn", ["arn:aws:iam::*:*"]))
	not pol.identity_condition(cond("StringEqualsIfExists", "aws:PrincipalOrgID", ["o-abcd1234ef"]))
	not pol.identity_condition(cond("ForAllValues:StringLike", "aws:PrincipalOrgPaths", ["o-abcd1234ef/*"]))
	not pol.identity_condition(cond("StringNotEquals", "aws:PrincipalOrgID", ["o-abcd1234ef"]))
	not pol.identity_condition(cond("Bool", "aws:PrincipalIsAWSService", ["false"]))
	not pol.identity_condition(cond("BoolIfExists", "aws:PrincipalIsAWSService", ["true"]))
	not pol.identity_condition(cond("StringEquals", "aws:SourceVpc", ["vpc-1"]))
}

test_resource_conditions if {
	pol.resource_condition(cond("StringEquals", "aws:ResourceOrgID", ["o-abcd1234ef"]))
	pol.resource_condition(cond("StringEqualsIfExists", "aws:ResourceAccount", ["111122223333"]))
	not pol.resource_condition(cond("StringLike", "aws:ResourceAccount", ["*"]))
	not pol.resource_condition(cond("StringEquals", "aws:PrincipalOrgID", ["o-abcd1234ef"]))
}

allow_all := {"Effect": "Allow", "principal_star": true, "Action": ["*"], "Resource": ["*"]}

ep := {"service": "s3"}

test_perimeter_deny_limits_allow if {
	d := {"Effect": "Deny", "principal_star": true, "Action": ["*"], "Resource": ["*"], "conditions": [cond("StringNotEquals", "aws:PrincipalOrgID", ["o-abcd1234ef"]), cond("BoolIfExists", "aws:PrincipalIsAWSService", ["false"])]}
	p := {"Statement": [allow_all, d]}
	pol.identity_limited(p, allow_all, ep)
	not pol.resource_limited(p, allow_all, ep)
}

test_deny_restricting_nothing_does_not_limit if {
	d := {"Effect": "Deny", "principal_star": true, "Action": ["*"], "Resource": ["*"], "conditions": [cond("StringNotLike", "aws:PrincipalOrgID", ["*"])]}
	p := {"Statement": [allow_all, d]}
	not pol.identity_limited(p, allow_all, ep)
}

test_deny_on_fewer_actions_does_not_limit if {
	d := {"Effect": "Deny", "principal_star": true, "Action": ["s3:PutObject"], "Resource": ["*"], "conditions": [cond("StringNotEquals", "aws:PrincipalOrgID", ["o-abcd1234ef"])]}
	p := {"Statement": [allow_all, d]}
	not pol.identity_limited(p, allow_all, ep)
}

test_lets_nothing_through if {
	d := {"Effect": "Deny", "principal_star": true, "Action": ["*"], "Resource": ["*"], "conditions": [cond("StringNotEquals", "aws:SourceVpc", ["vpc-1"])]}
	pol.lets_nothing_through({"Statement": [d]}, ep)
	pol.lets_nothing_through({"Statement": [allow_all, object.remove(d, ["conditions"])]}, ep)
	not pol.lets_nothing_through({"Statement": [allow_all, d]}, ep)
	not pol.lets_nothing_through({"Statement": []}, ep)
}

test_service_wide_deny_cancels_service_actions if {
	a := {"Effect": "Allow", "principal_star": true, "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::b/*"]}
	d := {"Effect": "Deny", "principal_star": true, "Action": ["s3:*"], "Resource": ["*"]}
	pol.lets_nothing_through({"Statement": [a, d]}, ep)
	d2 := object.union(d, {"Action": ["s3:Put*"]})
	not pol.lets_nothing_through({"Statement": [a, d2]}, ep)
}

test_action_helpers if {
	pol.service_wide_action("s3:*")
	pol.wildcard_action("s3:Get*")
	not pol.wildcard_action("s3:*")
	not pol.service_wide_action("*")
	pol.is_all_resources("arn:aws:s3:::*")
	pol.is_all_resources("arn:aws:s3:::*/*")
	not pol.is_all_resources("arn:aws:s3:::my-bucket/*")
}

test_policy_rule_applies if {
	pol.policy_rule_applies({"type": "Interface", "service": "sqs", "service_name": "com.amazonaws.eu-west-1.sqs", "policy": {"Statement": []}})
	pol.policy_rule_applies({"type": "Interface", "policy": {"Statement": []}})
	not pol.policy_rule_applies({"type": "Interface", "service": "", "service_name": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0", "policy": {"Statement": []}})
	not pol.policy_rule_applies({"type": "Interface", "service": "email-smtp", "policy": {"Statement": []}})
	not pol.policy_rule_applies({"type": "GatewayLoadBalancer", "service": "sqs", "policy": {"Statement": []}})
	not pol.policy_rule_applies({"type": "Interface", "service": "sqs"})
}

test_endpoint_policies_share_keys if {
	p := {"digest": "abc", "Statement": []}
	eps := [
		{"address": "a", "type": "Interface", "service": "sqs", "policy": p},
		{"address": "b", "type": "Interface", "service": "sqs", "policy": p},
		{"address": "c", "type": "Interface", "service": "sns", "policy": p},
	]
	count(pol.endpoint_policies) == 3 with input as {"vpc_endpoints": eps}
	count(pol.policy_keys) == 2 with input as {"vpc_endpoints": eps}
}

test_endpoint_policies_by_key if {
	p := {"digest": "abc", "Statement": []}
	q := {"Statement": [{"Effect": "Deny"}]}
	eps := [
		{"address": "a", "type": "Interface", "service": "sqs", "policy": p},
		{"address": "b", "type": "Interface", "service": "sqs", "policy": p},
		{"address": "c", "type": "Interface", "service": "sns", "policy": p},
		{"address": "d", "type": "Interface", "service": "sns", "policy": q},
		{"address": "e", "type": "Interface", "service": "sns"},
	]
	by_key := pol.endpoint_policies_by_key with input as {"vpc_endpoints": eps}
	{k: sort([e.ep.address | some e in es]) | some k, es in by_key} == {
		["sqs", "abc"]: ["a", "b"],
		["sns", "abc"]: ["c"],
		["sns", q]: ["d"],
	}
}

test_placeholder_with_policy_is_read if {
	p := {"digest": "d", "Statement": []}
	eps := [{"address": "vpce-1", "id": "vpce-1", "placeholder": true, "policy": p}]
	count(pol.endpoint_policies) == 1 with input as {"vpc_endpoints": eps}
	pol.policy_rule_applies(eps[0])
	pol.policy_endpoint(eps[0])
}

# Partially known names (COORDINATION 2): the service decides when it is
# known; else the pattern's known start says whose service it is, or
# nothing.
test_name_kind if {
	pol.name_kind({"service": "kms", "service_name_pattern": "com.amazonaws.*.kms", "unknown": ["service_name"]}) == "aws"
	pol.name_kind({"service_name": "com.amazonaws.eu-west-1.sqs"}) == "aws"
	pol.name_kind({"service_name": "aws.api.us-east-1.qbusiness"}) == "aws"
	pol.name_kind({"service_name": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"}) == "customer"
	pol.name_kind({"service_name_pattern": "com.amazonaws.vpce.*.vpce-svc-0123456789abcdef0"}) == "customer"
	pol.name_kind({"service_name": "com.example.partner.api"}) == "customer"
	pol.name_kind({"service_name_pattern": "com.example.*"}) == "customer"
	not pol.name_kind({"service_name_pattern": "*"})
	not pol.name_kind({"service_name_pattern": "com.amazonaws.*.*"})
	not pol.name_kind({"service_name_pattern": "com.*"})
	not pol.name_kind({"unknown": ["service_name"]})
}

test_not_aws_service_from_pattern if {
	pol.not_aws_service({"service_name_pattern": "com.amazonaws.vpce.*.vpce-svc-0123456789abcdef0"})
	not pol.not_aws_service({"service_name_pattern": "com.amazonaws.*.*"})
	not pol.not_aws_service({"service": "kms", "service_name_pattern": "com.amazonaws.*.kms"})
}

test_service_extra_ports if {
	pol.service_extra_ports({"service": "email-smtp"}) == [25, 465, 587, 2465, 2587]
	pol.service_extra_ports({"service": "sqs"}) == []
	not pol.service_extra_ports({"service_name_pattern": "com.amazonaws.*.*"})
}

# Documented cross-service actions are not foreign, nor a wildcard that
# covers one; other actions of other services are.
test_documented_cross_service_actions if {
	ca := {"service": "codeartifact.api"}
	not pol.foreign_action("sts:GetServiceBearerToken", ca)
	not pol.foreign_action("STS:getservicebearertoken", ca)
	not pol.foreign_action("sts:*", ca)
	pol.foreign_action("sts:AssumeRole", ca)
	pol.foreign_action("sts:GetServiceBearerToken", {"service": "s3"})
}

# Every documented cross-service action cites its AWS documentation.
test_cross_service_actions_cite_sources if {
	every _, info in pol.services {
		every x in object.get(info, "cross_service_actions", []) {
			contains(x.action, ":")
			startswith(x.source, "https://docs.aws.amazon.com/")
		}
	}
	every _, info in pol.services {
		every _ in object.get(info, "ports", []) {
			startswith(info.ports_source, "https://docs.aws.amazon.com/")
		}
	}
}

# Deny statements limit an Allow together: each of its actions denied
# outside the perimeter by one of them.
test_perimeter_denies_limit_allow_together if {
	a := {"Effect": "Allow", "principal_star": true, "Action": ["s3:GetObject", "kms:Decrypt"], "Resource": ["*"]}
	perimeter := [cond("StringNotEquals", "aws:PrincipalOrgID", ["o-abcd1234ef"])]
	d1 := {"Effect": "Deny", "principal_star": true, "Action": ["s3:*"], "Resource": ["*"], "conditions": perimeter}
	d2 := {"Effect": "Deny", "principal_star": true, "Action": ["kms:Decrypt"], "Resource": ["*"], "conditions": perimeter}
	pol.identity_limited({"Statement": [a, d1, d2]}, a, ep)
	not pol.identity_limited({"Statement": [a, d1]}, a, ep)
	not pol.identity_limited({"Statement": [a, d2]}, a, ep)

	# an Allow of NotAction is limited only by a Deny of "*"
	na := {"Effect": "Allow", "principal_star": true, "NotAction": ["iam:*"], "Resource": ["*"]}
	not pol.identity_limited({"Statement": [na, d1, d2]}, na, ep)
	pol.identity_limited({"Statement": [na, object.union(d1, {"Action": ["*"]})]}, na, ep)
}

test_cancelling_names_the_first_deny_of_each_action if {
	a := {"Effect": "Allow", "principal_star": true, "Action": ["s3:GetObject", "kms:Decrypt"], "Resource": ["*"]}
	d1 := {"Effect": "Deny", "principal_star": true, "Action": ["kms:Decrypt"], "Resource": ["*"]}
	d2 := {"Effect": "Deny", "principal_star": true, "Action": ["s3:*", "kms:*"], "Resource": ["*"]}
	p := {"Statement": [a, d1, d2]}
	pol.lets_nothing_through(p, ep)
	pol.cancelling(p, a) == {1, 2}
	star := {"Effect": "Deny", "principal_star": true, "Action": ["*"], "Resource": ["*"]}
	pol.cancelling({"Statement": [a, d1, star, d2]}, a) == {2}
}

# A policy longer than AWS allows, or one vpclint read only in part, is
# EP006's: the content rules do not judge it.
one_endpoint(p) := {"vpc_endpoints": [{"id": "e", "address": "aws_vpc_endpoint.e", "type": "Interface", "service": "s3", "policy": p}]}

test_policies_over_the_limits_are_not_judged if {
	p := {"Statement": [allow_all], "length": 20480}
	count(pol.policy_keys) == 1 with input as one_endpoint(p)
	count(pol.policy_keys) == 0 with input as one_endpoint(object.union(p, {"length": 20481}))
	count(pol.policy_keys) == 0 with input as one_endpoint(object.union(p, {"truncated": true}))
}
