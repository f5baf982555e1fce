# METADATA
# title: Security group allows a sensitive port from the internet
# description: >-
#   Ingress from the internet reaches a sensitive port (config.sensitive_ports:
#   databases, caches, search clusters, file sharing, Telnet, FTP, SMTP, Docker
#   and the like). These services are rarely meant to be public and are
#   routinely scanned for, ransomed and leaked. The group's rules are judged
#   together, so a CIDR split or a port range spanning the port counts.
#   Where the whole group is open to the internet on all ports, SG002
#   reports it instead.
# related_resources:
#   - ref: https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19
# custom:
#   id: SG003
#   severity: high
#   subjects: [security_groups]
#   remediation: >-
#     Restrict the rule's source to the clients that need the service (an
#     application tier's security group, a VPC CIDR, a prefix list), or put the
#     service behind a load balancer or a VPN.
#   references:
#     - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#   frameworks: {securityhub: ["EC2.19"]}
#   peers: {trivy: [AVD-AWS-0107, aws-ec2-no-public-ingress-sgr], tfsec: [aws-ec2-no-public-ingress-sgr, aws-vpc-no-public-ingress-sgr]}
#   tags: [security, network, security-group]
#   examples:
#     terraform: |
#       resource "aws_security_group" "db" {
#         name        = "db"
#         description = "PostgreSQL from the application tier"
#         vpc_id      = aws_vpc.main.id
#         ingress {
#           description     = "PostgreSQL from the app servers"
#           protocol        = "tcp"
#           from_port       = 5432
#           to_port         = 5432
#           security_groups = [aws_security_group.app.id]
#         }
#       }
#     cloudformation: |
#       DatabaseSG:
#         Type: AWS::EC2::SecurityGroup
#         Properties:
#           GroupDescription: PostgreSQL from the application tier
#           VpcId: !Ref VPC
#           SecurityGroupIngress:
#             - Description: PostgreSQL from the app servers
#               IpProtocol: tcp
#               FromPort: 5432
#               ToPort: 5432
#               SourceSecurityGroupId: !Ref AppSG
package vpclint.rules.sg_sensitive_ports_from_internet

import data.vpclint.lib.net
import data.vpclint.lib.supersede

# SG002 (all ports from the internet) supersedes this rule on a group.
deny contains finding if {
	some id in net.internet_ingress_ids
	not supersede.superseded("SG003", id)
	sg := net.sg_of(id)
	ports := net.reached(net.internet_in(sg), net.sensitive_ports)
	count(ports) > 0
	contribs := net.rules_reaching(net.internet_rules(sg, "ingress"), ports)
	finding := {
		"resource": sg.address,
		"attribute": net.locate(contribs, "ingress"),
		"message": sprintf("Security group %s lets the internet reach sensitive %s %s%s.", [
			sg.address, net.ports_word(ports), net.named_ports_text(ports),
			net.via_text("ingress", contribs),
		]),
	}
}
