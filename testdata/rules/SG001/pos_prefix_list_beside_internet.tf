# A prefix list next to 0.0.0.0/0 in the same rule does not restrict it (a
# peer treats any prefix list as safe).

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion host"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"

  ingress {
    description     = "SSH from the office and, by mistake, anywhere"
    protocol        = "tcp"
    from_port       = 22
    to_port         = 22
    prefix_list_ids = ["pl-0123456789abcdef0"]
    cidr_blocks     = ["0.0.0.0/0"]
  }
}
