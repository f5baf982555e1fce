variable "route_table_ids" {
  type = list(string)
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = "vpc-0a1b2c3d4e5f60718"
  service_name    = "com.amazonaws.eu-west-1.s3"
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
  route_table_ids = var.route_table_ids
}
