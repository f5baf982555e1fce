# METADATA
# title: Interface endpoint for an AWS service has private DNS disabled
# description: >-
#   The interface endpoint for an AWS service (com.amazonaws.*) has private
#   DNS disabled, so the service's public DNS name (sqs.eu-west-1.amazonaws.com)
#   still resolves to public addresses. SDKs and CLIs keep using the public
#   endpoint through the NAT or internet gateway unless every client is
#   configured with the endpoint-specific name, so the endpoint, its policy
#   and its security group are silently bypassed. Terraform's
#   private_dns_enabled defaults to false. An interface endpoint of a
#   service that also has gateway endpoints (S3, DynamoDB) is exempt when
#   its VPC has a gateway endpoint of that service: the gateway serves the
#   VPC, the interface endpoint serves on-premises clients by name.
#   Centralized endpoints that are resolved through your own Route 53
#   private hosted zone, shared with spoke VPCs, disable private DNS on
#   purpose: when the scan holds a private hosted zone named for the
#   service (ssm.eu-west-1.amazonaws.com, or a parent domain), the rule
#   stays silent; a live audit reads the account's Route 53 zones for the
#   same purpose. A service name with an unknown part (the region from a
#   variable) is judged on its known service; a name from a variable or
#   parameter, or one that is not AWS's, is not judged.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
# custom:
#   id: DNS001
#   severity: medium
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Set private_dns_enabled = true (CloudFormation PrivateDnsEnabled: true)
#     and enable DNS support and DNS hostnames on the VPC. For a hub of
#     centralized endpoints resolved through your own private hosted zone,
#     keep it disabled and define the zone in the same scan (or, when it
#     lives elsewhere, suppress DNS001 with a comment saying so).
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
#     - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_endpoint#private_dns_enabled
#   tags: [reliability, dns, privatelink]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "sqs" {
#         vpc_id              = aws_vpc.main.id
#         service_name        = "com.amazonaws.eu-west-1.sqs"
#         vpc_endpoint_type   = "Interface"
#         subnet_ids          = [aws_subnet.a.id, aws_subnet.b.id]
#         security_group_ids  = [aws_security_group.endpoints.id]
#         private_dns_enabled = true
#       }
#     cloudformation: |
#       SQSEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           VpcEndpointType: Interface
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.sqs
#           SubnetIds: [!Ref SubnetA, !Ref SubnetB]
#           SecurityGroupIds: [!Ref EndpointSG]
#           PrivateDnsEnabled: true
package vpclint.rules.dns_private_dns_disabled

import data.vpclint.lib.inventory
import data.vpclint.lib.policy as pol

# gateway_serves(ep): an interface endpoint beside a gateway endpoint of
# the same service in its VPC (only services with both kinds, S3 and
# DynamoDB, can have one).
gateway_serves(ep) if pol.has_gateway_endpoint(ep.vpc_id, pol.service(ep))

deny contains finding if {
	inventory.decided("DNS001")
	some ep in input.vpc_endpoints
	ep.private_dns_enabled == false
	ep.type == "Interface"
	not ep.placeholder

	# An AWS service, known by its name or, when the name has an unknown
	# part, by its service (com.amazonaws.${region}.kms).
	pol.name_kind(ep) == "aws"
	not gateway_serves(ep)
	not zone_serves(ep)
	finding := {
		"resource": ep.address,
		"attribute": "private_dns_enabled",
		"message": sprintf("interface endpoint %s for %s has private DNS disabled%s: the service's public DNS name still resolves to public addresses, so clients that do not use the endpoint-specific name bypass the endpoint", [ep.address, service_text(ep), defaulted_note(ep)]),
	}
}

defaulted_note(ep) := " (Terraform's default when private_dns_enabled is not set)" if {
	"private_dns_enabled" in object.get(ep, "defaulted", [])
	ep.source.format in {"terraform", "tfplan"}
}

defaulted_note(ep) := " (the default when it is not set)" if {
	"private_dns_enabled" in object.get(ep, "defaulted", [])
	not ep.source.format in {"terraform", "tfplan"}
}

defaulted_note(ep) := "" if not "private_dns_enabled" in object.get(ep, "defaulted", [])

# service_text names the service: its name, else its pattern.
service_text(ep) := pol.name_or_pattern(ep) if {
	pol.name_or_pattern(ep)
} else := pol.service(ep)

# service_dns_name(ep) is the name the service's private DNS would serve:
# com.amazonaws.eu-west-1.ssm is ssm.eu-west-1.amazonaws.com, and a dotted
# service is reversed (ecr.api: api.ecr.eu-west-1.amazonaws.com). With the
# region unknown it is a glob whose "*" stands for the region label.
service_dns_name(ep) := concat(".", array.concat(array.reverse(split(svc, ".")), [parts[2], "amazonaws.com"])) if {
	parts := split(ep.service_name, ".")
	count(parts) > 3
	parts[0] == "com"
	parts[1] == "amazonaws"
	svc := concat(".", array.slice(parts, 3, count(parts)))
} else := concat(".", array.concat(array.reverse(split(pol.service(ep), ".")), ["*", "amazonaws.com"])) if {
	not ep.service_name
	pol.service(ep)
}

# zone_serves(ep): a private hosted zone of the scan answers for the
# service's name, or its parent domain: the hub-and-spoke design, where
# the endpoints keep private DNS off and a zone shared with the spokes
# points the service's name at them. A zone that may be private and whose
# name is unknown may be that zone: the rule stays silent rather than
# guess.
zone_serves(ep) if {
	name := service_dns_name(ep)
	some z in input.hosted_zones
	not z.private == false
	zone_covers(z.name, name)
}

zone_serves(_) if {
	some z in input.hosted_zones
	not z.private == false
	not z.name
	"name" in object.get(z, "unknown", [])
}

# zone_covers(zone, name): the zone answers for name (a glob when the
# region is unknown: the zone may be the one).
zone_covers(zone, name) if glob.match(name, ["."], zone)

zone_covers(zone, name) if {
	labels := split(name, ".")
	some i in numbers.range(1, count(labels) - 1)
	glob.match(concat(".", array.slice(labels, i, count(labels))), ["."], zone)
}
