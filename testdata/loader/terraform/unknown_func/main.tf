resource "aws_security_group" "x" {
  name        = "x"
  description = no_such_function("x")
  vpc_id      = "vpc-1"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [cidrsubnet("10.0.0.0/16", 8, 1)]
  }
}
