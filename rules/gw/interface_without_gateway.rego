# METADATA
# title: Interface endpoint for S3 or DynamoDB without a gateway endpoint
# description: >-
#   The VPC reaches S3 or DynamoDB through an interface endpoint but has no
#   gateway endpoint for the same service. Gateway endpoints carry no
#   hourly or data-processing charge, while interface endpoints are billed
#   per AZ-hour and per GB; traffic from inside the VPC is usually cheaper
#   through a gateway endpoint, keeping the interface endpoint for
#   on-premises, peered or cross-Region clients.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
# custom:
#   id: GW002
#   severity: info
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Add a gateway endpoint for the service and associate the VPC's route
#     tables; for S3 interface endpoints that serve on-premises clients, set
#     private_dns_only_for_inbound_resolver_endpoint so the VPC uses the
#     gateway.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
#     - https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html
#     - https://aws.amazon.com/privatelink/pricing/
#   tags: [cost, gateway-endpoint]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "dynamodb" {
#         vpc_id          = aws_vpc.main.id
#         service_name    = "com.amazonaws.eu-west-1.dynamodb"
#         route_table_ids = [aws_route_table.private.id]
#       }
#     cloudformation: |
#       DynamoDBEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.dynamodb
#           RouteTableIds: [!Ref PrivateRouteTable]
package vpclint.rules.gw_interface_without_gateway

import data.vpclint.lib.inventory
import data.vpclint.lib.policy as pol

gateway_capable := {"s3", "dynamodb"}

# candidates are the interface endpoints for S3 or DynamoDB with their
# service: the loader's `service` read inline, derived only when empty.
candidates contains [ep, ep.service] if {
	some ep in input.vpc_endpoints
	ep.service in gateway_capable
	ep.type == "Interface"
	not ep.placeholder
}

candidates contains [ep, svc] if {
	some ep in input.vpc_endpoints
	object.get(ep, "service", "") == ""
	ep.type == "Interface"
	not ep.placeholder
	svc := pol.service(ep)
	svc in gateway_capable
}

deny contains finding if {
	inventory.decided("GW002")
	some [ep, svc] in candidates
	pol.lacks_gateway_endpoint(ep.vpc_id, svc)
	finding := {
		"resource": ep.address,
		"message": sprintf("interface endpoint %s reaches %s, but VPC %s has no %s gateway endpoint, which carries no hourly or data-processing charge", [ep.address, svc, ep.vpc_id, svc]),
	}
}
