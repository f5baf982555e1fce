# METADATA
# title: Endpoint policy names actions of another service
# description: >-
#   A statement of the endpoint policy names actions of a service other
#   than the endpoint's (an S3 endpoint allowing dynamodb:*). Requests
#   through an endpoint only ever carry the endpoint's own service actions,
#   so these entries do nothing: usually the policy was copied from another
#   endpoint, and the statement meant for this service is missing or wrong.
#   The actions of other services that AWS documents as needed through an
#   endpoint are not reported (rules/data/services.json
#   cross_service_actions, each with its AWS documentation: CodeArtifact's
#   endpoints need sts:GetServiceBearerToken for GetAuthorizationToken).
# related_resources:
#   - ref: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
# custom:
#   id: EP007
#   severity: low
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Use the actions of the endpoint's own service (for an S3 endpoint,
#     s3:...; for ecr.api and ecr.dkr, ecr:...), and write a separate policy
#     for each endpoint.
#   references:
#     - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
#   tags: [correctness, endpoint-policy]
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
package vpclint.rules.ep_foreign_actions

import data.vpclint.lib.policy as pol

offending := {key: idx |
	some key in pol.policy_keys
	kep := pol.key_ep(key)
	idx := {i: foreign |
		some i, st in pol.policies[key].Statement
		foreign := sort({a | some a in object.get(st, "Action", []); pol.foreign_action(a, kep)})
		count(foreign) > 0
	}
	count(idx) > 0
}

# first_index is the position of the first listed action in Action, so the
# finding points at its line.
first_index(st, actions) := min({j | some j, a in st.Action; a in actions})

deny contains finding if {
	off := offending # bound once: a plain object lookup per endpoint
	count(off) > 0
	some key, idx in off
	some ep in pol.key_endpoints(key)
	some i, foreign in idx
	p := ep.policy
	finding := {
		"resource": ep.address,
		"attribute": sprintf("policy.Statement[%d].Action[%d]", [i, first_index(p.Statement[i], foreign)]),
		"message": sprintf("%s of the endpoint policy of %s names %s, but requests through this %s endpoint only carry %s actions, so these entries have no effect", [pol.statement_label(p, i), ep.address, concat(", ", foreign), pol.service(ep), concat("/", sort(pol.action_prefixes(ep)))]),
	}
}
