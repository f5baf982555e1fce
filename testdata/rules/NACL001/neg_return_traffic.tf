# AWS's recommended public-subnet ACL: HTTPS, and TCP 1024-65535 for the
# return traffic of the subnet's own connections. The return range covers
# 3389 only because ACLs are stateless: not an admin-port exposure.
resource "aws_network_acl" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = [aws_subnet.public.id]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 443
    to_port    = 443
    cidr_block = "0.0.0.0/0"
  }

  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "tcp"
    from_port  = 1024
    to_port    = 65535
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
