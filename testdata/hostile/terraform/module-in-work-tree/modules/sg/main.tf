resource "aws_security_group" "web" {
  description = "from the module"
}
