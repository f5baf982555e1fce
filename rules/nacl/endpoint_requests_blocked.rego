# METADATA
# title: Network ACL blocks requests to an interface endpoint
# description: >-
#   For some subnet of the endpoint's VPC, HTTPS requests (TCP 443) to the
#   interface endpoint are denied by the client subnet's outbound ACL or by the
#   endpoint subnet's inbound ACL. Calls to the AWS service from that subnet
#   time out, or silently go to the public endpoint if private DNS is off.
#   ACLs are evaluated in rule-number order; traffic inside one subnet and
#   traffic the default ACL allows are not reported.
#   An entry with unknown values is considered both ways: the rule fires when
#   the traffic is denied whatever the unknowns are (an unknown deny where no
#   entry allows the traffic anyway), and stays silent when some value
#   would let it through.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
# custom:
#   id: NACL005
#   severity: high
#   subjects: [network_acls]
#   remediation: >-
#     Allow TCP 443 outbound from the client subnets to the endpoint subnets'
#     CIDRs, and inbound on the endpoint subnets from the client subnets (or
#     the VPC CIDR), with rule numbers lower than any deny that covers them.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/interface-endpoints.html
#   tags: [availability, network, network-acl, vpc-endpoint]
#   examples:
#     terraform: |
#       resource "aws_network_acl_rule" "endpoints_https_in" {
#         network_acl_id = aws_network_acl.endpoints.id
#         rule_number    = 100
#         egress         = false
#         protocol       = "tcp"
#         rule_action    = "allow"
#         cidr_block     = aws_vpc.main.cidr_block
#         from_port      = 443
#         to_port        = 443
#       }
#     cloudformation: |
#       EndpointAclHttpsIn:
#         Type: AWS::EC2::NetworkAclEntry
#         Properties:
#           NetworkAclId: !Ref EndpointAcl
#           RuleNumber: 100
#           Protocol: 6
#           RuleAction: allow
#           CidrBlock: !GetAtt VPC.CidrBlock
#           PortRange: {From: 443, To: 443}
package vpclint.rules.nacl_endpoint_requests_blocked

import data.vpclint.lib.nacl

# One finding per ACL, endpoint and direction, naming every subnet affected.
deny contains finding if {
	some cause in nacl.blocked("request")
	finding := nacl.path_finding("request", cause, "requests to")
}
