resource "aws_security_group" "ok" {
  name        = "ok"
  description = "still loaded"
  vpc_id      = "vpc-1"
}
