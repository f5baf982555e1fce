resource "aws_security_group" "game" {
  name        = "game"
  description = "Game servers"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "Game traffic over IPv6"
    protocol    = "udp"
    from_port   = 7777
    to_port     = 7777
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
