resource "aws_vpc" "a" {
  cidr_block = 
