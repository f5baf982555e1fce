variable "vpc_id" {
  type = string
}

resource "aws_security_group" "this" {
  name        = "module-sg"
  description = "Endpoint clients"
  vpc_id      = var.vpc_id
}

resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  security_group_id = aws_security_group.this.id
  protocol          = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_blocks       = ["0.0.0.0/0"]
}

output "id" {
  value = aws_security_group.this.id
}
