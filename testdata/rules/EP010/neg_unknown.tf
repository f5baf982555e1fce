variable "effect" {
  type = string
}

resource "aws_vpc_endpoint" "ecr_api" {
  vpc_id              = "vpc-0a1b2c3d4e5f60718"
  service_name        = "com.amazonaws.eu-west-1.ecr.api"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_group_ids  = ["sg-0a1b2c3d4e5f60718"]
  private_dns_enabled = true
  policy              = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect    = var.effect
        Principal = "*"
        Action    = "*"
        Resource  = "*"
      },
    ]
  })
}
