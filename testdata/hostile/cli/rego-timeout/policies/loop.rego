# METADATA
# title: Loops ten billion times
# description: A rule whose evaluation never ends in practice.
# custom:
#   id: ACME002
#   severity: low
#   remediation: None.
package vpclint.rules.acme_loop

deny contains {"resource": "x", "message": "n"} if {
	some i in numbers.range(1, 100000)
	some j in numbers.range(1, 100000)
	i * j == -1
}
