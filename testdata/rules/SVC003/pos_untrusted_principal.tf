resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = true
  network_load_balancer_arns = ["arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0123456789abcdef"]
  allowed_principals         = ["arn:aws:iam::444455556666:root"]
}
