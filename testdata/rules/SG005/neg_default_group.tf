# No group listed: the endpoint gets its VPC's default group, which the
# code does not manage, so its own rules are not the code's to change.

resource "aws_vpc_endpoint" "orders" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  service_name      = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  vpc_endpoint_type = "Interface"
  subnet_ids        = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
}
