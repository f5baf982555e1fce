# Small sources asking for values far larger than themselves: each is
# unknown past its bound, with an error at its line, and the rest of the
# module is still read.
locals {
  l      = range(1000)
  prod   = setproduct(local.l, local.l, local.l)
  padded = format("%999999999d", 1)
  list   = formatlist("%0999999d", local.l)
  indent = indent(1000000000, "a\nb")
  big    = join("", [for i in range(1000) : "aaaaaaaaaa"])
  rep    = replace(local.big, "a", local.big)
  n0     = 1e4000
  n1     = local.n0 * local.n0
  text   = "${local.n1}"
  parsed = tonumber("1e300000000")
  cube   = [for a in local.l : [for b in local.l : [for c in local.l : 1]]]
  yaml = yamldecode(<<EOT
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
EOT
  )
}

variable "huge" {
  type    = number
  default = "1e300000000"
}

resource "aws_security_group" "g" {
  description = "${local.text}${local.parsed}${var.huge}"
  tags = {
    cube = length(local.cube)
    yaml = jsonencode(local.yaml)
  }
}
