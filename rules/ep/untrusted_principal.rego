# METADATA
# title: Endpoint policy allows an account outside the trusted accounts
# description: >-
#   config.trusted_accounts is set and an Allow statement of the endpoint
#   policy names a principal (an account id, or a role, user or session ARN)
#   of an account that is not in it. The endpoint lets that account's
#   identities through your network, which your configuration says it
#   should not.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
# custom:
#   id: EP009
#   severity: medium
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Remove the foreign principal from the endpoint policy, or add the
#     account to trusted_accounts in .vpclint.yaml if it is trusted.
#   references:
#     - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
#   tags: [security, endpoint-policy]
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
#             Principal = { AWS = "arn:aws:iam::111122223333:role/app" }
#             Action    = ["sqs:SendMessage", "sqs:ReceiveMessage"]
#             Resource  = "arn:aws:sqs:eu-west-1:111122223333:orders"
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
#                 Principal:
#                   AWS: arn:aws:iam::111122223333:role/app
#                 Action: [sqs:SendMessage, sqs:ReceiveMessage]
#                 Resource: arn:aws:sqs:eu-west-1:111122223333:orders
package vpclint.rules.ep_untrusted_principal

import data.vpclint.lib.policy as pol

trusted := {sprintf("%v", [a]) | some a in data.config.trusted_accounts}

# account_of(v): the account a principal value names.
account_of(v) := v if regex.match(`^[0-9]{12}$`, v)

# An IAM or STS principal ARN (root, role, user, assumed-role session);
# an organization ARN names an organization, not an account.
account_of(v) := parts[4] if {
	startswith(v, "arn:")
	parts := split(v, ":")
	count(parts) >= 6
	parts[2] in {"iam", "sts"}
	regex.match(`^[0-9]{12}$`, parts[4])
}

deny contains finding if {
	count(trusted) > 0
	some e in pol.endpoint_policies
	ep := e.ep
	p := ep.policy
	some i, st in p.Statement
	pol.allows(st)
	some v in object.get(st, ["Principal", "AWS"], [])
	acct := account_of(v)
	not acct in trusted
	finding := {
		"resource": ep.address,
		"attribute": sprintf("policy.Statement[%d]", [i]),
		"message": sprintf("%s of the endpoint policy of %s allows principal %s of account %s, which is not in trusted_accounts (%s)", [pol.statement_label(p, i), ep.address, v, acct, concat(", ", sort(trusted))]),
	}
}
