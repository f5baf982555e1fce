# terraform.tfvars, read by convention, is a link to a file outside the
# scan root.
variable "cidr" {
  default = "10.0.0.0/16"
}

resource "aws_vpc" "v" {
  cidr_block = var.cidr
}
