# METADATA
# title: Endpoint policy Allow statement uses NotAction, NotResource or NotPrincipal
# description: >-
#   An Allow statement with NotAction, NotResource or NotPrincipal allows
#   everything except what it lists. In an endpoint policy that widens the
#   boundary to every other action, resource or principal, including
#   actions and principals that do not exist yet, and anonymous callers for
#   NotPrincipal.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
# custom:
#   id: EP005
#   severity: high
#   subjects: [vpc_endpoints]
#   remediation: >-
#     List the actions, resources and principals to allow with Action,
#     Resource and Principal; if something must be excluded, add a Deny
#     statement (or an aws:PrincipalArn condition) instead.
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
#   tags: [security, endpoint-policy]
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
#             Action    = ["s3:GetObject", "s3:PutObject"]
#             Resource  = "arn:aws:s3:::my-bucket/*"
#             Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abcd1234ef" } }
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
#                 Action: [s3:GetObject, s3:PutObject]
#                 Resource: arn:aws:s3:::my-bucket/*
#                 Condition:
#                   StringEquals:
#                     aws:PrincipalOrgID: o-abcd1234ef
package vpclint.rules.ep_not_elements

import data.vpclint.lib.policy as pol

not_elements(st) := [name |
	some name in ["NotAction", "NotResource", "NotPrincipal"]
	present(st, name)
]

present(st, "NotAction") if st.NotAction
present(st, "NotResource") if st.NotResource
present(st, "NotPrincipal") if st.has_not_principal

offending := {key: idx |
	some key in pol.policy_keys
	idx := {i | some i, st in pol.policies[key].Statement; pol.allows(st); count(not_elements(st)) > 0}
	count(idx) > 0
}

deny contains finding if {
	off := offending # bound once: a plain object lookup per endpoint
	count(off) > 0
	some key, idx in off
	some ep in pol.key_endpoints(key)
	some i in idx
	names := not_elements(ep.policy.Statement[i])
	finding := {
		"resource": ep.address,
		"attribute": sprintf("policy.Statement[%d]", [i]),
		"message": sprintf("%s of the endpoint policy of %s is an Allow with %s: it allows everything except what it lists, which widens the endpoint's boundary to every other action, resource or principal", [pol.statement_label(ep.policy, i), ep.address, concat(" and ", names)]),
	}
}
