package vpclint.rules.dns_private_dns_disabled_test

import data.vpclint.rules.dns_private_dns_disabled as rule

ep(extra) := object.union({"id": "e1", "address": "aws_vpc_endpoint.sqs", "vpc_id": "v1", "type": "Interface", "service_name": "com.amazonaws.eu-west-1.sqs", "service": "sqs", "private_dns_enabled": false, "source": {"format": "terraform"}}, extra)

test_disabled_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep({})]}
}

test_defaulted_message if {
	some f in rule.deny with input as {"vpc_endpoints": [ep({"defaulted": ["private_dns_enabled"]})]}
	contains(f.message, "Terraform's default")
}

test_enabled_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"private_dns_enabled": true})]}
}

test_unknown_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [object.remove(ep({"unknown": ["private_dns_enabled"]}), ["private_dns_enabled"])]}
}

test_customer_service_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"service": "", "service_name": "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"})]}
}

test_gateway_silent if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({"type": "Gateway"})]}
}

test_s3_with_gateway_exempt if {
	s3 := ep({"service": "s3", "service_name": "com.amazonaws.eu-west-1.s3"})
	gw := ep({"id": "g1", "address": "aws_vpc_endpoint.s3gw", "type": "Gateway", "service": "s3", "service_name": "com.amazonaws.eu-west-1.s3"})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [s3, gw]}
}

# The same holds for every service with both kinds of endpoint.
test_dynamodb_with_gateway_exempt if {
	ddb := ep({"service": "dynamodb", "service_name": "com.amazonaws.eu-west-1.dynamodb"})
	gw := ep({"id": "g1", "address": "aws_vpc_endpoint.ddbgw", "type": "Gateway", "service": "dynamodb", "service_name": "com.amazonaws.eu-west-1.dynamodb"})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ddb, gw]}
}

# A gateway endpoint of another service does not serve this one.
test_gateway_of_other_service_fires if {
	ddb := ep({"service": "dynamodb", "service_name": "com.amazonaws.eu-west-1.dynamodb"})
	gw := ep({"id": "g1", "address": "aws_vpc_endpoint.s3gw", "type": "Gateway", "service": "s3", "service_name": "com.amazonaws.eu-west-1.s3"})
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ddb, gw]}
}

test_s3_without_gateway_fires if {
	s3 := ep({"service": "s3", "service_name": "com.amazonaws.eu-west-1.s3"})
	count(rule.deny) == 1 with input as {"vpc_endpoints": [s3]}
}

zone(extra) := object.union({"id": "z1", "address": "aws_route53_zone.sqs", "name": "sqs.eu-west-1.amazonaws.com", "private": true, "vpc_ids": ["spoke"]}, extra)

# Hub and spoke: a private zone for the service's name points it at the
# endpoint, whose own private DNS is off.
test_hub_zone_silences if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({})], "hosted_zones": [zone({})]}
}

test_parent_zone_silences if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({})], "hosted_zones": [zone({"name": "eu-west-1.amazonaws.com"})]}
}

test_dotted_service_name_reversed if {
	ecr := ep({"service": "ecr.api", "service_name": "com.amazonaws.eu-west-1.ecr.api"})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ecr], "hosted_zones": [zone({"name": "api.ecr.eu-west-1.amazonaws.com"})]}
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ecr], "hosted_zones": [zone({"name": "ecr.api.eu-west-1.amazonaws.com"})]}
}

test_public_zone_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep({})], "hosted_zones": [zone({"private": false, "vpc_ids": []})]}
}

test_other_service_zone_fires if {
	count(rule.deny) == 1 with input as {"vpc_endpoints": [ep({})], "hosted_zones": [zone({"name": "sqs.eu-west-2.amazonaws.com"}), zone({"id": "z2", "name": "sns.eu-west-1.amazonaws.com"})]}
}

test_unknown_zone_name_silent if {
	z := object.remove(zone({"unknown": ["name"]}), ["name"])
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({})], "hosted_zones": [z]}
}

test_zone_with_unknown_privacy_silences if {
	z := object.remove(zone({"unknown": ["private", "vpc_ids"]}), ["private", "vpc_ids"])
	count(rule.deny) == 0 with input as {"vpc_endpoints": [ep({})], "hosted_zones": [z]}
}

test_hosted_zone_list_unread_silent if {
	inp := {"vpc_endpoints": [ep({})], "inventory": {"complete": false, "lists": {"vpc_endpoints": true}}}
	count(rule.deny) == 0 with input as inp
	count(rule.deny) == 1 with input as object.union(inp, {"inventory": {"lists": {"hosted_zones": true}}})
}

# com.amazonaws.${region}.sqs: the service is known, so the rule decides.
partial := object.union(object.remove(ep({}), ["service_name"]), {"service_name_pattern": "com.amazonaws.*.sqs", "unknown": ["service_name"]})

test_partially_known_name_fires if {
	findings := rule.deny with input as {"vpc_endpoints": [partial]}
	count(findings) == 1
	some f in findings
	contains(f.message, "com.amazonaws.*.sqs")
}

# With the region unknown, a zone for the service in any region may be the
# one that serves it; one for another service is not.
test_partially_known_name_and_zone if {
	count(rule.deny) == 0 with input as {"vpc_endpoints": [partial], "hosted_zones": [zone({})]}
	count(rule.deny) == 0 with input as {"vpc_endpoints": [partial], "hosted_zones": [zone({"name": "us-east-1.amazonaws.com"})]}
	count(rule.deny) == 1 with input as {"vpc_endpoints": [partial], "hosted_zones": [zone({"name": "sns.eu-west-1.amazonaws.com"})]}
}

test_unknown_or_customer_pattern_silent if {
	unknown := object.union(object.remove(ep({}), ["service_name", "service"]), {"unknown": ["service_name"]})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [unknown]}
	wild := object.union(unknown, {"service_name_pattern": "com.amazonaws.*.*"})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [wild]}
	customer := object.union(unknown, {"service_name_pattern": "com.amazonaws.vpce.*.vpce-svc-0123456789abcdef0"})
	count(rule.deny) == 0 with input as {"vpc_endpoints": [customer]}
}
