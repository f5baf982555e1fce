# Deny entries written as separate resources still come first (peers judge
# each entry resource alone).

resource "aws_network_acl" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = [aws_subnet.public.id]
}

resource "aws_network_acl_rule" "public_in_90" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 90
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}

resource "aws_network_acl_rule" "public_in_91" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 91
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 3389
  to_port        = 3389
}

resource "aws_network_acl_rule" "public_in_100" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 0
  to_port        = 1023
}

# A public subnet: its route table sends 0.0.0.0/0 to an internet gateway,
# so the internet can open connections through the ACL.
resource "aws_internet_gateway" "main" {
  vpc_id = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_subnet" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  cidr_block = "10.0.0.0/24"
}

resource "aws_route_table" "public" {
  vpc_id = "vpc-0a1b2c3d4e5f60718"

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
