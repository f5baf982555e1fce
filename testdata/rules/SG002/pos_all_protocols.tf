# One critical finding: SG001, SG003, SG004 and SG011 are superseded.

resource "aws_security_group" "open" {
  name        = "open"
  description = "Wide open test group"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "Everything from anywhere"
    protocol    = "-1"
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
