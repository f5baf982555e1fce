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

# endpoint is an interface endpoint in vpc-1.
endpoint(id, sgs) := {
	"id": id,
	"address": sprintf("aws_vpc_endpoint.%s", [id]),
	"vpc_id": "vpc-1",
	"type": "Interface",
	"service_name": "com.amazonaws.eu-west-1.ssm",
	"service": "ssm",
	"subnet_ids": ["subnet-a", "subnet-b"],
	"security_group_ids": sgs,
}

# ep_facts are endpoint facts with the groups in effect.
ep_facts(sgs) := {
	"security_group_ids": sgs,
	"uses_default_group": false,
	"foreign_groups": [],
	"missing_groups": [],
	"azs": ["eu-west-1a", "eu-west-1b"],
	"vpc_azs": ["eu-west-1a", "eu-west-1b"],
	"missing_azs": [],
	"duplicate_azs": [],
	"azs_known": true,
	"reachability": [],
}

# ep_input is a model of groups and endpoints with their facts.
ep_input(groups, sg_facts, endpoints, ep_facts) := object.union(sg_input(groups, sg_facts), {
	"vpc_endpoints": endpoints,
	"facts": {"security_groups": sg_facts, "network_acls": {}, "endpoints": ep_facts},
})

# ingress_all are direction facts with an `all` set but nothing public.
ingress_all(ps) := object.union(quiet, {"all": ps})

# entry is an ACL entry.
entry(n, egress, action, proto, from, to, cidr) := {
	"rule_number": n, "egress": egress, "action": action, "protocol": proto,
	"from_port": from, "to_port": to, "cidr_block": cidr,
}

# acl is a network ACL with entries.
acl(id, entries) := {
	"id": id,
	"address": sprintf("aws_network_acl.%s", [id]),
	"vpc_id": "vpc-1",
	"is_default": false,
	"subnet_ids": ["subnet-a"],
	"entries": entries,
}

# nacl_dir are first-match facts of one direction.
nacl_dir(internet, internet_entries) := {
	"allowed": internet,
	"internet": internet,
	"internet_entries": internet_entries,
	"anomalies": [],
	"duplicate_rule_numbers": [],
	"known": true,
}

nacl_quiet := nacl_dir(empty, [])

# nacl_facts are the facts of an ACL of a public subnet (one that routes to
# an internet gateway); private_nacl_facts of a private one.
nacl_facts(ingress, egress) := {"ingress": ingress, "egress": egress, "subnet_ids": ["subnet-a"], "internet_reachable": true, "internet_reachable_subnets": ["subnet-a"]}

private_nacl_facts(ingress, egress) := object.union(nacl_facts(ingress, egress), {"internet_reachable": false, "internet_reachable_subnets": []})

# acl_input is a model of ACLs with facts per ACL id.
acl_input(acls, facts) := object.union(sg_input([], {}), {
	"network_acls": acls,
	"facts": {"security_groups": {}, "network_acls": facts, "endpoints": {}},
})

# az_input is one endpoint with AZ facts.
az_input(ep, f) := object.union(ep_input([], {}, [ep], {ep.id: object.union(ep_facts([]), f)}), {"subnets": [
	{"id": "subnet-a", "address": "aws_subnet.a", "vpc_id": "vpc-1", "availability_zone": "eu-west-1a"},
	{"id": "subnet-b", "address": "aws_subnet.b", "vpc_id": "vpc-1", "availability_zone": "eu-west-1a"},
]})
