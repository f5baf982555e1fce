# actions/checkout keeps the job's token in .git/config: inside the scan
# root, but never read, through a link or not.
resource "aws_security_group" "leak" {
  description = file(".git/config")
  tags = {
    linked = file("config-link")
  }
}
