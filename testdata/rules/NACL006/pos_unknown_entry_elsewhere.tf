# The endpoint subnets' ACL was written for "443 both ways", with one more
# outbound allow whose action is a variable without a default. Whatever it
# is, it matches only TCP 443, so replies to the clients' ephemeral ports
# are dropped either way.

variable "https_action" {
  type = string
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

resource "aws_subnet" "app_a" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "app_b" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  cidr_block        = "10.0.2.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_subnet" "endpoints_a" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  cidr_block        = "10.0.10.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "endpoints_b" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  cidr_block        = "10.0.11.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_network_acl" "app" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = [aws_subnet.app_a.id, aws_subnet.app_b.id]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "10.0.0.0/16"
  }

  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "10.0.0.0/16"
  }
}

resource "aws_network_acl" "endpoints" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = [aws_subnet.endpoints_a.id, aws_subnet.endpoints_b.id]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 443
    to_port    = 443
    cidr_block = "10.0.0.0/16"
  }

  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "tcp"
    from_port  = 1024
    to_port    = 65535
    cidr_block = "10.0.0.0/16"
  }

  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 443
    to_port    = 443
    cidr_block = "10.0.0.0/16"
  }
  egress {
    rule_no    = 110
    action     = var.https_action
    protocol   = "tcp"
    from_port  = 443
    to_port    = 443
    cidr_block = "0.0.0.0/0"
  }
}

resource "aws_vpc_endpoint" "orders" {
  vpc_id            = "vpc-0a1b2c3d4e5f60718"
  service_name      = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.endpoints_a.id, aws_subnet.endpoints_b.id]
  security_group_ids = [aws_security_group.endpoints.id]
}
