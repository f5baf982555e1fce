# Private DNS is set by a separate resource whose endpoint comes from a
# lookup the scan cannot follow: it may be this endpoint.
data "aws_vpc_endpoint" "shared" {
  vpc_id       = "vpc-0a1b2c3d4e5f60718"
  service_name = "com.amazonaws.eu-west-1.ssm"
}

resource "aws_vpc_endpoint" "ssm" {
  vpc_id             = "vpc-0a1b2c3d4e5f60718"
  service_name       = "com.amazonaws.eu-west-1.ssm"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_group_ids = ["sg-0a1b2c3d4e5f60718"]
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

resource "aws_vpc_endpoint_private_dns" "shared" {
  vpc_endpoint_id     = data.aws_vpc_endpoint.shared.id
  private_dns_enabled = true
}
