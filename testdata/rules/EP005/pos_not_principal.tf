resource "aws_vpc_endpoint" "s3" {
  vpc_id          = "vpc-0a1b2c3d4e5f60718"
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = ["rtb-0a1b2c3d4e5f60718"]
  policy          = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect       = "Allow"
        NotPrincipal = {
          AWS = "arn:aws:iam::444455556666:root"
        }
        Action       = "s3:GetObject"
        Resource     = "arn:aws:s3:::example-app-data/*"
        Condition    = {
          StringEquals = {
            "aws:PrincipalOrgID" = "o-abcd1234ef"
          }
        }
      },
    ]
  })
}
