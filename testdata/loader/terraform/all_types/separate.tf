resource "aws_security_group_rule" "egress" {
  type              = "egress"
  security_group_id = aws_security_group.endpoints.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
  description       = "HTTPS out"
}

resource "aws_security_group_rule" "elsewhere" {
  type              = "ingress"
  security_group_id = "sg-0abc"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_network_acl_rule" "deny_ssh" {
  network_acl_id = aws_network_acl.private.id
  rule_number    = 50
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  from_port      = 22
  to_port        = 22
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_association" "b" {
  network_acl_id = aws_network_acl.private.id
  subnet_id      = aws_subnet.b.id
}

resource "aws_vpc_endpoint_policy" "s3" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "*" }]
  })
}

resource "aws_vpc_endpoint_subnet_association" "b" {
  vpc_endpoint_id = aws_vpc_endpoint.ssm.id
  subnet_id       = aws_subnet.b.id
}

resource "aws_vpc_endpoint_security_group_association" "ep" {
  vpc_endpoint_id   = aws_vpc_endpoint.ssm.id
  security_group_id = aws_security_group.endpoints.id
}

resource "aws_vpc_endpoint_route_table_association" "s3" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = aws_route_table.private.id
}

resource "aws_vpc_endpoint_service_allowed_principal" "p" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.svc.id
  principal_arn           = "arn:aws:iam::111122223333:root"
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route" "s3" {
  route_table_id             = aws_route_table.private.id
  destination_prefix_list_id = aws_vpc_endpoint.s3.prefix_list_id
  vpc_endpoint_id            = aws_vpc_endpoint.s3.id
}

resource "aws_vpc_security_group_ingress_rule" "default_self" {
  security_group_id            = aws_vpc.main.default_security_group_id
  referenced_security_group_id = aws_vpc.main.default_security_group_id
  ip_protocol                  = "-1"
}
