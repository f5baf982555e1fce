resource "aws_security_group" "bad" {
  name        = "bad"
  description = "bad values"
  vpc_id      = "vpc-1"

  ingress {
    from_port   = 443
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.300/8"]
  }
}

resource "aws_network_acl" "dup" {
  vpc_id = "vpc-1"

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "10.0.0.0/8"
  }

  ingress {
    rule_no    = 100
    action     = "deny"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }
}

resource "aws_network_acl_rule" "out_of_range" {
  network_acl_id = aws_network_acl.dup.id
  rule_number    = 40000
  egress         = true
  protocol       = "tcp"
  rule_action    = "allow"
  from_port      = 443
  to_port        = 70000
  cidr_block     = "10.0.0.0/8"
}
