# No ACL is associated: every subnet uses the VPC's default ACL, which
# allows everything.

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::example-flow-logs"
}

resource "aws_security_group" "endpoints" {
  name        = "endpoints"
  description = "Interface endpoints"
  vpc_id      = aws_vpc.main.id

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

resource "aws_subnet" "app_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "app_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_subnet" "endpoints_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.10.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "endpoints_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.11.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_vpc_endpoint" "orders" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.endpoints_a.id, aws_subnet.endpoints_b.id]
  security_group_ids = [aws_security_group.endpoints.id]
}
