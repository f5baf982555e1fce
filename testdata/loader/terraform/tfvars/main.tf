variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "f" { default = "default" }
variable "ports" {
  type    = list(number)
  default = []
}

resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags = {
    a = var.a
    b = var.b
    c = var.c
    d = var.d
    e = var.e
    f = var.f
    ports = join(",", var.ports)
  }
}
