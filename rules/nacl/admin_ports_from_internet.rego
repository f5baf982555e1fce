# METADATA
# title: Network ACL allows SSH or RDP from the internet
# description: >-
#   The ACL's first-match result lets inbound traffic from the internet reach
#   an administration port (config.admin_ports, default 22 and 3389). Entries
#   are evaluated in rule-number order as AWS does, so a deny for 22 before an
#   allow-all keeps this rule silent, and an allow-all before that deny makes it
#   fire, whether the entries are inline blocks or separate resources. A
#   default ACL's own allow-all entries are judged in live accounts, and in
#   code only when the code manages that ACL.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
# custom:
#   id: NACL001
#   severity: high
#   remediation: >-
#     Add a deny entry for the admin ports from 0.0.0.0/0 and ::/0 with a lower
#     rule number than any allow entry that covers them, or narrow the allow
#     entries to the networks that need them. Prefer Session Manager to open
#     SSH/RDP.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
#     - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21
#   frameworks: {securityhub: ["EC2.21"], cis_aws: ["5.1"]}
#   tags: [security, network, network-acl]
#   examples:
#     terraform: |
#       resource "aws_network_acl" "public" {
#         vpc_id = aws_vpc.main.id
#         ingress {
#           rule_no    = 90
#           action     = "deny"
#           protocol   = "tcp"
#           from_port  = 22
#           to_port    = 22
#           cidr_block = "0.0.0.0/0"
#         }
#         ingress {
#           rule_no    = 100
#           action     = "allow"
#           protocol   = "tcp"
#           from_port  = 443
#           to_port    = 443
#           cidr_block = "0.0.0.0/0"
#         }
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
package vpclint.rules.nacl_admin_ports_from_internet

import data.vpclint.lib.net

deny contains finding if {
	some acl in input.network_acls
	d := input.facts.network_acls[acl.id].ingress

	# With an unknown entry the first-match result is not decided.
	d.known == true
	ports := net.reached(d.internet, net.admin_ports)
	count(ports) > 0
	culprits := sort(entries_reaching(acl, d, ports))
	count(culprits) > 0
	finding := {
		"resource": acl.address,
		"attribute": sprintf("entries[%d]", [culprits[0]]),
		"message": sprintf("Network ACL %s lets the internet reach admin %s %s inbound through %s, matched before any deny.", [
			acl.address, net.ports_word(ports), net.named_ports_text(ports),
			concat(", ", [net.entry_text(acl.entries[i]) | some i in culprits]),
		]),
	}
}

# entries_reaching are the written entries that let the internet reach one
# of the ports: from the per-entry first-match facts (what each entry alone
# is the first to decide) when they name one, else (no per-entry facts, or
# entries that are the internet only together, 0.0.0.0/1 + 128.0.0.0/1) the
# allow entries of internet_entries that match a port.
entries_reaching(acl, d, ports) := found if {
	found := {i |
		some ef in object.get(d, "entries", [])
		net.written(acl.entries[ef.index])
		count(net.reached(ef.internet, ports)) > 0
		i := ef.index
	}
	count(found) > 0
} else := {i |
	some i in d.internet_entries
	e := acl.entries[i]
	net.written(e)
	some p in ports
	net.entry_matches_port(e, p)
}
