# A module that is not installed but is not given the endpoint cannot
# attach a policy to it: the default policy applies.
resource "aws_vpc_endpoint" "sqs" {
  vpc_id              = "vpc-0a1b2c3d4e5f60718"
  service_name        = "com.amazonaws.eu-west-1.sqs"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_group_ids  = ["sg-0a1b2c3d4e5f60718"]
  private_dns_enabled = true
}

module "endpoint_policy" {
  source  = "example-org/endpoint-policy/aws"
  version = "~> 2.0"

  vpc_id = "vpc-0a1b2c3d4e5f60718"
}
