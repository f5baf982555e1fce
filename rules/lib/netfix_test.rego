# Package vpclint.lib.netfix builds inputs and facts for the Rego tests of
# the SG, NACL and AZ rules (loaded with tests only).
package vpclint.lib.netfix

# empty is a PortSet that allows nothing.
empty := {"all_protocols": false, "tcp": [], "udp": [], "icmp": false, "icmpv6": false, "other": [], "empty": true}

# everything is a PortSet of all protocols.
everything := object.union(empty, {"all_protocols": true, "empty": false})

# tcp(from, to) / udp(from, to) are PortSets of one range.
tcp(from, to) := object.union(empty, {"tcp": [{"from": from, "to": to}], "empty": false})

udp(from, to) := object.union(empty, {"udp": [{"from": from, "to": to}], "empty": false})

# contrib is one RuleContribution.
contrib(dir, i, peer, ports) := {
	"index": i,
	"attribute": sprintf("%s[%d].cidr_blocks[0]", [dir, i]),
	"peers": [peer],
	"ports": ports,
}

# direction facts with an internet set and its contributions (public = the
# same), known.
direction(internet, contribs) := {
	"all": internet,
	"internet": internet,
	"internet_rules": contribs,
	"public": internet,
	"public_rules": contribs,
	"prefix_list_ids": [],
	"security_group_ids": [],
	"known": true,
}

quiet := direction(empty, [])

# rule is a written SG rule.
rule(proto, from, to, cidrs) := {
	"protocol": proto, "from_port": from, "to_port": to,
	"cidr_blocks": cidrs, "self": false, "description": "test rule",
}

# group is a security group with ingress and egress rules.
group(id, ingress, egress) := {
	"id": id,
	"address": sprintf("aws_security_group.%s", [id]),
	"name": id,
	"vpc_id": "vpc-1",
	"description": "test group",
	"is_default": false,
	"ingress": ingress,
	"egress": egress,
}

# sg_input is a model of the groups with facts per group id.
sg_input(groups, facts) := {
	"security_groups": groups,
	"network_acls": [],
	"vpc_endpoints": [],
	"subnets": [],
	"vpcs": [],
	"inventory": {"complete": false},
	"facts": {"security_groups": facts, "network_acls": {}, "endpoints": {}},
}

sg_facts(ingress, egress) := {"ingress": ingress, "egress": egress, "redundant": []}
