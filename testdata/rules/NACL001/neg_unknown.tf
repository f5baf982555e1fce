# The entry's CIDR comes from a variable without a default: the first-match
# result is unknown, so no finding.

variable "admin_cidr" {
  type = string
}

resource "aws_network_acl" "public" {
  vpc_id = "vpc-0a1b2c3d4e5f60718"

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 22
    to_port    = 22
    cidr_block = var.admin_cidr
  }
}
