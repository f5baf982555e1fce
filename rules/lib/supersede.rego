# Package vpclint.lib.supersede gives one problem one finding: where a
# stronger rule reports a problem, the weaker rules that would report the
# same problem again stay silent on it. The table below says which rule
# supersedes which; reports says which problem keys a strong rule reports
# (the very documents its deny reads, so the two cannot drift); a weak rule
# asks superseded with its own id and the key of what it is about to
# report. The key is the problem's scope: a security group's id, an
# [endpoint policy key, statement index] pair, an [ACL id, entry index]
# pair.
package vpclint.lib.supersede

import data.vpclint.lib.nacl
import data.vpclint.lib.net
import data.vpclint.lib.policy as pol

supersedes := {
	# All traffic from the internet to a group: its admin, sensitive and
	# other ports, and any wide range, are the same exposure.
	"SG002": {"SG001", "SG003", "SG004", "SG011"},
	# A statement that allows everything to everyone: no identity and no
	# resource perimeter, and its wildcard, are the same hole.
	"EP002": {"EP003", "EP004", "EP008"},
	# An entry that lets all traffic in from the internet: the admin ports
	# it opens are the same entry.
	"NACL002": {"NACL001"},
}

# reports(id, key): the strong rule id reports the problem key.
reports("SG002", id) if id in net.wide_open_ids

reports("EP002", [key, i]) if i in pol.full_access[key]

reports("NACL002", key) if key in nacl.all_traffic_entries

# superseding[id] is the rule that supersedes rule id (each has at most
# one), built once: superseded then asks one rule, not every entry of
# supersedes, for each candidate of a weak rule.
superseding := {id: strong | some strong, weak in supersedes; some id in weak}

# superseded(id, key): a rule that supersedes rule id reports key.
superseded(id, key) if reports(superseding[id], key)
