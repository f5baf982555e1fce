# METADATA
# title: Endpoint policy tests aws:SourceVpc, aws:SourceVpce or aws:VpcSourceIp
# description: >-
#   A condition of the endpoint policy tests aws:SourceVpc, aws:SourceVpce
#   or aws:VpcSourceIp. Inside an endpoint policy every request comes
#   through this endpoint, so aws:SourceVpc and aws:SourceVpce always equal
#   its own VPC and id: the condition is constant and does not restrict
#   what its author meant (usually "only from my VPC", which the endpoint
#   already guarantees). These keys belong in bucket, resource and
#   organization policies, not in endpoint policies.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc
# custom:
#   id: EP011
#   severity: low
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Remove the aws:SourceVpc/aws:SourceVpce/aws:VpcSourceIp condition from
#     the endpoint policy and restrict identities and resources instead
#     (aws:PrincipalOrgID, aws:ResourceOrgID). To restrict a bucket or
#     other resource to this endpoint, put aws:SourceVpce in that
#     resource's policy.
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
#   tags: [correctness, endpoint-policy]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "dynamodb" {
#         vpc_id          = aws_vpc.main.id
#         service_name    = "com.amazonaws.eu-west-1.dynamodb"
#         route_table_ids = [aws_route_table.private.id]
#         policy = jsonencode({
#           Version = "2012-10-17"
#           Statement = [{
#             Effect    = "Allow"
#             Principal = "*"
#             Action    = "dynamodb:*"
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
#       DynamoDBEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.dynamodb
#           RouteTableIds: [!Ref PrivateRouteTable]
#           PolicyDocument:
#             Version: "2012-10-17"
#             Statement:
#               - Effect: Allow
#                 Principal: "*"
#                 Action: "dynamodb:*"
#                 Resource: "*"
#                 Condition:
#                   StringEquals:
#                     aws:PrincipalOrgID: o-abcd1234ef
#                     aws:ResourceOrgID: o-abcd1234ef
package vpclint.rules.ep_constant_vpc_condition

import data.vpclint.lib.policy as pol

constant_keys := {"aws:sourcevpc": "aws:SourceVpc", "aws:sourcevpce": "aws:SourceVpce", "aws:vpcsourceip": "aws:VpcSourceIp"}

offending := {key: idx |
	some key in pol.policy_keys
	idx := {i: keys |
		some i, st in pol.policies[key].Statement
		keys := sort({constant_keys[c.key] | some c in object.get(st, "conditions", []); constant_keys[c.key]})
		count(keys) > 0
	}
	count(idx) > 0
}

deny contains finding if {
	off := offending # bound once: a plain object lookup per endpoint
	count(off) > 0
	some key, idx in off
	some ep in pol.key_endpoints(key)
	some i, keys in idx
	p := ep.policy
	finding := {
		"resource": ep.address,
		"attribute": sprintf("policy.Statement[%d].Condition", [i]),
		"message": sprintf("%s of the endpoint policy of %s tests %s: inside an endpoint policy aws:SourceVpc and aws:SourceVpce always equal this endpoint's own VPC and id, so the condition is constant and does not restrict what was meant; restrict identities and resources instead", [pol.statement_label(p, i), ep.address, concat(", ", keys)]),
	}
}
