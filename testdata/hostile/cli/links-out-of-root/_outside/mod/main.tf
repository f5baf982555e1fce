resource "aws_vpc" "outside" {
  cidr_block = "10.9.0.0/16"
  tags       = { Name = "OUTSIDE-SECRET-5e1f0a" }
}
