# The service is created elsewhere; the permission written here names it.
resource "aws_vpc_endpoint_service_allowed_principal" "everyone" {
  vpc_endpoint_service_id = "vpce-svc-0123456789abcdef0"
  principal_arn           = "*"
}
