# 0-65535 split over two rules is still every port.

resource "aws_security_group" "open" {
  name        = "open"
  description = "Wide open test group"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "Well-known ports"
    protocol    = "tcp"
    from_port   = 0
    to_port     = 1023
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "Everything else"
    protocol    = "tcp"
    from_port   = 1024
    to_port     = 65535
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
