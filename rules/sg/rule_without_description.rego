# METADATA
# title: Security group rule has no description
# description: >-
#   A security-group rule somebody wrote has no description. Descriptions say
#   why a port is open and for whom; without them, reviews and incident
#   response cannot tell a needed rule from a forgotten one. Rules nobody
#   wrote (CloudFormation's default egress, the default group's self rule)
#   are not reported. Off by default (tag hygiene): turn it on with
#   `--enable SG009` (or `hygiene`) or `rules: enable: [SG009]` in
#   .vpclint.yaml.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
# custom:
#   id: SG009
#   severity: low
#   subjects: [security_groups]
#   remediation: >-
#     Add a description to the rule (Terraform `description`, CloudFormation
#     `Description`) saying what the traffic is and who needs it.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#   default: false
#   peers: {checkov: [CKV_AWS_23], trivy: [AVD-AWS-0124, aws-ec2-add-description-to-security-group-rule], tfsec: [aws-ec2-add-description-to-security-group-rule, aws-vpc-add-description-to-security-group-rule]}
#   tags: [hygiene, security-group]
#   examples:
#     terraform: |
#       resource "aws_vpc_security_group_ingress_rule" "https" {
#         security_group_id = aws_security_group.web.id
#         description       = "HTTPS from the load balancer subnets"
#         ip_protocol       = "tcp"
#         from_port         = 443
#         to_port           = 443
#         cidr_ipv4         = "10.0.0.0/20"
#       }
#     cloudformation: |
#       WebIngressHttps:
#         Type: AWS::EC2::SecurityGroupIngress
#         Properties:
#           GroupId: !Ref WebSG
#           Description: HTTPS from the load balancer subnets
#           IpProtocol: tcp
#           FromPort: 443
#           ToPort: 443
#           CidrIp: 10.0.0.0/20
package vpclint.rules.sg_rule_without_description

import data.vpclint.lib.net

deny contains finding if {
	some sg in net.groups_at("undescribed_rule_groups")
	some dir in ["ingress", "egress"]
	some i, rule in sg[dir]
	not described(rule)
	not rule.implicit == true
	not aws_default_rule(sg, dir, rule)
	path := sprintf("%s[%d]", [dir, i])
	no_description(sg, rule, path)
	finding := {
		"resource": sg.address,
		"attribute": path,
		"message": sprintf("Rule %s of security group %s (%s) has no description.", [
			path, sg.address, net.rule_summary(dir, rule),
		]),
	}
}

# no_description: absent although known, or blank.
no_description(sg, rule, path) if {
	object.get(rule, "description", null) == null
	not net.is_unknown(sg, concat(".", [path, "description"]))
}

no_description(_, rule, _) if trim_space(rule.description) == ""

# described: the common case, decided in one step.
described(rule) if trim_space(rule.description) != ""

# aws_default_rule: a live account's default group still holding the rules
# AWS created with it (all traffic from the group itself; all traffic to
# 0.0.0.0/0 or ::/0). The live API does not say who wrote a rule, but these
# are AWS's, not the user's: they are the implicit rules that front ends
# mark, and SG007 reports them.
aws_default_rule(sg, "ingress", rule) if {
	sg.is_default == true
	net.proto(rule.protocol) == "all"
	rule.self == true
	count(object.get(rule, "cidr_blocks", [])) + count(object.get(rule, "ipv6_cidr_blocks", [])) == 0
	count(object.get(rule, "prefix_list_ids", [])) + count(object.get(rule, "security_group_ids", [])) == 0
}

aws_default_rule(sg, "egress", rule) if {
	sg.is_default == true
	net.proto(rule.protocol) == "all"
	not rule.self == true
	count(object.get(rule, "prefix_list_ids", [])) + count(object.get(rule, "security_group_ids", [])) == 0
	peers := array.concat(object.get(rule, "cidr_blocks", []), object.get(rule, "ipv6_cidr_blocks", []))
	count(peers) > 0
	every p in peers {
		p in net.internet_cidrs
	}
}
