# METADATA
# title: Network ACL allows SSH or RDP from the internet
# description: >-
#   The ACL's first-match result lets inbound traffic from the internet reach
#   an administration port (config.admin_ports, default 22 and 3389), on an
#   ACL the internet can reach: one of the subnets it filters routes to an
#   internet gateway (an ACL of private, transit or data subnets only is not
#   reported, nor one whose routes or associations are unknown). Entries are
#   evaluated in rule-number order as AWS does, so a deny for 22 before an
#   allow-all keeps this rule silent, and an allow-all before that deny makes
#   it fire, whether the entries are inline blocks or separate resources. An
#   entry with unknown values is considered both ways: the rule fires when
#   the port is reached whatever the unknowns are, and stays silent when
#   some value would deny it. Which entries count: allow entries that let
#   the whole internet (0.0.0.0/0 or ::/0, alone or together) reach the port
#   first, except ephemeral-range entries, which open TCP or UDP ports from
#   1024 up, at least 1024 of them (AWS's recommended inbound TCP
#   1024-65535 for return traffic on a public subnet): those reach an admin
#   port above 1024 such as 3389 only because ACLs are stateless, and alone
#   are not an exposure. An entry that NACL002 reports (all traffic from the
#   internet) is reported there instead. A default ACL's own allow-all
#   entries are judged in live accounts, and in code only when the code
#   manages that ACL.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
# custom:
#   id: NACL001
#   severity: high
#   subjects: [network_acls]
#   remediation: >-
#     Add a deny entry for the admin ports from 0.0.0.0/0 and ::/0 with a lower
#     rule number than any allow entry that covers them, or narrow the allow
#     entries to the networks that need them. Prefer Session Manager to open
#     SSH/RDP.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
#     - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-21
#   frameworks: {securityhub: ["EC2.21"], cis_aws: ["5.1"]}
#   peers: {checkov: [CKV_AWS_232, CKV_AWS_231], trivy: [AVD-AWS-0105, aws-ec2-no-public-ingress-acl], tfsec: [aws-ec2-no-public-ingress-acl, aws-vpc-no-public-ingress-acl]}
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

import data.vpclint.lib.nacl
import data.vpclint.lib.net
import data.vpclint.lib.supersede

deny contains finding if {
	some acl in nacl.internet_acls
	d := input.facts.network_acls[acl.id].ingress
	ports := nacl.admin_ports_reached(acl.id)
	count(ports) > 0
	reach := {i: rp |
		some i, rp in entries_reaching(acl, d, ports)
		not supersede.superseded("NACL001", [acl.id, i])
	}
	count(reach) > 0
	culprits := sort(object.keys(reach))
	reached := sort({p | some rp in reach; some p in rp})
	finding := {
		"resource": acl.address,
		"attribute": sprintf("entries[%d]", [culprits[0]]),
		"message": sprintf("Network ACL %s lets the internet reach admin %s %s inbound through %s, matched before any deny%s.", [
			acl.address, net.ports_word(reached), net.named_ports_text(reached),
			concat(", ", [net.entry_text(acl.entries[i]) | some i in culprits]),
			nacl.reach_text(acl),
		]),
	}
}

# entries_reaching maps the written, non-ephemeral entries that let the
# internet reach one of the ports to the ports each reaches: from the
# per-entry first-match facts (what each entry alone is the first to decide
# for every address) when they name one, else (no per-entry facts, or
# entries that are the internet only together, 0.0.0.0/1 + 128.0.0.0/1)
# the allow entries of internet_entries that match a port.
entries_reaching(acl, d, ports) := found if {
	found := {ef.index: rp |
		some ef in object.get(d, "entries", [])
		net.written(acl.entries[ef.index])
		not nacl.ephemeral(acl, ef.index)
		rp := net.reached(ef.internet, ports)
		count(rp) > 0
	}
	count(found) > 0
} else := {i: rp |
	some i in d.internet_entries
	e := acl.entries[i]
	net.written(e)
	not nacl.ephemeral(acl, i)
	rp := [p | some p in ports; net.entry_matches_port(e, p)]
	count(rp) > 0
}
