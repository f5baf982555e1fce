# METADATA
# title: Gateway endpoint is associated with no route table
# description: >-
#   The gateway endpoint is associated with no route table, so no subnet
#   routes to it: traffic to S3 or DynamoDB keeps going through the NAT or
#   internet gateway (and its data charges), and the endpoint policy never
#   applies. A gateway endpoint works only through the prefix-list routes
#   AWS adds to the route tables you associate.
# related_resources:
#   - ref: https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-routing
# custom:
#   id: GW001
#   severity: medium
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Associate the route tables of the subnets that use the service:
#     route_table_ids on aws_vpc_endpoint or
#     aws_vpc_endpoint_route_table_association in Terraform, RouteTableIds in
#     CloudFormation.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-routing
#     - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/vpc_endpoint_route_table_association
#   tags: [reliability, cost, gateway-endpoint]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "s3" {
#         vpc_id          = aws_vpc.main.id
#         service_name    = "com.amazonaws.eu-west-1.s3"
#         route_table_ids = [aws_route_table.private_a.id, aws_route_table.private_b.id]
#       }
#     cloudformation: |
#       S3Endpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
#           RouteTableIds: [!Ref PrivateRouteTableA, !Ref PrivateRouteTableB]
package vpclint.rules.gw_no_route_table

deny contains finding if {
	some ep in input.vpc_endpoints
	ep.type == "Gateway"
	not ep.placeholder

	# Known and empty: an absent list is unknown, not empty.
	ep.route_table_ids == []
	not "route_table_ids" in object.get(ep, "unknown", [])
	finding := {
		"resource": ep.address,
		"message": sprintf("gateway endpoint %s for %s is associated with no route table, so no subnet routes traffic to it and requests keep using the public path", [ep.address, object.get(ep, "service_name", "its service")]),
	}
}
