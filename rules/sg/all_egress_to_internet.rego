# METADATA
# title: Security group allows all egress to the internet
# description: >-
#   Egress to the internet (0.0.0.0/0 or ::/0, or rules that together cover
#   one of them) is allowed on all protocols or on all TCP or UDP ports.
#   Anything that runs behind the group, including malware, can send data
#   anywhere. CloudFormation and the API add such a rule to every new group
#   unless egress is written, so this also flags forgotten defaults. It is
#   AWS's own default and most groups have it, so the rule is off by default
#   (tag hygiene): turn it on with `--enable SG008` (or `hygiene`) or
#   `rules: enable: [SG008]` in .vpclint.yaml.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
# custom:
#   id: SG008
#   severity: low
#   subjects: [security_groups]
#   remediation: >-
#     Write explicit egress rules for the destinations the workload needs:
#     TCP 443 to the VPC endpoints' security group or prefix lists, the
#     database's group, a proxy. In CloudFormation, any SecurityGroupEgress
#     rule replaces the default allow-all egress.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#     - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html
#   default: false
#   peers: {checkov: [CKV_AWS_382], trivy: [AVD-AWS-0104, aws-ec2-no-public-egress-sgr], tfsec: [aws-ec2-no-public-egress-sgr, aws-vpc-no-public-egress-sgr]}
#   tags: [hygiene, security, network, security-group, exfiltration]
#   examples:
#     terraform: |
#       resource "aws_security_group" "app" {
#         name        = "app"
#         description = "Application servers"
#         vpc_id      = aws_vpc.main.id
#         egress {
#           description     = "HTTPS to the VPC endpoints"
#           protocol        = "tcp"
#           from_port       = 443
#           to_port         = 443
#           security_groups = [aws_security_group.endpoints.id]
#         }
#       }
#     cloudformation: |
#       AppSG:
#         Type: AWS::EC2::SecurityGroup
#         Properties:
#           GroupDescription: Application servers
#           VpcId: !Ref VPC
#           SecurityGroupEgress:
#             - Description: HTTPS to the VPC endpoints
#               IpProtocol: tcp
#               FromPort: 443
#               ToPort: 443
#               DestinationSecurityGroupId: !Ref EndpointSG
package vpclint.rules.sg_all_egress_to_internet

import data.vpclint.lib.net

# Everything but the group's address is a function of a few small values
# (the egress facts, whether the group is a default one, and which of the
# contributing rules nobody wrote), which a large model repeats: OPA
# caches a function's result by its arguments, so those values are judged
# and worded once per distinct shape, and a group costs its lookups.
deny contains finding if {
	some id in net.internet_egress_ids
	egress := input.facts.security_groups[id].egress
	is_object(egress)
	internet := egress.internet
	net.all_traffic(internet)
	sg := net.sg_of(id)
	contribs := net.contributions(egress.internet_rules)
	implicit := implicit_rules(sg.egress, contribs)
	not unmanaged_default(sg.is_default == true, sg.egress, contribs)
	finding := {
		"resource": sg.address,
		"attribute": net.locate(contribs, "egress"),
		"message": sprintf("Security group %s allows %s%s.", [sg.address, what(internet, contribs, implicit)]),
	}
}

# implicit_rules(rules, contribs) lists, for each contribution whose rule
# is in the list, whether nobody wrote that rule. A function of the rule
# list, not of the group: groups with the same rules are read once.
implicit_rules(rules, contribs) := [x | some c in contribs; r := rules[c.index]; x := object.get(r, "implicit", false) == true]

# unmanaged_default: in code, a VPC's default group that nobody manages
# keeps AWS's own rules; they are not the code's to change (SG007 makes the
# same carve-out). A live account's default group is always judged (see
# net.written). A function of the group's rules, not of the group.
unmanaged_default(true, rules, contribs) if {
	count(contribs) > 0
	every c in contribs {
		not written_at(rules, c.index)
	}
}

# written_at: the group has rule i, and somebody wrote it. A contribution
# naming a rule the group does not have is not written.
written_at(rules, i) if net.written(rules[i])

# what says what the set allows, the rules and peers that cause it, and
# why a rule nobody wrote is there.
what(internet, contribs, implicit) := sprintf("%s to the internet%s%s", [
	traffic(internet), net.via_text("egress", contribs), implicit_note(implicit),
])

# traffic says what the set allows (an else, not a definition and its
# negation: one test per finding).
traffic(ps) := "all traffic" if {
	ps.all_protocols == true
} else := "all TCP or UDP ports"

# implicit_note explains a rule nobody wrote: CloudFormation's default.
implicit_note(implicit) := "; this is the allow-all egress added when no egress rule is written" if {
	true in implicit
} else := ""
