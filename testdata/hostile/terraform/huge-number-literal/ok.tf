resource "aws_security_group" "ok" {
  description = "still read"
}
