# expect: EP011

data "aws_iam_policy_document" "dynamodb_endpoint_policy" {
  statement {
    effect    = "Deny"
    actions   = ["dynamodb:*"]
    resources = ["*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:sourceVpc"
      values   = ["vpc-0a1b2c3d4e5f60718"]
    }
  }
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id          = "vpc-0a1b2c3d4e5f60718"
  service_name    = "com.amazonaws.eu-west-1.dynamodb"
  route_table_ids = ["rtb-0a1b2c3d4e5f60718"]
  policy          = data.aws_iam_policy_document.dynamodb_endpoint_policy.json
}
