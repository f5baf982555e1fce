# METADATA
# title: Endpoint service allows every AWS principal to connect
# description: >-
#   The endpoint service's allowed principals include "*": every AWS
#   account can discover the service and create an interface endpoint to
#   it. Unless acceptance is required and every request reviewed, anyone
#   in AWS reaches the load balancer behind the service.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#add-remove-permissions
# custom:
#   id: SVC002
#   severity: high
#   subjects: [vpc_endpoint_services]
#   remediation: >-
#     List the accounts, roles or organization that may connect
#     (arn:aws:iam::<account>:root) instead of "*".
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#add-remove-permissions
#     - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpointServicePermissions.html
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
package vpclint.rules.svc_public_principals

deny contains finding if {
	# A placeholder (a service only referenced) still carries the principals
	# written for it, and the finding names it.
	some svc in input.vpc_endpoint_services
	some i, p in object.get(svc, "allowed_principals", [])
	p == "*"
	finding := {
		"resource": svc.address,
		"attribute": sprintf("allowed_principals[%d]", [i]),
		"message": sprintf("endpoint service %s allows principal \"*\": every AWS account can create an endpoint to it%s", [svc.address, acceptance_note(svc)]),
	}
}

acceptance_note(svc) := ", and acceptance is not required, so they are connected at once" if svc.acceptance_required == false

acceptance_note(svc) := "" if not svc.acceptance_required == false
