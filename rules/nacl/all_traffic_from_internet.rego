# METADATA
# title: Network ACL entry allows all traffic from the internet
# description: >-
#   An inbound entry allows all protocols, or every TCP or UDP port 0-65535,
#   from 0.0.0.0/0 or ::/0 (or several entries, such as 0.0.0.0/1 and
#   128.0.0.0/1, do so together), on an ACL the internet can reach: one of the
#   subnets it filters routes to an internet gateway. The subnet then relies
#   on security groups alone; the ACL adds no layer of defence. An ACL of
#   private, transit or data subnets only (no route to an internet gateway)
#   is not reported, nor one whose routes or associations are unknown; nor
#   is an entry that may never apply whatever the unknown entries before it
#   are (shadowed or redundant, see NACL003/NACL004), a return-traffic range
#   such as TCP 1024-65535 (not all ports), or, in code, an entry of a default
#   ACL nobody manages. This finding supersedes NACL001 on the same entries,
#   and names the admin ports the internet reaches through them.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
# custom:
#   id: NACL002
#   severity: medium
#   subjects: [network_acls]
#   remediation: >-
#     Replace the entry with entries for the protocols and ports the subnet
#     serves (for example TCP 443, and TCP 1024-65535 for replies to its own
#     outbound connections), with deny entries for admin ports before them.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
#     - https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
#   peers: {checkov: [CKV_AWS_352], trivy: [AVD-AWS-0102, aws-ec2-no-excessive-port-access, AVD-AWS-0105, aws-ec2-no-public-ingress-acl], tfsec: [aws-ec2-no-excessive-port-access, aws-vpc-no-excessive-port-access, aws-ec2-no-public-ingress-acl, aws-vpc-no-public-ingress-acl]}
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

import data.vpclint.lib.nacl
import data.vpclint.lib.net

acl_by_id := {acl.id: acl | some acl in input.network_acls}

# One finding per ACL, naming every entry that alone lets all traffic in
# (an IPv4 and an IPv6 entry are one problem, often one dynamic block).
deny contains finding if {
	some id in nacl.wide_acl_ids
	acl := acl_by_id[id]
	idx := sort({i | some [aid, i] in nacl.wide_entries; aid == id})
	finding := {
		"resource": acl.address,
		"attribute": sprintf("entries[%d]", [idx[0]]),
		"message": sprintf("Network ACL %s: inbound %s %s %s from the internet (%s)%s%s.", [
			acl.address, concat(" and ", [net.entry_text(acl.entries[i]) | some i in idx]),
			verb(idx), concat(" and ", sort({nacl.wide(acl.entries[i]) | some i in idx})),
			concat(", ", sort({nacl.internet_source(acl.entries[i]) | some i in idx})), admin_text(acl), nacl.reach_text(acl),
		]),
	}
}

# admin_text names the admin ports the internet reaches through the ACL:
# this finding supersedes NACL001 on the same entries, so it says what
# NACL001 would have.
admin_text(acl) := sprintf(", admin %s %s among them", [net.ports_word(ports), net.named_ports_text(ports)]) if {
	ports := nacl.admin_ports_reached(acl.id)
	count(ports) > 0
} else := ""

verb(idx) := "allows" if count(idx) == 1

verb(idx) := "allow" if count(idx) > 1

# Entries whose sources only together are the internet (0.0.0.0/1 and
# 128.0.0.0/1) are judged on the ACL's first-match result, so splitting a
# CIDR does not hide an allow-all. One finding for the entries together.
deny contains finding if {
	some acl in nacl.internet_acls
	not acl.id in nacl.wide_acl_ids
	culprits := nacl.split_culprits(acl)
	d := input.facts.network_acls[acl.id].ingress
	finding := {
		"resource": acl.address,
		"attribute": sprintf("entries[%d]", [culprits[0]]),
		"message": sprintf("Network ACL %s: inbound %s together allow %s from the internet%s%s.", [
			acl.address, concat(", ", [net.entry_text(acl.entries[i]) | some i in culprits]),
			what_internet(d.internet), admin_text(acl), nacl.reach_text(acl),
		]),
	}
}

what_internet(ps) := "all protocols" if ps.all_protocols == true

what_internet(ps) := "every TCP or UDP port" if not ps.all_protocols == true
