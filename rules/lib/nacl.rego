# Package vpclint.lib.nacl holds what several NACL rules share: anomaly
# findings (NACL003, NACL004) and the wording of endpoint paths blocked by
# an ACL (NACL005, NACL006).
package vpclint.lib.nacl

import data.vpclint.lib.net

# anomaly_findings(kind) are the findings for the entries of every ACL that
# the facts classify as kind (shadowed or redundant). An entry nobody wrote
# (a default ACL's own entries in code) is not reported.
anomaly_findings(kind) := {finding |
	some acl in input.network_acls
	some dir in ["ingress", "egress"]
	some a in input.facts.network_acls[acl.id][dir].anomalies
	a.kind == kind
	e := acl.entries[a.index]
	net.written(e)
	finding := {
		"resource": acl.address,
		"attribute": sprintf("entries[%d]", [a.index]),
		"message": sprintf("Network ACL %s, %s: %s.", [acl.address, net.direction_word(dir), trim_suffix(describe(acl, dir, a, e), ".")]),
	}
}

# describe uses the analysis' sentence, or builds one from the entries.
describe(_, _, a, _) := a.description if trim_space(object.get(a, "description", "")) != ""

describe(acl, _, a, e) := sprintf("%s never applies: %s match all of its traffic first", [
	net.entry_text(e),
	concat(", ", [net.entry_text(acl.entries[i]) | some i in object.get(a, "caused_by", [])]),
]) if trim_space(object.get(a, "description", "")) == ""

# blocked_paths are the distinct root causes of blocked endpoint paths:
# [kind, endpoint id, ACL id, direction] for the verdicts of kind (request
# or reply) that are known, not allowed, and blocked by an ACL (a security
# group block has no ACL and is not a NACL finding). A complete rule:
# computed once for NACL005 and NACL006. Analysis lists the endpoints with
# such a path (blocked_endpoints); facts without that list are read whole.
# (One walk for both kinds, iterating the kinds per path, evaluates more
# Rego expressions than these two walks, and so does a helper choosing the
# list of checks: object.get picks it inline.)
blocked_paths := blocked_requests | blocked_replies

blocked_requests := {["request", id, v.blocked_by, object.get(v, "blocked_direction", "")] |
	some id in net.indexed_endpoints("blocked_endpoints")
	f := input.facts.endpoints[id]
	some pc in object.get(f, "blocked_reachability", f.reachability)
	v := pc.request
	v.allowed == false
	blocked_by_acl(v)
	net.ep_by_id[id].type == "Interface"
}

blocked_replies := {["reply", id, v.blocked_by, object.get(v, "blocked_direction", "")] |
	some id in net.indexed_endpoints("blocked_endpoints")
	f := input.facts.endpoints[id]
	some pc in object.get(f, "blocked_reachability", f.reachability)
	v := pc.reply
	v.allowed == false
	blocked_by_acl(v)
	net.ep_by_id[id].type == "Interface"
}

# blocked_by_acl: a decided verdict that names the ACL that drops it.
blocked_by_acl(v) if {
	v.known == true
	v.blocked_by != ""
}

# blocked(kind) are the root causes [endpoint id, ACL id, direction] of one
# kind.
blocked(kind) := {[c[1], c[2], c[3]] | some c in blocked_paths; c[0] == kind}

# paths(kind, cause) are the path checks of one root cause.
paths(kind, cause) := [pc |
	f := input.facts.endpoints[cause[0]]
	some pc in object.get(f, "blocked_reachability", f.reachability)
	v := pc[kind]
	v.known == true
	v.allowed == false
	v.blocked_by == cause[1]
	object.get(v, "blocked_direction", "") == cause[2]
]

# path_finding builds the finding of one root cause.
path_finding(kind, cause, what) := finding if {
	ep := net.ep_by_id[cause[0]]
	acl := net.acl_by_id[cause[1]]
	pcs := paths(kind, cause)
	entries := sort({pc[kind].blocking_entry | some pc in pcs; pc[kind].blocking_entry >= 0})
	finding := {
		"resource": acl.address,
		"attribute": attribute(entries),
		"message": sprintf("Network ACL %s blocks %s interface endpoint %s: its %s rules %s (%s).", [
			acl.address, what, net.endpoint_label(ep), direction_text(cause[2]),
			traffic_text(kind, pcs), reason_text(acl, kind, pcs),
		]),
	}
}

attribute(entries) := sprintf("entries[%d]", [entries[0]]) if count(entries) > 0

attribute(entries) := "entries" if count(entries) == 0

direction_text("ingress") := "inbound"

direction_text("egress") := "outbound"

direction_text(d) := "" if not d in {"ingress", "egress"}

# traffic_text says which traffic between which subnets is dropped.
traffic_text("request", pcs) := sprintf("drop TCP %s from client %s %s to endpoint %s %s", [
	net.ports_text(net.endpoint_ports),
	subnet_word(clients(pcs)), concat(", ", clients(pcs)),
	subnet_word(ep_subnets(pcs)), concat(", ", ep_subnets(pcs)),
])

traffic_text("reply", pcs) := sprintf("drop replies on TCP %s from endpoint %s %s to client %s %s", [
	blocked_ports_text(pcs),
	subnet_word(ep_subnets(pcs)), concat(", ", ep_subnets(pcs)),
	subnet_word(clients(pcs)), concat(", ", clients(pcs)),
])

clients(pcs) := sort({net.subnet_name(pc.client_subnet) | some pc in pcs})

ep_subnets(pcs) := sort({net.subnet_name(pc.endpoint_subnet) | some pc in pcs})

subnet_word(names) := "subnet" if count(names) == 1

subnet_word(names) := "subnets" if count(names) != 1

# blocked_ports_text is the union of the blocked reply ports, or the whole
# ephemeral range when the facts do not say.
blocked_ports_text(pcs) := concat(", ", [net.range_text(r) | some r in net.sort_ranges(rs)]) if {
	rs := {r | some pc in pcs; some r in object.get(pc.reply, "blocked_ports", [])}
	count(rs) > 0
} else := "1024-65535"

# reason_text names the deny entries, or the final * deny.
reason_text(acl, kind, pcs) := concat("; ", array.concat(denies, none)) if {
	idx := sort({pc[kind].blocking_entry | some pc in pcs; pc[kind].blocking_entry >= 0})
	denies := [sprintf("denied by %s", [net.entry_text(acl.entries[i])]) | some i in idx]
	none := [s |
		count([pc | some pc in pcs; pc[kind].blocking_entry < 0]) > 0
		s := "no rule allows it, so the final * entry denies it"
	]
}

# ---------------------------------------------------------------------------
# Exposure to the internet (NACL001, NACL002)

# internet_acls are the ACLs through which the internet can open a
# connection: a subnet they filter routes to an internet gateway
# (facts.network_acls[id].internet_reachable is true). An ACL of private,
# transit or data subnets only, or whose reachability is undecided (absent),
# is not one. Read from the index when the facts have one.
internet_acls := [input.network_acls[i] | some i in net.index.internet_reachable_acls] if {
	is_array(net.index.internet_reachable_acls)
} else := [acl | some acl in input.network_acls; input.facts.network_acls[acl.id].internet_reachable == true]

# admin_ports_reached(id) are the admin ports the internet reaches inbound
# through ACL id whatever its unknown entries are, through entries other
# than ephemeral ranges: what NACL001 reports, and what NACL002 names when
# it supersedes NACL001.
admin_ports_reached(id) := net.reached(object.get(d, "internet_non_ephemeral", d.internet), net.admin_ports) if {
	d := input.facts.network_acls[id].ingress
}

# wide_entries are [ACL id, entry index] of the written inbound entries that
# alone allow all protocols, or every TCP or UDP port, from 0.0.0.0/0 or
# ::/0, and apply whatever the unknown entries are: NACL002's findings.
wide_entries := {[acl.id, i] |
	some acl in internet_acls
	some i, e in acl.entries
	not e.egress == true
	not net.is_unknown(acl, sprintf("entries[%d].egress", [i]))
	e.action == "allow"
	internet_source(e)
	wide(e)
	net.written(e)
	certainly_applies(acl, i)
}

wide_acl_ids := {k[0] | some k in wide_entries}

# split_entries are [ACL id, entry index] of the written allow entries of an
# ACL with no wide entry whose inbound first-match result allows all
# protocols or every TCP or UDP port from the whole internet through
# several entries (0.0.0.0/1 and 128.0.0.0/1): NACL002's other finding.
split_entries := {[acl.id, i] |
	some acl in internet_acls
	not acl.id in wide_acl_ids
	some i in split_culprits(acl)
}

split_culprits(acl) := culprits if {
	d := input.facts.network_acls[acl.id].ingress
	net.all_traffic(d.internet)
	culprits := sort({i | some i in d.internet_entries; net.written(acl.entries[i])})
	count(culprits) > 1
}

# all_traffic_entries are the entries NACL002 reports, which it supersedes
# NACL001 on.
all_traffic_entries := wide_entries | split_entries

# reach_text names the subnets through which the internet reaches the ACL,
# for messages: "; it filters subnet aws_subnet.public, which routes to an
# internet gateway".
reach_text(acl) := sprintf("; it filters %s %s, which %s to an internet gateway", [
	subnet_word(subnets), concat(", ", subnets), plural_verb(subnets),
]) if {
	subnets := [net.subnet_name(s) | some s in object.get(input.facts.network_acls[acl.id], "internet_reachable_subnets", [])]
	count(subnets) > 0
} else := ""

plural_verb(names) := "routes" if count(names) == 1

plural_verb(names) := "route" if count(names) != 1

# internet_source(e) is the entry's CIDR when it alone is the internet.
internet_source(e) := e.cidr_block if e.cidr_block == "0.0.0.0/0"

internet_source(e) := e.ipv6_cidr_block if e.ipv6_cidr_block == "::/0"

# wide(e) says what a wide entry allows: all protocols, or every port of a
# protocol with ports.
wide(e) := "all protocols" if net.proto(e.protocol) == "all"

wide(e) := sprintf("every %s port", [upper(net.proto(e.protocol))]) if {
	net.port_protocol(e.protocol)
	e.from_port <= 0
	e.to_port >= 65535
}

# entry_fact(acl, i) is the analysis' first-match fact of inbound entry i.
entry_fact(acl, i) := ef if {
	some ef in object.get(input.facts.network_acls[acl.id].ingress, "entries", [])
	ef.index == i
}

# certainly_applies(acl, i): whatever the unknown entries are, some of the
# entry's traffic reaches it. Facts without per-entry results (written by
# hand) say only which entries never apply.
certainly_applies(acl, i) if entry_fact(acl, i).always_applies == true

certainly_applies(acl, i) if {
	not entry_fact(acl, i)
	not never_applies(acl, i)
}

# never_applies: lower-numbered entries decide all of its traffic.
never_applies(acl, i) if {
	some a in input.facts.network_acls[acl.id].ingress.anomalies
	a.index == i
	a.kind in {"shadowed", "redundant"}
}

# ephemeral(acl, i): an allow entry for the return traffic of connections
# the subnet opens: TCP or UDP ports from 1024 up, at least 1024 of them
# (AWS's 1024-65535, Linux's 32768-60999, Windows' 49152-65535). The
# analysis marks it; hand-written facts are read from the entry.
ephemeral(acl, i) if entry_fact(acl, i).ephemeral == true

ephemeral(acl, i) if {
	not entry_fact(acl, i)
	e := acl.entries[i]
	e.action == "allow"
	net.port_protocol(e.protocol)
	e.from_port >= 1024
	(e.to_port - e.from_port) + 1 >= 1024
}
