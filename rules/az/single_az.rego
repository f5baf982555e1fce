# METADATA
# title: Endpoint has subnets in only one Availability Zone
# description: >-
#   An interface or Gateway Load Balancer endpoint has all its subnets in one
#   Availability Zone. When that zone is impaired, every client in the VPC
#   loses the service (or, for a GWLB endpoint, the traffic it inspects), and
#   cross-zone traffic to the single ENI costs data-transfer charges. An
#   unknown zone keeps the rule silent.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
# custom:
#   id: AZ001
#   severity: medium
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Add a subnet in at least one more Availability Zone to the endpoint
#     (for GWLB endpoints, which take one subnet, create one endpoint per
#     zone and route each zone to its own).
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
#     - https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/use-fault-isolation-to-protect-your-workload.html
#   tags: [reliability, vpc-endpoint, availability-zone]
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
package vpclint.rules.az_single_az

import data.vpclint.lib.net

deny contains finding if {
	some id in net.indexed_endpoints("single_az")
	f := input.facts.endpoints[id]
	ep := net.ep_by_id[id]

	# Exactly one zone: a first and no second.
	f.azs[0]
	not f.azs[1]
	ep.type in {"Interface", "GatewayLoadBalancer"}
	own_azs_known(f)
	finding := {
		"resource": ep.address,
		"attribute": "subnet_ids",
		"message": sprintf("%s endpoint %s has subnets only in %s.", [kind(ep), net.endpoint_label(ep), f.azs[0]]),
	}
}

kind(ep) := "Interface" if ep.type == "Interface"

kind(ep) := "Gateway Load Balancer" if ep.type == "GatewayLoadBalancer"

# own_azs_known: the zones of the endpoint's own subnets are known (other
# subnets of the VPC do not matter to this rule).
own_azs_known(f) if f.endpoint_azs_known == true

own_azs_known(f) if f.azs_known == true
