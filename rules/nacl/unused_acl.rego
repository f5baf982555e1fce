# METADATA
# title: Network ACL is not associated with any subnet
# description: >-
#   In a complete inventory (a live account), the network ACL is associated
#   with no subnet, so it filters nothing. Unused ACLs confuse reviews ("is
#   this subnet protected by that ACL?") and count against the 200 ACLs per
#   VPC quota. A VPC's default ACL cannot be deleted and is not reported. In
#   code, associations may live in another module or stack, so the rule
#   stays silent there.
# related_resources:
#   - ref: https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-16
# custom:
#   id: NACL007
#   severity: low
#   subjects: [network_acls]
#   remediation: >-
#     Associate the ACL with the subnets it was meant for, or delete it.
#   references:
#     - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-16
#     - https://docs.aws.amazon.com/vpc/latest/userguide/network-acls.html
#   frameworks: {securityhub: ["EC2.16"]}
#   peers: {checkov: [CKV2_AWS_1]}
#   tags: [hygiene, network, network-acl]
#   examples:
#     terraform: |
#       resource "aws_network_acl" "private" {
#         vpc_id     = aws_vpc.main.id
#         subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]
#       }
#     cloudformation: |
#       PrivateAclAssociationA:
#         Type: AWS::EC2::SubnetNetworkAclAssociation
#         Properties:
#           NetworkAclId: !Ref PrivateAcl
#           SubnetId: !Ref PrivateSubnetA
package vpclint.rules.nacl_unused_acl

import data.vpclint.lib.inventory

deny contains finding if {
	input.inventory.complete == true
	inventory.decided("NACL007")
	some acl in input.network_acls
	not acl.is_default == true
	not acl.placeholder == true
	subnets := input.facts.network_acls[acl.id].subnet_ids
	is_array(subnets)
	count(subnets) == 0
	finding := {
		"resource": acl.address,
		"message": sprintf("Network ACL %s%s is associated with no subnet, so it filters nothing.", [acl.address, vpc_text(acl)]),
	}
}

vpc_text(acl) := sprintf(" in %s", [acl.vpc_id]) if acl.vpc_id

vpc_text(acl) := "" if not acl.vpc_id
