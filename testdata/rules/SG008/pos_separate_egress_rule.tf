# expect: SG012
# A separate egress rule resource opens everything; the group's own HTTPS
# egress is then redundant (SG012).

resource "aws_security_group" "app" {
  name        = "app"
  description = "Application servers"
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

resource "aws_vpc_security_group_egress_rule" "app_all_out" {
  security_group_id = aws_security_group.app.id
  description       = "Everything to anywhere"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
