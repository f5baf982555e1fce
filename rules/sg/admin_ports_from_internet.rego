# METADATA
# title: Security group allows SSH or RDP from the internet
# description: >-
#   Ingress from the internet reaches an administration port (config.admin_ports,
#   by default 22 for SSH and 3389 for RDP). "The internet" is judged on the
#   union of the group's rules, so 0.0.0.0/1 + 128.0.0.0/1, all protocols, or a
#   port range spanning 22 count, as do rules written as separate resources.
#   Exposed administration ports are scanned and brute-forced within minutes.
#   Where the whole group is open to the internet on all ports, SG002
#   reports it instead.
# related_resources:
#   - ref: https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13
# custom:
#   id: SG001
#   severity: critical
#   subjects: [security_groups]
#   remediation: >-
#     Limit the source of the rule to your administration network (a VPN or
#     office CIDR, a prefix list, or a bastion's security group), or remove it
#     and use AWS Systems Manager Session Manager or EC2 Instance Connect
#     Endpoint instead of open SSH/RDP.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#     - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13
#     - https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html
#   frameworks: {securityhub: ["EC2.13", "EC2.14", "EC2.53", "EC2.54"], cis_aws: ["5.2", "5.3"]}
#   peers: {checkov: [CKV_AWS_24, CKV_AWS_25], trivy: [AVD-AWS-0107, aws-ec2-no-public-ingress-sgr], tfsec: [aws-ec2-no-public-ingress-sgr, aws-vpc-no-public-ingress-sgr]}
#   tags: [security, network, security-group]
#   examples:
#     terraform: |
#       resource "aws_security_group" "admin" {
#         name        = "admin"
#         description = "SSH from the office VPN only"
#         vpc_id      = aws_vpc.main.id
#         ingress {
#           description = "SSH from the VPN"
#           protocol    = "tcp"
#           from_port   = 22
#           to_port     = 22
#           cidr_blocks = ["10.50.0.0/16"]
#         }
#       }
#     cloudformation: |
#       AdminSG:
#         Type: AWS::EC2::SecurityGroup
#         Properties:
#           GroupDescription: SSH from the office VPN only
#           VpcId: !Ref VPC
#           SecurityGroupIngress:
#             - Description: SSH from the VPN
#               IpProtocol: tcp
#               FromPort: 22
#               ToPort: 22
#               CidrIp: 10.50.0.0/16
package vpclint.rules.sg_admin_ports_from_internet

import data.vpclint.lib.net
import data.vpclint.lib.supersede

# SG002 (all ports from the internet) supersedes this rule on a group.
deny contains finding if {
	some id in net.internet_ingress_ids
	not supersede.superseded("SG001", id)
	sg := net.sg_of(id)
	ports := net.reached(net.internet_in(sg), net.admin_ports)
	count(ports) > 0
	contribs := net.rules_reaching(net.internet_rules(sg, "ingress"), ports)
	finding := {
		"resource": sg.address,
		"attribute": net.locate(contribs, "ingress"),
		"message": sprintf("Security group %s lets the internet reach admin %s %s%s.", [
			sg.address, net.ports_word(ports), net.named_ports_text(ports),
			net.via_text("ingress", contribs),
		]),
	}
}
