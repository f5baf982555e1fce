# METADATA
# title: Endpoint security group allows more than HTTPS
# description: >-
#   A security group attached to an interface endpoint (listed on it, or the
#   VPC's default group that an endpoint without groups gets) allows ingress on
#   something other than TCP 443 (config.endpoint_ports). AWS services behind
#   interface endpoints listen on HTTPS only, so any other port, protocol or
#   "all traffic" rule is unneeded surface, and usually a sign the group is
#   shared with workloads it should not be. The few AWS services whose
#   endpoints listen on other ports (SES SMTP, Transfer Family SFTP,
#   CodeCommit Git over SSH; rules/data/services.json `ports`) may have
#   those. Only groups whose interface endpoints are all for known AWS
#   services are judged: an endpoint to a customer or partner PrivateLink
#   service (com.amazonaws.vpce..., or a name that is not AWS's) may need
#   any port, and one whose service is unknown (a name from a variable or
#   parameter) may be either.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
# custom:
#   id: SG005
#   severity: medium
#   subjects: [security_groups]
#   remediation: >-
#     Give interface endpoints their own security group that allows only TCP
#     443 from the clients (the VPC CIDR, a prefix list or the clients'
#     security groups), and list it in security_group_ids / SecurityGroupIds
#     rather than relying on the default group.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/interface-endpoints.html
#   tags: [security, network, security-group, vpc-endpoint]
#   examples:
#     terraform: |
#       resource "aws_security_group" "endpoints" {
#         name        = "vpc-endpoints"
#         description = "Interface endpoints: HTTPS from the VPC"
#         vpc_id      = aws_vpc.main.id
#         ingress {
#           description = "HTTPS from the VPC"
#           protocol    = "tcp"
#           from_port   = 443
#           to_port     = 443
#           cidr_blocks = [aws_vpc.main.cidr_block]
#         }
#       }
#     cloudformation: |
#       EndpointSG:
#         Type: AWS::EC2::SecurityGroup
#         Properties:
#           GroupDescription: "Interface endpoints: HTTPS from the VPC"
#           VpcId: !Ref VPC
#           SecurityGroupIngress:
#             - Description: HTTPS from the VPC
#               IpProtocol: tcp
#               FromPort: 443
#               ToPort: 443
#               CidrIp: !GetAtt VPC.CidrBlock
package vpclint.rules.sg_endpoint_sg_non_https

import data.vpclint.lib.net
import data.vpclint.lib.policy as pol

# beyond_https[ps] describes what each distinct ingress set of the
# endpoint groups allows beyond the endpoint ports, for the sets that allow
# more: judged once per distinct set (a large model repeats a few), so a
# group costs one lookup. Ports some services need besides HTTPS are
# weighed only for the few groups found here.
beyond_https := {ps: parts |
	some ps in {input.facts.security_groups[id].ingress.all | some id in net.interface_endpoint_group_ids}
	parts := net.beyond_parts(ps, net.endpoint_ports)
	count(parts) > 0
}

interface_by_address := {ep.address: ep | some ep in input.vpc_endpoints; ep.type == "Interface"}

# allowed_ports(eps) are the TCP ports the interface endpoints eps (their
# addresses) need: the endpoint ports, and those of services that listen on
# more. Undefined unless every endpoint is for a known AWS service: a
# customer's service may need any port, an unknown one may be a customer's.
# Each endpoint's service is looked up once (its extra ports are undefined
# without one).
allowed_ports(eps) := sort(endpoint_port_set | {p | some x in extras; some p in x}) if {
	extras := [pol.service_extra_ports(interface_by_address[a]) | some a in eps]
	count(extras) == count(eps)
}

# endpoint_port_set is the set of the endpoint ports, built once.
endpoint_port_set := {p | some p in net.endpoint_ports}

deny contains finding if {
	b := beyond_https # bound once: a plain object lookup per group
	count(b) > 0
	some id in net.interface_endpoint_group_ids
	ps := input.facts.security_groups[id].ingress.all
	https_parts := b[ps]
	eps := net.interface_endpoints_of(id)
	ports := allowed_ports(eps)
	parts := beyond_ports(ps, ports, https_parts)
	count(parts) > 0
	sg := net.sg_of(id)

	culprits := beyond_rules(sg.ingress, ports)
	count(culprits) > 0
	finding := {
		"resource": sg.address,
		"attribute": sprintf("ingress[%d]", [culprits[0]]),
		"message": sprintf("Security group %s of interface endpoint %s allows ingress on %s, beyond TCP %s (%s).", [
			sg.address, concat(", ", sort(eps)), concat("; ", parts),
			net.ports_text(ports), rule_list(culprits),
		]),
	}
}

# beyond_rules(rules, ports) are the indexes of the rules that open more
# than the ports: the finding points at them. Rules nobody wrote in code
# (an unmanaged default group's self rule) do not count. A function of the
# rule list, not of the group: groups with the same rules (a large model
# repeats a few lists) are judged once. A rule is judged on its protocol
# and ports alone, cached by those values across lists.
beyond_rules(rules, ports) := [i |
	some i, r in rules
	beyond_rule(r.protocol, object.get(r, "from_port", null), object.get(r, "to_port", null), ports)
	net.written(r)
]

# beyond_ports(ps, ports, https_parts) is what ps allows beyond the ports:
# https_parts, found once per distinct set, when the ports are the
# endpoint ports (no endpoint of the group needs more), else worked out.
beyond_ports(ps, ports, https_parts) := https_parts if {
	ports == net.endpoint_ports
} else := net.beyond_parts(ps, ports)

rule_list(idx) := concat(", ", [sprintf("ingress[%d]", [i]) | some i in idx])

# beyond_rule: a rule of that protocol and ports allows a protocol other
# than TCP, or a TCP port outside the ports. The protocol is normalized once
# per rule; a value that is neither a string nor a number is not judged,
# nor are the ports of a TCP rule unless both are numbers.
beyond_rule(protocol, from, to, ports) if {
	p := net.proto(protocol)
	beyond_proto(p, from, to, ports)
}

beyond_proto(p, _, _, _) if p != "tcp"

beyond_proto("tcp", from, to, ports) if {
	is_number(from)
	is_number(to)
	(to - from) + 1 > net.count_in(ports, {"from": from, "to": to})
}
