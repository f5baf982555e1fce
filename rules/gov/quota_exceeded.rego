# METADATA
# title: A default AWS quota is exceeded
# description: >-
#   The configuration exceeds a default quota AWS enforces at deployment:
#   more than 60 inbound or outbound rules in a security group (IPv4 and
#   IPv6 counted separately, each CIDR, referenced group and prefix list
#   counting as one rule), more than 20 rules per direction in a network
#   ACL (counted per address family and including the ACL's final deny
#   rule, as AWS counts), more than 5 security groups on an endpoint, or
#   more than 50 interface and Gateway Load Balancer endpoints in a VPC.
#   The apply fails unless the quota was raised; set config.quotas to the
#   raised values.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
# custom:
#   id: GOV003
#   severity: medium
#   subjects: [vpcs, security_groups, network_acls, vpc_endpoints]
#   remediation: >-
#     Consolidate rules (wider CIDRs, managed prefix lists, security group
#     references), split endpoints across VPCs, or request a quota increase
#     with Service Quotas and set the new values under quotas in
#     .vpclint.yaml.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-limits-endpoints.html
#   tags: [reliability, governance, quotas]
#   examples:
#     terraform: |
#       resource "aws_security_group" "clients" {
#         name        = "clients"
#         description = "Clients of the internal API"
#         vpc_id      = aws_vpc.main.id
#         ingress {
#           description     = "HTTPS from the client fleet"
#           from_port       = 443
#           to_port         = 443
#           protocol        = "tcp"
#           prefix_list_ids = [aws_ec2_managed_prefix_list.clients.id]
#         }
#       }
#     cloudformation: |
#       ClientsSG:
#         Type: AWS::EC2::SecurityGroup
#         Properties:
#           GroupDescription: Clients of the internal API
#           VpcId: !Ref VPC
#           SecurityGroupIngress:
#             - Description: HTTPS from the client fleet
#               IpProtocol: tcp
#               FromPort: 443
#               ToPort: 443
#               SourcePrefixListId: !Ref ClientsPrefixList
package vpclint.rules.gov_quota_exceeded

quotas := object.union(
	{
		"security_group_rules_per_direction": 60,
		"nacl_entries_per_direction": 20,
		"security_groups_per_endpoint": 5,
		"interface_endpoints_per_vpc": 50,
	},
	config_quotas,
)

# The user's quotas (.vpclint.yaml over rules/config.json). A direct
# reference: object.get on data.config would defeat the rule cache.
default config_quotas := {}

config_quotas := data.config.quotas

# The quotas as scalars, looked up once.
sg_rule_quota := quotas.security_group_rules_per_direction

endpoint_sg_quota := quotas.security_groups_per_endpoint

# --- security group rules -------------------------------------------------
# AWS counts one rule per CIDR, per referenced group and per prefix list
# (a customer prefix list really counts its max entries; unknown here, so
# one: the count is a lower bound and never over-reports). References and
# prefix lists count for both address families.

shared_count(r) := (count(object.get(r, "security_group_ids", [])) + count(object.get(r, "prefix_list_ids", []))) + to_number(object.get(r, "self", false))

rule_v4(r) := count(object.get(r, "cidr_blocks", [])) + shared_count(r)

rule_v6(r) := count(object.get(r, "ipv6_cidr_blocks", [])) + shared_count(r)

# direction_bound(rules) bounds both counts of a direction from above
# (every peer of every rule, plus one per rule for `self`); a direction
# within the quota by this bound, the common case, is not counted in detail.
direction_bound(rules) := count(rules) + sum([count(peers) |
	some r in rules
	some peers in object.filter(r, ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_group_ids"])
])

v4_count(rules) := sum([rule_v4(r) | some r in rules])

v6_count(rules) := sum([rule_v6(r) | some r in rules])

# Analysis counted every group's rules (facts.sg_rule_counts_complete):
# read the counts.
deny contains finding if {
	input.facts.sg_rule_counts_complete == true
	q := sg_rule_quota

	not within_quota_by_index(q)
	some sg in input.security_groups
	some dir in ["ingress", "egress"]
	c := input.facts.security_groups[sg.id][dir].rule_counts
	c.max > q
	finding := sg_finding(sg, dir, c.ipv4, c.ipv6)
}

# Otherwise count them here.
deny contains finding if {
	not input.facts.sg_rule_counts_complete
	q := sg_rule_quota

	# A placeholder's rules were written (folded rule resources): they
	# count, and they are a lower bound of the group's rules.
	some sg in input.security_groups
	some dir in ["ingress", "egress"]
	rules := sg[dir]
	direction_bound(rules) > q
	n4 := v4_count(rules)
	n6 := v6_count(rules)
	max([n4, n6]) > q
	finding := sg_finding(sg, dir, n4, n6)
}

# within_quota_by_index(q): the analysis' index shows that no group has
# more than q rules in a direction, which rules out most models in one
# lookup. (A helper: in `not`, OPA would evaluate an undefined reference
# outside the negation and fail the whole rule.)
within_quota_by_index(q) if input.facts.index.max_sg_rule_count <= q

# endpoint_groups_within_quota_by_index(q): no endpoint lists more than q
# groups, by the index.
endpoint_groups_within_quota_by_index(q) if input.facts.index.max_endpoint_security_groups <= q

sg_finding(sg, dir, n4, n6) := {
	"resource": sg.address,
	"attribute": dir,
	"message": sprintf("security group %s has %d IPv4 and %d IPv6 %s rules (each CIDR, referenced group and prefix list counts as one, per address family), above the quota of %d per direction", [sg.address, n4, n6, dir_word(dir), quotas.security_group_rules_per_direction]),
}

dir_word("ingress") := "inbound"

dir_word("egress") := "outbound"

# --- network ACL entries --------------------------------------------------
# Per direction and address family, plus the final deny rule (32767 for
# IPv4, 32768 for IPv6) that AWS counts in the quota.

family(e) := "IPv6" if e.ipv6_cidr_block

family(e) := "IPv4" if {
	not e.ipv6_cidr_block
	e.cidr_block
}

deny contains finding if {
	some acl in input.network_acls
	some egress in [false, true]
	some fam in ["IPv4", "IPv6"]
	explicit := count([e | some e in object.get(acl, "entries", []); e.egress == egress; family(e) == fam])
	explicit > 0
	n := explicit + 1
	n > quotas.nacl_entries_per_direction
	finding := {
		"resource": acl.address,
		"attribute": "entries",
		"message": sprintf("network ACL %s has %d %s %s entries plus the final deny rule (%d rules), above the quota of %d per direction", [acl.address, explicit, fam, acl_dir(egress), n, quotas.nacl_entries_per_direction]),
	}
}

acl_dir(false) := "inbound"

acl_dir(true) := "outbound"

# --- security groups per endpoint -----------------------------------------

deny contains finding if {
	not endpoint_groups_within_quota_by_index(endpoint_sg_quota)
	some ep in input.vpc_endpoints
	n := count(object.get(ep, "security_group_ids", []))
	n > endpoint_sg_quota
	finding := {
		"resource": ep.address,
		"attribute": "security_group_ids",
		"message": sprintf("endpoint %s has %d security groups, above the quota of %d per network interface", [ep.address, n, quotas.security_groups_per_endpoint]),
	}
}

# --- interface endpoints per VPC ------------------------------------------
# Interface and Gateway Load Balancer endpoints share one quota.

# The VPC ids of interface and GWLB endpoints, sorted: a VPC has more than
# q endpoints exactly when its id is also found q places further on. This
# finds the VPCs over quota in O(n log n) without grouping every VPC.
interface_vpc_ids := sort([ep.vpc_id |
	some ep in input.vpc_endpoints
	ep.type in {"Interface", "GatewayLoadBalancer"}
	not ep.placeholder
	ep.vpc_id
])

# The index counts them per VPC; facts without an index are counted here.
vpcs_over_quota := {v |
	q := quotas.interface_endpoints_per_vpc
	some v, n in input.facts.index.interface_endpoints_per_vpc
	n > q
} if {
	is_object(input.facts.index.interface_endpoints_per_vpc)
} else := {v |
	q := quotas.interface_endpoints_per_vpc
	ids := interface_vpc_ids # a local binding: indexing it is a plain array access
	n := count(ids)
	n > q
	some i, v in ids
	i + q < n
	ids[i + q] == v
}

deny contains finding if {
	some vpc in input.vpcs
	not vpc.placeholder
	vpc.id in vpcs_over_quota
	n := interface_endpoint_count(vpc.id)
	finding := {
		"resource": vpc.address,
		"message": sprintf("VPC %s has %d interface and Gateway Load Balancer endpoints, above the quota of %d per VPC", [vpc.address, n, quotas.interface_endpoints_per_vpc]),
	}
}

interface_endpoint_count(id) := input.facts.index.interface_endpoints_per_vpc[id] if {
	is_object(input.facts.index.interface_endpoints_per_vpc)
} else := count([v | some v in interface_vpc_ids; v == id])
