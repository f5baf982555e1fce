# METADATA
# title: Endpoint policy allows wildcard actions
# description: >-
#   An Allow statement of the endpoint policy uses a service-wide
#   ("s3:*") or prefix wildcard ("s3:Get*") action, where EP002 does not
#   already report the statement. Wildcards grant every current and future
#   matching action through the endpoint, including destructive and
#   administrative ones the workloads never use. Action "*" together with
#   perimeter conditions (the AWS data-perimeter pattern) is not reported.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
# custom:
#   id: EP008
#   severity: low
#   subjects: [vpc_endpoints]
#   remediation: >-
#     List the actions the workloads behind the endpoint need (for example
#     s3:GetObject and s3:PutObject), or rely on perimeter conditions
#     (aws:PrincipalOrgID, aws:ResourceOrgID) with Action "*".
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
#   tags: [security, endpoint-policy, least-privilege]
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
package vpclint.rules.ep_wildcard_actions

import data.vpclint.lib.policy as pol
import data.vpclint.lib.supersede

# wildcard(a, ep): a service-wide or prefix wildcard of the endpoint's own
# service (a wildcard of another service is EP007's).
wildcard(a, ep) if {
	wild(a)
	not pol.foreign_action(a, ep)
}

wild(a) if pol.service_wide_action(a)

wild(a) if pol.wildcard_action(a)

offending := {key: idx |
	some key in pol.policy_keys
	kep := pol.key_ep(key)
	idx := {i: wilds |
		some i, st in pol.policies[key].Statement
		pol.allows(st)
		not supersede.superseded("EP008", [key, i])
		wilds := sort({a | some a in object.get(st, "Action", []); wildcard(a, kep)})
		count(wilds) > 0
	}
	count(idx) > 0
}

# first_index is the position of the first wildcard in Action, so the
# finding points at its line.
first_index(st, actions) := min({j | some j, a in st.Action; a in actions})

deny contains finding if {
	off := offending # bound once: a plain object lookup per endpoint
	count(off) > 0
	some key, idx in off
	some ep in pol.key_endpoints(key)
	some i, wilds in idx
	p := ep.policy
	finding := {
		"resource": ep.address,
		"attribute": sprintf("policy.Statement[%d].Action[%d]", [i, first_index(p.Statement[i], wilds)]),
		"message": sprintf("%s of the endpoint policy of %s allows the wildcard action%s %s: every current and future matching action is allowed through the endpoint", [pol.statement_label(p, i), ep.address, plural(wilds), concat(", ", wilds)]),
	}
}

plural(l) := "s" if count(l) > 1

plural(l) := "" if count(l) == 1
