# METADATA
# title: Endpoint service accepts connections without review
# description: >-
#   The endpoint service does not require acceptance of connection
#   requests: any principal allowed to connect gets a working interface
#   endpoint into your service at once, with no chance to check who is
#   connecting. Combined with a broad allowed-principals list, anyone in
#   AWS can reach the load balancer behind the service.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html
# custom:
#   id: SVC001
#   severity: medium
#   subjects: [vpc_endpoint_services]
#   remediation: >-
#     Set acceptance_required = true (CloudFormation AcceptanceRequired:
#     true) and accept connection requests after checking the requesting
#     account, or automate acceptance with a reviewed allow-list.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#accept-reject-connection-requests
#   peers: {checkov: [CKV_AWS_123]}
#   tags: [security, privatelink, endpoint-service]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint_service" "api" {
#         acceptance_required        = true
#         network_load_balancer_arns = [aws_lb.api.arn]
#         allowed_principals         = ["arn:aws:iam::111122223333:root"]
#       }
#     cloudformation: |
#       APIService:
#         Type: AWS::EC2::VPCEndpointService
#         Properties:
#           AcceptanceRequired: true
#           NetworkLoadBalancerArns: [!Ref APILoadBalancer]
package vpclint.rules.svc_acceptance_not_required

deny contains finding if {
	some svc in input.vpc_endpoint_services
	not svc.placeholder
	svc.acceptance_required == false
	finding := {
		"resource": svc.address,
		"attribute": "acceptance_required",
		"message": sprintf("endpoint service %s does not require acceptance: every allowed principal that creates an endpoint is connected at once, without review", [svc.address]),
	}
}
