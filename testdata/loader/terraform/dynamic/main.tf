variable "rules" {
  type = list(object({
    port        = number
    cidr_blocks = list(string)
    description = optional(string, "managed")
  }))
  default = [
    { port = 22, cidr_blocks = ["10.0.0.0/8"] },
    { port = 443, cidr_blocks = ["0.0.0.0/0"], description = "https" },
  ]
}

variable "extra" {
  type = list(number)
}

resource "aws_security_group" "dyn" {
  name   = "dyn"
  vpc_id = "vpc-123"

  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidr_blocks
      description = rule.value.description
    }
  }
}

resource "aws_security_group" "unknown_dyn" {
  name   = "unknown"
  vpc_id = "vpc-123"

  dynamic "ingress" {
    for_each = var.extra
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
