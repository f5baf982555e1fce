# SSH is open to 0.0.0.0/0, but whether the internet can reach the subnet
# is undecided: no finding (see --show-unknown).
resource "aws_network_acl" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  subnet_ids = [aws_subnet.public.id]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 22
    to_port    = 22
    cidr_block = "0.0.0.0/0"
  }
}

# The subnet's default route goes to a gateway given as a variable: an
# internet gateway or a virtual private gateway.
variable "gateway_id" {
  type = string
}

resource "aws_subnet" "public" {
  vpc_id     = "vpc-0a1b2c3d4e5f60718"
  cidr_block = "10.0.0.0/24"
}

resource "aws_route_table" "public" {
  vpc_id = "vpc-0a1b2c3d4e5f60718"

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = var.gateway_id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
