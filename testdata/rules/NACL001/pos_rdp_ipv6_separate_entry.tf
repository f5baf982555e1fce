resource "aws_network_acl" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_network_acl_rule" "public_in_100" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  ipv6_cidr_block = "::/0"
  from_port      = 3389
  to_port        = 3389
}
