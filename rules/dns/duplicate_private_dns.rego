# METADATA
# title: Several interface endpoints for one service enable private DNS in one VPC
# description: >-
#   Two or more interface endpoints for the same service in the same VPC
#   enable private DNS. Only one private hosted zone per service name can
#   be associated with a VPC, so AWS rejects the second endpoint
#   ("private-dns-enabled cannot be set because there is already a
#   conflicting DNS domain") and the deployment rolls back.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
# custom:
#   id: DNS003
#   severity: high
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Keep one interface endpoint per service and VPC with private DNS
#     enabled (it serves every subnet of the VPC); remove the duplicates or
#     disable private DNS on them.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
#     - https://github.com/hashicorp/terraform-provider-aws/issues/17535
#   tags: [correctness, dns, privatelink]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "ssm" {
#         vpc_id              = aws_vpc.main.id
#         service_name        = "com.amazonaws.eu-west-1.ssm"
#         vpc_endpoint_type   = "Interface"
#         subnet_ids          = [aws_subnet.a.id, aws_subnet.b.id]
#         security_group_ids  = [aws_security_group.endpoints.id]
#         private_dns_enabled = true
#       }
#     cloudformation: |
#       SSMEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           VpcEndpointType: Interface
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.ssm
#           SubnetIds: [!Ref SubnetA, !Ref SubnetB]
#           SecurityGroupIds: [!Ref EndpointSG]
#           PrivateDnsEnabled: true
package vpclint.rules.dns_duplicate_private_dns

import data.vpclint.lib.net

# One [vpc, service_name, address] per interface endpoint with private DNS.
entries := [[ep.vpc_id, ep.service_name, ep.address] |
	some ep in net.endpoints_at("private_dns_duplicates")
	ep.private_dns_enabled == true
	ep.type == "Interface"
	not ep.placeholder
	ep.vpc_id
	ep.service_name
]

# last[[vpc, service_name]] is the index of the pair's last entry: an
# entry that is not its pair's last has a duplicate. object.union_n merges
# in Go, keeping the later value, so this is linear.
last := object.union_n([{[e[0], e[1]]: i} | some i, e in entries])

dup_keys := {[e[0], e[1]] |
	count(last) < count(entries) # else no pair repeats, the common case
	l := last
	some i, e in entries
	l[[e[0], e[1]]] != i
}

has_duplicates if count(dup_keys) > 0

# The entries of duplicated pairs are few: group them directly.
dups := [e |
	keys := dup_keys
	some e in entries
	[e[0], e[1]] in keys
]

members := {k: {e[2] | some e in dups; [e[0], e[1]] == k} | some k in dup_keys}

deny contains finding if {
	has_duplicates

	# Only the entries of duplicated pairs: [vpc, service_name, address].
	some e in dups
	group := members[[e[0], e[1]]]
	others := sort({a | some a in group; a != e[2]})
	count(others) > 0
	finding := {
		"resource": e[2],
		"attribute": "private_dns_enabled",
		"message": sprintf("interface endpoint %s enables private DNS for %s, and so does %s in the same VPC; only one private hosted zone per service can be associated with a VPC, so AWS rejects the duplicate", [e[2], e[1], concat(", ", others)]),
	}
}
