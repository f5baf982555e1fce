# METADATA
# title: Looks like SG001
# description: A user rule that takes a built-in rule's id.
# custom:
#   id: SG001
#   severity: info
#   remediation: None.
package vpclint.rules.acme_shadow

deny contains {"resource": "x", "message": "n"} if false
