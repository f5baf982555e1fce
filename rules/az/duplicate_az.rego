# METADATA
# title: Endpoint lists two subnets in the same Availability Zone
# description: >-
#   An endpoint lists more than one subnet in one Availability Zone. AWS
#   allows one endpoint network interface per zone and rejects the request
#   (DuplicateSubnetsInSameZone), so the deployment fails. Zones are compared by
#   name, id or the symbolic zone a template selects.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
# custom:
#   id: AZ003
#   severity: high
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Keep one subnet per Availability Zone in subnet_ids / SubnetIds, for
#     example the private subnet of each zone.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
#     - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html
#   tags: [correctness, vpc-endpoint, availability-zone]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "ssm" {
#         vpc_id             = aws_vpc.main.id
#         service_name       = "com.amazonaws.eu-west-1.ssm"
#         vpc_endpoint_type  = "Interface"
#         subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
#         security_group_ids = [aws_security_group.endpoints.id]
#       }
#     cloudformation: |
#       SSMEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           VpcEndpointType: Interface
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.ssm
#           SubnetIds: [!Ref PrivateSubnetA, !Ref PrivateSubnetB]
#           SecurityGroupIds: [!Ref EndpointSG]
package vpclint.rules.az_duplicate_az

import data.vpclint.lib.net

deny contains finding if {
	some id in net.indexed_endpoints("duplicate_azs")
	some dup in input.facts.endpoints[id].duplicate_azs
	ep := net.ep_by_id[id]
	count(dup.subnet_ids) > 1
	finding := {
		"resource": ep.address,
		"attribute": attribute(ep, dup),
		"message": sprintf("Endpoint %s lists %d subnets in %s (%s); AWS accepts one subnet per Availability Zone.", [
			net.endpoint_label(ep), count(dup.subnet_ids), dup.az,
			concat(", ", [net.subnet_name(s) | some s in dup.subnet_ids]),
		]),
	}
}

# attribute points at the second subnet of the zone in the endpoint's list.
attribute(ep, dup) := sprintf("subnet_ids[%d]", [positions[1]]) if {
	positions := sort([i | some i, s in ep.subnet_ids; s in dup.subnet_ids])
	count(positions) > 1
}

attribute(ep, dup) := "subnet_ids" if {
	count([i | some i, s in object.get(ep, "subnet_ids", []); s in dup.subnet_ids]) < 2
}
