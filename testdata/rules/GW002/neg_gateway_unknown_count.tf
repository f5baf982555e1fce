# Whether the DynamoDB gateway endpoint exists is decided at apply: the
# VPC may have one.
variable "gateway" {
  type = bool
}

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::example-flow-logs"
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.dynamodb"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_group_ids  = ["sg-0a1b2c3d4e5f60718"]
  private_dns_enabled = true
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowRequestsByOrgsIdentitiesToOrgsResources"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
    ]
  })
}

resource "aws_vpc_endpoint" "dynamodb_gateway" {
  count           = var.gateway ? 1 : 0
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.eu-west-1.dynamodb"
  route_table_ids = ["rtb-0a1b2c3d4e5f60718"]
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowRequestsByOrgsIdentitiesToOrgsResources"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
            "aws:ResourceOrgID"  = "o-abcd1234ef"
          }
        }
      },
    ]
  })
}
