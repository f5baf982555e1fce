# A dynamic block of 4096 blocks inside one of 4096: 16 million blocks
# from twenty lines. Generated blocks count with the unit's instances.
locals {
  k = toset(flatten([for a in range(64) : [for b in range(64) : "${a}-${b}"]]))
}
resource "aws_security_group" "g" {
  description = "x"
  dynamic "ingress" {
    for_each = local.k
    content {
      from_port   = 1
      to_port     = 1
      protocol    = "tcp"
      description = "d"
      dynamic "cidr" {
        for_each = local.k
        content {
          a = cidr.value
          b = cidr.key
        }
      }
    }
  }
}
