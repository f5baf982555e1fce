# mods is a symbolic link to a directory outside the scan root.
module "leak" {
  source = "./mods"
}

resource "aws_security_group" "ok" {
  description = "still read"
}
