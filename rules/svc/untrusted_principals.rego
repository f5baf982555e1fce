# METADATA
# title: Endpoint service allows an account outside the trusted accounts
# description: >-
#   config.trusted_accounts is set and an allowed principal of the endpoint
#   service (an account root, role or user ARN, or an account id) belongs
#   to an account that is not in it, so that account can connect to your
#   service.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#add-remove-permissions
# custom:
#   id: SVC003
#   severity: medium
#   subjects: [vpc_endpoint_services]
#   remediation: >-
#     Remove the principal from the service's allowed principals, or add its
#     account to trusted_accounts in .vpclint.yaml if it is a known
#     consumer.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#add-remove-permissions
#   tags: [security, privatelink, endpoint-service]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint_service" "api" {
#         acceptance_required        = true
#         network_load_balancer_arns = [aws_lb.api.arn]
#         allowed_principals         = ["arn:aws:iam::111122223333:root"]
#       }
#     cloudformation: |
#       APIServicePermissions:
#         Type: AWS::EC2::VPCEndpointServicePermissions
#         Properties:
#           ServiceId: !Ref APIService
#           AllowedPrincipals: ["arn:aws:iam::111122223333:root"]
package vpclint.rules.svc_untrusted_principals

trusted := {sprintf("%v", [a]) | some a in data.config.trusted_accounts}

account_of(v) := v if regex.match(`^[0-9]{12}$`, v)

# An IAM or STS principal ARN (root, role, user, assumed-role session);
# an organization ARN names an organization, not an account.
account_of(v) := parts[4] if {
	startswith(v, "arn:")
	parts := split(v, ":")
	count(parts) >= 6
	parts[2] in {"iam", "sts"}
	regex.match(`^[0-9]{12}$`, parts[4])
}

deny contains finding if {
	count(trusted) > 0

	# A placeholder (a service only referenced) still carries the principals
	# written for it, and the finding names it.
	some svc in input.vpc_endpoint_services
	some i, p in object.get(svc, "allowed_principals", [])
	acct := account_of(p)
	not acct in trusted
	finding := {
		"resource": svc.address,
		"attribute": sprintf("allowed_principals[%d]", [i]),
		"message": sprintf("endpoint service %s allows %s of account %s, which is not in trusted_accounts (%s)", [svc.address, p, acct, concat(", ", sort(trusted))]),
	}
}
