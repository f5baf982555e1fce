resource "aws_vpc_endpoint" "sts" {
  vpc_id              = "vpc-0a1b2c3d4e5f60718"
  service_name        = "com.amazonaws.eu-west-1.sts"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_group_ids  = ["sg-0a1b2c3d4e5f60718"]
  private_dns_enabled = true
  policy              = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Sid       = "AllowRequestsByOUsIdentitiesToOUsResources"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          "ForAnyValue:StringLike" = {
            "aws:PrincipalOrgPaths" = "o-abcd1234ef/r-ab12/ou-ab12-11111111/*"
            "aws:ResourceOrgPaths"  = "o-abcd1234ef/r-ab12/ou-ab12-11111111/*"
          }
        }
      },
      {
        Sid       = "AllowRequestsByThirdPartyIdentitiesToThirdPartyResources"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalAccount" = "444455556666"
            "aws:ResourceAccount"  = "444455556666"
          }
        }
      },
    ]
  })
}
