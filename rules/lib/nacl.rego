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
# computed once for NACL005 and NACL006.
blocked_paths := blocked_requests | blocked_replies

# Facts first: analysis lists the few paths not allowed
# (blocked_reachability); facts without that list are read whole.
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
