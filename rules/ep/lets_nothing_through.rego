# METADATA
# title: Endpoint policy lets nothing through
# description: >-
#   No Allow statement of the endpoint policy can match a request: the
#   policy has only Deny statements, or every Allow is wholly cancelled by
#   a Deny that always applies. Endpoint policies are deny-by-default, like
#   every IAM policy: a request through the endpoint needs an Allow, so
#   every call through this endpoint fails with AccessDenied. This is the
#   policy of terraform-aws-modules/terraform-aws-vpc's examples/complete
#   (a single Deny conditioned on aws:SourceVpc), whose users lost days to
#   failing ECR image pulls (issue #680).
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
# custom:
#   id: EP010
#   severity: high
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Add an Allow statement for what the endpoint must carry (e.g. principal
#     "*", action "*", resource "*" with aws:PrincipalOrgID and
#     aws:ResourceOrgID conditions), and keep Deny statements for the
#     exceptions. Do not test aws:SourceVpc in an endpoint policy: it always
#     equals the endpoint's own VPC.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
#     - https://github.com/terraform-aws-modules/terraform-aws-vpc/issues/680
#   tags: [correctness, availability, endpoint-policy]
#   examples:
#     terraform: |
#       data "aws_iam_policy_document" "ecr" {
#         statement {
#           effect    = "Allow"
#           actions   = ["*"]
#           resources = ["*"]
#           principals {
#             type        = "*"
#             identifiers = ["*"]
#           }
#           condition {
#             test     = "StringEquals"
#             variable = "aws:PrincipalOrgID"
#             values   = ["o-abcd1234ef"]
#           }
#         }
#       }
#
#       resource "aws_vpc_endpoint" "ecr_api" {
#         vpc_id              = aws_vpc.main.id
#         service_name        = "com.amazonaws.eu-west-1.ecr.api"
#         vpc_endpoint_type   = "Interface"
#         subnet_ids          = [aws_subnet.a.id, aws_subnet.b.id]
#         security_group_ids  = [aws_security_group.endpoints.id]
#         private_dns_enabled = true
#         policy              = data.aws_iam_policy_document.ecr.json
#       }
#     cloudformation: |
#       ECRApiEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           VpcEndpointType: Interface
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.ecr.api
#           SubnetIds: [!Ref SubnetA, !Ref SubnetB]
#           SecurityGroupIds: [!Ref EndpointSG]
#           PrivateDnsEnabled: true
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
package vpclint.rules.ep_lets_nothing_through

import data.vpclint.lib.policy as pol

# closed holds the distinct policies that let nothing through. An invalid
# policy is EP006's: AWS rejects it before it denies anything.
closed := {key |
	some key in pol.policy_keys
	count(object.get(pol.policies[key], "problems", [])) == 0
	pol.lets_nothing_through(pol.policies[key], pol.key_ep(key))
}

deny contains finding if {
	shut := closed # bound once: a plain set lookup per endpoint
	count(shut) > 0
	some key in shut
	some ep in pol.key_endpoints(key)
	p := ep.policy
	finding := {
		"resource": ep.address,
		"attribute": "policy",
		"message": sprintf("the endpoint policy of %s lets nothing through: %s. Endpoint policies are deny-by-default, so every call through this endpoint fails with AccessDenied%s", [ep.address, why(p, ep), consequence(ep)]),
	}
}

# consequence names what breaks; ECR is the case users reported.
consequence(ep) := ": image pulls fail (terraform-aws-modules/terraform-aws-vpc issue #680)" if {
	startswith(pol.key_service(ep), "ecr.")
} else := " (the failure users of terraform-aws-modules/terraform-aws-vpc met as failing ECR image pulls, issue #680)"

allow_indexes(p) := [i | some i, st in p.Statement; pol.allows(st)]

why(p, _) := "it has only Deny statements and no Allow" if count(allow_indexes(p)) == 0

why(p, _) := sprintf("every Allow statement is cancelled by an unconditional Deny (%s)", [concat("; ", cancels)]) if {
	count(allow_indexes(p)) > 0
	cancels := [sprintf("%s by %s", [pol.statement_label(p, i), concat(" and ", by)]) |
		some i in allow_indexes(p)
		by := [pol.statement_label(p, j) | some j in sort(pol.cancelling(p, p.Statement[i]))]
	]
}
