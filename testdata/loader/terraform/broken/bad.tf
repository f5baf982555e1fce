resource "aws_security_group" "broken" {
  name = "broken"
  ingress {
