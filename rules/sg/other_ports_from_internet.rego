# METADATA
# title: Security group allows an unexpected port from the internet
# description: >-
#   Ingress from the internet reaches a TCP or UDP port that is neither 80, 443,
#   an admin port nor a sensitive port (those have SG001 and SG003). Public
#   services other than the web are unusual, and each one is attack surface
#   that should be a deliberate, reviewed choice.
#   Where the whole group is open to the internet on all ports, SG002
#   reports it instead.
# related_resources:
#   - ref: https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18
# custom:
#   id: SG004
#   severity: medium
#   subjects: [security_groups]
#   remediation: >-
#     Limit the rule's source to the clients that need the port, or serve the
#     application on 443 behind a load balancer. If the port must be public,
#     suppress the finding with the reason.
#   references:
#     - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#   frameworks: {securityhub: ["EC2.18"]}
#   peers: {checkov: [CKV_AWS_260], trivy: [AVD-AWS-0107, aws-ec2-no-public-ingress-sgr], tfsec: [aws-ec2-no-public-ingress-sgr, aws-vpc-no-public-ingress-sgr]}
#   tags: [security, network, security-group]
#   examples:
#     terraform: |
#       resource "aws_security_group" "api" {
#         name        = "api"
#         description = "API on 8443 from the partner network"
#         vpc_id      = aws_vpc.main.id
#         ingress {
#           description = "API from the partner"
#           protocol    = "tcp"
#           from_port   = 8443
#           to_port     = 8443
#           cidr_blocks = ["203.0.113.0/24"]
#         }
#       }
#     cloudformation: |
#       ApiSG:
#         Type: AWS::EC2::SecurityGroup
#         Properties:
#           GroupDescription: API on 8443 from the partner network
#           VpcId: !Ref VPC
#           SecurityGroupIngress:
#             - Description: API from the partner
#               IpProtocol: tcp
#               FromPort: 8443
#               ToPort: 8443
#               CidrIp: 203.0.113.0/24
package vpclint.rules.sg_other_ports_from_internet

import data.vpclint.lib.net
import data.vpclint.lib.supersede

# expected are the ports other rules (or nobody) answer for.
expected := sort({p |
	some list in [net.web_ports, net.admin_ports, net.sensitive_ports]
	some p in list
})

# SG002 (all ports from the internet) supersedes this rule on a group.
deny contains finding if {
	some id in net.internet_ingress_ids
	not supersede.superseded("SG004", id)
	sg := net.sg_of(id)
	internet := net.internet_in(sg)
	parts := other_parts(internet)
	count(parts) > 0
	contribs := [c | some c in net.internet_rules(sg, "ingress"); count(other_parts(c.ports)) > 0]
	finding := {
		"resource": sg.address,
		"attribute": net.locate(contribs, "ingress"),
		"message": sprintf("Security group %s lets the internet reach %s%s.", [
			sg.address, concat("; ", parts), net.via_text("ingress", contribs),
		]),
	}
}

# other_parts are the TCP/UDP ranges of ps holding a port outside the
# expected list.
other_parts(ps) := [sprintf("%s %s", [proto, net.range_text(r)]) |
	some proto in ["tcp", "udp"]
	some r in net.sort_ranges(net.ranges_beyond(net.ranges(ps, proto), expected))
]
