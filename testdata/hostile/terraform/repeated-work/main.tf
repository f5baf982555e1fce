# Each call is cheap enough; a loop repeats it ninety thousand times: a
# megabyte hashed 90,000 times.
locals {
  mb     = format("%01000000d", 0)
  hashes = [for i in range(300) : [for j in range(300) : sha256(local.mb)]]
}

resource "aws_security_group" "g" {
  description = "x"
  tags = {
    hashes = length(local.hashes)
  }
}
