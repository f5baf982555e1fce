# The VPC is handed to a registry module that is not installed: it may
# create the VPC's flow log.
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

module "flow_log" {
  source  = "terraform-aws-modules/vpc/aws//modules/flow-log"
  version = "~> 5.0"

  vpc_id = aws_vpc.main.id
  name   = "main"
}
