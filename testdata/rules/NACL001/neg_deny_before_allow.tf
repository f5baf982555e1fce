# Denies for 22 and 3389 come first, so the allow at 100 does not open them.

resource "aws_network_acl" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"

  ingress {
    rule_no    = 90
    action     = "deny"
    protocol   = "tcp"
    from_port  = 22
    to_port    = 22
    cidr_block = "0.0.0.0/0"
  }

  ingress {
    rule_no    = 91
    action     = "deny"
    protocol   = "tcp"
    from_port  = 3389
    to_port    = 3389
    cidr_block = "0.0.0.0/0"
  }

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 0
    to_port    = 1023
    cidr_block = "0.0.0.0/0"
  }
}
