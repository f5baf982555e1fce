# METADATA
# title: VPC default security group has rules
# description: >-
#   A VPC's default security group has an ingress or egress rule. Anything
#   launched without a group gets the default one, including an interface
#   endpoint that lists no security group, so its rules silently apply to
#   resources nobody meant to expose. In a live account any rule fires; in code
#   the rule fires when the code manages the default group
#   (aws_default_security_group, or rules on VPC.DefaultSecurityGroup) and
#   leaves it a rule, since an unmanaged default group is not the code's to
#   change.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
# custom:
#   id: SG007
#   severity: medium
#   subjects: [security_groups]
#   remediation: >-
#     Manage the default group and leave it empty: in Terraform declare
#     `aws_default_security_group` with no ingress or egress blocks (Terraform
#     then removes every rule); in CloudFormation do not add rules to
#     VPC.DefaultSecurityGroup, and remove the default rules in the account.
#     Give every resource, including interface endpoints, a group of its own.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html
#     - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-2
#     - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/default_security_group
#   frameworks: {securityhub: ["EC2.2"], cis_aws: ["5.4"]}
#   peers: {checkov: [CKV2_AWS_12], trivy: [AVD-AWS-0173, aws-ec2-restrict-all-in-default-sg]}
#   tags: [security, network, security-group]
#   examples:
#     terraform: |
#       resource "aws_default_security_group" "default" {
#         vpc_id = aws_vpc.main.id
#         # no ingress or egress: Terraform removes every rule
#       }
#     cloudformation: |
#       # Add no SecurityGroupIngress/SecurityGroupEgress with
#       # GroupId: !GetAtt VPC.DefaultSecurityGroup; give resources their own group.
#       AppSG:
#         Type: AWS::EC2::SecurityGroup
#         Properties:
#           GroupDescription: Application servers
#           VpcId: !Ref VPC
package vpclint.rules.sg_default_group_has_rules

import data.vpclint.lib.net

deny contains finding if {
	some sg in net.groups_at("default_groups")
	sg.is_default == true
	rules := [[dir, i] |
		some dir in ["ingress", "egress"]
		some i, _ in sg[dir]
	]
	count(rules) > 0
	managed(sg)
	first := rules[0]
	finding := {
		"resource": sg.address,
		"attribute": sprintf("%s[%d]", first),
		"message": sprintf("Default security group %s%s has %s; resources launched without a group, interface endpoints included, get them.", [
			sg.address, vpc_text(sg), rules_text(sg),
		]),
	}
}

# managed: the default group is judged in a live account, and in code when
# somebody wrote a rule for it (a rule nobody wrote is AWS's default).
managed(_) if input.inventory.complete == true

managed(sg) if {
	some dir in ["ingress", "egress"]
	some r in sg[dir]
	not r.implicit == true
}

vpc_text(sg) := sprintf(" of %s", [sg.vpc_id]) if sg.vpc_id

vpc_text(sg) := "" if not sg.vpc_id

# rules_text: "2 ingress rules (all traffic from itself; tcp 22 from
# 0.0.0.0/0) and 1 egress rule (all traffic to 0.0.0.0/0)".
rules_text(sg) := concat(" and ", [text |
	some dir in ["ingress", "egress"]
	rs := object.get(sg, dir, [])
	count(rs) > 0
	text := sprintf("%d %s %s (%s)", [count(rs), dir, rule_word(rs), concat("; ", [rule_desc(dir, r) | some r in rs])])
])

rule_word(rs) := "rule" if count(rs) == 1

rule_word(rs) := "rules" if count(rs) != 1

rule_desc(dir, r) := net.rule_summary(dir, r)
