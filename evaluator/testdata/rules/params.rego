# METADATA
# title: Test rule, parameters
# description: Fires once per configured admin port, naming a resource that does not exist.
# custom:
#   id: TST002
#   severity: low
#   remediation: Nothing to do.
package vpclint.rules.test_params

deny contains {"resource": "ghost", "message": sprintf("admin port %d", [p])} if {
	some p in data.config.admin_ports
}
