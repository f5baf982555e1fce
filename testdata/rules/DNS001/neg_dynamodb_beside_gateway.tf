resource "aws_vpc_endpoint" "dynamodb_gateway" {
  vpc_id          = "vpc-0a1b2c3d4e5f60718"
  service_name    = "com.amazonaws.eu-west-1.dynamodb"
  route_table_ids = ["rtb-0a1b2c3d4e5f60718"]
  policy          = jsonencode({
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

resource "aws_vpc_endpoint" "dynamodb_interface" {
  vpc_id              = "vpc-0a1b2c3d4e5f60718"
  service_name        = "com.amazonaws.eu-west-1.dynamodb"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_group_ids  = ["sg-0a1b2c3d4e5f60718"]
  private_dns_enabled = false
  policy              = jsonencode({
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
