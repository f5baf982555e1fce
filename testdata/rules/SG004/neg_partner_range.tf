resource "aws_security_group" "api" {
  name        = "api"
  description = "API servers"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "API from the partner"
    protocol    = "tcp"
    from_port   = 8443
    to_port     = 8443
    cidr_blocks = ["203.0.113.0/24"]
  }

  egress {
    description = "HTTPS to the VPC endpoints"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}
