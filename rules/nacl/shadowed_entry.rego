# METADATA
# title: Network ACL entry is shadowed and never applies
# description: >-
#   Lower-numbered entries match all of this entry's traffic and at least one
#   of them has the opposite action, so the entry never takes effect: a deny at
#   200 behind an allow-all at 100 blocks nothing, and an allow behind a deny
#   lets nothing in. The author's intent and the ACL's behaviour differ, which
#   is how SSH stays open "despite" a deny entry. Computed on address, port and
#   protocol sets, for inline entries and separate entry resources alike.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
# custom:
#   id: NACL003
#   severity: medium
#   subjects: [network_acls]
#   remediation: >-
#     Give the entry a lower rule number than the entries that shadow it if it
#     should apply (deny entries for specific ports usually belong before broad
#     allows), or delete it if it is obsolete.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
#   tags: [correctness, network, network-acl]
#   examples:
#     terraform: |
#       resource "aws_network_acl" "public" {
#         vpc_id = aws_vpc.main.id
#         ingress {
#           rule_no    = 100
#           action     = "deny"
#           protocol   = "tcp"
#           from_port  = 22
#           to_port    = 22
#           cidr_block = "0.0.0.0/0"
#         }
#         ingress {
#           rule_no    = 200
#           action     = "allow"
#           protocol   = "tcp"
#           from_port  = 0
#           to_port    = 65535
#           cidr_block = "0.0.0.0/0"
#         }
#       }
#     cloudformation: |
#       DenySsh:
#         Type: AWS::EC2::NetworkAclEntry
#         Properties:
#           NetworkAclId: !Ref PublicAcl
#           RuleNumber: 100
#           Protocol: 6
#           RuleAction: deny
#           CidrBlock: 0.0.0.0/0
#           PortRange: {From: 22, To: 22}
#       AllowTcp:
#         Type: AWS::EC2::NetworkAclEntry
#         Properties:
#           NetworkAclId: !Ref PublicAcl
#           RuleNumber: 200
#           Protocol: 6
#           RuleAction: allow
#           CidrBlock: 0.0.0.0/0
#           PortRange: {From: 0, To: 65535}
package vpclint.rules.nacl_shadowed_entry

import data.vpclint.lib.nacl

deny contains finding if {
	some f in nacl.anomaly_findings("shadowed")
	finding := f
}
