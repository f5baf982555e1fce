resource "aws_security_group" "internal" {
  name        = "internal"
  description = "Internal services"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "Everything from the VPC"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
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
