module "missing" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"
}

module "installed" {
  source = "example/sg/aws"
  vpc_id = module.missing.vpc_id
}

resource "aws_vpc_endpoint" "x" {
  vpc_id            = module.missing.vpc_id
  service_name      = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type = "Interface"
  security_group_ids = [module.installed.id]
}
