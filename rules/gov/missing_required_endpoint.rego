# METADATA
# title: VPC lacks a required VPC endpoint
# description: >-
#   config.required_endpoints lists services every VPC must reach through a
#   VPC endpoint, and this VPC has no endpoint for one of them. Without it,
#   calls to the service leave the VPC through a NAT or internet gateway,
#   and endpoint policies cannot enforce the data perimeter. Security Hub
#   checks the same for ec2 (EC2.10), ecr.api (EC2.55), ecr.dkr (EC2.56),
#   ssm (EC2.57), ssm-contacts (EC2.58) and ssm-incidents (EC2.60).
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
# custom:
#   id: GOV002
#   severity: medium
#   subjects: [vpcs]
#   remediation: >-
#     Create an endpoint for the service in the VPC (interface endpoint with
#     private DNS, or a gateway endpoint for S3 and DynamoDB), or remove the
#     service from required_endpoints if this VPC does not need it.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
#     - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-10
#   frameworks: {securityhub: ["EC2.10", "EC2.55", "EC2.56", "EC2.57", "EC2.58", "EC2.60"]}
#   tags: [governance, privatelink]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "ec2" {
#         vpc_id              = aws_vpc.main.id
#         service_name        = "com.amazonaws.eu-west-1.ec2"
#         vpc_endpoint_type   = "Interface"
#         subnet_ids          = [aws_subnet.a.id, aws_subnet.b.id]
#         security_group_ids  = [aws_security_group.endpoints.id]
#         private_dns_enabled = true
#       }
#     cloudformation: |
#       EC2Endpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           VpcEndpointType: Interface
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.ec2
#           SubnetIds: [!Ref SubnetA, !Ref SubnetB]
#           SecurityGroupIds: [!Ref EndpointSG]
#           PrivateDnsEnabled: true
package vpclint.rules.gov_missing_required_endpoint

import data.vpclint.lib.inventory
import data.vpclint.lib.policy as pol

# required is the set of short service names; full service names
# (com.amazonaws.<region>.ec2) are accepted too.
required contains svc if {
	some r in data.config.required_endpoints
	svc := short(r)
}

short(r) := s if s := pol.service_from_name(r)

short(r) := r if not pol.service_from_name(r)

# [vpc_id, service] of every endpoint, a set built once.
vpc_services := {[ep.vpc_id, svc] |
	some ep in input.vpc_endpoints
	ep.vpc_id
	svc := pol.service(ep)
}

deny contains finding if {
	count(required) > 0
	inventory.decided("GOV002")
	some vpc in input.vpcs
	not vpc.placeholder
	not pol.unknown_endpoint_in_vpc(vpc.id)
	some svc in required
	not [vpc.id, svc] in vpc_services
	finding := {
		"resource": vpc.address,
		"message": sprintf("VPC %s has no VPC endpoint for %s, which required_endpoints lists", [vpc.address, svc]),
	}
}
