# Package vpclint.lib.inventory says which lists of a live read are
# complete (input.inventory.lists, see docs/model.md) and declares, once,
# which lists each rule's conclusion needs. A rule whose list was not read
# completely is undecided: it calls decided with its own id and stays
# silent, instead of concluding "no flow log" from a list it never saw.
#
# Only conclusions drawn from the absence of something depend on a list:
# "this VPC has no flow log" needs every flow log, "this ACL protects no
# subnet" every subnet. A finding about something that was read (an open
# security group) holds however incomplete the other lists are.
package vpclint.lib.inventory

# needs maps a rule id to the lists its conclusion needs whole.
needs := {
	# No flow log targets the VPC.
	"GOV001": ["flow_logs"],
	# No endpoint of a required service in the VPC.
	"GOV002": ["vpc_endpoints"],
	# No gateway endpoint for S3 or DynamoDB beside the interface one.
	"GW002": ["vpc_endpoints"],
	"DNS004": ["vpc_endpoints"],
	# No private hosted zone stands in for the endpoint's private DNS.
	"DNS001": ["hosted_zones"],
	# The endpoint's group is in no VPC of the account.
	"SG013": ["security_groups"],
	# No subnet uses the ACL.
	"NACL007": ["subnets", "network_acls"],
}

# lists_read: the loader read lists from an API and recorded them.
lists_read if is_object(input.inventory.lists)

# list_read(name): the rules may take the list as whole. Code (no lists
# recorded) holds what it writes; a live read must have read the list
# completely, and a list it does not name was not read.
list_read(_) if not lists_read

list_read(name) if input.inventory.lists[name] == true

# unread_lists(id) are the lists rule id needs that were not read
# completely, sorted.
unread_lists(id) := sort([l | some l in object.get(needs, id, []); not list_read(l)])

# decided(id): every list that rule id needs was read completely. Code
# (no lists recorded) is decided without looking: every rule asks on every
# unit.
decided(id) if {
	not lists_read
} else if {
	count(unread_lists(id)) == 0
}
