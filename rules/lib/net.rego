# Package vpclint.lib.net holds the helpers that the network rules (SG,
# NACL, AZ) share: questions about model.PortSet values from input.facts,
# the port lists of data.config, protocol normalization, and the wording of
# ports, rules and entries in messages.
#
# A PortSet is {"all_protocols", "tcp": [{"from","to"}], "udp": [...],
# "icmp", "icmpv6", "other": ["47"], "empty"}; a list may be null.
package vpclint.lib.net

# ---------------------------------------------------------------------------
# Configuration

# admin_ports are the remote administration ports (config.admin_ports).
admin_ports := sort_ports(p) if {
	p := data.config.admin_ports
} else := [22, 3389]

# sensitive_ports are database, file-sharing and other risky ports.
sensitive_ports := sort_ports(p) if {
	p := data.config.sensitive_ports
} else := []

# endpoint_ports are the TCP ports an interface endpoint should accept.
endpoint_ports := sort_ports(p) if {
	p := data.config.endpoint_ports
} else := [443]

# max_port_range is the widest range a public ingress rule may open.
max_port_range := n if {
	n := data.config.max_port_range
	is_number(n)
} else := 100

# web_ports may be open to the internet without SG004.
web_ports := [80, 443]

# sort_ports keeps the numbers of a port list, sorted and unique.
sort_ports(ps) := sort({p | some p in ps; is_number(p)})

# ---------------------------------------------------------------------------
# PortSet questions

# ranges(ps, proto) is the list of ranges of proto ("tcp" or "udp") in ps,
# [] when absent or null.
ranges(ps, proto) := r if {
	r := ps[proto]
	is_array(r)
} else := []

# other_protocols(ps) is the list of other protocol numbers in ps.
other_protocols(ps) := r if {
	r := ps.other
	is_array(r)
} else := []

# in_ranges(rs, port) is true when port is inside one of the ranges rs.
in_ranges(rs, port) if {
	some r in rs
	r.from <= port
	port <= r.to
}

# port_in(ps, proto, port) is true when ps allows port for proto
# ("tcp" or "udp"); all protocols allows every port.
port_in(ps, _, _) if ps.all_protocols == true

port_in(ps, proto, port) if in_ranges(ranges(ps, proto), port)

# port_reached(ps, port): the port is reached for TCP or UDP (RULES.md).
port_reached(ps, port) if port_in(ps, "tcp", port)

port_reached(ps, port) if port_in(ps, "udp", port)

# reached(ps, ports) is the list of the given ports (in their order)
# reached in ps: port_reached for each, with the TCP and UDP ranges read
# once for all of them instead of once per port and protocol (a group open
# to the internet is asked about the 31 sensitive ports; on a scan of many
# small units this was the costliest helper).
reached(ps, ports) := [p | some p in ports] if {
	ps.all_protocols == true
} else := reached_in(array.concat(ranges(ps, "tcp"), ranges(ps, "udp")), ports)

# reached_in(rs, ports) are the ports inside one of the ranges rs.
reached_in(rs, ports) := [] if {
	count(rs) == 0
} else := [p | some p in ports; in_ranges(rs, p)]

# covers_all_ports(rs) is true when the ranges rs cover 0-65535, however
# they are split: sorted by start, each range must begin at most one past
# the furthest end seen before it.
covers_all_ports(rs) if {
	count(rs) > 0
	sorted := sort([[r.from, r.to] | some r in rs])
	sorted[0][0] <= 0
	max([r[1] | some r in sorted]) >= 65535
	every i, r in sorted {
		no_gap(sorted, i, r)
	}
}

# no_gap: range i starts at most one past the end of every range before it.
no_gap(_, i, _) if i == 0

no_gap(sorted, i, r) if {
	i > 0
	r[0] <= max([s[1] | some j, s in sorted; j < i]) + 1
}

# all_traffic(ps): all protocols, or all TCP ports, or all UDP ports (SG002,
# SG008).
all_traffic(ps) if ps.all_protocols == true

all_traffic(ps) if covers_all_ports(ranges(ps, "tcp"))

all_traffic(ps) if covers_all_ports(ranges(ps, "udp"))

# range_size is the number of ports of a range.
range_size(r) := (r.to - r.from) + 1

# port_count(ps) is how many TCP and UDP ports ps opens (65536 for each of
# TCP and UDP with all protocols).
port_count(ps) := 131072 if {
	ps.all_protocols == true
} else := sum([range_size(r) | some r in ranges(ps, "tcp")]) + sum([range_size(r) | some r in ranges(ps, "udp")])

# count_in(ports, r) is how many of the sorted unique ports lie in range r.
# A range of one port (most rules) is a membership test, not a walk of the
# list.
count_in(ports, r) := 1 if {
	r.from == r.to
	r.from in ports
} else := 0 if {
	r.from == r.to
} else := count([p | some p in ports; r.from <= p; p <= r.to])

# ranges_beyond(rs, ports) are the ranges of rs that hold a port outside
# the list ports (sorted, unique): such a range is larger than the number
# of listed ports it contains.
ranges_beyond(rs, ports) := [r | some r in rs; range_size(r) > count_in(ports, r)]

# beyond_parts(ps, ports) describes the part of ps outside the TCP/UDP
# ports listed: every non-port protocol, and the TCP/UDP ranges holding
# another port ([] when nothing is beyond).
beyond_parts(ps, _) := ["all protocols"] if ps.all_protocols == true

beyond_parts(ps, ports) := parts if {
	not ps.all_protocols == true
	tcp := [sprintf("tcp %s", [range_text(r)]) | some r in ranges_beyond(ranges(ps, "tcp"), ports)]
	udp := [sprintf("udp %s", [range_text(r)]) | some r in ranges_beyond(ranges(ps, "udp"), ports)]
	icmp := [x | ps.icmp == true; x := "icmp"]
	icmp6 := [x | ps.icmpv6 == true; x := "icmpv6"]
	other := [sprintf("protocol %s", [o]) | some o in other_protocols(ps)]
	parts := array.concat(array.concat(array.concat(tcp, udp), array.concat(icmp, icmp6)), other)
}

# ---------------------------------------------------------------------------
# Wording

# range_text is "22" or "1024-65535".
range_text(r) := sprintf("%d", [r.from]) if {
	r.from == r.to
} else := sprintf("%d-%d", [r.from, r.to])

# ranges_text(ps) describes a PortSet: "tcp 22, 8000-8100; udp 53; icmp".
ranges_text(ps) := "all protocols and ports" if {
	ps.all_protocols == true
} else := text if {
	parts := [p |
		some proto in ["tcp", "udp"]
		rs := ranges(ps, proto)
		count(rs) > 0
		p := sprintf("%s %s", [proto, concat(", ", [range_text(r) | some r in sort_ranges(rs)])])
	]
	icmp := [x | ps.icmp == true; x := "icmp"]
	icmp6 := [x | ps.icmpv6 == true; x := "icmpv6"]
	other := [sprintf("protocol %s", [o]) | some o in other_protocols(ps)]
	listed := array.concat(array.concat(parts, array.concat(icmp, icmp6)), other)
	text := nothing_or(listed)
}

nothing_or(parts) := "nothing" if {
	count(parts) == 0
} else := concat("; ", parts)

# sort_ranges orders ranges by start.
sort_ranges(rs) := [{"from": x[0], "to": x[1]} | some x in sort([[r.from, r.to] | some r in rs])]

# ports_text is "22, 3389".
ports_text(ports) := concat(", ", [sprintf("%d", [p]) | some p in ports])

# port_names gives the usual name of a few ports, for messages.
port_names := {
	20: "FTP data", 21: "FTP", 22: "SSH", 23: "Telnet", 25: "SMTP", 110: "POP3",
	135: "MS RPC", 137: "NetBIOS", 138: "NetBIOS", 139: "NetBIOS", 445: "SMB",
	1433: "SQL Server", 1521: "Oracle", 2049: "NFS", 2375: "Docker", 2376: "Docker",
	3306: "MySQL", 3389: "RDP", 5432: "PostgreSQL", 5601: "Kibana", 5984: "CouchDB",
	6379: "Redis", 7001: "WebLogic", 8020: "HDFS", 8888: "HTTP alt", 9042: "Cassandra",
	9092: "Kafka", 9200: "Elasticsearch", 9300: "Elasticsearch", 11211: "Memcached",
	27017: "MongoDB", 27018: "MongoDB", 50070: "HDFS",
}

# named_ports_text is "22 (SSH), 3389 (RDP)".
named_ports_text(ports) := concat(", ", [port_label(p) | some p in ports])

port_label(p) := sprintf("%d (%s)", [p, port_names[p]]) if {
	port_names[p]
} else := sprintf("%d", [p])

# ---------------------------------------------------------------------------
# Protocols, rules and entries

# proto_numbers maps protocol numbers to the names the model uses.
proto_numbers := {"-1": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}

# proto(p) is the normalized protocol name: lower case, numbers of named
# protocols and -1 as their names (values as AWS stores them).
proto(p) := name if {
	name := proto_numbers[format_proto(p)]
} else := lower(format_proto(p))

format_proto(p) := p if {
	is_string(p)
} else := sprintf("%d", [p]) if {
	is_number(p)
}

# port_protocol(p): TCP and UDP are the protocols with ports.
port_protocol(p) if proto(p) in {"tcp", "udp"}

# all_ports_protocol(p): all protocols, or a protocol number other than
# tcp/udp/icmp/icmpv6, which AWS applies on all ports.
all_ports_protocol(p) if proto(p) == "all"

all_ports_protocol(p) if not proto(p) in {"all", "tcp", "udp", "icmp", "icmpv6"}

# rule_text describes an SG rule or ACL entry: "tcp 22", "tcp 0-65535",
# "all traffic", "icmp", "protocol 47".
# (One chain of else: the cases exclude each other, and a message needs
# only the first that holds.)
rule_text(r) := "an unknown protocol" if {
	not r.protocol
} else := "all traffic" if {
	proto(r.protocol) == "all"
} else := sprintf("%s %s", [proto(r.protocol), range_text({"from": r.from_port, "to": r.to_port})]) if {
	port_protocol(r.protocol)
	ports_known(r)
} else := proto(r.protocol) if {
	port_protocol(r.protocol)
} else := proto(r.protocol) if {
	proto(r.protocol) in {"icmp", "icmpv6"}
} else := sprintf("protocol %s", [proto(r.protocol)])

# ports_known: both ports are numbers (a port may be unknown, and absent).
ports_known(r) if {
	is_number(r.from_port)
	is_number(r.to_port)
}

# entry_matches_port(e, port): an ACL entry matches TCP or UDP traffic to
# port (all protocols and other protocol numbers match every port).
entry_matches_port(e, _) if all_ports_protocol(e.protocol)

entry_matches_port(e, port) if {
	port_protocol(e.protocol)
	e.from_port <= port
	port <= e.to_port
}

# entry_text describes an ACL entry: "rule 100 (allow tcp 22 from 0.0.0.0/0)".
entry_text(e) := sprintf("rule %v (%s %s %s %s)", [
	object.get(e, "rule_number", "?"),
	object.get(e, "action", "?"),
	rule_text(e),
	entry_direction_word(e),
	entry_cidr(e),
])

entry_direction_word(e) := "to" if {
	e.egress == true
} else := "from"

entry_cidr(e) := e.cidr_block if {
	e.cidr_block
} else := e.ipv6_cidr_block if {
	e.ipv6_cidr_block
} else := "an unknown range"

# ---------------------------------------------------------------------------
# Unknown values and written rules

# is_unknown(res, path): path, or a prefix of it (a parent list or block),
# is in the resource's unknown list.
is_unknown(res, path) if path in object.get(res, "unknown", [])

is_unknown(res, path) if {
	some u in object.get(res, "unknown", [])
	startswith(path, concat("", [u, "."]))
}

is_unknown(res, path) if {
	some u in object.get(res, "unknown", [])
	startswith(path, concat("", [u, "["]))
}

# written(x) is true for a rule or entry somebody wrote, or any rule of a
# complete live inventory (live rules are all real and all someone's).
written(x) if not x.implicit == true

written(_) if input.inventory.complete == true

# internet_cidrs are the sources that alone are the whole internet.
internet_cidrs := {"0.0.0.0/0", "::/0"}

# ---------------------------------------------------------------------------
# Indexes by id (built once per evaluation)

sg_by_id := {sg.id: sg | some sg in input.security_groups}

# sg_of(id) is the group with that id, read at its position when the
# facts have an index (no map of every group to build), else from
# sg_by_id.
sg_of(id) := input.security_groups[i] if {
	i := index.group_positions[id]
} else := sg_by_id[id] if {
	not positions_indexed
}

# positions_indexed: the index has group positions. (A rule of its own: in
# `not`, OPA evaluates an undefined reference outside the negation.)
positions_indexed if is_object(index.group_positions)

# interface_endpoint_groups are the pairs [group id, endpoint address] of
# every interface endpoint and each of its effective groups (from the
# facts); interface_endpoint_group_ids the groups. A list and a set built
# once: a multi-value rule keyed by group (p[id] contains addr) costs a
# collision check against every key already built, O(n^2) on large models.
# Analysis indexes them (index.interface_endpoint_groups); the pairs are
# built only for facts without an index.
interface_endpoint_groups := [[id, ep.address] |
	some ep in input.vpc_endpoints
	ep.type == "Interface"
	some id in input.facts.endpoints[ep.id].security_group_ids
]

interface_endpoint_group_ids := {id | some id, _ in index.interface_endpoint_groups} if {
	is_object(index.interface_endpoint_groups)
} else := {p[0] | some p in interface_endpoint_groups}

# endpoints_by_group[id] is the set (as object keys) of the addresses of
# the interface endpoints that use group id. Grouped with object.union_n,
# which merges nested objects in place: linear, where a comprehension per
# group over all pairs would be quadratic.
endpoints_by_group := object.union_n([{p[0]: {p[1]: true}} | some p in interface_endpoint_groups])

# interface_endpoints_of(id) are the addresses of the interface endpoints
# that use group id.
interface_endpoints_of(id) := {a | some a in index.interface_endpoint_groups[id]} if {
	is_object(index.interface_endpoint_groups)
} else := {a | some a, _ in endpoints_by_group[id]}

# ep_by_id indexes the endpoints by id.
ep_by_id := {ep.id: ep | some ep in input.vpc_endpoints}

# indexed_endpoints(name) are the ids of the endpoints in the index list
# name (single_az, missing_azs, duplicate_azs, foreign_groups), or of every
# endpoint with facts when the facts have no index.
indexed_endpoints(name) := index[name] if {
	is_array(index[name])
} else := [id | some id, _ in input.facts.endpoints]

# groups_at(name) are the groups at the positions of the index list name
# (undescribed_groups, undescribed_rule_groups, default_groups), or every
# group when the facts have no index.
groups_at(name) := [input.security_groups[i] | some i in index[name]] if {
	is_array(index[name])
} else := input.security_groups

# endpoints_at(name) are the endpoints at the positions of the index list
# name (invalid_policies, no_policy, private_dns_duplicates), or every
# endpoint when the facts have no index.
endpoints_at(name) := [input.vpc_endpoints[i] | some i in index[name]] if {
	is_array(index[name])
} else := input.vpc_endpoints

acl_by_id := {a.id: a | some a in input.network_acls}

subnet_by_id := {s.id: s | some s in input.subnets}

# subnet_name is a subnet's address when the scan has it, else its id.
subnet_name(id) := subnet_by_id[id].address if {
	subnet_by_id[id].address
} else := id

# endpoint_label names an endpoint in messages: its address and service
# name, or the pattern of its known parts when the name is unknown.
endpoint_label(ep) := sprintf("%s (%s)", [ep.address, ep.service_name]) if {
	ep.service_name
} else := sprintf("%s (%s)", [ep.address, ep.service_name_pattern]) if {
	ep.service_name_pattern
} else := ep.address

# direction_word: "inbound" for ingress, "outbound" for egress.
direction_word("ingress") := "inbound"

direction_word("egress") := "outbound"

# ---------------------------------------------------------------------------
# Security-group facts

# sg_direction(sg, dir) is facts.security_groups[sg.id][dir], when present.
sg_direction(sg, dir) := d if {
	d := input.facts.security_groups[sg.id][dir]
	is_object(d)
}

# internet_in(sg) is what the group lets in from the internet.
internet_in(sg) := sg_direction(sg, "ingress").internet

# Groups are indexed by what reaches them, so that a rule about internet
# or public exposure only visits the few exposed groups instead of every
# group of a large model. Analysis lists them (input.facts.index); facts
# written by hand have no index and are read whole.

# index is the analysis' index of rare facts, when the facts have one.
index := x if {
	x := input.facts.index
	is_object(x)
}

# internet_ingress_ids: groups that let something in from the internet.
internet_ingress_ids := {id | some id in index.internet_ingress} if {
	index.internet_ingress
} else := {id |
	some id, f in input.facts.security_groups
	f.ingress.internet.empty == false # allows something: one step per group
}

# public_ingress_ids: groups that let something in from a public address.
public_ingress_ids := {id | some id in index.public_ingress} if {
	index.public_ingress
} else := {id |
	some id, f in input.facts.security_groups
	f.ingress.public.empty == false
}

# internet_egress_ids: groups that let something out to the internet.
internet_egress_ids := {id | some id in index.internet_egress} if {
	index.internet_egress
} else := {id |
	some id, f in input.facts.security_groups
	f.egress.internet.empty == false
}

# wide_open_ids: SG002's condition (all protocols or all TCP/UDP ports
# from the internet), which supersedes SG001, SG003, SG004 and SG011 on the
# same group (lib/supersede.rego).
wide_open_ids contains id if {
	some id in internet_ingress_ids
	all_traffic(input.facts.security_groups[id].ingress.internet)
}

# contributions(list) is a RuleContribution list, [] when absent or null.
contributions(list) := list if {
	is_array(list)
} else := []

# internet_rules(sg, dir) are the contributions to dir's internet set.
internet_rules(sg, dir) := contributions(sg_direction(sg, dir).internet_rules)

# public_rules(sg, dir) are the contributions to dir's public set.
public_rules(sg, dir) := contributions(sg_direction(sg, dir).public_rules)

# rules_reaching(contribs, ports): the contributions whose ports reach one
# of the listed ports.
rules_reaching(contribs, ports) := [c | some c in contribs; count(reached(c.ports, ports)) > 0]

# first_attribute(contribs) is the attribute of the lowest-indexed rule:
# where the finding points.
first_attribute(contribs) := attrs[0] if {
	idx := min({c.index | some c in contribs})
	attrs := sort({c.attribute | some c in contribs; c.index == idx})
}

# peers_text(contribs) lists the offending sources or destinations.
peers_text(contribs) := concat(", ", sort({p | some c in contribs; some p in c.peers}))

# rule_paths_text(dir, contribs) is "ingress[0], ingress[2]".
rule_paths_text(dir, contribs) := concat(", ", [sprintf("%s[%d]", [dir, i]) | some i in sort({c.index | some c in contribs})])

# locate(contribs, fallback) is first_attribute(contribs), or fallback
# (the rule list) when no contribution names one.
locate(contribs, fallback) := a if {
	a := first_attribute(contribs)
} else := fallback

# ports_word is "port" or "ports".
ports_word(ports) := "port" if {
	count(ports) == 1
} else := "ports"

# via_text(dir, contribs) is " (ingress[0] from 0.0.0.0/0)" or " (egress[0] to
# ::/0)", the rules and peers that cause an exposure, or "" when facts name none.
via_text(dir, contribs) := sprintf(" (%s %s %s)", [rule_paths_text(dir, contribs), peer_word(dir), peers_text(contribs)]) if {
	count(contribs) > 0
} else := ""

# peer_word: sources come "from", destinations go "to".
peer_word(dir) := "to" if {
	dir == "egress"
} else := "from"

# rule_peers lists an SG rule's sources or destinations: CIDRs, prefix
# lists, groups, and "itself" for a self rule.
rule_peers(rule) := concat(", ", all_peers) if {
	listed := [p |
		some k in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_group_ids"]
		some p in object.get(rule, k, [])
	]
	self := [s | rule.self == true; s := "itself"]
	all_peers := array.concat(listed, self)
	count(all_peers) > 0
} else := "unknown peers"

# rule_summary is "tcp 443 from 10.0.0.0/16" or "all traffic to 0.0.0.0/0".
rule_summary(dir, rule) := sprintf("%s %s %s", [rule_text(rule), peer_word(dir), rule_peers(rule)])
