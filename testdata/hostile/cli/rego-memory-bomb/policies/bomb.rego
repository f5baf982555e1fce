# METADATA
# title: Counts to a hundred million
# description: A rule whose evaluation grows the heap without bound.
# custom:
#   id: ACME001
#   severity: low
#   remediation: None.
package vpclint.rules.acme_bomb

deny contains {"resource": "x", "message": "n"} if {
	count({x | x := numbers.range(1, 100000000)[_]}) > 0
}
