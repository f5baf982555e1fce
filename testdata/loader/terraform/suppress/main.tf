# vpclint:ignore SG001,SG004 reason="bastion behind VPN" until=2030-01-01
resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "bastion"
  vpc_id      = "vpc-1"

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    // vpclint:ignore SG001 reason="temporary"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# vpclint:ignore
resource "aws_security_group" "malformed" {
  name        = "malformed"
  description = "malformed suppression"
  vpc_id      = "vpc-1"
}
