# METADATA
# title: Interface endpoint is missing from an Availability Zone of its VPC
# description: >-
#   The VPC has subnets in an Availability Zone where the interface endpoint
#   has no network interface. Clients in that zone cross zones to reach the
#   endpoint (paying inter-AZ data transfer) and lose it when another zone
#   fails. Zones are compared by name, id or, before deployment, by the
#   symbolic zone a template selects; an unknown zone keeps the rule silent.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
# custom:
#   id: AZ002
#   severity: low
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Add one subnet of each missing Availability Zone to the endpoint's
#     subnet_ids / SubnetIds (one per zone; check that the service is offered
#     in that zone).
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
#     - https://aws.amazon.com/privatelink/pricing/
#   tags: [reliability, cost, vpc-endpoint, availability-zone]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "ssm" {
#         vpc_id             = aws_vpc.main.id
#         service_name       = "com.amazonaws.eu-west-1.ssm"
#         vpc_endpoint_type  = "Interface"
#         subnet_ids         = [for s in aws_subnet.private : s.id] # one per AZ
#         security_group_ids = [aws_security_group.endpoints.id]
#       }
#     cloudformation: |
#       SSMEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           VpcEndpointType: Interface
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.ssm
#           SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB, !Ref PrivateSubnetC]
#           SecurityGroupIds: [!Ref EndpointSG]
package vpclint.rules.az_missing_az

import data.vpclint.lib.net

deny contains finding if {
	some id in net.indexed_endpoints("missing_azs")
	f := input.facts.endpoints[id]
	ep := net.ep_by_id[id]

	# Most endpoints miss no zone: one lookup decides.
	f.missing_azs[0]
	ep.type == "Interface"
	f.azs_known == true
	missing := sort({az | some az in object.get(f, "missing_azs", [])})
	count(missing) > 0
	finding := {
		"resource": ep.address,
		"attribute": "subnet_ids",
		"message": sprintf("Interface endpoint %s has no subnet in %s, where its VPC %s has subnets (%s).", [
			net.endpoint_label(ep), concat(", ", missing), object.get(ep, "vpc_id", ""), zones_text(f.azs),
		]),
	}
}

# zones_text names the zones the endpoint is in, or says it has none.
zones_text(azs) := sprintf("endpoint zones: %s", [concat(", ", sort(azs))]) if count(azs) > 0

zones_text(azs) := "the endpoint has no subnet at all" if count(azs) == 0
