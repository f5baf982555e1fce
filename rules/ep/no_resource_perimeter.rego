# METADATA
# title: Endpoint policy lets requests reach any resource
# description: >-
#   An Allow statement grants resource "*" without a resource-perimeter
#   condition (aws:ResourceOrgID, aws:ResourceOrgPaths,
#   aws:ResourceAccount), and no Deny statement of the policy limits it to
#   trusted resources. Your own principals can then use the endpoint to
#   write to buckets, queues or keys of any other account, the classic
#   exfiltration path a data perimeter closes. Explicit resource ARNs count
#   as a resource perimeter. Statements for AWS service principals
#   (aws:PrincipalIsAWSService true) and for trusted identities carrying an
#   exception tag (aws:PrincipalTag/..., as in the AWS data-perimeter
#   examples) are not flagged. A condition counts when it matches
#   positively (StringEquals, StringLike, ArnEquals, ArnLike, optionally
#   ForAnyValue:) with no match-all value; IfExists is accepted on these
#   keys, which are absent only for actions that have no resource owner. A
#   statement that allows everything to everyone is EP002's finding, not
#   this one's.
# related_resources:
#   - ref: https://github.com/aws-samples/data-perimeter-policy-examples/tree/main/vpc_endpoint_policies
# custom:
#   id: EP004
#   severity: medium
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Add a resource-perimeter condition, e.g. StringEquals
#     {"aws:ResourceOrgID": "o-..."} (or aws:ResourceAccount), or list the
#     resource ARNs the endpoint serves; add separate statements for
#     AWS-owned resources your workloads need (e.g. the Amazon Linux
#     repository buckets), as in the AWS data-perimeter examples.
#   references:
#     - https://github.com/aws-samples/data-perimeter-policy-examples/tree/main/vpc_endpoint_policies
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
#   tags: [security, endpoint-policy, data-perimeter]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "s3" {
#         vpc_id          = aws_vpc.main.id
#         service_name    = "com.amazonaws.eu-west-1.s3"
#         route_table_ids = [aws_route_table.private.id]
#         policy = jsonencode({
#           Version = "2012-10-17"
#           Statement = [{
#             Effect    = "Allow"
#             Principal = "*"
#             Action    = "*"
#             Resource  = "*"
#             Condition = {
#               StringEquals = {
#                 "aws:PrincipalOrgID" = "o-abcd1234ef"
#                 "aws:ResourceOrgID"  = "o-abcd1234ef"
#               }
#             }
#           }]
#         })
#       }
#     cloudformation: |
#       S3Endpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
#           RouteTableIds: [!Ref PrivateRouteTable]
#           PolicyDocument:
#             Version: "2012-10-17"
#             Statement:
#               - Effect: Allow
#                 Principal: "*"
#                 Action: "*"
#                 Resource: "*"
#                 Condition:
#                   StringEquals:
#                     aws:PrincipalOrgID: o-abcd1234ef
#                     aws:ResourceOrgID: o-abcd1234ef
package vpclint.rules.ep_no_resource_perimeter

import data.vpclint.lib.policy as pol
import data.vpclint.lib.supersede

offending := {key: idx |
	some key in pol.policy_keys
	idx := {i |
		some i, st in pol.policies[key].Statement
		unlimited(pol.policies[key], st, pol.key_ep(key))
		not supersede.superseded("EP004", [key, i])
	}
	count(idx) > 0
}

deny contains finding if {
	off := offending # bound once: a plain object lookup per endpoint
	count(off) > 0
	some key, idx in off
	some ep in pol.key_endpoints(key)
	some i in idx
	p := ep.policy
	st := p.Statement[i]
	finding := {
		"resource": ep.address,
		"attribute": sprintf("policy.Statement[%d]", [i]),
		"message": sprintf("%s of the endpoint policy of %s allows resource %s with no resource-perimeter condition (aws:ResourceOrgID, aws:ResourceOrgPaths or aws:ResourceAccount): requests through this endpoint can reach resources of any AWS account", [pol.statement_label(p, i), ep.address, concat(", ", st.Resource)]),
	}
}

unlimited(p, st, ep) if {
	pol.allows(st)
	pol.all_resources(st)

	# A statement for AWS service principals acts on behalf of a resource
	# owner already inside the perimeter (the data-perimeter examples'
	# AllowRequestsByAWSServicePrincipals).
	not service_principal_statement(st)
	not tagged_identity_exception(p, st, ep)
	not pol.resource_limited(p, st, ep)
}

# The data-perimeter examples' AllowRequestsByOrgsIdentitiesToAnyResources:
# trusted identities that carry an exception tag may reach any resource.
tagged_identity_exception(p, st, ep) if {
	pol.identity_limited(p, st, ep)
	some c in object.get(st, "conditions", [])
	startswith(c.key, "aws:principaltag/")
	c.base in pol.positive_string_ops
	not c.if_exists
	pol.nontrivial_values(c)
}

service_principal_statement(st) if {
	some c in object.get(st, "conditions", [])
	c.key == "aws:principalisawsservice"
	pol.identity_condition(c)
}
