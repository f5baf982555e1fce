# expect: NACL001

resource "aws_network_acl" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "udp"
    from_port  = 0
    to_port    = 65535
    ipv6_cidr_block = "::/0"
  }
}
