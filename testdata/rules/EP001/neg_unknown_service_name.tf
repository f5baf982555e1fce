# The service name is a variable without a default: an AWS service or a
# customer's, so no finding.

variable "service_name" {
  type = string
}

resource "aws_vpc_endpoint" "sqs" {
  vpc_id              = "vpc-0a1b2c3d4e5f60718"
  service_name        = var.service_name
  vpc_endpoint_type   = "Interface"
  subnet_ids          = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_group_ids  = ["sg-0a1b2c3d4e5f60718"]
  private_dns_enabled = true
}
