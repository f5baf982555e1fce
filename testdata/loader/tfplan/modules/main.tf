# A module called once per service with for_each, a dynamic ingress
# block, count-indexed subnets and a rule that uses each.value.

provider "aws" {
  region                      = "eu-west-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

variable "admin_cidrs" {
  type    = list(string)
  default = ["198.51.100.0/24", "0.0.0.0/0"]
}

resource "aws_vpc" "main" {
  cidr_block           = "10.2.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.2.${count.index}.0/24"
  availability_zone = "eu-west-1${count.index == 0 ? "a" : "b"}"
}

resource "aws_security_group" "bastion" {
  name        = "bastion"
  description = "Bastion hosts"
  vpc_id      = aws_vpc.main.id

  dynamic "ingress" {
    for_each = var.admin_cidrs
    content {
      description = "SSH from ${ingress.value}"
      protocol    = "tcp"
      from_port   = 22
      to_port     = 22
      cidr_blocks = [ingress.value]
    }
  }
}

module "endpoint" {
  source   = "./modules/endpoint"
  for_each = toset(["ssm", "ec2messages"])

  service    = each.key
  vpc_id     = aws_vpc.main.id
  subnet_ids = aws_subnet.private[*].id
  clients    = aws_vpc.main.cidr_block
}

resource "aws_security_group" "app" {
  name        = "app"
  description = "Application servers"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "SSH from the bastion"
    protocol        = "tcp"
    from_port       = 22
    to_port         = 22
    security_groups = [aws_security_group.bastion.id]
  }
}
