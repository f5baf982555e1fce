resource "aws_security_group" "cache" {
  name        = "cache"
  description = "Cache"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "Redis over IPv6"
    protocol    = "tcp"
    from_port   = 6379
    to_port     = 6379
    ipv6_cidr_blocks = ["::/0"]
  }

  egress {
    description = "HTTPS to the VPC endpoints"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}
