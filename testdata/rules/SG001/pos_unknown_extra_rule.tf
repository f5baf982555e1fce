# A rule resource whose count is unknown may add to the group: the group's
# ingress may hold more than the scan sees, but the SSH rule it holds is
# there whatever the count is.

variable "enabled" {
  type = bool
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion host"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "SSH from anywhere"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "extra" {
  count             = var.enabled ? 1 : 0
  type              = "ingress"
  security_group_id = aws_security_group.bastion.id
  description       = "HTTPS from the office"
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["198.51.100.0/24"]
}
