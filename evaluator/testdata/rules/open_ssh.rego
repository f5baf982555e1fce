# METADATA
# title: Test rule, SSH open
# description: A test rule that fires on every ingress rule from 0.0.0.0/0 to port 22.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html
# custom:
#   id: TST001
#   severity: high
#   remediation: Close port 22.
#   tags: [security]
#   frameworks: {securityhub: ["EC2.13"]}
#   examples:
#     terraform: |
#       resource "aws_security_group" "ok" {}
package vpclint.rules.test_open_ssh

deny contains {"resource": sg.address, "attribute": sprintf("ingress[%d].cidr_blocks[%d]", [i, j]), "message": sprintf("%s allows SSH from %s", [sg.address, c])} if {
	some sg in input.security_groups
	some i, r in sg.ingress
	r.from_port <= 22
	r.to_port >= 22
	some j, c in r.cidr_blocks
	c == "0.0.0.0/0"
}
