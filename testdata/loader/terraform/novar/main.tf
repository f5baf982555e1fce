variable "admin_cidr" {
  type        = string
  description = "no default: unknown until apply"
}

resource "aws_security_group" "admin" {
  name        = "admin"
  description = "admin access"
  vpc_id      = "vpc-123"

  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
}
