# METADATA
# title: Security group rule is redundant
# description: >-
#   Everything a rule allows is already allowed by the group's other rules
#   (the comparison is on address and port sets, so a /24 inside a /16 on the
#   same port, or a port inside a range, counts). Redundant rules eat into the
#   60-rules quota and mislead reviewers: removing the wider rule later leaves
#   the narrow one open unexpectedly, or the other way round.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
# custom:
#   id: SG012
#   severity: low
#   subjects: [security_groups]
#   remediation: >-
#     Remove the redundant rule, or narrow the wider rule that covers it if
#     the wide one was the mistake.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#     - https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups
#   tags: [hygiene, security-group]
#   examples:
#     terraform: |
#       resource "aws_security_group" "app" {
#         name        = "app"
#         description = "Application servers"
#         vpc_id      = aws_vpc.main.id
#         ingress {
#           description = "HTTPS from the VPC"
#           protocol    = "tcp"
#           from_port   = 443
#           to_port     = 443
#           cidr_blocks = ["10.0.0.0/16"]
#         }
#       }
#     cloudformation: |
#       AppSG:
#         Type: AWS::EC2::SecurityGroup
#         Properties:
#           GroupDescription: Application servers
#           VpcId: !Ref VPC
#           SecurityGroupIngress:
#             - Description: HTTPS from the VPC
#               IpProtocol: tcp
#               FromPort: 443
#               ToPort: 443
#               CidrIp: 10.0.0.0/16
package vpclint.rules.sg_redundant_rule

import data.vpclint.lib.net

deny contains finding if {
	some id in redundant_ids
	sg := net.sg_of(id)
	some red in input.facts.security_groups[id].redundant
	rule := sg[red.direction][red.index]

	# A rule nobody wrote (CloudFormation's default egress, the default
	# group's self rule) is not the user's to remove.
	net.written(rule)
	finding := {
		"resource": sg.address,
		"attribute": attribute(red),
		"message": sprintf("Rule %s[%d] of security group %s (%s) is redundant: %s everything it allows.", [
			red.direction, red.index, sg.address, net.rule_summary(red.direction, rule), covered_by(red),
		]),
	}
}

attribute(red) := red.attribute if red.attribute

attribute(red) := sprintf("%s[%d]", [red.direction, red.index]) if not red.attribute

covered_by(red) := sprintf("%s[%d] already allows", [red.direction, red.covered_by[0]]) if count(red.covered_by) == 1

covered_by(red) := sprintf("%s already allow", [concat(", ", [sprintf("%s[%d]", [red.direction, i]) | some i in red.covered_by])]) if {
	count(red.covered_by) > 1
}

covered_by(red) := "the group's other rules already allow" if count(object.get(red, "covered_by", [])) == 0

# redundant_ids are the groups with a redundant rule: the analysis' index,
# or every group when the facts have none.
redundant_ids := net.index.redundant_rules if {
	is_array(net.index.redundant_rules)
} else := [id | some id, _ in input.facts.security_groups]
