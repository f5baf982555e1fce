variable "name" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "ports" {
  type = list(number)
}

variable "cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

resource "aws_security_group" "this" {
  name        = var.name
  description = "${var.name} group"
  vpc_id      = var.vpc_id
}

resource "aws_security_group_rule" "in" {
  count = length(var.ports)

  type              = "ingress"
  security_group_id = aws_security_group.this.id
  protocol          = "tcp"
  from_port         = var.ports[count.index]
  to_port           = var.ports[count.index]
  cidr_blocks       = var.cidrs
  description       = "port ${var.ports[count.index]}"
}

output "security_group_id" {
  value = aws_security_group.this.id
}
