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

deny contains finding if {
	some id in net.internet_egress_ids
	sg := net.sg_of(id)
	egress := net.sg_direction(sg, "egress") # read once for both
	internet := egress.internet
	net.all_traffic(internet)
	contribs := net.contributions(egress.internet_rules)
	not unmanaged_default(sg, contribs)
	finding := {
		"resource": sg.address,
		"attribute": net.locate(contribs, "egress"),
		"message": sprintf("Security group %s allows %s to the internet%s%s.", [
			sg.address, what(internet), net.via_text("egress", contribs), implicit_note(sg, contribs),
		]),
	}
}

# unmanaged_default: in code, a VPC's default group that nobody manages
# keeps AWS's own rules; they are not the code's to change (SG007 makes the
# same carve-out). A live account's default group is always judged.
unmanaged_default(sg, contribs) if {
	sg.is_default == true
	count(contribs) > 0
	count(net.written_contributions(sg, "egress", contribs)) == 0
}

# what says what the set allows (an else, not a definition and its
# negation: one test per finding).
what(ps) := "all traffic" if {
	ps.all_protocols == true
} else := "all TCP or UDP ports"

# implicit_note explains a rule nobody wrote: CloudFormation's default.
implicit_note(sg, contribs) := "; this is the allow-all egress added when no egress rule is written" if {
	any_implicit(sg, contribs)
} else := ""

any_implicit(sg, contribs) if {
	some c in contribs
	sg.egress[c.index].implicit == true
}
