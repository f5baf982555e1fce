resource "aws_vpc_endpoint" "s3" {
  vpc_id          = "vpc-0a1b2c3d4e5f60718"
  service_name    = "com.amazonaws.eu-west-1.s3"
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
      {
        Sid       = "AllowRequestsByAWSServicePrincipals"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          Bool = {
            "aws:PrincipalIsAWSService" = "true"
          }
        }
      },
      {
        Sid       = "AllowRequestsByOrgsIdentitiesToAnyResources"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "aws:PrincipalOrgID"                   = "o-abcd1234ef"
            "aws:PrincipalTag/dp:exclude:resource" = "true"
          }
        }
      },
      {
        Sid       = "AllowRequestsToAWSOwnedResources"
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = ["arn:aws:s3:::amazonlinux.eu-west-1.amazonaws.com/*", "arn:aws:s3:::amazonlinux-2-repos-eu-west-1/*", "arn:aws:s3:::al2023-repos-eu-west-1-de612dc2/*", "arn:aws:s3:::aws-ssm-eu-west-1/*", "arn:aws:s3:::aws-windows-downloads-eu-west-1/*", "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*"]
      },
      {
        Sid       = "AllowRequestsByOrgsIdentitiesToAWSResources"
        Effect    = "Allow"
        Principal = "*"
        Action    = "*"
        Resource  = "*"
        Condition = {
          StringEquals               = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
          }
          "ForAnyValue:StringEquals" = {
            "aws:ResourceAccount" = ["040557870006", "035036520264"]
          }
        }
      },
    ]
  })
}
