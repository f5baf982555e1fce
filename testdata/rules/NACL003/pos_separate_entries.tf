resource "aws_network_acl" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_network_acl_rule" "public_in_100" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  egress         = false
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "10.0.0.0/8"
}

resource "aws_network_acl_rule" "public_in_200" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 200
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "10.1.0.0/16"
  from_port      = 3306
  to_port        = 3306
}
