# METADATA
# title: Network ACL entry is redundant
# description: >-
#   Lower-numbered entries match all of this entry's traffic, all with the
#   same action, so removing the entry changes nothing. Redundant entries use
#   up the 20-entries-per-direction quota and make the ACL harder to review.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
# custom:
#   id: NACL004
#   severity: low
#   subjects: [network_acls]
#   remediation: >-
#     Delete the redundant entry, or narrow the broader entry before it if the
#     broad one was the mistake.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
#     - https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-nacls
#   tags: [hygiene, network, network-acl]
#   examples:
#     terraform: |
#       resource "aws_network_acl" "private" {
#         vpc_id = aws_vpc.main.id
#         ingress {
#           rule_no    = 100
#           action     = "allow"
#           protocol   = "tcp"
#           from_port  = 443
#           to_port    = 443
#           cidr_block = "10.0.0.0/16"
#         }
#       }
#     cloudformation: |
#       PrivateAclHttps:
#         Type: AWS::EC2::NetworkAclEntry
#         Properties:
#           NetworkAclId: !Ref PrivateAcl
#           RuleNumber: 100
#           Protocol: 6
#           RuleAction: allow
#           CidrBlock: 10.0.0.0/16
#           PortRange: {From: 443, To: 443}
package vpclint.rules.nacl_redundant_entry

import data.vpclint.lib.nacl

deny contains finding if {
	some f in nacl.anomaly_findings("redundant")
	finding := f
}
