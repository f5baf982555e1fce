# METADATA
# title: Endpoint policy is invalid
# description: >-
#   AWS rejects the endpoint policy: it is not JSON, has no Statement, has
#   an Effect other than Allow or Deny, an unknown Version, or is longer
#   than the 20,480 characters (white space included) an endpoint policy
#   may have. The deployment fails, or a later change to the policy is
#   never applied. A policy over that length never takes effect, so the
#   other endpoint-policy rules do not judge its content (vpclint reads at
#   most its first 1,000 statements).
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
# custom:
#   id: EP006
#   severity: high
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Fix the policy document: valid JSON with "Version": "2012-10-17", a
#     Statement list whose Effect is "Allow" or "Deny", and at most 20,480
#     characters. Build it with jsonencode() or aws_iam_policy_document in
#     Terraform and as a YAML map in CloudFormation so it is always
#     well-formed.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
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
#             Action    = "s3:GetObject"
#             Resource  = "arn:aws:s3:::my-bucket/*"
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
#                 Action: s3:GetObject
#                 Resource: arn:aws:s3:::my-bucket/*
package vpclint.rules.ep_invalid_policy

import data.vpclint.lib.net

import data.vpclint.lib.policy as pol

# The policy does not parse at all (the loader keeps the text in
# policy_raw and says why in policy_error).
parse_error(ep) := ep.policy_error if ep.policy_error != ""

parse_error(ep) := "it is not a JSON object" if {
	not ep.policy_error
	not ep.policy
	ep.policy_raw
}

deny contains finding if {
	some ep in net.endpoints_at("invalid_policies")
	reason := parse_error(ep)
	pol.policy_endpoint(ep)
	finding := {
		"resource": ep.address,
		"attribute": "policy",
		"message": sprintf("the endpoint policy of %s is invalid and AWS will reject it: %s", [ep.address, reason]),
	}
}

# It parses but breaks AWS's rules.
deny contains finding if {
	some ep in net.endpoints_at("invalid_policies")
	problems := ep.policy.problems
	count(problems) > 0
	pol.policy_endpoint(ep)
	finding := {
		"resource": ep.address,
		"attribute": "policy",
		"message": sprintf("the endpoint policy of %s is invalid and AWS will reject it: %s", [ep.address, concat("; ", problems)]),
	}
}
