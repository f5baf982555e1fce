# METADATA
# title: Network ACL has two entries with the same rule number
# description: >-
#   Two entries in one direction of an ACL share a rule number. AWS rejects
#   the second one (NetworkAclEntryAlreadyExists), so the deployment fails or,
#   with separate entry resources, one of them silently replaces the other in
#   repeated applies. The order between the two entries is undefined, so the
#   ACL's meaning is unknown until it is fixed.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
# custom:
#   id: NACL008
#   severity: high
#   subjects: [network_acls]
#   remediation: >-
#     Give every entry of a direction its own rule number; leave gaps (100,
#     110, 120 ...) so entries can be inserted later.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
#     - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html
#   tags: [correctness, network, network-acl]
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
#         ingress {
#           rule_no    = 110
#           action     = "allow"
#           protocol   = "tcp"
#           from_port  = 1024
#           to_port    = 65535
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
#       PrivateAclReplies:
#         Type: AWS::EC2::NetworkAclEntry
#         Properties:
#           NetworkAclId: !Ref PrivateAcl
#           RuleNumber: 110
#           Protocol: 6
#           RuleAction: allow
#           CidrBlock: 10.0.0.0/16
#           PortRange: {From: 1024, To: 65535}
package vpclint.rules.nacl_duplicate_rule_number

import data.vpclint.lib.net

deny contains finding if {
	some acl in input.network_acls
	some dir in ["ingress", "egress"]
	some dup in input.facts.network_acls[acl.id][dir].duplicate_rule_numbers
	idx := sort(dup.indexes)
	count(idx) > 1
	finding := {
		"resource": acl.address,
		"attribute": sprintf("entries[%d]", [idx[1]]),
		"message": sprintf("Network ACL %s has %d %s entries numbered %d (%s); AWS rejects all but one.", [
			acl.address, count(idx), net.direction_word(dir), dup.rule_number,
			concat(", ", [sprintf("entries[%d]", [i]) | some i in idx]),
		]),
	}
}
