a = 1
a = 2

resource "aws_security_group" "ok" {
  description = "still read"
}
