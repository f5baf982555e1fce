# SSH is open to 0.0.0.0/0, but the only subnet the ACL filters routes
# to a NAT gateway: the internet cannot open a connection through it.
resource "aws_network_acl" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = [aws_subnet.private.id]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 22
    to_port    = 22
    cidr_block = "0.0.0.0/0"
  }
}

# A private subnet: its default route goes to a NAT gateway, so nothing on
# the internet can open a connection to it.
resource "aws_subnet" "private" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  cidr_block = "10.0.1.0/24"
}

resource "aws_route_table" "private" {
  vpc_id = "vpc-0a1b2c3d4e5f60718"

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = "nat-0a1b2c3d4e5f60718"
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
