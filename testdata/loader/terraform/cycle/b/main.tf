module "a" {
  source = "../a"
}

resource "aws_security_group" "b" {
  name        = "b"
  description = "in b"
  vpc_id      = "vpc-1"
}
