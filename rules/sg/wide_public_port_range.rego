# METADATA
# title: Security group rule opens a wide port range to public addresses
# description: >-
#   An ingress rule whose source includes a public address opens more than
#   config.max_port_range ports (default 100). Wide ranges expose services
#   nobody reviewed, including ones started later. Where the whole group is
#   open to the internet on all ports, SG002 reports it instead.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
# custom:
#   id: SG011
#   severity: low
#   subjects: [security_groups]
#   remediation: >-
#     Open only the ports the service listens on, one rule per port or small
#     range, or narrow the source to private ranges or security groups.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#   peers: {trivy: [AVD-AWS-0107, aws-ec2-no-public-ingress-sgr], tfsec: [aws-ec2-no-public-ingress-sgr, aws-vpc-no-public-ingress-sgr]}
#   tags: [security, network, security-group]
#   examples:
#     terraform: |
#       resource "aws_vpc_security_group_ingress_rule" "rtp" {
#         security_group_id = aws_security_group.media.id
#         description       = "RTP media from the partner"
#         ip_protocol       = "udp"
#         from_port         = 10000
#         to_port           = 10050
#         cidr_ipv4         = "198.51.100.0/24"
#       }
#     cloudformation: |
#       MediaRtpIngress:
#         Type: AWS::EC2::SecurityGroupIngress
#         Properties:
#           GroupId: !Ref MediaSG
#           Description: RTP media from the partner
#           IpProtocol: udp
#           FromPort: 10000
#           ToPort: 10050
#           CidrIp: 198.51.100.0/24
package vpclint.rules.sg_wide_public_port_range

import data.vpclint.lib.net
import data.vpclint.lib.supersede

# public_port_sets are the pairs [group id, port set] of every rule that
# opens a group's ingress to public addresses: the facts are walked once,
# for wide_sets and candidate_ids both.
public_port_sets := [[id, c.ports] |
	some id in net.public_ingress_ids
	some c in net.contributions(input.facts.security_groups[id].ingress.public_rules)
]

# wide_sets[ps] is the port count of each distinct port set that a rule
# opens to public addresses, when above the limit: a large model repeats a
# few sets, so each is counted once.
wide_sets := {ps: n |
	some ps in {p[1] | some p in public_port_sets}
	n := net.port_count(ps)
	n > net.max_port_range
}

# candidate_ids are the groups with a rule whose set is in wide_sets.
candidate_ids contains id if {
	wide := wide_sets # bound once: a plain object lookup per rule
	count(wide) > 0
	some p in public_port_sets
	wide[p[1]]
	id := p[0]
}

# One finding per offending rule; SG002 supersedes this rule on a group.
deny contains finding if {
	some id in candidate_ids
	not supersede.superseded("SG011", id)
	sg := net.sg_of(id)
	rules := net.public_rules(sg, "ingress") # read once for every index
	some i in {c.index | some c in rules}
	contribs := [c | some c in rules; c.index == i]
	n := max([net.port_count(c.ports) | some c in contribs])
	n > net.max_port_range
	finding := {
		"resource": sg.address,
		"attribute": net.first_attribute(contribs),
		"message": sprintf("Rule ingress[%d] of security group %s opens %s to public addresses %s; the limit is %d ports.", [
			i, sg.address, opens(n, contribs[0].ports), net.peers_text(contribs), net.max_port_range,
		]),
	}
}

# opens says how much the rule opens.
opens(_, ps) := "every port of every protocol" if ps.all_protocols == true

opens(n, ps) := sprintf("%d ports (%s)", [n, net.ranges_text(ps)]) if not ps.all_protocols == true
