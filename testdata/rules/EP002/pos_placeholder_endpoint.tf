# The endpoint is created elsewhere; the policy written here names it.
resource "aws_vpc_endpoint_policy" "s3" {
  vpc_endpoint_id = "vpce-0123456789abcdef0"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "*"
      Resource  = "*"
    }]
  })
}
