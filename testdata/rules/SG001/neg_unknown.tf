# The source comes from a variable without a default: unknown, so no
# finding (peers treat it as open, or compare the variable's name).

variable "admin_cidr" {
  type        = string
  description = "Network allowed to reach the bastion"
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion host"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "SSH from the admin network"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = [var.admin_cidr]
  }
}
