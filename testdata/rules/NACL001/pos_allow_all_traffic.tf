# An allow-all entry on the ACL of a public subnet: the internet reaches
# SSH and RDP through it. NACL001 (high) reports the entry; NACL002
# (medium) does not report it again.

resource "aws_network_acl" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = [aws_subnet.public.id]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }
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
