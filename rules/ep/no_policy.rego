# METADATA
# title: VPC endpoint has no endpoint policy
# description: >-
#   The endpoint has no endpoint policy, so AWS attaches the default policy
#   that allows every principal every action on every resource of the
#   service. Anyone with credentials, from any account, can then use the
#   endpoint to reach any resource of the service, including buckets,
#   queues and keys of other accounts, which makes the endpoint an
#   exfiltration path out of your network. In a live account, an endpoint
#   whose policy is exactly that default is reported here too (AWS returns
#   the default for an endpoint created without a policy).
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
# custom:
#   id: EP001
#   severity: medium
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Attach an endpoint policy that allows only your organization's
#     principals (aws:PrincipalOrgID) to reach your organization's resources
#     (aws:ResourceOrgID), starting from the AWS data-perimeter example
#     policies.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
#     - https://github.com/aws-samples/data-perimeter-policy-examples/tree/main/vpc_endpoint_policies
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
#       S3Endpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
#           RouteTableIds: [!Ref PrivateRouteTable]
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
package vpclint.rules.ep_no_policy

import data.vpclint.lib.net

import data.vpclint.lib.policy as pol

# EP001 reads the endpoint's fields inline (no helper calls in the loop):
# every endpoint of a large model passes through it.
deny contains finding if {
	types := pol.policy_types
	svcs := pol.services
	some ep in net.endpoints_at("no_policy")

	# No policy at all: absent, not unparsable (policy_raw, EP006) and not
	# unknown (a variable without default).
	not ep.policy
	not ep.policy_raw
	ep.type in types
	not ep.placeholder

	# Only services known to take a policy: for the others AWS allows full
	# access anyway and nothing can be attached; an unknown service name
	# has no entry.
	svc := pol.service(ep)
	svcs[svc].policy == true
	not "policy" in object.get(ep, "unknown", [])
	finding := {
		"resource": ep.address,
		"message": sprintf("%s endpoint %s for %s has no endpoint policy, so AWS attaches the default policy that allows any principal to perform any action on any resource of the service through it", [ep.type, ep.address, svc]),
	}
}
