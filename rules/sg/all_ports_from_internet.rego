# METADATA
# title: Security group allows all traffic from the internet
# description: >-
#   Ingress from the internet is allowed on all protocols, or on every TCP or
#   UDP port 0-65535 (however the range is split over rules). Every service on
#   every attached interface, including administration and database ports, is
#   open to anyone. This one finding replaces SG001, SG003, SG004 and SG011 on
#   the group; its message lists the admin and sensitive ports it exposes.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
# custom:
#   id: SG002
#   severity: critical
#   subjects: [security_groups]
#   remediation: >-
#     Replace the rule with rules for the ports the workload serves, from the
#     sources that need them (a load balancer's security group, a VPC CIDR or
#     a prefix list). Never combine protocol -1 or 0-65535 with 0.0.0.0/0 or
#     ::/0.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#     - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18
#     - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19
#   frameworks: {securityhub: ["EC2.13", "EC2.14", "EC2.18", "EC2.19", "EC2.53", "EC2.54"], cis_aws: ["5.2", "5.3"]}
#   peers: {checkov: [CKV_AWS_277], trivy: [AVD-AWS-0107, aws-ec2-no-public-ingress-sgr], tfsec: [aws-ec2-no-public-ingress-sgr, aws-vpc-no-public-ingress-sgr]}
#   tags: [security, network, security-group]
#   examples:
#     terraform: |
#       resource "aws_security_group" "web" {
#         name        = "web"
#         description = "HTTPS from the internet"
#         vpc_id      = aws_vpc.main.id
#         ingress {
#           description = "HTTPS"
#           protocol    = "tcp"
#           from_port   = 443
#           to_port     = 443
#           cidr_blocks = ["0.0.0.0/0"]
#         }
#       }
#     cloudformation: |
#       WebSG:
#         Type: AWS::EC2::SecurityGroup
#         Properties:
#           GroupDescription: HTTPS from the internet
#           VpcId: !Ref VPC
#           SecurityGroupIngress:
#             - Description: HTTPS
#               IpProtocol: tcp
#               FromPort: 443
#               ToPort: 443
#               CidrIp: 0.0.0.0/0
package vpclint.rules.sg_all_ports_from_internet

import data.vpclint.lib.net

deny contains finding if {
	some id in net.wide_open_ids
	sg := net.sg_of(id)
	internet := net.internet_in(sg)
	contribs := net.internet_rules(sg, "ingress")
	finding := {
		"resource": sg.address,
		"attribute": net.locate(contribs, "ingress"),
		"message": sprintf("Security group %s allows %s from the internet%s; this exposes %s.", [
			sg.address, what(internet), net.via_text("ingress", contribs), exposed(internet),
		]),
	}
}

# what names the kind of wide opening.
what(ps) := "all protocols" if ps.all_protocols == true

what(ps) := "all TCP and UDP ports" if {
	not ps.all_protocols == true
	net.covers_all_ports(net.ranges(ps, "tcp"))
	net.covers_all_ports(net.ranges(ps, "udp"))
}

what(ps) := "all TCP ports" if {
	not ps.all_protocols == true
	net.covers_all_ports(net.ranges(ps, "tcp"))
	not net.covers_all_ports(net.ranges(ps, "udp"))
}

what(ps) := "all UDP ports" if {
	not ps.all_protocols == true
	not net.covers_all_ports(net.ranges(ps, "tcp"))
	net.covers_all_ports(net.ranges(ps, "udp"))
}

# exposed lists the admin and sensitive ports reached (the questions of the
# rules this one supersedes).
exposed(ps) := concat(" and ", parts) if {
	parts := [text |
		some kind in [["admin", net.admin_ports], ["sensitive", net.sensitive_ports]]
		ports := net.reached(ps, kind[1])
		count(ports) > 0
		text := sprintf("%s %s %s", [kind[0], net.ports_word(ports), ports_list(kind[0], ports)])
	]
	count(parts) > 0
} else := "every port"

# ports_list names the few admin ports; the long sensitive list is given
# by number.
ports_list("admin", ports) := net.named_ports_text(ports)

ports_list("sensitive", ports) := net.ports_text(ports)
