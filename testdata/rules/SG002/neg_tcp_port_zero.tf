# expect: SG004
# tcp 0-0 is port 0 only, not all ports (a false positive of peers);
# port 0 is an unexpected public port: SG004.

resource "aws_security_group" "zero" {
  name        = "zero"
  description = "Port zero test group"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "Port zero"
    protocol    = "tcp"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "HTTPS to the VPC endpoints"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}
