# METADATA
# title: Network ACL entry allows all traffic from the internet
# description: >-
#   An inbound entry allows all protocols, or every TCP or UDP port, from
#   0.0.0.0/0 or ::/0. The subnet then relies on security groups alone; the ACL
#   adds no layer of defence. Entries that never apply (shadowed or redundant,
#   see NACL003/NACL004) and, in code, the entries of a default ACL nobody
#   manages are not reported.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
# custom:
#   id: NACL002
#   severity: medium
#   remediation: >-
#     Replace the entry with entries for the protocols and ports the subnet
#     serves (for example TCP 443, and TCP 1024-65535 for replies to its own
#     outbound connections), with deny entries for admin ports before them.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
#     - https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
#   tags: [security, network, network-acl]
#   examples:
#     terraform: |
#       resource "aws_network_acl_rule" "https_in" {
#         network_acl_id = aws_network_acl.public.id
#         rule_number    = 100
#         egress         = false
#         protocol       = "tcp"
#         rule_action    = "allow"
#         cidr_block     = "0.0.0.0/0"
#         from_port      = 443
#         to_port        = 443
#       }
#     cloudformation: |
#       PublicAclHttps:
#         Type: AWS::EC2::NetworkAclEntry
#         Properties:
#           NetworkAclId: !Ref PublicAcl
#           RuleNumber: 100
#           Protocol: 6
#           RuleAction: allow
#           CidrBlock: 0.0.0.0/0
#           PortRange: {From: 443, To: 443}
package vpclint.rules.nacl_all_traffic_from_internet

import data.vpclint.lib.net

# wide_entries are [acl address, entry index] of the entries that alone
# allow all protocols or all ports from 0.0.0.0/0 or ::/0, and apply. A
# complete rule: computed once, then looked up.
wide_entries := {[acl.address, i] |
	some acl in input.network_acls
	some i, e in acl.entries
	not e.egress == true
	e.action == "allow"
	internet_source(e)
	wide(e)
	net.written(e)
	not never_applies(acl, i)
}

acl_by_address := {acl.address: acl | some acl in input.network_acls}

# acls_with_wide_entries are the ACLs with at least one such entry.
acls_with_wide_entries := {k[0] | some k in wide_entries}

deny contains finding if {
	some [addr, i] in wide_entries
	acl := acl_by_address[addr]
	e := acl.entries[i]
	finding := {
		"resource": acl.address,
		"attribute": sprintf("entries[%d]", [i]),
		"message": sprintf("Network ACL %s: inbound %s allows %s from the internet (%s).", [
			acl.address, net.entry_text(e), wide(e), internet_source(e),
		]),
	}
}

# Entries whose sources only together are the internet (0.0.0.0/1 and
# 128.0.0.0/1) are judged on the ACL's first-match result, so splitting a
# CIDR does not hide an allow-all. One finding for the entries together.
deny contains finding if {
	some acl in input.network_acls
	not acl.address in acls_with_wide_entries
	d := input.facts.network_acls[acl.id].ingress
	d.known == true
	net.all_traffic(d.internet)
	culprits := sort({i | some i in d.internet_entries; net.written(acl.entries[i])})
	count(culprits) > 1
	finding := {
		"resource": acl.address,
		"attribute": sprintf("entries[%d]", [culprits[0]]),
		"message": sprintf("Network ACL %s: inbound %s together allow %s from the internet.", [
			acl.address, concat(", ", [net.entry_text(acl.entries[i]) | some i in culprits]),
			what_internet(d.internet),
		]),
	}
}

what_internet(ps) := "all protocols" if ps.all_protocols == true

what_internet(ps) := "every TCP or UDP port" if not ps.all_protocols == true

internet_source(e) := e.cidr_block if e.cidr_block == "0.0.0.0/0"

internet_source(e) := e.ipv6_cidr_block if e.ipv6_cidr_block == "::/0"

wide(e) := "all protocols" if net.proto(e.protocol) == "all"

wide(e) := sprintf("every %s port", [upper(net.proto(e.protocol))]) if {
	net.port_protocol(e.protocol)
	e.from_port <= 0
	e.to_port >= 65535
}

# never_applies: lower-numbered entries already decide all of its traffic.
never_applies(acl, i) if {
	some a in input.facts.network_acls[acl.id].ingress.anomalies
	a.index == i
	a.kind in {"shadowed", "redundant"}
}
