# METADATA
# title: Endpoint names a security group of another VPC or one that does not exist
# description: >-
#   An endpoint lists a security group that belongs to another VPC, or, in a
#   complete inventory (a live account), a group that does not exist. AWS
#   rejects a group from another VPC when the endpoint is created or changed,
#   and a missing group leaves the endpoint with rules nobody can see.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
# custom:
#   id: SG013
#   severity: high
#   subjects: [vpc_endpoints]
#   remediation: >-
#     List security groups created in the endpoint's own VPC (vpc_id =
#     the endpoint's VPC), and remove references to deleted groups.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#   tags: [correctness, security-group, vpc-endpoint]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "ssm" {
#         vpc_id             = aws_vpc.main.id
#         service_name       = "com.amazonaws.eu-west-1.ssm"
#         vpc_endpoint_type  = "Interface"
#         subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]
#         security_group_ids = [aws_security_group.endpoints.id] # in aws_vpc.main
#       }
#     cloudformation: |
#       SSMEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           VpcEndpointType: Interface
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.ssm
#           SubnetIds: [!Ref SubnetA, !Ref SubnetB]
#           SecurityGroupIds: [!Ref EndpointSG] # VpcId: !Ref VPC
package vpclint.rules.sg_endpoint_group_elsewhere

import data.vpclint.lib.inventory
import data.vpclint.lib.net

deny contains finding if {
	some ep_id in net.indexed_endpoints("foreign_groups")
	some id in input.facts.endpoints[ep_id].foreign_groups
	ep := net.ep_by_id[ep_id]
	finding := {
		"resource": ep.address,
		"attribute": attribute(ep, id),
		"message": sprintf("Endpoint %s lists security group %s of %s, but the endpoint is in %s; AWS rejects a group of another VPC.", [
			ep.address, group_name(id), group_vpc(id), endpoint_vpc(ep),
		]),
	}
}

deny contains finding if {
	input.inventory.complete == true
	inventory.decided("SG013")
	some ep_id, f in input.facts.endpoints
	some id in f.missing_groups
	ep := net.ep_by_id[ep_id]
	finding := {
		"resource": ep.address,
		"attribute": attribute(ep, id),
		"message": sprintf("Endpoint %s lists security group %s, which does not exist in the account.", [ep.address, id]),
	}
}

# attribute points at the group in the endpoint's list.
attribute(ep, id) := sprintf("security_group_ids[%d]", [i]) if {
	i := min({j | some j, x in ep.security_group_ids; x == id})
} else := "security_group_ids"

# group_name and group_vpc name a group by its address and its VPC, each
# with its fallback in an else: one lookup of the group, not one per
# definition and negation.
group_name(id) := a if {
	a := net.sg_of(id).address
} else := id

group_vpc(id) := v if {
	v := net.sg_of(id).vpc_id
} else := "another VPC"

endpoint_vpc(ep) := ep.vpc_id if {
	ep.vpc_id
} else := "another VPC"
