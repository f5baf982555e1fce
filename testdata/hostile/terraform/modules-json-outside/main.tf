# A committed module manifest whose installed directory is outside the
# scan root.
module "leak" {
  source = "x/y/aws"
}

resource "aws_security_group" "ok" {
  description = "still read"
}
