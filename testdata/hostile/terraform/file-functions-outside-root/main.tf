# Every file function, pointed at a file of the runner outside the scan
# root: nothing is read, each call's value is unknown and a warning names
# the call and its line, never the content or the path.
locals {
  absolute = file("@OUTSIDE@/secret.txt")
  relative = file("../outside/secret.txt")
  b64      = filebase64("/etc/passwd")
  hash     = filesha256("@OUTSIDE@/secret.txt")
  exists   = fileexists("@OUTSIDE@/secret.txt")
  listed   = fileset("@OUTSIDE@", "*")
  rendered = templatefile("@OUTSIDE@/secret.txt", {})
  fallback = try(file("/etc/hostname"), "10.0.0.0/8")
}

resource "aws_security_group" "leak" {
  description = local.absolute
  tags = {
    relative = local.relative
    b64      = local.b64
    hash     = local.hash
    exists   = tostring(local.exists)
    listed   = join(",", local.listed)
    rendered = local.rendered
    cwd      = path.cwd
    abs      = abspath("x")
  }
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [local.fallback, file("@OUTSIDE@/secret.txt")]
  }
}
