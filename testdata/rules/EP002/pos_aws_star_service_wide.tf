resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id          = "vpc-0a1b2c3d4e5f60718"
  service_name    = "com.amazonaws.eu-west-1.dynamodb"
  route_table_ids = ["rtb-0a1b2c3d4e5f60718"]
  policy          = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = {
          AWS = "*"
        }
        Action    = "dynamodb:*"
        Resource  = "*"
      },
    ]
  })
}
