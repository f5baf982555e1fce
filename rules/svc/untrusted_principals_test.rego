package vpclint.rules.svc_untrusted_principals_test

import data.vpclint.rules.svc_untrusted_principals as rule

svc(ps) := {"id": "s", "address": "aws_vpc_endpoint_service.api", "acceptance_required": true, "allowed_principals": ps}

cfg := {"trusted_accounts": ["111122223333"]}

test_foreign_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoint_services": [svc(["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"])]} with data.config as cfg
}

test_trusted_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoint_services": [svc(["arn:aws:iam::111122223333:role/x"])]} with data.config as cfg
}

test_star_is_svc002s if {
	count(rule.deny) == 0 with input as {"vpc_endpoint_services": [svc(["*"])]} with data.config as cfg
}

test_unconfigured_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoint_services": [svc(["arn:aws:iam::444455556666:root"])]} with data.config as {"trusted_accounts": []}
}

test_organization_arn_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoint_services": [svc(["arn:aws:organizations::444455556666:organization/o-abcd1234ef"])]} with data.config as cfg
}

test_assumed_role_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoint_services": [svc(["arn:aws:sts::444455556666:assumed-role/r/s"])]} with data.config as cfg
}
