# METADATA
# title: Endpoint policy lets any identity through
# description: >-
#   An Allow statement with principal "*" has no identity-perimeter
#   condition (aws:PrincipalOrgID, aws:PrincipalOrgPaths,
#   aws:PrincipalAccount, aws:PrincipalArn, or aws:PrincipalIsAWSService
#   true), and no Deny statement of the policy limits it to trusted
#   identities. Credentials from any AWS account, including an attacker's,
#   can use the endpoint, so data can leave your network under foreign
#   credentials. A condition that matches everything (StringLike "*"),
#   ForAllValues (true when the key is absent) or IfExists on a key absent
#   for anonymous callers does not count. A statement that only lets anyone
#   read named resources (AWS's AllowRequestsToAWSOwnedResources pattern for
#   package repositories and other AWS-owned buckets) is not flagged. A
#   statement that allows everything to everyone is EP002's finding, not
#   this one's.
# related_resources:
#   - ref: https://github.com/aws-samples/data-perimeter-policy-examples/tree/main/vpc_endpoint_policies
# custom:
#   id: EP003
#   severity: medium
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Add an identity-perimeter condition to the statement, e.g.
#     StringEquals {"aws:PrincipalOrgID": "o-..."} (or aws:PrincipalAccount
#     for a single account), and a separate statement with Bool
#     {"aws:PrincipalIsAWSService": "true"} if AWS services must call
#     through the endpoint.
#   references:
#     - https://github.com/aws-samples/data-perimeter-policy-examples/tree/main/vpc_endpoint_policies
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
#   tags: [security, endpoint-policy, data-perimeter]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "sts" {
#         vpc_id              = aws_vpc.main.id
#         service_name        = "com.amazonaws.eu-west-1.sts"
#         vpc_endpoint_type   = "Interface"
#         subnet_ids          = [aws_subnet.a.id, aws_subnet.b.id]
#         security_group_ids  = [aws_security_group.endpoints.id]
#         private_dns_enabled = true
#         policy = jsonencode({
#           Version = "2012-10-17"
#           Statement = [{
#             Sid       = "AllowRequestsByOrgsIdentitiesToOrgsResources"
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
#       STSEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           VpcEndpointType: Interface
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.sts
#           SubnetIds: [!Ref SubnetA, !Ref SubnetB]
#           SecurityGroupIds: [!Ref EndpointSG]
#           PrivateDnsEnabled: true
#           PolicyDocument:
#             Version: "2012-10-17"
#             Statement:
#               - Sid: AllowRequestsByOrgsIdentitiesToOrgsResources
#                 Effect: Allow
#                 Principal: "*"
#                 Action: "*"
#                 Resource: "*"
#                 Condition:
#                   StringEquals:
#                     aws:PrincipalOrgID: o-abcd1234ef
#                     aws:ResourceOrgID: o-abcd1234ef
package vpclint.rules.ep_no_identity_perimeter

import data.vpclint.lib.policy as pol
import data.vpclint.lib.supersede

offending := {key: idx |
	some key in pol.policy_keys
	idx := {i |
		some i, st in pol.policies[key].Statement
		unlimited(pol.policies[key], st, pol.key_ep(key))
		not supersede.superseded("EP003", [key, i])
	}
	count(idx) > 0
}

unlimited(p, st, ep) if {
	pol.allows(st)
	pol.principal_is_public(st)
	not pol.identity_limited(p, st, ep)
	not pol.reads_named_resources(st)
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
		"message": sprintf("%s of the endpoint policy of %s allows principal * with no identity-perimeter condition (aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn or aws:PrincipalIsAWSService true): credentials of any AWS account can use this endpoint%s", [pol.statement_label(p, i), ep.address, weak_note(st)]),
	}
}

# weak_note names the identity conditions that are there but do not restrict.
weak_note(st) := sprintf("; the condition on %s does not restrict (match-all value, ForAllValues, IfExists on a key absent for anonymous callers, or a negated operator)", [concat(", ", weak)]) if {
	weak := sort({c.operator | some c in object.get(st, "conditions", []); perimeter_key(c.key)})
	count(weak) > 0
}

weak_note(st) := "" if {
	count({c | some c in object.get(st, "conditions", []); perimeter_key(c.key)}) == 0
}

perimeter_key(k) if k in pol.identity_keys

perimeter_key("aws:principalisawsservice")
