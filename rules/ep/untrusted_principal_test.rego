package vpclint.rules.ep_untrusted_principal_test

import data.vpclint.rules.ep_untrusted_principal as rule

ep(principals, effect) := {"id": "e1", "address": "aws_vpc_endpoint.sqs", "type": "Interface", "service": "sqs", "policy": {"Statement": [{"Effect": effect, "principal_star": false, "Principal": {"AWS": principals}, "Action": ["sqs:SendMessage"], "Resource": ["*"]}]}}

cfg := {"trusted_accounts": ["111122223333"]}

test_foreign_role_fires if {
	some f in rule.deny with input as {"vpc_endpoints": [ep(["arn:aws:iam::444455556666:role/x"], "Allow")]} with data.config as cfg
	contains(f.message, "444455556666")
}

test_foreign_account_id_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep(["444455556666", "111122223333"], "Allow")]} with data.config as cfg
}

test_trusted_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep(["arn:aws:iam::111122223333:root", "111122223333"], "Allow")]} with data.config as cfg
}

test_numeric_config_accounts if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep(["111122223333"], "Allow")]} with data.config as {"trusted_accounts": [111122223333]}
}

test_not_configured_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep(["444455556666"], "Allow")]} with data.config as {"trusted_accounts": []}
}

test_deny_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep(["444455556666"], "Deny")]} with data.config as cfg
}

test_star_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep(["*"], "Allow")]} with data.config as cfg
}
