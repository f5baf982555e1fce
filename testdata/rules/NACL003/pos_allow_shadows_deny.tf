# The deny at 200 never applies: the allow at 100 matches SSH first. (SSH
# is open; NACL001 says so when a subnet the ACL filters routes to an
# internet gateway.)

resource "aws_network_acl" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 0
    to_port    = 1023
    cidr_block = "0.0.0.0/0"
  }

  ingress {
    rule_no    = 200
    action     = "deny"
    protocol   = "tcp"
    from_port  = 22
    to_port    = 22
    cidr_block = "0.0.0.0/0"
  }
}
