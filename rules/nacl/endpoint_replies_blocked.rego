# METADATA
# title: Network ACL blocks replies from an interface endpoint
# description: >-
#   ACLs are stateless: replies from an interface endpoint go back to the
#   client's ephemeral port (1024-65535), and must be allowed by the endpoint
#   subnet's outbound ACL and the client subnet's inbound ACL. For some subnet
#   of the VPC, they are not, so connections are set up and then hang. This is
#   the classic ACL written for "443 only" in both directions.
#   An entry with unknown values is considered both ways: the rule fires when
#   the traffic is denied whatever the unknowns are (an unknown deny where no
#   entry allows the traffic anyway), and stays silent when some value
#   would let it through.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
# custom:
#   id: NACL006
#   severity: high
#   subjects: [network_acls]
#   remediation: >-
#     Allow TCP 1024-65535 outbound from the endpoint subnets to the client
#     subnets (or the VPC CIDR), and inbound on the client subnets from the
#     endpoint subnets, before any deny that covers those ports.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
#   tags: [availability, network, network-acl, vpc-endpoint]
#   examples:
#     terraform: |
#       resource "aws_network_acl_rule" "endpoints_replies_out" {
#         network_acl_id = aws_network_acl.endpoints.id
#         rule_number    = 100
#         egress         = true
#         protocol       = "tcp"
#         rule_action    = "allow"
#         cidr_block     = aws_vpc.main.cidr_block
#         from_port      = 1024
#         to_port        = 65535
#       }
#     cloudformation: |
#       EndpointAclRepliesOut:
#         Type: AWS::EC2::NetworkAclEntry
#         Properties:
#           NetworkAclId: !Ref EndpointAcl
#           RuleNumber: 100
#           Egress: true
#           Protocol: 6
#           RuleAction: allow
#           CidrBlock: !GetAtt VPC.CidrBlock
#           PortRange: {From: 1024, To: 65535}
package vpclint.rules.nacl_endpoint_replies_blocked

import data.vpclint.lib.nacl

# One finding per ACL, endpoint and direction, naming every subnet affected.
deny contains finding if {
	some cause in nacl.blocked("reply")
	finding := nacl.path_finding("reply", cause, "replies from")
}
