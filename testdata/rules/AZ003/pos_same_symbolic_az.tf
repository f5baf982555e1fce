# Zones are not known before deployment, but both subnets take the first
# zone of the region.

data "aws_availability_zones" "available" {
  state = "available"
}

resource "aws_security_group" "endpoints" {
  name        = "endpoints"
  description = "Interface endpoints"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "HTTPS from the VPC"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/16"]
  }

  egress {
    description = "HTTPS to the VPC endpoints"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_subnet" "private_a" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  cidr_block        = "10.0.1.0/24"
  availability_zone = data.aws_availability_zones.available.names[0]
}

resource "aws_subnet" "private_a2" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  cidr_block        = "10.0.4.0/24"
  availability_zone = data.aws_availability_zones.available.names[0]
}

resource "aws_subnet" "private_b" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  cidr_block        = "10.0.2.0/24"
  availability_zone = data.aws_availability_zones.available.names[1]
}

resource "aws_vpc_endpoint" "orders" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  service_name      = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.private_a.id, aws_subnet.private_a2.id, aws_subnet.private_b.id]
  security_group_ids = [aws_security_group.endpoints.id]
}
