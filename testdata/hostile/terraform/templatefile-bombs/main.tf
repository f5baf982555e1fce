# A template that writes its input 2000 times, and one of nested loops.
locals {
  double = templatefile("double.tftpl", { s = join("", [for i in range(1000) : "xxxxxxxxxx"]) })
  loops  = templatefile("loops.tftpl", {})
}

resource "aws_security_group" "g" {
  description = local.loops
  tags = {
    double = local.double
  }
}
