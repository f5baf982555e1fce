resource "aws_vpc_endpoint" "sqs" {
  vpc_id              = "vpc-0a1b2c3d4e5f60718"
  service_name        = "com.amazonaws.eu-west-1.sqs"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]
  security_group_ids  = ["sg-0a1b2c3d4e5f60718"]
  private_dns_enabled = true
  policy              = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = {
          AWS = "arn:aws:iam::444455556666:role/partner"
        }
        Action    = ["sqs:SendMessage"]
        Resource  = "arn:aws:sqs:eu-west-1:111122223333:orders"
      },
    ]
  })
}
