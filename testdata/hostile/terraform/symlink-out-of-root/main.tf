# leak.txt is a symbolic link to a file outside the scan root.
resource "aws_security_group" "leak" {
  description = file("leak.txt")
}
