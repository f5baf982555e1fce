# METADATA
# title: S3 interface endpoint resolves privately only for inbound resolvers, with no S3 gateway endpoint
# description: >-
#   The S3 interface endpoint enables private DNS only for the inbound
#   Resolver endpoint (private_dns_only_for_inbound_resolver_endpoint), so
#   clients inside the VPC keep resolving S3 to the public addresses and
#   are expected to use an S3 gateway endpoint; but the VPC has none. AWS
#   refuses the option without a gateway endpoint, and removing the
#   gateway later leaves the VPC's S3 traffic on the internet path.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html#private-dns
# custom:
#   id: DNS004
#   severity: high
#   subjects: [vpc_endpoints]
#   remediation: >-
#     Add an S3 gateway endpoint to the VPC (and its route tables), or set
#     private_dns_only_for_inbound_resolver_endpoint = false so the
#     interface endpoint serves the VPC too.
#   references:
#     - https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html#private-dns
#     - https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DnsOptionsSpecification.html
#   tags: [reliability, dns, s3]
#   examples:
#     terraform: |
#       resource "aws_vpc_endpoint" "s3_gateway" {
#         vpc_id          = aws_vpc.main.id
#         service_name    = "com.amazonaws.eu-west-1.s3"
#         route_table_ids = [aws_route_table.private.id]
#       }
#
#       resource "aws_vpc_endpoint" "s3_interface" {
#         vpc_id              = aws_vpc.main.id
#         service_name        = "com.amazonaws.eu-west-1.s3"
#         vpc_endpoint_type   = "Interface"
#         subnet_ids          = [aws_subnet.a.id, aws_subnet.b.id]
#         security_group_ids  = [aws_security_group.endpoints.id]
#         private_dns_enabled = true
#         dns_options {
#           private_dns_only_for_inbound_resolver_endpoint = true
#         }
#         depends_on = [aws_vpc_endpoint.s3_gateway]
#       }
#     cloudformation: |
#       S3GatewayEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
#           RouteTableIds: [!Ref PrivateRouteTable]
#       S3InterfaceEndpoint:
#         Type: AWS::EC2::VPCEndpoint
#         DependsOn: S3GatewayEndpoint
#         Properties:
#           VpcId: !Ref VPC
#           VpcEndpointType: Interface
#           ServiceName: !Sub com.amazonaws.${AWS::Region}.s3
#           SubnetIds: [!Ref SubnetA, !Ref SubnetB]
#           SecurityGroupIds: [!Ref EndpointSG]
#           PrivateDnsEnabled: true
#           DnsOptions:
#             PrivateDnsOnlyForInboundResolverEndpoint: OnlyInboundResolver
package vpclint.rules.dns_s3_inbound_resolver_only

import data.vpclint.lib.inventory
import data.vpclint.lib.policy as pol

deny contains finding if {
	inventory.decided("DNS004")
	some ep in input.vpc_endpoints
	ep.dns_options.private_dns_only_for_inbound_resolver_endpoint == true
	ep.type == "Interface"
	not ep.placeholder
	pol.service(ep) == "s3"
	ep.private_dns_enabled == true
	pol.lacks_gateway_endpoint(ep.vpc_id, "s3")
	finding := {
		"resource": ep.address,
		"attribute": "dns_options.private_dns_only_for_inbound_resolver_endpoint",
		"message": sprintf("S3 interface endpoint %s enables private DNS only for the inbound Resolver endpoint, but VPC %s has no S3 gateway endpoint: AWS rejects the option, and the VPC's own S3 traffic would have no private path", [ep.address, ep.vpc_id]),
	}
}
