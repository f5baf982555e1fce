resource "aws_subnet" "private_a" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_vpc_endpoint" "orders" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  service_name      = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  vpc_endpoint_type = "GatewayLoadBalancer"
  subnet_ids        = [aws_subnet.private_a.id]
}
