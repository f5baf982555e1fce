# METADATA
# title: Private DNS is enabled but the VPC's DNS attributes are off
# description: >-
#   The endpoint enables private DNS, but its VPC has enable_dns_support or
#   enable_dns_hostnames false. AWS requires both for the private hosted
#   zone: the endpoint creation fails, or the service name keeps resolving
#   to public addresses. Terraform's aws_vpc and CloudFormation's
#   AWS::EC2::VPC default enable_dns_hostnames to false.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html#vpc-dns-support
# custom:
#   id: DNS002
#   severity: high
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Set enable_dns_support = true and enable_dns_hostnames = true on the
#     VPC (CloudFormation EnableDnsSupport and EnableDnsHostnames).
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html#vpc-dns-support
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
#   tags: [reliability, dns, privatelink]
#   examples:
#     terraform: |
#       resource "aws_vpc" "main" {
#         cidr_block           = "10.0.0.0/16"
#         enable_dns_support   = true
#         enable_dns_hostnames = true
#       }
#     cloudformation: |
#       VPC:
#         Type: AWS::EC2::VPC
#         Properties:
#           CidrBlock: 10.0.0.0/16
#           EnableDnsSupport: true
#           EnableDnsHostnames: true
package vpclint.rules.dns_vpc_dns_attributes

vpcs := {v.id: v | some v in input.vpcs}

# dns_off[vpc id] are the DNS attributes that VPC has false; VPCs with both
# on (or unknown) are left out, so the rule visits only the endpoints of
# the few VPCs that can fire.
dns_off := {v.id: off |
	some v in input.vpcs
	off := off_attributes(v)
	count(off) > 0
}

off_attributes(v) := [a |
	some a in ["enable_dns_support", "enable_dns_hostnames"]
	object.get(v, a, null) == false
]

deny contains finding if {
	some id, off in dns_off
	v := vpcs[id]

	# Grouped by VPC once (comprehension indexing on id).
	eps := [ep | some ep in input.vpc_endpoints; ep.vpc_id == id]
	some ep in eps
	not ep.placeholder
	ep.private_dns_enabled == true
	finding := {
		"resource": ep.address,
		"attribute": "private_dns_enabled",
		"message": sprintf("endpoint %s enables private DNS but its VPC %s has %s false; AWS needs both enable_dns_support and enable_dns_hostnames for the endpoint's private hosted zone", [ep.address, v.address, concat(" and ", off)]),
	}
}
