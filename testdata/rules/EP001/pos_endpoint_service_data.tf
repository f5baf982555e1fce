# The service name comes from a lookup in an unknown region, whose
# service (SQS) is known: SQS takes a policy, and the endpoint has none.
data "aws_vpc_endpoint_service" "sqs" {
  service      = "sqs"
  service_type = "Interface"
}

resource "aws_vpc_endpoint" "sqs" {
  vpc_id              = "vpc-0a1b2c3d4e5f60718"
  service_name        = data.aws_vpc_endpoint_service.sqs.service_name
  vpc_endpoint_type   = "Interface"
  subnet_ids          = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_group_ids  = ["sg-0a1b2c3d4e5f60718"]
  private_dns_enabled = true
}
