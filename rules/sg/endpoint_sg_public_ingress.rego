# METADATA
# title: Endpoint security group allows ingress from public addresses
# description: >-
#   A security group of an interface endpoint allows ingress from a public
#   address range (the internet, or any range outside RFC 1918, RFC 6598,
#   link-local, loopback and ULA space). An interface endpoint only has
#   private addresses, so public sources are never legitimate clients; the
#   rule is a copy-paste error or a group shared with internet-facing
#   workloads. Private ranges outside the VPC (on-premises networks over VPN or
#   Direct Connect, peered VPCs), prefix lists and referenced groups are
#   legitimate clients and are not reported.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
# custom:
#   id: SG006
#   severity: high
#   subjects: [security_groups]
#   remediation: >-
#     Allow TCP 443 only from the private ranges of your VPCs and networks,
#     or from the clients' security groups or a prefix list; give the
#     endpoints a security group of their own.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#   peers: {trivy: [AVD-AWS-0107, aws-ec2-no-public-ingress-sgr], tfsec: [aws-ec2-no-public-ingress-sgr, aws-vpc-no-public-ingress-sgr]}
#   tags: [security, network, security-group, vpc-endpoint]
#   examples:
#     terraform: |
#       resource "aws_security_group" "endpoints" {
#         name        = "vpc-endpoints"
#         description = "Interface endpoints: HTTPS from the VPC and on-premises"
#         vpc_id      = aws_vpc.main.id
#         ingress {
#           description = "HTTPS from the VPC and the data centre"
#           protocol    = "tcp"
#           from_port   = 443
#           to_port     = 443
#           cidr_blocks = [aws_vpc.main.cidr_block, "172.16.0.0/12"]
#         }
#       }
#     cloudformation: |
#       EndpointSG:
#         Type: AWS::EC2::SecurityGroup
#         Properties:
#           GroupDescription: "Interface endpoints: HTTPS from the VPC and on-premises"
#           VpcId: !Ref VPC
#           SecurityGroupIngress:
#             - Description: HTTPS from the data centre
#               IpProtocol: tcp
#               FromPort: 443
#               ToPort: 443
#               CidrIp: 172.16.0.0/12
package vpclint.rules.sg_endpoint_sg_public_ingress

import data.vpclint.lib.net

deny contains finding if {
	# The groups both exposed and of an interface endpoint: one set
	# intersection, not a membership test per exposed group.
	some id in net.public_ingress_ids & net.interface_endpoint_group_ids
	ingress := input.facts.security_groups[id].ingress # read once for both
	is_object(ingress)
	sg := net.sg_of(id)
	eps := net.interface_endpoints_of(id)
	finding := {
		"resource": sg.address,
		"attribute": net.locate(net.contributions(ingress.public_rules), "ingress"),
		"message": sprintf("Security group %s of interface endpoint %s allows %s.", [
			sg.address, concat(", ", sort(eps)), exposure(ingress.public, ingress.public_rules),
		]),
	}
}

# exposure says what the set lets in from public addresses and through
# which rules: a function of the facts alone, which a large model repeats,
# so OPA words each distinct exposure once.
exposure(public, rules) := sprintf("%s from public addresses%s", [
	net.ranges_text(public), net.via_text("ingress", net.contributions(rules)),
])
