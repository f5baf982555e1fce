# Written out, 1e300000000 is three hundred million digits: converting it
# to a string (a template, a tag) hung the scan.
locals {
  big = "${1e300000000}"
}

resource "aws_vpc" "v" {
  cidr_block = local.big
}
