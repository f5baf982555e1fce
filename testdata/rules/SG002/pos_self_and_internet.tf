# `self = true` beside 0.0.0.0/0 does not make the rule safe: the internet
# is still a source (a peer labels this case as passing).

resource "aws_security_group" "cluster" {
  name        = "cluster"
  description = "Cluster nodes"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description = "Node traffic"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    self        = true
    cidr_blocks = ["0.0.0.0/0"]
  }
}
