variable "vpc_id" {}

resource "aws_security_group" "this" {
  name        = "installed"
  description = "from an installed module"
  vpc_id      = var.vpc_id
}

output "id" {
  value = aws_security_group.this.id
}
