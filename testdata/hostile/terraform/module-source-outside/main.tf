# ../outside holds secret.tf, beside the repository: not followed.
module "leak" {
  source = "../outside"
}

resource "aws_security_group" "ok" {
  description = "still read"
}
