# A for_each key with control characters names the instances: every
# message about them is escaped.
resource "aws_security_group" "web" {
  for_each = toset(["\u001b[2J\r main.tf:1 CRITICAL forged\nno findings \u202e"])
  name     = each.key
  vpc_id   = "vpc-1"
  ingress {
    from_port   = 99999
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
