resource "aws_vpc_endpoint_service" "api" {
  acceptance_required        = true
  network_load_balancer_arns = ["arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/net/api/0123456789abcdef"]
}

resource "aws_vpc_endpoint_service_allowed_principal" "everyone" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.api.id
  principal_arn           = "*"
}
