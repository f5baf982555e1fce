# METADATA
# title: Endpoint policy allows everything to everyone
# description: >-
#   An Allow statement of the endpoint policy has principal "*", every
#   action ("*" or "<service>:*") and every resource, with no condition. It
#   is the default full-access policy written out: any principal of any
#   account can use the endpoint to reach any resource of the service, so
#   stolen or foreign credentials can move data out through your network.
#   This one finding replaces EP003 (no identity perimeter), EP004 (no
#   resource perimeter) and EP008 (wildcard actions) on the statement.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
# custom:
#   id: EP002
#   severity: high
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Add an identity-perimeter condition (aws:PrincipalOrgID or
#     aws:PrincipalAccount) and a resource-perimeter condition
#     (aws:ResourceOrgID or aws:ResourceAccount) to the statement, or name
#     the principals, actions and resources that need the endpoint.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
#     - https://github.com/aws-samples/data-perimeter-policy-examples/tree/main/vpc_endpoint_policies
#   tags: [security, endpoint-policy, data-perimeter]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "sqs" {
#         vpc_id              = aws_vpc.main.id
#         service_name        = "com.amazonaws.eu-west-1.sqs"
#         vpc_endpoint_type   = "Interface"
#         subnet_ids          = [aws_subnet.a.id, aws_subnet.b.id]
#         security_group_ids  = [aws_security_group.endpoints.id]
#         private_dns_enabled = true
#         policy = jsonencode({
#           Version = "2012-10-17"
#           Statement = [{
#             Effect    = "Allow"
#             Principal = "*"
#             Action    = "sqs:*"
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
#       SQSEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           VpcEndpointType: Interface
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.sqs
#           SubnetIds: [!Ref SubnetA, !Ref SubnetB]
#           SecurityGroupIds: [!Ref EndpointSG]
#           PrivateDnsEnabled: true
#           PolicyDocument:
#             Version: "2012-10-17"
#             Statement:
#               - Effect: Allow
#                 Principal: "*"
#                 Action: "sqs:*"
#                 Resource: "*"
#                 Condition:
#                   StringEquals:
#                     aws:PrincipalOrgID: o-abcd1234ef
#                     aws:ResourceOrgID: o-abcd1234ef
package vpclint.rules.ep_full_access

import data.vpclint.lib.policy as pol

deny contains finding if {
	off := pol.full_access # bound once: a plain object lookup per endpoint
	count(off) > 0
	some key, idx in off
	some ep in pol.key_endpoints(key)
	some i in idx
	st := ep.policy.Statement[i]
	finding := {
		"resource": ep.address,
		"attribute": sprintf("policy.Statement[%d]", [i]),
		"message": sprintf("%s of the endpoint policy of %s allows principal * every action (%s) on every resource (%s) with no condition: anyone with AWS credentials can use this endpoint to reach any resource of %s", [pol.statement_label(ep.policy, i), ep.address, concat(", ", st.Action), concat(", ", st.Resource), pol.service_label(ep)]),
	}
}
