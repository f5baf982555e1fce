# A small private network as teams often write it: a VPC with two private
# subnets, a bastion, and interface and gateway endpoints. `vpclint scan
# examples` finds what is wrong with it (see README.md).

variable "region" {
  description = "Region to deploy to"
  type        = string
  default     = "eu-west-1"
}

variable "organization_id" {
  description = "AWS Organizations id allowed through the S3 endpoint"
  type        = string
  default     = "o-a1b2c3d4e5"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = "demo"
  }
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = "${var.region}a"
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.2.0/24"
  availability_zone = "${var.region}b"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::demo-flow-logs"
}
