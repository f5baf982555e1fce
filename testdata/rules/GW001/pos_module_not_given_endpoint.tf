# A module that is not installed but is not given the endpoint cannot
# associate it: the endpoint has no route table.
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0a1b2c3d4e5f60718"
  service_name = "com.amazonaws.eu-west-1.s3"
  policy       = jsonencode({
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

module "routes" {
  source = "git::https://example.com/network/endpoint-routes.git?ref=v1.2.0"

  vpc_id = "vpc-0a1b2c3d4e5f60718"
}
