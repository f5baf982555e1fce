resource "aws_network_acl" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 22
    to_port    = 22
    cidr_block = "0.0.0.0/0"
  }
}
